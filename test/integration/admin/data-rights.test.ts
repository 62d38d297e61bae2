/**
 * Guests' data rights over the local runtime: a manager exports everything held about a phone
 * number, then erases it — the customer document's personal fields and the names and phones on
 * orders and table sessions go, the amounts stay, the audit holds a keyed hash and never the number;
 * and the retention rule anonymises old orders when a day is closed.
 */
import { createHmac, hkdfSync } from 'node:crypto';
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessDayOf } from '../../../functions/core/business-day.ts';
import { ORDERS_COLLECTION, orderDoc } from '../../support/order-docs.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';

let t: TestStack;
let manager: string;

beforeAll(async () => {
  t = await startTestStack();
  manager = (await t.loginAs('MANAGER')).token;
});
afterAll(() => t?.stop());

const PHONE = '9876500001';

describe('a phone number’s data', () => {
  it('is exported whole, then erased keeping the amounts, audited with a keyed hash', async () => {
    const table = await t.freshTable('T-5');
    const guest = await t.joinTable(table.tableId, table.pin);
    await t.identifyVerified(guest, 'Meera Iyer', PHONE);
    const order = await t.orderCart(guest, (await t.addToCart(guest, 'Masala Chai', 2)).version);
    const other = await t.joinTable(table.tableId, table.pin);
    await t.api.post('/api/customers/identify', { name: 'Someone Else', phone: '9876500002' }, { token: other.sessionToken });
    const theirs = await t.orderCart(other, (await t.addToCart(other, 'Masala Chai', 1)).version);

    const exported = await t.api.post('/api/staff/data-rights/export', { phone: PHONE }, { token: manager });
    expect(exported.status).toBe(200);
    expect(exported.body).toMatchObject({ phoneNumber: PHONE, customer: { name: 'Meera Iyer', phoneNumber: PHONE, visitCount: 1 }, tableVisits: [{ tableNumber: 'T-5', names: ['Meera Iyer'] }] });
    expect(exported.body.orders.map((o: { _id: string }) => o._id)).toEqual([order.orderId]);
    expect(exported.body.orders[0]).toMatchObject({ customerName: 'Meera Iyer', customerPhone: PHONE });
    expect(JSON.stringify(exported.body)).not.toContain('9876500002');

    const waiter = (await t.loginAs('WAITER')).token;
    expect((await t.api.post('/api/staff/data-rights/erase', { phone: PHONE }, { token: waiter })).status).toBe(403);
    const erased = await t.api.post('/api/staff/data-rights/erase', { phone: PHONE }, { token: manager });
    expect(erased.status).toBe(200);
    expect(erased.body.erased).toMatchObject({ customers: 1, orders: 1, tableSessions: 1 });

    const orders = t.collection('digital_menu_customer_orders');
    const stored = (await orders.findOne({ _id: new ObjectId(order.orderId) }))!;
    expect(stored.customerName).toBeUndefined();
    expect(stored.customerPhone).toBeUndefined();
    expect(stored.amountsMinor.total).toBe(order.total);
    expect(stored.items[0].quantity).toBe(2);
    expect(await orders.findOne({ _id: new ObjectId(theirs.orderId) })).toMatchObject({ customerName: 'Someone Else', customerPhone: '9876500002' });
    const customer = await t.collection('customers').findOne({ _id: new ObjectId(exported.body.customer._id) });
    expect(customer).toMatchObject({ name: '', favorites: [], loginStatus: 'loggedout', visitCount: 1 });
    expect(customer!.phoneNumber).toBe(`erased-${customer!._id.toHexString()}`);
    const session = await t.collection('table_sessions').findOne({ _id: new ObjectId(table.sessionId) });
    expect(JSON.stringify(session)).not.toMatch(/Meera|9876500001/);
    expect(JSON.stringify(session)).toContain('Someone Else');

    // Nothing anywhere still holds the number or the name.
    for (const name of ['customers', 'digital_menu_customer_orders', 'table_sessions', 'audit_log']) {
      expect(JSON.stringify(await t.collection(name).find({}).toArray()), name).not.toMatch(/9876500001|Meera Iyer/);
    }
    const key = Buffer.from(hkdfSync('sha256', process.env.JWT_SECRET!, 'plato', 'plato data rights phone hash v1', 32));
    const hash = createHmac('sha256', key).update(PHONE).digest('hex');
    const audit = t.collection('audit_log');
    expect(await audit.findOne({ action: 'DATA_EXPORTED' })).toMatchObject({ actor: { username: 'manager' }, details: { phoneHash: hash, orders: 1 } });
    expect(await audit.findOne({ action: 'DATA_ERASED', outcome: 'success' })).toMatchObject({ details: { phoneHash: hash, customers: 1, orders: 1 } });

    // Erasing again: nothing is held any more.
    expect((await t.api.post('/api/staff/data-rights/erase', { phone: PHONE }, { token: manager })).status).toBe(404);
    expect((await t.api.post('/api/staff/data-rights/export', { phone: '98765' }, { token: manager })).status).toBe(400);
  });

  it('names and phones on orders older than the retention period (365 days) are anonymised when a day is closed', async () => {
    const orders = t.collection(ORDERS_COLLECTION);
    const old = orderDoc({ idempotencyKey: 'retention-old', customerName: 'Old Guest', customerPhone: '9111111111', orderDate: new Date(Date.now() - 366 * 86_400_000), amountsMinor: { subtotal: 100, tax: 5, total: 105 } });
    const recent = orderDoc({ ...old, _id: new ObjectId(), idempotencyKey: 'retention-recent', customerName: 'Recent Guest', orderDate: new Date(Date.now() - 364 * 86_400_000) });
    await orders.insertMany([old, recent]);
    const day = businessDayOf(new Date(Date.now() - 2 * 86_400_000), 'Asia/Kolkata', '04:00');
    expect((await t.api.post('/api/staff/reports/day-close', { date: day }, { token: manager })).status).toBe(201);
    const after = await orders.findOne({ _id: old._id });
    expect(after).toMatchObject({ amountsMinor: { total: 105 } });
    expect(after!.customerName).toBeUndefined();
    expect(after!.customerPhone).toBeUndefined();
    expect(await orders.findOne({ _id: recent._id })).toMatchObject({ customerName: 'Recent Guest', customerPhone: '9111111111' });
    expect(await t.collection('audit_log').findOne({ action: 'DAY_CLOSED', 'details.day': day })).toMatchObject({ details: { anonymisedOrders: 1 } });
  });
});
