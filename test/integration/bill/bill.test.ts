/**
 * Bill, split and payment over the local runtime. Amounts are checked against the menu prices and
 * the documented rules (tax rounded half up on each order's subtotal; split remainders to the
 * earliest shares / largest fractions), never against the service's own output alone.
 */
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guestCode } from '../../../functions/core/guest-name.ts';
import { startTestStack, type JoinedGuest, type TestStack } from '../../support/stack.ts';

let t: TestStack;

beforeAll(async () => {
  t = await startTestStack();
});
afterAll(() => t?.stop());

const taxOf = (subtotal: number) => Math.floor((subtotal * 500 + 5000) / 10000);
const get = (guest: JoinedGuest, path: string) => t.api.get(path, { token: guest.sessionToken });
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe('the bill (FAMILY)', () => {
  let table: Awaited<ReturnType<TestStack['freshTable']>>;
  let a: JoinedGuest;
  let b: JoinedGuest;
  let first: Awaited<ReturnType<TestStack['orderCart']>>;
  let second: Awaited<ReturnType<TestStack['orderCart']>>;

  beforeAll(async () => {
    table = await t.freshTable('T-2', 'FAMILY');
    [a, b] = [await t.joinTable(table.tableId, table.pin), await t.joinTable(table.tableId, table.pin)];
    await t.api.post('/api/customers/identify', { name: 'Anita', phone: '9811122233' }, { token: a.sessionToken });
    await t.addToCart(a, 'Lamb Rogan Josh');
    const v1 = await t.addToCart(b, 'Masala Chai', 3);
    first = await t.orderCart(a, v1.version);
    const v2 = await t.addToCart(b, 'Gulab Jamun', 2);
    second = await t.orderCart(b, v2.version);
  });

  it('covers the whole table: orders, totals, paid and due, with a UPI link and QR code', async () => {
    const bill = await get(b, '/api/bill');
    expect(bill.status).toBe(200);
    const subtotal1 = (await t.dish('Lamb Rogan Josh')).price + (await t.dish('Masala Chai')).price * 3;
    const subtotal2 = (await t.dish('Gulab Jamun')).price * 2;
    const total = subtotal1 + taxOf(subtotal1) + subtotal2 + taxOf(subtotal2);
    expect(bill.body).toMatchObject({
      subtotal: subtotal1 + subtotal2,
      tax: taxOf(subtotal1) + taxOf(subtotal2),
      total,
      paid: 0,
      due: total,
      currency: 'INR',
      reference: `T-2 bill ${first.orderNumber},${second.orderNumber}`,
    });
    expect(bill.body.orders.map((o: { orderId: string }) => o.orderId)).toEqual([first.orderId, second.orderId]);
    const link = new URL(bill.body.upi.link);
    expect(link.protocol).toBe('upi:');
    expect(Object.fromEntries(link.searchParams)).toEqual({
      pa: 'plato.demo@upi',
      pn: 'Plato Demo Kitchen',
      am: `${Math.floor(total / 100)}.${String(total % 100).padStart(2, '0')}`,
      cu: 'INR',
      tn: bill.body.reference,
    });
    expect(bill.body.upi.qrSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    // Both phones see the same bill.
    expect((await get(a, '/api/bill')).body.total).toBe(total);
  });

  it('splits equally: shares sum to the due amount, the first `due mod n` one paisa more', async () => {
    const { due } = (await get(a, '/api/bill')).body;
    for (const n of [2, 3, 7, 20]) {
      const split = await get(a, `/api/bill/split?by=equal&n=${n}`);
      expect(split.status).toBe(200);
      expect(split.body.total).toBe(due);
      const amounts = split.body.shares.map((s: { amount: number }) => s.amount);
      expect(amounts).toHaveLength(n);
      expect(sum(amounts)).toBe(due);
      const base = Math.floor(due / n);
      expect(amounts).toEqual(Array.from({ length: n }, (_, i) => base + (i < due % n ? 1 : 0)));
      expect(split.body.shares[0].upi.link).toContain(`am=${Math.floor(amounts[0] / 100)}.${String(amounts[0] % 100).padStart(2, '0')}`);
    }
  });

  it('splits by device (who added what) and by item (a dish shared between phones)', async () => {
    const { due } = (await get(a, '/api/bill')).body;
    const byDevice = await get(b, '/api/bill/split?by=device');
    expect(byDevice.status).toBe(200);
    const shares = byDevice.body.shares as { deviceId: string; amount: number; label: string; name?: string; isYou?: boolean }[];
    expect(sum(shares.map((s) => s.amount))).toBe(due);
    const weightA = (await t.dish('Lamb Rogan Josh')).price;
    const weightB = (await t.dish('Masala Chai')).price * 3 + (await t.dish('Gulab Jamun')).price * 2;
    const shareA = shares.find((s) => s.deviceId === a.deviceId)!;
    const shareB = shares.find((s) => s.deviceId === b.deviceId)!;
    expect(shareA).toMatchObject({ label: 'Anita', name: 'Anita' });
    // One name per anonymous guest (core/guest-name.ts): "Guest" and the phone's code, as on the staff console.
    expect(shareB).toMatchObject({ label: `Guest ${guestCode(b.deviceId)}`, isYou: true });
    expect(shareB.label).toMatch(/^Guest [A-Z0-9]{4}$/);
    expect(Math.abs(shareA.amount - (due * weightA) / (weightA + weightB))).toBeLessThan(1);

    // The rogan josh shared between A and B: B now pays half of it too.
    const lamb = `${first.orderId}:0:${a.deviceId},${b.deviceId}`;
    const byItem = await get(b, `/api/bill/split?by=item&shares=${encodeURIComponent(lamb)}`);
    expect(byItem.status).toBe(200);
    const itemShares = byItem.body.shares as { deviceId: string; amount: number }[];
    expect(sum(itemShares.map((s) => s.amount))).toBe(due);
    const halfA = Math.ceil(weightA / 2);
    const itemA = itemShares.find((s) => s.deviceId === a.deviceId)!.amount;
    expect(Math.abs(itemA - (due * halfA) / (weightA + weightB))).toBeLessThan(1);
  });

  it('refuses impossible splits with 400', async () => {
    for (const query of [
      'by=equal&n=1',
      'by=equal&n=21',
      'by=equal',
      'by=thirds',
      'by=device&n=2',
      'by=item',
      'by=item&shares=nonsense',
      `by=item&shares=${first.orderId}:0:`,
      `by=item&shares=${new ObjectId().toHexString()}:0:${a.deviceId}`,
      `by=item&shares=${first.orderId}:9:${a.deviceId}`,
    ]) {
      const response = await get(a, `/api/bill/split?${query}`);
      expect(response.status, query).toBe(400);
      expect(response.body.error.code, query).toBe('VALIDATION_FAILED');
    }
  });

  it('records payments: the bill updates live for the guests and the staff console hears table.updated', async () => {
    const phone = await t.connectWs({ token: a.sessionToken });
    const staffConsole = await t.connectWs({ token: (await t.loginAs('WAITER')).token, channel: 'staff' });
    const kitchenToken = (await t.loginAs('KITCHEN')).token;
    const waiterToken = (await t.loginAs('WAITER')).token;

    const forbidden = await t.api.post(`/api/staff/orders/${first.orderId}/payment`, { method: 'CASH', status: 'paid' }, { token: kitchenToken });
    expect(forbidden.status).toBe(403);
    const invalid = await t.api.post(`/api/staff/orders/${first.orderId}/payment`, { method: 'BITCOIN', status: 'paid' }, { token: waiterToken });
    expect(invalid.status).toBe(400);
    const byGuest = await t.api.post(`/api/staff/orders/${first.orderId}/payment`, { method: 'CASH', status: 'paid' }, { token: a.sessionToken });
    expect(byGuest.status).toBe(403);

    const failed = await t.api.post(`/api/staff/orders/${first.orderId}/payment`, { method: 'CARD', status: 'failed' }, { token: waiterToken });
    expect(failed.status).toBe(200);
    expect(failed.body.order).toMatchObject({ paymentStatus: 'failed', paymentMethod: 'CARD' });
    const paid = await t.api.post(`/api/staff/orders/${first.orderId}/payment`, { method: 'UPI', status: 'paid' }, { token: waiterToken });
    expect(paid.status).toBe(200);
    expect(paid.body.order).toMatchObject({ paymentStatus: 'paid', paymentMethod: 'UPI' });
    await phone.waitFor((m) => m.type === 'order.updated' && m.order.orderId === first.orderId && m.order.paymentStatus === 'paid');
    await staffConsole.waitFor((m) => m.type === 'table.updated' && m.sessionId === table.sessionId);

    const bill = (await get(b, '/api/bill')).body;
    expect(bill.paid).toBe(first.total);
    expect(bill.due).toBe(second.total);
    expect(new URL(bill.upi.link).searchParams.get('tn')).toBe(`T-2 bill ${second.orderNumber}`);
    // The split now covers only what is due.
    const split = (await get(b, '/api/bill/split?by=equal&n=2')).body;
    expect(split.total).toBe(second.total);

    const again = await t.api.post(`/api/staff/orders/${first.orderId}/payment`, { method: 'CASH', status: 'paid' }, { token: waiterToken });
    expect(again.status).toBe(409);

    // The staff view of the session's bill, then the rest paid at once.
    const staffBill = await t.api.get(`/api/staff/sessions/${table.sessionId}/bill`, { token: waiterToken });
    expect(staffBill.status).toBe(200);
    expect(staffBill.body).toMatchObject({ sessionId: table.sessionId, tableNumber: 'T-2', mode: 'FAMILY', paid: first.total, due: second.total });
    expect(sum(staffBill.body.devices.map((d: { amount: number }) => d.amount))).toBe(second.total);

    const rest = await t.api.post(`/api/staff/sessions/${table.sessionId}/payment`, { method: 'CASH', status: 'paid' }, { token: waiterToken });
    expect(rest.status).toBe(200);
    expect(rest.body).toMatchObject({ amount: second.total, orders: [expect.objectContaining({ orderId: second.orderId, paymentStatus: 'paid', paymentMethod: 'CASH' })] });
    const settled = (await get(a, '/api/bill')).body;
    expect(settled).toMatchObject({ paid: settled.total, due: 0 });
    expect(settled.upi).toBeUndefined();
    const nothing = await t.api.post(`/api/staff/sessions/${table.sessionId}/payment`, { method: 'CASH', status: 'paid' }, { token: waiterToken });
    expect(nothing.status).toBe(409);

    const audits = await t.collection('audit_log').find({ action: 'PAYMENT_RECORDED', sessionId: new ObjectId(table.sessionId) }).toArray();
    expect(audits.map((entry) => [entry.outcome, entry.details?.method, entry.actor.username])).toEqual([
      ['failure', 'CARD', 'waiter'],
      ['success', 'UPI', 'waiter'],
      ['success', 'CASH', 'waiter'],
    ]);

    // Fully paid: a waiter may close the table.
    await t.closeTable(table.sessionId);
  });
});

describe('the bill (INDIVIDUAL)', () => {
  it("is the device's own; another session's staff bill is 404", async () => {
    const table = await t.freshTable('T-3', 'INDIVIDUAL');
    const [a, b] = [await t.joinTable(table.tableId, table.pin), await t.joinTable(table.tableId, table.pin)];
    const mine = await t.orderCart(a, (await t.addToCart(a, 'Dal Makhani')).version);
    await t.orderCart(b, (await t.addToCart(b, 'Mango Lassi', 2)).version);
    const bill = (await get(a, '/api/bill')).body;
    expect(bill.orders.map((o: { orderId: string }) => o.orderId)).toEqual([mine.orderId]);
    expect(bill.total).toBe(mine.total);
    const split = (await get(a, '/api/bill/split?by=device')).body;
    expect(split.shares).toEqual([expect.objectContaining({ deviceId: a.deviceId, amount: mine.total, isYou: true })]);

    const staffBill = await t.api.get(`/api/staff/sessions/${table.sessionId}/bill`, { token: (await t.loginAs('WAITER')).token });
    expect(staffBill.body.orders).toHaveLength(2);
    const missing = await t.api.get(`/api/staff/sessions/${new ObjectId().toHexString()}/bill`, { token: (await t.loginAs('WAITER')).token });
    expect(missing.status).toBe(404);
  });
});
