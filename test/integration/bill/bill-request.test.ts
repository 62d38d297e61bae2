/**
 * Asking for the bill: the guests' POST /api/bill/request reaches the staff consoles at once, shows
 * on the floor until a payment is recorded, and tells the table's other phones (FAMILY) — never
 * another phone's bill in INDIVIDUAL mode. And the bill lists every phone at the table, including
 * those that ordered nothing (they can still share a dish).
 */
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type JoinedGuest, type TestStack } from '../../support/stack.ts';
import type { TestWs } from '../../support/ws.ts';

let t: TestStack;
let waiter: string;
let floor: TestWs;

beforeAll(async () => {
  t = await startTestStack();
  waiter = (await t.loginAs('WAITER')).token;
  floor = await t.connectWs({ token: waiter, channel: 'staff' });
});
afterAll(() => t?.stop());

const ask = (guest: JoinedGuest, body: unknown = {}) => t.api.post('/api/bill/request', body, { token: guest.sessionToken });
const billOf = async (guest: JoinedGuest) => (await t.api.get('/api/bill', { token: guest.sessionToken })).body;
const floorSession = async (tableId: string) =>
  ((await t.api.get('/api/staff/tables', { token: waiter })).body.tables as { tableId: string; session: any }[]).find((table) => table.tableId === tableId)!.session;
const billRequests = (socket: TestWs) => socket.messages.filter((m) => m.type === 'bill.requested');

describe('asking for the bill (FAMILY)', () => {
  it('is refused while nothing is due, and changes nothing', async () => {
    const table = await t.freshTable('T-2', 'FAMILY');
    const guest = await t.joinTable(table.tableId, table.pin);
    const refused = await ask(guest);
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('UNPROCESSABLE');
    expect((await floorSession(table.tableId)).billRequest).toBeUndefined();
  });

  it('tells the staff and the other phones once, shows on the floor, and is answered by the payment', async () => {
    const table = await t.freshTable('T-3', 'FAMILY');
    const [a, b] = [await t.joinTable(table.tableId, table.pin), await t.joinTable(table.tableId, table.pin)];
    await t.api.post('/api/customers/identify', { name: 'Meera', phone: '9811100022' }, { token: a.sessionToken });
    const bSocket = await t.connectWs({ token: b.sessionToken });
    const order = await t.orderCart(a, (await t.addToCart(a, 'Masala Chai', 2)).version);
    const staffBefore = billRequests(floor).length;

    const asked = await ask(a, { method: 'UPI' });
    expect(asked.status).toBe(200);
    expect(asked.body).toEqual({ requestedAt: expect.any(String), method: 'UPI', alreadyRequested: false });

    const toStaff = await floor.waitFor((m) => m.type === 'bill.requested' && m.sessionId === table.sessionId);
    expect(toStaff).toMatchObject({ tableId: table.tableId, tableNumber: 'T-3', method: 'UPI', customerName: 'Meera', due: order.total, requestedAt: asked.body.requestedAt });
    const toTable = await bSocket.waitFor((m) => m.type === 'bill.requested');
    expect(toTable).toEqual({ type: 'bill.requested', requestedAt: asked.body.requestedAt, method: 'UPI', alreadyRequested: false });

    expect((await floorSession(table.tableId)).billRequest).toEqual({ at: asked.body.requestedAt, customerName: 'Meera', method: 'UPI' });
    expect(await billOf(b)).toMatchObject({ requestedAt: asked.body.requestedAt, requestedMethod: 'UPI' });
    const entry = await t.collection('audit_log').findOne({ action: 'BILL_REQUESTED', sessionId: new ObjectId(table.sessionId) });
    expect(entry).toMatchObject({ outcome: 'success', actor: { kind: 'guest', deviceId: a.deviceId }, details: { due: order.total, method: 'UPI' } });

    // B taps too, a moment later: the same request, nobody told again.
    const again = await ask(b, { method: 'CASH' });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ requestedAt: asked.body.requestedAt, method: 'UPI', alreadyRequested: true });

    // The waiter takes the payment: the request is answered.
    const paid = await t.api.post(`/api/staff/sessions/${table.sessionId}/payment`, { method: 'UPI', status: 'paid' }, { token: waiter });
    expect(paid.status).toBe(200);
    await floor.waitFor((m) => m.type === 'table.updated' && m.sessionId === table.sessionId);
    expect(billRequests(floor).length - staffBefore).toBe(1);
    expect((await floorSession(table.tableId)).billRequest).toBeUndefined();
    expect((await billOf(a)).requestedAt).toBeUndefined();
  });

  it('lists every phone at the table, including one that ordered nothing, with the names guests gave', async () => {
    const table = await t.freshTable('T-4', 'FAMILY');
    const [a, b, c] = [await t.joinTable(table.tableId, table.pin), await t.joinTable(table.tableId, table.pin), await t.joinTable(table.tableId, table.pin)];
    await t.api.post('/api/customers/identify', { name: 'Kabir', phone: '9811100033' }, { token: c.sessionToken });
    await t.addToCart(b, 'Mango Lassi');
    await t.orderCart(a, (await t.addToCart(a, 'Masala Chai')).version);
    const bill = await billOf(a);
    expect(bill.phones).toEqual([{ deviceId: a.deviceId }, { deviceId: b.deviceId }, { deviceId: c.deviceId, name: 'Kabir' }]);
    // Kabir ordered nothing but shares B's lassi: the by-dish split accepts him.
    const lassi = bill.orders[0].items.findIndex((item: { menuItemName: string }) => item.menuItemName === 'Mango Lassi');
    const split = await t.api.get(`/api/bill/split?by=item&shares=${bill.orders[0].orderId}:${lassi}:${b.deviceId},${c.deviceId}`, { token: a.sessionToken });
    expect(split.status).toBe(200);
    expect(split.body.shares.find((share: { deviceId: string }) => share.deviceId === c.deviceId)).toMatchObject({ name: 'Kabir' });
  });

  it('refuses a method it does not know and any other field', async () => {
    const table = await t.freshTable('T-5', 'FAMILY');
    const guest = await t.joinTable(table.tableId, table.pin);
    await t.orderCart(guest, (await t.addToCart(guest, 'Masala Chai')).version);
    for (const body of [{ method: 'BITCOIN' }, { method: 'CASH', tip: 100 }]) {
      const response = await ask(guest, body);
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect((await floorSession(table.tableId)).billRequest).toBeUndefined();
  });
});

describe('asking for the bill (INDIVIDUAL)', () => {
  it("is this phone's: the other phone's bill and socket know nothing of it", async () => {
    const table = await t.freshTable('T-6', 'INDIVIDUAL');
    const [x, y] = [await t.joinTable(table.tableId, table.pin), await t.joinTable(table.tableId, table.pin)];
    const ySocket = await t.connectWs({ token: y.sessionToken });
    const xSocket = await t.connectWs({ token: x.sessionToken });
    await t.orderCart(x, (await t.addToCart(x, 'Masala Chai')).version);
    await t.orderCart(y, (await t.addToCart(y, 'Mango Lassi')).version);

    const asked = await ask(x);
    expect(asked.status).toBe(200);
    await xSocket.waitFor((m) => m.type === 'bill.requested');
    expect((await billOf(x)).requestedAt).toBe(asked.body.requestedAt);
    expect((await billOf(y)).requestedAt).toBeUndefined();
    expect((await billOf(y)).phones).toEqual([{ deviceId: y.deviceId }]);
    // Y's next push arrives after anything sent to it for X's request.
    await t.addToCart(y, 'Masala Chai');
    await ySocket.waitFor((m) => m.type === 'cart.updated');
    expect(billRequests(ySocket)).toEqual([]);
  });
});
