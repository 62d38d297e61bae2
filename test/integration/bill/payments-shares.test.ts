/**
 * Paying an equal share or a dish share from the phone (issue #21 "pay a share"): each intent's amount
 * is the share the bill's split computes for it, paying on the sandbox's page counts it against the
 * bill, and the table turns paid once the shares cover what is due.
 */
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { payOnSandbox, startPayment } from '../../support/payments.ts';

let t: TestStack;
beforeAll(async () => {
  t = await startTestStack();
});
afterAll(() => t?.stop());

const orders = () => t.collection('digital_menu_customer_orders');
const intents = () => t.collection('plato_payment_intents');

async function paid(intentId: string): Promise<void> {
  await expect.poll(async () => (await intents().findOne({ _id: new ObjectId(intentId) }))?.status, { timeout: 5000 }).toBe('paid');
}

describe('sharing the bill', () => {
  it('an equal share: two phones each pay 1 of 2, each the split’s amount; the table is paid after the second', async () => {
    const table = await t.freshTable('T-2', 'FAMILY');
    const a = await t.joinTable(table.tableId, table.pin);
    const b = await t.joinTable(table.tableId, table.pin);
    await t.orderCart(a, (await t.addToCart(a, 'Dal Makhani', 1)).version);
    const split = (await t.api.get('/api/bill/split?by=equal&n=2', { token: a.sessionToken })).body;
    const first = await startPayment(t, a, { kind: 'equal', n: 2, index: 0 });
    expect(first.status).toBe(201);
    expect(first.body.payment.amount).toBe(split.shares[0].amount);
    await payOnSandbox(first.body.payment.checkoutUrl, 'success');
    await paid(first.body.payment.intentId);
    expect((await t.api.get('/api/bill', { token: b.sessionToken })).body).toMatchObject({ paidOnline: split.shares[0].amount, due: split.total - split.shares[0].amount });
    expect(await orders().countDocuments({ sessionId: new ObjectId(table.sessionId), paymentStatus: 'paid' })).toBe(0);

    // What is left, in one share of one: B pays the rest.
    const rest = (await t.api.get('/api/bill/split?by=equal&n=2', { token: b.sessionToken })).body;
    expect(rest.total).toBe(split.total - split.shares[0].amount);
    const second = await startPayment(t, b, { kind: 'bill' });
    expect(second.body.payment.amount).toBe(rest.total);
    await payOnSandbox(second.body.payment.checkoutUrl, 'success');
    await paid(second.body.payment.intentId);
    expect(await orders().countDocuments({ sessionId: new ObjectId(table.sessionId), paymentStatus: { $ne: 'paid' } })).toBe(0);
    // A share index past the split: refused, nothing created.
    expect((await startPayment(t, a, { kind: 'equal', n: 2, index: 5 })).status).toBe(400);
  });

  it('a dish share: a dish shared between two phones, each pays what the item split gives it', async () => {
    const table = await t.freshTable('T-3', 'FAMILY');
    const a = await t.joinTable(table.tableId, table.pin);
    const b = await t.joinTable(table.tableId, table.pin);
    await t.addToCart(a, 'Lamb Rogan Josh');
    const cart = await t.addToCart(b, 'Masala Chai', 2);
    const order = await t.orderCart(a, cart.version);
    const shared = [{ orderId: order.orderId, itemIndex: 0, deviceIds: [a.deviceId, b.deviceId] }];
    const query = encodeURIComponent(`${order.orderId}:0:${a.deviceId},${b.deviceId}`);
    const splitB = (await t.api.get(`/api/bill/split?by=item&shares=${query}`, { token: b.sessionToken })).body;
    const mineB = splitB.shares.find((s: { isYou?: boolean }) => s.isYou).amount;
    const payB = await startPayment(t, b, { kind: 'item', shared });
    expect(payB.status).toBe(201);
    expect(payB.body.payment.amount).toBe(mineB);
    await payOnSandbox(payB.body.payment.checkoutUrl, 'success');
    await paid(payB.body.payment.intentId);

    const splitA = (await t.api.get(`/api/bill/split?by=item&shares=${query}`, { token: a.sessionToken })).body;
    const mineA = splitA.shares.find((s: { isYou?: boolean }) => s.isYou).amount;
    expect(mineA).toBe(splitB.total - mineB);
    const payA = await startPayment(t, a, { kind: 'item', shared });
    expect(payA.body.payment.amount).toBe(mineA);
    await payOnSandbox(payA.body.payment.checkoutUrl, 'success');
    await paid(payA.body.payment.intentId);
    expect(await orders().countDocuments({ sessionId: new ObjectId(table.sessionId), paymentStatus: { $ne: 'paid' } })).toBe(0);
    expect((await t.api.get('/api/bill', { token: a.sessionToken })).body.due).toBe(0);
  });
});
