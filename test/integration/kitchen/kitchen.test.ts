/**
 * Kitchen display API over the local runtime (real HTTP, real WebSockets, the real driver): item
 * transitions with undo and invalid jumps, the two-tablet race, CANCELLED for managers only, bump
 * and recall, all-day counts, station filters, and the pushes to kitchen sockets and to guests.
 *
 * Orders here are written straight into the orders collection through the driver, in exactly the
 * shape placement stores, so each state (pending, several stations, INDIVIDUAL devices) can be set
 * up precisely; kitchen-flow.test.ts runs the same screens from real placements.
 */
import { ObjectId, type Collection } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ItemStatus, OrderDoc, OrderItem, OrderStatus, SessionMode } from '../../../functions/data/documents.ts';
import { ORDERS_COLLECTION, orderDoc, orderLine } from '../../support/order-docs.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import type { TestWs } from '../../support/ws.ts';

let t: TestStack;
let orders: Collection<OrderDoc>;
let kitchenToken: string;
let managerToken: string;

beforeAll(async () => {
  t = await startTestStack();
  orders = t.collection<OrderDoc>(ORDERS_COLLECTION);
  kitchenToken = (await t.loginAs('KITCHEN')).token;
  managerToken = (await t.loginAs('MANAGER')).token;
});
afterAll(() => t?.stop());

let orderSeq = 0;
const line = (name: string, station: string, overrides: Partial<OrderItem> = {}): OrderItem =>
  orderLine({ menuItemName: name, station, addedByDeviceId: 'device-kitchen-test', ...overrides });

interface NewOrder {
  items: OrderItem[];
  status?: OrderStatus;
  sessionId?: ObjectId;
  tableId?: ObjectId;
  deviceId?: string;
  tableNumber?: string;
  minutesAgo?: number;
  sessionMode?: SessionMode;
}

async function insertOrder(spec: NewOrder): Promise<string> {
  const at = new Date(Date.now() - (spec.minutesAgo ?? 0) * 60_000);
  const doc = orderDoc({
    orderNumber: `K-${String(++orderSeq).padStart(3, '0')}`,
    ...(spec.sessionId ? { sessionId: spec.sessionId } : {}),
    ...(spec.tableId ? { tableId: spec.tableId } : {}),
    deviceId: spec.deviceId ?? 'device-kitchen-test',
    items: spec.items,
    sessionMode: spec.sessionMode ?? 'FAMILY',
    status: spec.status ?? 'confirmed',
    tableNumber: spec.tableNumber ?? 'T-9',
    orderDate: at,
  });
  await orders.insertOne(doc);
  return doc._id.toHexString();
}

const setItem = (orderId: string, index: number | string, body: unknown, token = kitchenToken) =>
  t.api.request('PATCH', `/api/kitchen/orders/${orderId}/items/${index}`, body, { token });
const list = (query = '', token = kitchenToken) => t.api.get(`/api/kitchen/orders${query}`, { token });
const storedOrder = async (orderId: string) => (await orders.findOne({ _id: new ObjectId(orderId) }))!;

const kitchenSocket = (station?: string): Promise<TestWs> => t.connectWs({ token: kitchenToken, channel: 'kitchen', station });

describe('GET /api/kitchen/orders', () => {
  it('lists open tickets oldest first, never pending ones, with the urgency thresholds and stations', async () => {
    const older = await insertOrder({ items: [line('Seekh Kebab', 'GRILL')], minutesAgo: 12 });
    const newer = await insertOrder({ items: [line('Masala Chai', 'BAR')], minutesAgo: 1, status: 'preparing' });
    const pending = await insertOrder({ items: [line('Dal Makhani', 'GRILL')], status: 'pending' });
    const completed = await insertOrder({ items: [line('Dal Makhani', 'GRILL', { itemStatus: 'SERVED' })], status: 'completed' });

    const response = await list();
    expect(response.status).toBe(200);
    const ids = response.body.orders.map((o: { orderId: string }) => o.orderId);
    expect(ids.indexOf(older)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(older)).toBeLessThan(ids.indexOf(newer));
    expect(ids).not.toContain(pending);
    expect(ids).not.toContain(completed);
    expect(response.body.urgency).toEqual({ urgentMinutes: 10, criticalMinutes: 15 });
    expect(response.body.stations).toContain('GRILL');
    expect(Math.abs(Date.parse(response.body.serverTime) - Date.now())).toBeLessThan(5_000);
    const ticket = response.body.orders.find((o: { orderId: string }) => o.orderId === older);
    expect(ticket).toEqual({
      orderId: older,
      orderNumber: expect.stringMatching(/^K-/),
      table: { number: 'T-9', floor: 'Ground Floor' },
      orderDate: expect.any(String),
      items: [{ index: 0, name: 'Seekh Kebab', quantity: 1, modifiers: [], station: 'GRILL', itemStatus: 'NEW' }],
      status: 'confirmed',
      updatedAt: expect.any(String),
    });
  });

  it('filters by station, keeping only that station items with their original indices', async () => {
    const mixed = await insertOrder({ items: [line('Seekh Kebab', 'GRILL'), line('Sweet Lassi', 'BAR'), line('Dal Makhani', 'GRILL')] });
    const response = await list('?station=BAR');
    expect(response.status).toBe(200);
    const ticket = response.body.orders.find((o: { orderId: string }) => o.orderId === mixed);
    expect(ticket.items).toEqual([{ index: 1, name: 'Sweet Lassi', quantity: 1, modifiers: [], station: 'BAR', itemStatus: 'NEW' }]);
    for (const order of response.body.orders) for (const item of order.items) expect(item.station).toBe('BAR');
  });

  it('refuses guests, anonymous callers and bad filters', async () => {
    expect((await t.api.get('/api/kitchen/orders')).status).toBe(401);
    expect((await list('?station=grill; drop')).status).toBe(400);
    expect((await list('?status=everything')).status).toBe(400);
    expect((await list('?extra=1')).status).toBe(400);
  });
});

describe('PATCH /api/kitchen/orders/:orderId/items/:itemIndex', () => {
  it('moves an item NEW → COOKING → READY → SERVED, derives the order status, and undoes one step', async () => {
    const id = await insertOrder({ items: [line('Paneer Tikka', 'TANDOOR'), line('Butter Naan', 'TANDOOR')] });

    let response = await setItem(id, 0, { status: 'COOKING' });
    expect(response.status).toBe(200);
    expect(response.body.ticket.items[0].itemStatus).toBe('COOKING');
    expect(response.body.ticket.status).toBe('preparing');
    expect((await storedOrder(id)).status).toBe('preparing');

    // Undo: one step back; with every item NEW again the order is merely confirmed.
    response = await setItem(id, 0, { status: 'NEW', from: 'COOKING' });
    expect(response.status).toBe(200);
    expect((await storedOrder(id)).status).toBe('confirmed');

    for (const index of [0, 1]) for (const status of ['COOKING', 'READY', 'SERVED'] as ItemStatus[]) expect((await setItem(id, index, { status })).status).toBe(200);
    const stored = await storedOrder(id);
    expect(stored.status).toBe('completed');
    expect(stored.items.map((i) => i.itemStatus)).toEqual(['SERVED', 'SERVED']);
    expect(stored.items[0].statusUpdatedAt).toBeInstanceOf(Date);
    // A completed order leaves the screen.
    expect((await list()).body.orders.map((o: { orderId: string }) => o.orderId)).not.toContain(id);

    // And an undo of the last SERVED brings it back.
    expect((await setItem(id, 1, { status: 'READY' })).status).toBe(200);
    expect((await storedOrder(id)).status).toBe('preparing');
    expect((await list()).body.orders.map((o: { orderId: string }) => o.orderId)).toContain(id);
  });

  it('refuses jumps, repeats, a stale `from`, and touching a pending order, with 409 and nothing written', async () => {
    const id = await insertOrder({ items: [line('Chicken Tikka', 'TANDOOR')] });
    const before = await storedOrder(id);
    for (const body of [{ status: 'READY' }, { status: 'SERVED' }, { status: 'NEW' }, { status: 'COOKING', from: 'READY' }]) {
      const response = await setItem(id, 0, body);
      expect(response.status, JSON.stringify(body)).toBe(409);
      expect(response.body.error.code).toBe('STATUS_CONFLICT');
      expect(response.body.error.details).toMatchObject({ itemIndex: 0, current: 'NEW' });
    }
    expect(await storedOrder(id)).toEqual(before);

    const pending = await insertOrder({ items: [line('Chicken Tikka', 'TANDOOR')], status: 'pending' });
    const response = await setItem(pending, 0, { status: 'COOKING' });
    expect(response.status).toBe(409);
    expect((await storedOrder(pending)).items[0].itemStatus).toBe('NEW');
  });

  it('validates the path and body, and answers 404 for an unknown order or item', async () => {
    const id = await insertOrder({ items: [line('Chicken Tikka', 'TANDOOR')] });
    expect((await setItem(id, 1, { status: 'COOKING' })).status).toBe(404);
    expect((await setItem(new ObjectId().toHexString(), 0, { status: 'COOKING' })).status).toBe(404);
    expect((await setItem(id, 200, { status: 'COOKING' })).status).toBe(400);
    expect((await setItem(id, -1, { status: 'COOKING' })).status).toBe(400);
    expect((await setItem(id, 'x', { status: 'COOKING' })).status).toBe(400);
    expect((await setItem('not-an-id', 0, { status: 'COOKING' })).status).toBe(400);
    expect((await setItem(id, 0, { status: 'BURNT' })).status).toBe(400);
    expect((await setItem(id, 0, { status: 'COOKING', price: 1 })).status).toBe(400);
    const wrongType = await t.api.request('PATCH', `/api/kitchen/orders/${id}/items/0`, undefined, {
      token: kitchenToken,
      rawBody: 'status=COOKING',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(wrongType.status).toBe(415);
  });

  it('two tablets racing NEW → COOKING on the same item: one 200, one 409', async () => {
    for (let round = 0; round < 5; round++) {
      const id = await insertOrder({ items: [line('Tandoori Chicken', 'TANDOOR'), line('Mint Chutney', 'TANDOOR')] });
      const results = await Promise.all([setItem(id, 0, { status: 'COOKING' }), setItem(id, 0, { status: 'COOKING' })]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      expect(results.find((r) => r.status === 409)!.body.error.code).toBe('STATUS_CONFLICT');
      const stored = await storedOrder(id);
      expect(stored.items.map((i) => i.itemStatus)).toEqual(['COOKING', 'NEW']);
      expect(stored.status).toBe('preparing');
    }
  });

  it('two tablets changing different items at once both succeed and the derived status counts both', async () => {
    for (let round = 0; round < 5; round++) {
      const id = await insertOrder({ items: [line('Seekh Kebab', 'GRILL', { itemStatus: 'READY' }), line('Dal Makhani', 'GRILL', { itemStatus: 'READY' })], status: 'preparing' });
      const results = await Promise.all([setItem(id, 0, { status: 'SERVED' }), setItem(id, 1, { status: 'SERVED' })]);
      expect(results.map((r) => r.status)).toEqual([200, 200]);
      expect((await storedOrder(id)).status).toBe('completed');
    }
  });

  it('CANCELLED is for managers and above (403 for the kitchen), and is audited', async () => {
    const id = await insertOrder({ items: [line('Lamb Rogan Josh', 'GRILL'), line('Jeera Rice', 'GRILL')] });
    const refused = await setItem(id, 0, { status: 'CANCELLED' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');
    expect((await storedOrder(id)).items[0].itemStatus).toBe('NEW');

    expect((await setItem(id, 0, { status: 'CANCELLED' }, managerToken)).status).toBe(200);
    expect((await storedOrder(id)).status).toBe('confirmed');
    // A cancelled item cannot come back.
    expect((await setItem(id, 0, { status: 'NEW' }, managerToken)).status).toBe(409);
    // Every item cancelled: the order is cancelled and off the screen.
    expect((await setItem(id, 1, { status: 'CANCELLED' }, managerToken)).status).toBe(200);
    expect((await storedOrder(id)).status).toBe('cancelled');
    expect((await list()).body.orders.map((o: { orderId: string }) => o.orderId)).not.toContain(id);

    const audit = await t.collection('audit_log').find({ action: 'ITEM_CANCELLED', orderId: new ObjectId(id) }).toArray();
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({ actor: { kind: 'staff', username: 'manager' }, details: { itemIndex: 0, from: 'NEW' } });
  });
});

describe('bump and recall', () => {
  it('bump takes the ticket off the screen (once), recall brings it back (once)', async () => {
    const id = await insertOrder({ items: [line('Veg Biryani', 'GRILL', { itemStatus: 'READY' })], status: 'preparing' });
    const bump = () => t.api.post(`/api/kitchen/orders/${id}/bump`, {}, { token: kitchenToken });
    const recall = () => t.api.post(`/api/kitchen/orders/${id}/recall`, {}, { token: kitchenToken });

    const bumped = await bump();
    expect(bumped.status).toBe(200);
    expect(bumped.body.ticket.bumpedAt).toEqual(expect.any(String));
    expect((await list()).body.orders.map((o: { orderId: string }) => o.orderId)).not.toContain(id);
    expect((await list('?status=bumped')).body.orders.map((o: { orderId: string }) => o.orderId)).toContain(id);
    expect((await bump()).status).toBe(409);

    const recalled = await recall();
    expect(recalled.status).toBe(200);
    expect(recalled.body.ticket.bumpedAt).toBeUndefined();
    expect((await storedOrder(id)).bumpedAt).toBeUndefined();
    expect((await list()).body.orders.map((o: { orderId: string }) => o.orderId)).toContain(id);
    expect((await recall()).status).toBe(409);

    const pending = await insertOrder({ items: [line('Veg Biryani', 'GRILL')], status: 'pending' });
    expect((await t.api.post(`/api/kitchen/orders/${pending}/bump`, {}, { token: kitchenToken })).status).toBe(409);
    expect((await t.api.post(`/api/kitchen/orders/${new ObjectId().toHexString()}/bump`, {}, { token: kitchenToken })).status).toBe(404);
  });

  it('two tablets bumping the same ticket: one 200, one 409', async () => {
    const id = await insertOrder({ items: [line('Veg Biryani', 'GRILL', { itemStatus: 'READY' })], status: 'preparing' });
    const results = await Promise.all([1, 2].map(() => t.api.post(`/api/kitchen/orders/${id}/bump`, {}, { token: kitchenToken })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
  });
});

describe('GET /api/kitchen/all-day', () => {
  it('counts NEW and COOKING items across unserved tickets (bumped ones too) per item and station, optionally for one station', async () => {
    await orders.deleteMany({ restaurantId: 'demo', orderNumber: /^K-/ }); // start from a clean board
    await insertOrder({ items: [line('Seekh Kebab', 'GRILL', { quantity: 2 }), line('Sweet Lassi', 'BAR', { quantity: 3, itemStatus: 'COOKING' })] });
    await insertOrder({ items: [line('Seekh Kebab', 'GRILL', { quantity: 1, itemStatus: 'COOKING' }), line('Seekh Kebab', 'GRILL', { quantity: 4, itemStatus: 'READY' })], status: 'preparing' });
    await insertOrder({ items: [line('Seekh Kebab', 'GRILL', { quantity: 7 })], status: 'pending' }); // not on the screen yet
    const bumpedId = await insertOrder({ items: [line('Seekh Kebab', 'GRILL', { quantity: 9 })] });
    expect((await t.api.post(`/api/kitchen/orders/${bumpedId}/bump`, {}, { token: kitchenToken })).status).toBe(200);

    const all = await t.api.get('/api/kitchen/all-day', { token: kitchenToken });
    expect(all.status).toBe(200);
    // The bumped ticket's 9 kebabs were never cooked: they still count until served or cancelled.
    expect(all.body.items).toEqual([
      { name: 'Seekh Kebab', station: 'GRILL', quantity: 12, new: 11, cooking: 1, tickets: 3 },
      { name: 'Sweet Lassi', station: 'BAR', quantity: 3, new: 0, cooking: 3, tickets: 1 },
    ]);
    const grill = await t.api.get('/api/kitchen/all-day?station=GRILL', { token: kitchenToken });
    expect(grill.body).toMatchObject({ station: 'GRILL', items: [{ name: 'Seekh Kebab', quantity: 12 }] });
    expect((await t.api.get('/api/kitchen/all-day?station=bar', { token: kitchenToken })).status).toBe(400);
  });
});

describe('pushes', () => {
  /** Everything pushed to `socket` before this point has arrived (a socket's messages keep their order). */
  const drained = async (socket: Awaited<ReturnType<typeof kitchenSocket>>) => {
    const pongs = socket.messages.filter((m) => m.type === 'pong').length;
    socket.send({ action: 'ping' });
    await socket.waitFor(() => socket.messages.filter((m) => m.type === 'pong').length > pongs);
  };
  const about = (id: string) => (m: any) => m.orderId === id || m.ticket?.orderId === id || m.order?.orderId === id;

  it('an item change reaches its station’s and the all-station tablets, the order’s guests once, the staff consoles; other stations nothing', async () => {
    const table = await t.openTable('T-7', 'INDIVIDUAL');
    const placer = await t.joinTable(table.tableId, table.pin);
    const neighbour = await t.joinTable(table.tableId, table.pin);
    const placerSocket = await t.connectWs({ token: placer.sessionToken });
    const neighbourSocket = await t.connectWs({ token: neighbour.sessionToken });
    const [all, grill, bar] = [await kitchenSocket(), await kitchenSocket('GRILL'), await kitchenSocket('BAR')];
    const staffSocket = await t.connectWs({ token: (await t.loginAs('WAITER')).token, channel: 'staff' });

    const id = await insertOrder({
      items: [line('Seekh Kebab', 'GRILL'), line('Sweet Lassi', 'BAR')],
      sessionId: new ObjectId(table.sessionId),
      tableId: new ObjectId(table.tableId),
      deviceId: placer.deviceId,
      tableNumber: 'T-7',
      sessionMode: 'INDIVIDUAL',
    });
    expect((await setItem(id, 0, { status: 'COOKING' })).status).toBe(200);

    const full = await all.waitFor((m) => m.type === 'kitchen.ticket' && m.ticket.orderId === id);
    expect(full.ticket.items.map((i: { itemStatus: string }) => i.itemStatus)).toEqual(['COOKING', 'NEW']);
    const grillView = await grill.waitFor((m) => m.type === 'kitchen.ticket' && m.ticket.orderId === id);
    expect(grillView.ticket.items).toEqual([expect.objectContaining({ index: 0, station: 'GRILL', itemStatus: 'COOKING' })]);
    // The bar's view of the ticket (its lassi, still NEW) did not change: nothing for the bar.
    await drained(bar);
    expect(bar.messages.filter(about(id))).toEqual([]);

    // INDIVIDUAL: only the device that placed the order hears about it, in one message: the whole order (its view).
    const updated = await placerSocket.waitFor((m) => m.type === 'order.updated' && m.order.orderId === id);
    expect(updated.order).toMatchObject({ status: 'preparing', items: [{ itemStatus: 'COOKING' }, { itemStatus: 'NEW' }] });
    expect(updated.order).not.toHaveProperty('customerPhone');
    await drained(placerSocket);
    expect(placerSocket.messages.filter(about(id)).map((m) => m.type)).toEqual(['order.updated']);
    expect(await staffSocket.waitFor((m) => m.type === 'order.updated' && m.order.orderId === id)).toMatchObject({ order: { status: 'preparing' } });
    expect((await t.api.post(`/api/kitchen/orders/${id}/bump`, {}, { token: kitchenToken })).status).toBe(200);
    expect(await all.waitFor((m) => m.type === 'kitchen.ticket_removed' && m.orderId === id)).toMatchObject({ reason: 'bumped' });
    await bar.waitFor((m) => m.type === 'kitchen.ticket_removed' && m.orderId === id);
    expect(neighbourSocket.messages.filter(about(id))).toEqual([]);
  });

  it('a change that takes the ticket off the screens, or brings it back, reaches every station showing it', async () => {
    const [all, grill, bar] = [await kitchenSocket(), await kitchenSocket('GRILL'), await kitchenSocket('BAR')];
    const id = await insertOrder({ items: [line('Seekh Kebab', 'GRILL'), line('Sweet Lassi', 'BAR')] });
    for (const status of ['COOKING', 'READY', 'SERVED']) expect((await setItem(id, 1, { status })).status).toBe(200);
    for (const status of ['COOKING', 'READY']) expect((await setItem(id, 0, { status })).status).toBe(200);
    await drained(bar);
    const barSeen = bar.messages.filter(about(id)).length;
    expect(barSeen).toBe(3); // its own lassi's three steps, none of the kebab's
    // The kebab served: the order is complete and leaves every screen, the bar's too.
    expect((await setItem(id, 0, { status: 'SERVED' })).status).toBe(200);
    for (const socket of [all, grill, bar]) expect(await socket.waitFor((m) => m.type === 'kitchen.ticket_removed' && m.orderId === id)).toMatchObject({ reason: 'completed' });
    // Undone: the ticket is back on every screen, the bar's too.
    expect((await setItem(id, 0, { status: 'READY' })).status).toBe(200);
    for (const socket of [all, grill, bar]) {
      const back = await socket.waitFor((m) => m.type === 'kitchen.ticket' && m.ticket.orderId === id && m.ticket.status === 'preparing');
      expect(back.ticket.items.length).toBe(socket === all ? 2 : 1);
    }
  });

  it('FAMILY: the whole table hears an item status change, once per phone', async () => {
    const table = await t.openTable('T-8', 'FAMILY');
    const a = await t.joinTable(table.tableId, table.pin);
    const b = await t.joinTable(table.tableId, table.pin);
    const [sa, sb] = [await t.connectWs({ token: a.sessionToken }), await t.connectWs({ token: b.sessionToken })];
    const id = await insertOrder({ items: [line('Dal Makhani', 'GRILL')], sessionId: new ObjectId(table.sessionId), tableId: new ObjectId(table.tableId), deviceId: a.deviceId });
    expect((await setItem(id, 0, { status: 'COOKING' })).status).toBe(200);
    for (const socket of [sa, sb]) {
      expect(await socket.waitFor((m) => m.type === 'order.updated' && m.order.orderId === id)).toMatchObject({ order: { items: [{ itemStatus: 'COOKING' }] } });
      await drained(socket);
      expect(socket.messages.filter(about(id))).toHaveLength(1);
    }
  });

  it('the ws `sync` action answers a kitchen socket with its station open tickets', async () => {
    const socket = await kitchenSocket('BAR');
    const id = await insertOrder({ items: [line('Seekh Kebab', 'GRILL'), line('Cold Coffee', 'BAR')] });
    socket.send({ action: 'sync' });
    const sync = await socket.waitFor((m) => m.type === 'sync');
    expect(sync.channel).toBe('KITCHEN');
    expect(sync.serverTime).toEqual(expect.any(String));
    const ticket = sync.orders.find((o: { orderId: string }) => o.orderId === id);
    expect(ticket.items).toEqual([expect.objectContaining({ index: 1, name: 'Cold Coffee' })]);
  });
});
