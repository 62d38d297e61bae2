/**
 * Waiter approval (restaurant setting orderApproval: waiter) and manager cancellation, over the
 * local runtime: pending orders wait on the staff console, reach the kitchen only when confirmed,
 * and a rejection sends the reason to the guests and the dishes back to their cart.
 */
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.ts';

let t: TestStack;

beforeAll(async () => {
  t = await startTestStack({ env: { ORDER_APPROVAL: 'waiter' } });
});
afterAll(() => t?.stop());

const staffPost = async (role: 'WAITER' | 'MANAGER' | 'KITCHEN', path: string, body?: unknown) =>
  t.api.post(path, body, { token: (await t.loginAs(role)).token });

describe('orderApproval: waiter', () => {
  it('keeps a new order pending on the staff console and sends it to the kitchen only on confirm', async () => {
    const table = await t.freshTable('T-2', 'FAMILY');
    const guest = await t.joinTable(table.tableId, table.pin);
    const phone = await t.connectWs({ token: guest.sessionToken });
    const kitchen = await t.connectWs({ token: (await t.loginAs('KITCHEN')).token, channel: 'kitchen' });
    const console_ = await t.connectWs({ token: (await t.loginAs('WAITER')).token, channel: 'staff' });

    const cart = await t.addToCart(guest, 'Chicken Tikka', 2, { modifierOptionIds: ['full'], spiceLevel: 'more-spicy' });
    const order = await t.orderCart(guest, cart.version);
    expect(order.status).toBe('pending');
    const pending = await console_.waitFor((m) => m.type === 'order.pending' && m.order.orderId === order.orderId);
    expect(pending.order).toMatchObject({ status: 'pending', tableNumber: 'T-2', sessionId: table.sessionId, total: order.total });

    const { token: waiter } = await t.loginAs('WAITER');
    const listed = await t.api.get('/api/staff/orders', { token: waiter });
    expect(listed.status).toBe(200);
    expect(listed.body.orders[0]).toMatchObject({ orderId: order.orderId, status: 'pending' });
    const board = await t.api.get('/api/kitchen/orders', { token: (await t.loginAs('KITCHEN')).token });
    expect(board.body.orders.some((o: { orderId: string }) => o.orderId === order.orderId)).toBe(false);
    expect(kitchen.messages.some((m) => m.type === 'order.created' && m.ticket.orderId === order.orderId)).toBe(false);

    // The kitchen cannot move a pending order's items.
    const early = await t.api.request('PATCH', `/api/kitchen/orders/${order.orderId}/items/0`, { status: 'COOKING' }, { token: (await t.loginAs('KITCHEN')).token });
    expect(early.status).toBe(409);

    expect((await staffPost('KITCHEN', `/api/staff/orders/${order.orderId}/confirm`)).status).toBe(403);
    const confirmed = await staffPost('WAITER', `/api/staff/orders/${order.orderId}/confirm`);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.order).toMatchObject({ orderId: order.orderId, status: 'confirmed', confirmedAt: expect.any(String) });

    const created = await kitchen.waitFor((m) => m.type === 'order.created' && m.ticket.orderId === order.orderId);
    expect(created.ticket.items).toEqual([expect.objectContaining({ name: 'Chicken Tikka', quantity: 2, modifiers: ['Full'], spiceLevel: 'more-spicy' })]);
    expect(JSON.stringify(created)).not.toMatch(/price|total|tax|customer/);
    await phone.waitFor((m) => m.type === 'order.updated' && m.order.orderId === order.orderId && m.order.status === 'confirmed');

    const twice = await staffPost('WAITER', `/api/staff/orders/${order.orderId}/confirm`);
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('STATUS_CONFLICT');
    expect(await t.collection('audit_log').countDocuments({ action: 'ORDER_CONFIRMED', orderId: new ObjectId(order.orderId) })).toBe(1);
  });

  it('a rejection shows the reason to the table live and puts the dishes back in their cart', async () => {
    const table = await t.freshTable('T-3', 'FAMILY');
    const [a, b] = [await t.joinTable(table.tableId, table.pin), await t.joinTable(table.tableId, table.pin)];
    const phoneB = await t.connectWs({ token: b.sessionToken });
    await t.addToCart(a, 'Butter Chicken', 1, { modifierOptionIds: ['extra-gravy', 'cream'], notes: 'no coriander' });
    const cart = await t.addToCart(b, 'Butter Naan', 4, { modifierOptionIds: ['garlic'] });
    const ordered = cart.lines;
    const order = await t.orderCart(a, cart.version);

    const noReason = await staffPost('WAITER', `/api/staff/orders/${order.orderId}/reject`, {});
    expect(noReason.status).toBe(400);
    const rejected = await staffPost('WAITER', `/api/staff/orders/${order.orderId}/reject`, { reason: 'Kitchen closes in 5 minutes' });
    expect(rejected.status).toBe(200);
    expect(rejected.body.order).toMatchObject({ status: 'cancelled', rejectionReason: 'Kitchen closes in 5 minutes' });
    expect(rejected.body.cartVersion).toBe(cart.version + 2);

    const seen = await phoneB.waitFor((m) => m.type === 'order.updated' && m.order.orderId === order.orderId && m.order.status === 'cancelled');
    expect(seen.order.rejectionReason).toBe('Kitchen closes in 5 minutes');
    const back = await phoneB.waitFor((m) => m.type === 'cart.updated' && m.cart.version === cart.version + 2);
    const strip = (lines: typeof ordered) =>
      lines.map(({ name, quantity, unitPrice, modifiers, notes, spiceLevel, addedByDeviceId }) => ({ name, quantity, unitPrice, modifiers, notes, spiceLevel, addedByDeviceId }));
    expect(strip(back.cart.lines)).toEqual(strip(ordered));
    expect(back.cart.total).toBe(order.total);

    // The table can order them again from the restored cart.
    const again = await t.orderCart(b, cart.version + 2);
    expect(again.total).toBe(order.total);

    const late = await staffPost('WAITER', `/api/staff/orders/${order.orderId}/reject`, { reason: 'again' });
    expect(late.status).toBe(409);
    expect(await t.collection('audit_log').countDocuments({ action: 'ORDER_REJECTED', orderId: new ObjectId(order.orderId) })).toBe(1);
  });

  it('only a manager cancels; the ticket leaves the kitchen and the guests see it cancelled', async () => {
    const table = await t.freshTable('T-4', 'INDIVIDUAL');
    const guest = await t.joinTable(table.tableId, table.pin);
    const phone = await t.connectWs({ token: guest.sessionToken });
    const kitchen = await t.connectWs({ token: (await t.loginAs('KITCHEN')).token, channel: 'kitchen' });
    const cart = await t.addToCart(guest, 'Seekh Kebab', 2);
    const order = await t.orderCart(guest, cart.version);
    expect((await staffPost('WAITER', `/api/staff/orders/${order.orderId}/confirm`)).status).toBe(200);
    await kitchen.waitFor((m) => m.type === 'order.created' && m.ticket.orderId === order.orderId);

    const byWaiter = await staffPost('WAITER', `/api/staff/orders/${order.orderId}/cancel`, { reason: 'guest left' });
    expect(byWaiter.status).toBe(403);
    const cancelled = await staffPost('MANAGER', `/api/staff/orders/${order.orderId}/cancel`, { reason: 'guest left' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.order).toMatchObject({ status: 'cancelled', items: [expect.objectContaining({ itemStatus: 'CANCELLED' })] });

    await kitchen.waitFor((m) => m.type === 'kitchen.ticket_removed' && m.orderId === order.orderId && m.reason === 'cancelled');
    await phone.waitFor((m) => m.type === 'order.updated' && m.order.orderId === order.orderId && m.order.status === 'cancelled');
    const bill = await t.api.get('/api/bill', { token: guest.sessionToken });
    expect(bill.body).toMatchObject({ orders: [], total: 0, due: 0 });

    const twice = await staffPost('MANAGER', `/api/staff/orders/${order.orderId}/cancel`);
    expect(twice.status).toBe(409);
    expect(await t.collection('audit_log').countDocuments({ action: 'ORDER_CANCELLED', orderId: new ObjectId(order.orderId) })).toBe(1);
    const missing = await staffPost('MANAGER', `/api/staff/orders/${new ObjectId().toHexString()}/cancel`);
    expect(missing.status).toBe(404);
  });
});
