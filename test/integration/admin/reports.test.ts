/**
 * Managers' reports over the local runtime: the day's summary, item mix, hours and table turns of
 * real orders placed, paid and cancelled through the API; the business day's edges in the
 * restaurant's time zone (04:00 IST); CSV exports with the POS's column names in rupees; closing
 * the day (totals equal to the orders', audited; twice is 409; reopening is ADMIN's, audited).
 */
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessDayOf } from '../../../functions/core/business-day.ts';
import { ORDERS_COLLECTION, orderDoc, orderLine } from '../../support/order-docs.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';

let t: TestStack;
let manager: string;
const today = () => businessDayOf(new Date(), 'Asia/Kolkata', '04:00');

beforeAll(async () => {
  t = await startTestStack();
  manager = (await t.loginAs('MANAGER')).token;
});
afterAll(() => t?.stop());

const report = (name: string, query = '') => t.api.get(`/api/staff/reports/${name}${query}`, { token: manager });

/** A CSV export, read as text (the test client parses JSON). */
async function exported(path: string): Promise<{ status: number; headers: Headers; text: string }> {
  const response = await fetch(new URL(path, t.baseUrl), { headers: { authorization: `Bearer ${manager}` } });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

interface Placed {
  orderId: string;
  total: number;
  subtotal: number;
  tax: number;
}

/** A table with two phones: three orders, one paid by UPI, one by cash, one cancelled. */
async function service(tableNumber: string): Promise<{ placed: Placed[]; sessionId: string }> {
  const table = await t.freshTable(tableNumber);
  const a = await t.joinTable(table.tableId, table.pin);
  const b = await t.joinTable(table.tableId, table.pin);
  await t.api.post('/api/customers/identify', { name: 'Asha', phone: '9000000001' }, { token: a.sessionToken });
  const first = await t.orderCart(a, (await t.addToCart(a, 'Dal Makhani', 2)).version);
  const second = await t.orderCart(b, (await t.addToCart(b, 'Masala Chai', 3)).version);
  const third = await t.orderCart(a, (await t.addToCart(a, 'Gulab Jamun', 1)).version);
  expect((await t.api.post(`/api/staff/orders/${first.orderId}/payment`, { method: 'UPI', status: 'paid' }, { token: manager })).status).toBe(200);
  expect((await t.api.post(`/api/staff/orders/${second.orderId}/payment`, { method: 'CASH', status: 'paid' }, { token: manager })).status).toBe(200);
  expect((await t.api.post(`/api/staff/orders/${third.orderId}/cancel`, {}, { token: manager })).status).toBe(200);
  return { placed: [first, second, third], sessionId: table.sessionId };
}

describe('the day’s reports', () => {
  it('the summary, item mix and hours add up to the orders placed, paid and cancelled', async () => {
    const before = (await report('summary')).body.totals;
    const { placed } = await service('T-2');
    const [upi, cash, cancelled] = placed;
    const summary = await report('summary');
    expect(summary.status).toBe(200);
    expect(summary.body).toMatchObject({ day: today(), timeZone: 'Asia/Kolkata', dayStart: '04:00', currency: 'INR', close: null });
    const totals = summary.body.totals;
    expect(totals.orders - before.orders).toBe(2);
    expect(totals.cancelled - before.cancelled).toBe(1);
    expect(totals.cancelledValue - before.cancelledValue).toBe(cancelled.total);
    expect(totals.gross - before.gross).toBe(upi.total + cash.total);
    expect(totals.tax - before.tax).toBe(upi.tax + cash.tax);
    expect(totals.net).toBe(totals.gross - totals.tax);
    expect(totals.averageOrderValue).toBe(Math.round(totals.gross / totals.orders));
    const paidBy = (body: typeof totals, method: string) => body.byMethod.find((row: { method: string }) => row.method === method)?.amount ?? 0;
    expect(paidBy(totals, 'UPI') - paidBy(before, 'UPI')).toBe(upi.total);
    expect(paidBy(totals, 'CASH') - paidBy(before, 'CASH')).toBe(cash.total);

    const items = (await report('items')).body;
    const chai = items.dishes.find((row: { name: string }) => row.name === 'Masala Chai');
    expect(chai).toMatchObject({ category: expect.any(String), quantity: expect.any(Number) });
    expect(items.dishes.some((row: { name: string; quantity: number }) => row.name === 'Gulab Jamun' && row.quantity > 0)).toBe(false); // only on the cancelled order
    expect(items.categories.reduce((sum: number, row: { revenue: number }) => sum + row.revenue, 0)).toBe(totals.net);

    const hours = (await report('hours')).body.hours;
    expect(hours).toHaveLength(24);
    expect(hours[0].hour).toBe(4);
    expect(hours.reduce((sum: number, row: { orders: number }) => sum + row.orders, 0)).toBe(totals.orders);
    expect(hours.reduce((sum: number, row: { revenue: number }) => sum + row.revenue, 0)).toBe(totals.gross);
  });

  it('a business day runs from 04:00 to 04:00 in the restaurant’s time zone, and only this restaurant’s orders count', async () => {
    const orders = t.collection(ORDERS_COLLECTION);
    const sessionId = new ObjectId();
    const items = [orderLine({ menuItemId: 'x', menuItemName: 'Fixture', price: 1, total: 1, priceMinor: 100, totalMinor: 100, itemStatus: 'SERVED', addedByDeviceId: 'd' })];
    // 2025-03-10 04:00 IST is 2025-03-09T22:30Z; the day ends 2025-03-10T22:30Z.
    const at = (iso: string, restaurantId = 'demo') => orderDoc({ restaurantId, sessionId, items, status: 'completed', paymentStatus: 'paid', paymentMethod: 'CARD', orderDate: new Date(iso) });
    await orders.insertMany([at('2025-03-09T22:29:59.999Z'), at('2025-03-09T22:30:00.000Z'), at('2025-03-10T22:29:59.999Z'), at('2025-03-10T22:30:00.000Z'), at('2025-03-10T12:00:00Z', 'other')]);
    const summary = await report('summary', '?date=2025-03-10');
    expect(summary.body).toMatchObject({ from: '2025-03-09T22:30:00.000Z', to: '2025-03-10T22:30:00.000Z' });
    expect(summary.body.totals).toMatchObject({ orders: 2, gross: 210, tax: 10, net: 200, byMethod: [{ method: 'CARD', orders: 2, amount: 210 }] });
    const hours = (await report('hours', '?date=2025-03-10')).body.hours;
    expect(hours.find((row: { hour: number }) => row.hour === 4)).toMatchObject({ orders: 1 });
    expect(hours.find((row: { hour: number }) => row.hour === 3)).toMatchObject({ orders: 1 });
  });

  it('refuses a day that is not a date or has not started, with 4xx', async () => {
    expect((await report('summary', '?date=2025-02-30')).body.error.code).toBe('VALIDATION_FAILED');
    expect((await report('summary', '?date=2999-01-01')).status).toBe(422);
    expect((await report('nope')).status).toBe(400);
    expect((await t.api.get('/api/staff/reports/summary', { token: (await t.loginAs('WAITER')).token })).status).toBe(403);
  });
});

describe('CSV exports', () => {
  it('the day’s orders with the POS’s column names, money in rupees to the paisa, no phone numbers', async () => {
    const response = await exported('/api/staff/reports/orders?date=2025-03-10&format=csv');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="plato-orders-2025-03-10.csv"');
    const lines = response.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('_id,orderNumber,orderDate,tableNumber,floorNumber,customerName,status,paymentStatus,paymentMethod,items.menuItemId,items.menuItemName,items.quantity,items.price,items.total,items.spiceLevel,items.notes,subtotal,tax,total');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/,Fixture,1,1\.00,1\.00,,,1\.00,0\.05,1\.05$/);

    for (const name of ['summary', 'items', 'hours', 'tables']) {
      const csv = await exported(`/api/staff/reports/${name}?format=csv`);
      expect(csv.status, name).toBe(200);
      expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
      expect(csv.text).not.toMatch(/9000000001/);
    }
    const summary = (await exported('/api/staff/reports/summary?date=2025-03-10&format=csv')).text;
    expect(summary).toContain('gross,2.10\r\n');
    expect(summary).toContain('paid.CARD,2.10\r\n');
  });
});

describe('closing the day', () => {
  it('records totals equal to the orders’, audited; a second close is 409; only an ADMIN reopens, audited; then it closes again', async () => {
    const day = today();
    await service('T-3');
    // The totals, computed here from the day's stored orders (none has a cancelled dish: billed = stored).
    const all = await t.collection('digital_menu_customer_orders').find({ restaurantId: 'demo' }).toArray();
    const ofDay = all.filter((order) => businessDayOf(order.orderDate, 'Asia/Kolkata', '04:00') === day && order.status !== 'cancelled');
    const gross = ofDay.reduce((sum, order) => sum + order.amountsMinor.total, 0);
    const tax = ofDay.reduce((sum, order) => sum + order.amountsMinor.tax, 0);

    const closed = await t.api.post('/api/staff/reports/day-close', { date: day }, { token: manager });
    expect(closed.status).toBe(201);
    expect(closed.body).toMatchObject({ day, status: 'closed', closedBy: 'manager', totals: { orders: ofDay.length, gross, tax, net: gross - tax } });
    const stored = await t.collection('day_closes').findOne({ _id: `demo:${day}` as never });
    expect(stored).toMatchObject({ restaurantId: 'demo', day, status: 'closed', totals: closed.body.totals });
    expect((await report('summary')).body.close).toMatchObject({ status: 'closed', totals: closed.body.totals });
    const audit = t.collection('audit_log');
    expect(await audit.findOne({ action: 'DAY_CLOSED', outcome: 'success', 'details.day': day })).toMatchObject({ actor: { username: 'manager' }, details: { gross } });

    const again = await t.api.post('/api/staff/reports/day-close', { date: day }, { token: manager });
    expect(again.status).toBe(409);
    expect(await audit.findOne({ action: 'DAY_CLOSED', outcome: 'failure', 'details.day': day })).toBeTruthy();

    expect((await t.api.post('/api/staff/reports/day-close/reopen', { date: day, reason: 'late payment' }, { token: manager })).status).toBe(403);
    const admin = (await t.loginAs('ADMIN')).token;
    const reopened = await t.api.post('/api/staff/reports/day-close/reopen', { date: day, reason: 'late payment' }, { token: admin });
    expect(reopened.status).toBe(200);
    expect(reopened.body).toMatchObject({ status: 'reopened', reopenedBy: 'admin', reopenReason: 'late payment' });
    expect(await audit.findOne({ action: 'DAY_REOPENED', 'details.day': day })).toMatchObject({ actor: { username: 'admin' }, details: { reason: 'late payment' } });
    expect((await t.api.post('/api/staff/reports/day-close/reopen', { date: day, reason: 'again' }, { token: admin })).status).toBe(409);
    expect((await t.api.post('/api/staff/reports/day-close', { date: day }, { token: manager })).status).toBe(201);
  });
});
