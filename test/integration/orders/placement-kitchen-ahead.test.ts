/**
 * A placement looks up the kitchen's sockets alongside its transaction (effects/orders.ts
 * afterPlacement) and sends the ticket to those first; the lookup after the commit still runs, and
 * any kitchen socket only it found (a tablet that connected meanwhile) gets the ticket
 * too. Every kitchen socket hears each `order.created` exactly once, whatever the early lookup saw.
 */
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderDoc } from '../../../functions/data/documents.ts';
import { afterPlacement } from '../../../functions/effects/orders.ts';
import { connectionsOfChannel, type ConnectionRecord } from '../../../functions/realtime/connections.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import type { TestWs } from '../../support/ws.ts';

let t: TestStack;

beforeAll(async () => {
  t = await startTestStack();
});
afterAll(() => t?.stop());

const createdFor = (socket: TestWs, orderId: string) => socket.messages.filter((m) => m.type === 'order.created' && m.ticket.orderId === orderId).length;

/** Waits until every socket heard `count` announcements of the order, then long enough for a duplicate to show. */
async function heardEach(sockets: TestWs[], orderId: string, count: number): Promise<number[]> {
  const deadline = Date.now() + 5_000;
  while (sockets.some((socket) => createdFor(socket, orderId) < count) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  await new Promise((resolve) => setTimeout(resolve, 300));
  return sockets.map((socket) => createdFor(socket, orderId));
}

describe('the kitchen sockets looked up ahead of the commit', () => {
  it('announces a placed order once to every kitchen socket, including those the early lookup missed', async () => {
    const token = (await t.loginAs('KITCHEN')).token;
    const sockets = [
      await t.connectWs({ token, channel: 'kitchen' }),
      await t.connectWs({ token, channel: 'kitchen' }),
      await t.connectWs({ token, channel: 'kitchen', station: 'GRILL' }),
    ];
    const table = await t.freshTable('T-6', 'FAMILY');
    const guest = await t.joinTable(table.tableId, table.pin);
    const cart = await t.addToCart(guest, 'Dal Makhani', 1); // a GRILL dish: every socket above shows it
    const placed = await t.orderCart(guest, cart.version);
    expect(await heardEach(sockets, placed.orderId, 1)).toEqual([1, 1, 1]);

    // The same pipeline again, in this process, as if one tablet had connected after the early lookup.
    const order = (await t.collection('digital_menu_customer_orders').findOne({ _id: new ObjectId(placed.orderId) })) as unknown as OrderDoc;
    const kitchen: ConnectionRecord[] = await connectionsOfChannel(order.restaurantId, 'KITCHEN');
    expect(kitchen).toHaveLength(3);
    const event = { type: 'OrderPlaced' as const, order, actor: { kind: 'guest' as const, deviceId: guest.deviceId }, emptiedCartVersion: cart.version + 1 };
    await afterPlacement(Promise.resolve(kitchen.slice(1)))([event]);
    expect(await heardEach(sockets, placed.orderId, 2)).toEqual([2, 2, 2]);

    // An early lookup that failed: the lookup after the commit serves the whole kitchen.
    await afterPlacement(Promise.resolve(undefined))([event]);
    expect(await heardEach(sockets, placed.orderId, 3)).toEqual([3, 3, 3]);

    // It found every socket: the lookup after the commit adds nobody.
    await afterPlacement(Promise.resolve(kitchen))([event]);
    expect(await heardEach(sockets, placed.orderId, 4)).toEqual([4, 4, 4]);
    await Promise.all(sockets.map((socket) => socket.close()));
  });
});
