/**
 * Refunds in the books: after a manager refunds an online payment, the diner's bill and the staff
 * table panel's bill show Refunded and the net paid; the day's summary (JSON, CSV and the day
 * close's totals) counts the refunds given that day (count, amount), the gross after refunds, and
 * the ONLINE method less its refunds — all equal to what the stored orders and payments say.
 */
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessDayOf } from '../../../functions/core/business-day.ts';
import { startTestStack, type JoinedGuest, type TestStack } from '../../support/stack.ts';
import { payOnSandbox, startPayment } from '../../support/payments.ts';

let t: TestStack;
let manager: string;
const today = () => businessDayOf(new Date(), 'Asia/Kolkata', '04:00');
const intents = () => t.collection('plato_payment_intents');

beforeAll(async () => {
  t = await startTestStack();
  manager = (await t.loginAs('MANAGER')).token;
});
afterAll(() => t?.stop());

/** A FAMILY table whose whole bill a phone pays online. */
async function paidOnline(tableNumber: string, dish: string, quantity: number): Promise<{ guest: JoinedGuest; sessionId: string; intentId: string; amount: number }> {
  const table = await t.freshTable(tableNumber, 'FAMILY');
  const guest = await t.joinTable(table.tableId, table.pin);
  await t.orderCart(guest, (await t.addToCart(guest, dish, quantity)).version);
  const started = await startPayment(t, guest);
  expect(started.status).toBe(201);
  await payOnSandbox(started.body.payment.checkoutUrl, 'success');
  await expect.poll(async () => (await intents().findOne({ _id: new ObjectId(started.body.payment.intentId) }))?.settled, { timeout: 5000 }).toBe(true);
  return { guest, sessionId: table.sessionId, intentId: started.body.payment.intentId, amount: started.body.payment.amount };
}

async function refund(intentId: string, amount: number | undefined, reason: string): Promise<void> {
  const answer = await t.api.post(`/api/staff/payments/${intentId}/refund`, amount === undefined ? { reason } : { amount, reason }, { token: manager });
  expect(answer.status).toBe(200);
  await expect.poll(async () => (await intents().findOne({ _id: new ObjectId(intentId) }))!.refunds.every((r: { status: string }) => r.status === 'processed'), { timeout: 5000 }).toBe(true);
}

describe('a refunded payment', () => {
  it('shows on the diner’s bill and the staff bill as Refunded, with the net paid; nothing becomes due again', async () => {
    const { guest, sessionId, intentId, amount } = await paidOnline('T-8', 'Masala Chai', 2);
    const before = (await t.api.get('/api/bill', { token: guest.sessionToken })).body;
    expect(before).toMatchObject({ paid: amount, due: 0, refunded: 0, netPaid: amount });

    await refund(intentId, 1000, 'Cold tea');
    const diner = (await t.api.get('/api/bill', { token: guest.sessionToken })).body;
    expect(diner).toMatchObject({ total: amount, paid: amount, refunded: 1000, netPaid: amount - 1000, due: 0 });
    const staff = (await t.api.get(`/api/staff/sessions/${sessionId}/bill`, { token: manager })).body;
    expect(staff).toMatchObject({ total: amount, paid: amount, refunded: 1000, netPaid: amount - 1000, due: 0 });

    // The rest: everything given back.
    await refund(intentId, undefined, 'Guest complaint');
    expect((await t.api.get('/api/bill', { token: guest.sessionToken })).body).toMatchObject({ refunded: amount, netPaid: 0, due: 0 });
  });
});

describe('the day’s summary', () => {
  it('counts the day’s refunds (a partial one included) and takes them off the gross and the ONLINE payments; the CSV and the day close agree', async () => {
    const partly = await paidOnline('T-9', 'Dal Makhani', 1);
    await refund(partly.intentId, 2500, 'Too salty');
    const day = today();

    const summary = await t.api.get(`/api/staff/reports/summary?date=${day}`, { token: manager });
    expect(summary.status).toBe(200);
    const totals = summary.body.totals;

    // From the stored documents: every refund not failed given today, every order of today paid online.
    const allIntents = await intents().find({ restaurantId: 'demo' }).toArray();
    const refunds = allIntents.flatMap((intent) => intent.refunds).filter((r: { at: Date; status: string }) => r.status !== 'failed' && businessDayOf(r.at, 'Asia/Kolkata', '04:00') === day);
    const refunded = refunds.reduce((sum: number, r: { amount: number }) => sum + r.amount, 0);
    expect(refunds.length).toBe(3); // T-8's two and T-9's partial one
    const orders = (await t.collection('digital_menu_customer_orders').find({ restaurantId: 'demo' }).toArray()).filter((o) => businessDayOf(o.orderDate, 'Asia/Kolkata', '04:00') === day && o.status !== 'cancelled');
    const gross = orders.reduce((sum, o) => sum + o.amountsMinor.total, 0);
    const online = orders.filter((o) => o.paymentStatus === 'paid' && o.paymentMethod === 'ONLINE');
    const onlineAmount = online.reduce((sum, o) => sum + o.amountsMinor.total, 0);
    expect(onlineAmount).toBe(partly.amount + allIntents.filter((i) => i._id.toHexString() !== partly.intentId && i.status === 'paid').reduce((sum, i) => sum + i.amount, 0));

    expect(totals).toMatchObject({ gross, refunds: 3, refunded, netAfterRefunds: gross - refunded });
    expect(totals.byMethod).toContainEqual({ method: 'ONLINE', orders: online.length, amount: onlineAmount, refunded, net: onlineAmount - refunded });

    const csv = await (await fetch(new URL(`/api/staff/reports/summary?date=${day}&format=csv`, t.baseUrl), { headers: { authorization: `Bearer ${manager}` } })).text();
    const major = (minor: number) => (minor / 100).toFixed(2);
    expect(csv).toContain(`refunds,3\r\n`);
    expect(csv).toContain(`refunded,${major(refunded)}\r\n`);
    expect(csv).toContain(`netAfterRefunds,${major(gross - refunded)}\r\n`);
    expect(csv).toContain(`refunded.ONLINE,${major(refunded)}\r\n`);

    const closed = await t.api.post('/api/staff/reports/day-close', { date: day }, { token: manager });
    expect(closed.status).toBe(201);
    expect(closed.body.totals).toMatchObject({ refunds: 3, refunded, netAfterRefunds: gross - refunded });
    expect((await t.collection('day_closes').findOne({ _id: `demo:${day}` as never }))!.totals).toEqual(closed.body.totals);
  });

  it('a day without refunds reports none', async () => {
    const summary = await t.api.get('/api/staff/reports/summary?date=2025-03-10', { token: manager });
    expect(summary.body.totals).toMatchObject({ refunds: 0, refunded: 0, netAfterRefunds: summary.body.totals.gross });
  });
});
