/**
 * The kitchen never loses a dish, and knows how long it takes: through the local runtime, from real
 * placements. Each dish and each ticket records when it was placed, started cooking, became ready
 * and was served (an undo removes the stamp it leaves); a ticket bumped with dishes still to cook
 * stays in the recall list however long ago, its dishes stay in the all-day counts, and the staff
 * consoles hear of the bump; the all-day answer carries the average ticket time per station.
 */
import { ObjectId, type Collection } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderDoc } from '../../../functions/data/documents.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';

let t: TestStack;
let orders: Collection<OrderDoc>;
let kitchenToken: string;

beforeAll(async () => {
  t = await startTestStack();
  orders = t.collection<OrderDoc>(process.env.COLLECTION_ORDERS || 'digital_menu_customer_orders');
  kitchenToken = (await t.loginAs('KITCHEN')).token;
});
afterAll(() => t?.stop());

async function place(tableNumber: string, dishes: [name: string, quantity: number][]): Promise<string> {
  const table = await t.freshTable(tableNumber, 'FAMILY');
  const guest = await t.joinTable(table.tableId, table.pin);
  let version = 0;
  for (const [name, quantity] of dishes) version = (await t.addToCart(guest, name, quantity)).version;
  return (await t.orderCart(guest, version)).orderId;
}

const move = (orderId: string, index: number, status: string) =>
  t.api.request('PATCH', `/api/kitchen/orders/${orderId}/items/${index}`, { status }, { token: kitchenToken });
const stored = async (orderId: string) => (await orders.findOne({ _id: new ObjectId(orderId) }))!;

describe('timings on the order', () => {
  it('stamps each dish and the ticket placed → cooking → ready → served; an undo removes the stamp it leaves', async () => {
    const id = await place('T-3', [
      ['Vegetable Samosa', 1],
      ['Seekh Kebab', 2],
    ]);
    const placed = await stored(id);
    expect(placed.timings).toEqual({ placedAt: placed.orderDate });
    expect(placed.items.map((item) => item.timings)).toEqual([{ placedAt: placed.orderDate }, { placedAt: placed.orderDate }]);
    // The documented fields are untouched.
    expect(placed.items[0]).toMatchObject({ menuItemName: 'Vegetable Samosa', quantity: 1, itemStatus: 'NEW' });

    for (const status of ['COOKING', 'READY', 'SERVED']) expect((await move(id, 0, status)).status).toBe(200);
    let order = await stored(id);
    const first = order.items[0].timings!;
    expect(first.placedAt).toEqual(placed.orderDate);
    expect(first.cookingAt!.getTime()).toBeGreaterThanOrEqual(placed.orderDate.getTime());
    expect(first.readyAt!.getTime()).toBeGreaterThanOrEqual(first.cookingAt!.getTime());
    expect(first.servedAt!.getTime()).toBeGreaterThanOrEqual(first.readyAt!.getTime());
    // The ticket started cooking with its first dish; it is neither ready nor served while the kebabs are NEW.
    expect(order.timings).toEqual({ placedAt: placed.orderDate, cookingAt: first.cookingAt });

    // Undo SERVED → READY: the served stamp goes, the ready one stays.
    expect((await move(id, 0, 'READY')).status).toBe(200);
    expect((await stored(id)).items[0].timings).toEqual({ placedAt: placed.orderDate, cookingAt: first.cookingAt, readyAt: first.readyAt });

    for (const status of ['COOKING', 'READY']) expect((await move(id, 1, status)).status).toBe(200);
    order = await stored(id);
    expect(order.timings!.readyAt).toEqual(order.items[1].timings!.readyAt); // the last dish to be ready
    expect(order.timings!.servedAt).toBeUndefined();
    for (const index of [0, 1]) expect((await move(id, index, 'SERVED')).status).toBe(200);
    order = await stored(id);
    expect(order.status).toBe('completed');
    expect(order.timings!.servedAt).toEqual(new Date(Math.max(...order.items.map((item) => item.timings!.servedAt!.getTime()))));
  });

  it('a cancelled order stamps cancelledAt on the ticket and on every dish', async () => {
    const id = await place('T-4', [['Vegetable Samosa', 1]]);
    const manager = (await t.loginAs('MANAGER')).token;
    expect((await t.api.post(`/api/staff/orders/${id}/cancel`, { reason: 'guest left' }, { token: manager })).status).toBe(200);
    const order = await stored(id);
    expect(order.timings!.cancelledAt).toEqual(expect.any(Date));
    expect(order.items[0].timings).toMatchObject({ placedAt: order.orderDate, cancelledAt: order.timings!.cancelledAt });
  });
});

describe('a ticket bumped with dishes still to cook', () => {
  it('stays in the recall list even hours later, keeps its dishes in the all-day counts, and the staff console hears of it', async () => {
    const waiterSocket = await t.connectWs({ token: (await t.loginAs('WAITER')).token, channel: 'staff' });
    const id = await place('T-5', [
      ['Korean Chicken Lollipop', 3],
      ['Vegetable Samosa', 1],
    ]);
    expect((await move(id, 1, 'COOKING')).status).toBe(200);
    expect((await move(id, 1, 'READY')).status).toBe(200);
    const bumped = await t.api.post(`/api/kitchen/orders/${id}/bump`, {}, { token: kitchenToken });
    expect(bumped.status).toBe(200);

    const update = await waiterSocket.waitFor((m) => m.type === 'order.updated' && m.order.orderId === id && m.order.bumpedAt);
    expect(update.order.items.map((item: { itemStatus: string }) => item.itemStatus)).toEqual(['NEW', 'READY']);
    const staffList = await t.api.get<{ orders: { orderId: string; bumpedAt?: string }[] }>('/api/staff/orders', { token: (await t.loginAs('WAITER')).token });
    expect(staffList.body.orders.find((order) => order.orderId === id)?.bumpedAt).toEqual(bumped.body.ticket.bumpedAt);

    const allDay = await t.api.get<{ items: { name: string; quantity: number }[] }>('/api/kitchen/all-day?station=FRYER', { token: kitchenToken });
    expect(allDay.body.items.find((entry) => entry.name === 'Korean Chicken Lollipop')?.quantity).toBeGreaterThanOrEqual(3);

    // Bumped five hours ago (beyond the 3-hour recall window): still listed while dishes are to cook.
    await orders.updateOne({ _id: new ObjectId(id) }, { $set: { bumpedAt: new Date(Date.now() - 5 * 3600_000) } });
    const recall = () => t.api.get<{ orders: { orderId: string }[] }>('/api/kitchen/orders?status=bumped', { token: kitchenToken });
    expect((await recall()).body.orders.map((order) => order.orderId)).toContain(id);
    // Once nothing is left to cook, an old bump leaves the list.
    await orders.updateOne({ _id: new ObjectId(id) }, { $set: { 'items.0.itemStatus': 'READY' } });
    expect((await recall()).body.orders.map((order) => order.orderId)).not.toContain(id);
  });
});

describe('average ticket time per station', () => {
  it('averages, per station, from the ticket reaching the kitchen to its last dish there being ready, over the last hour', async () => {
    const fast = await place('T-6', [['Vegetable Samosa', 1]]);
    const slow = await place('T-7', [['Vegetable Samosa', 1]]);
    for (const id of [fast, slow]) for (const status of ['COOKING', 'READY']) expect((await move(id, 0, status)).status).toBe(200);
    // Two FRYER tickets that took 4 and 8 minutes, one (BAR-free) that became ready two hours ago and is left out.
    const readyAt = new Date();
    const minutesBefore = (m: number) => new Date(readyAt.getTime() - m * 60_000);
    await orders.updateOne({ _id: new ObjectId(fast) }, { $set: { confirmedAt: minutesBefore(4), 'items.0.timings.readyAt': readyAt } });
    await orders.updateOne({ _id: new ObjectId(slow) }, { $set: { confirmedAt: minutesBefore(8), 'items.0.timings.readyAt': readyAt } });
    await orders.updateMany(
      { restaurantId: 'demo', _id: { $nin: [new ObjectId(fast), new ObjectId(slow)] }, 'items.station': 'FRYER', 'items.timings.readyAt': { $exists: true } },
      { $set: { 'items.$[].timings.readyAt': minutesBefore(120) } },
    );

    const answer = await t.api.get<{ ticketTimes: { station: string; averageSeconds: number; tickets: number }[]; ticketTimeWindowMinutes: number }>(
      '/api/kitchen/all-day?station=FRYER',
      { token: kitchenToken },
    );
    expect(answer.status).toBe(200);
    expect(answer.body.ticketTimeWindowMinutes).toBe(60);
    expect(answer.body.ticketTimes).toEqual([{ station: 'FRYER', averageSeconds: 360, tickets: 2 }]);
  });
});
