/**
 * Paying from the phone through the local Razorpay sandbox: one intent per Idempotency-Key, the
 * hosted page, signed webhooks, settlement of the table, and everything a hostile or unreliable
 * webhook sender can do (tampered, replayed, mismatched, out of order, concurrent).
 */
import { randomUUID } from 'node:crypto';
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type JoinedGuest, type TestStack } from '../../support/stack.ts';
import { deliver, payOnSandbox, paymentEntity, signedWebhook, startPayment } from '../../support/payments.ts';

let t: TestStack;
beforeAll(async () => {
  t = await startTestStack();
});
afterAll(() => t?.stop());

const intents = () => t.collection('plato_payment_intents');
const events = () => t.collection('plato_payment_events');
const orders = () => t.collection('digital_menu_customer_orders');

async function tableWithOrder(tableNumber: string, dish = 'Masala Chai', quantity = 2): Promise<{ guest: JoinedGuest; sessionId: string; tableId: string }> {
  const table = await t.freshTable(tableNumber, 'FAMILY');
  const guest = await t.joinTable(table.tableId, table.pin);
  const cart = await t.addToCart(guest, dish, quantity);
  await t.orderCart(guest, cart.version);
  return { guest, sessionId: table.sessionId, tableId: table.tableId };
}

describe('paying the whole bill', () => {
  it('one intent per Idempotency-Key, however often it is sent; paying on the page marks the table paid live', async () => {
    const { guest, sessionId } = await tableWithOrder('T-6');
    const due = (await t.api.get('/api/bill', { token: guest.sessionToken })).body.due as number;
    const socket = await t.connectWs({ token: guest.sessionToken });
    const waiter = (await t.loginAs('WAITER')).token;
    const floor = await t.connectWs({ token: waiter, channel: 'staff' });

    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 8 }, () => startPayment(t, guest, { kind: 'bill' }, key)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    const ids = new Set(answers.map((a) => a.body.payment.intentId));
    expect(ids.size).toBe(1);
    expect(await intents().countDocuments({ sessionId: new ObjectId(sessionId) })).toBe(1);
    const payment = answers[0].body.payment;
    expect(payment).toMatchObject({ status: 'pending', amount: due, currency: 'INR', scope: 'bill' });
    expect(payment.checkoutUrl).toMatch(new RegExp(`^${t.baseUrl}/sandbox/razorpay/pay/plink_`));
    // A reload with the same key: the same intent and page.
    const again = await startPayment(t, guest, { kind: 'bill' }, key);
    expect(again.body.payment.checkoutUrl).toBe(payment.checkoutUrl);
    // A second payment from the same phone while this one is open: refused, pointing at the open one.
    const second = await startPayment(t, guest, { kind: 'bill' });
    expect(second.status).toBe(409);
    expect(second.body.error.details.payment.intentId).toBe(payment.intentId);

    const page = await payOnSandbox(payment.checkoutUrl, 'success');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toContain(`payment=${payment.intentId}`);

    const pushed = await socket.waitFor((m) => m.type === 'payment.updated' && m.payment.status === 'paid');
    expect(pushed.payment.intentId).toBe(payment.intentId);
    await floor.waitFor((m) => m.type === 'table.updated' && m.sessionId === sessionId);
    const stored = await intents().findOne({ _id: new ObjectId(payment.intentId) });
    expect(stored).toMatchObject({ status: 'paid', settled: true });
    expect(stored!.paymentId).toMatch(/^pay_/);
    expect(stored!.history.map((h: { to: string }) => h.to)).toEqual(['pending', 'authorized', 'paid']);
    expect(await orders().countDocuments({ sessionId: new ObjectId(sessionId), paymentStatus: { $ne: 'paid' } })).toBe(0);
    expect(await orders().countDocuments({ sessionId: new ObjectId(sessionId), paymentMethod: 'ONLINE' })).toBeGreaterThan(0);
    const bill = (await t.api.get('/api/bill', { token: guest.sessionToken })).body;
    expect(bill).toMatchObject({ due: 0, paid: due });
    const audit = await t.collection('audit_log').find({ sessionId: new ObjectId(sessionId), action: { $in: ['PAYMENT_STARTED', 'PAYMENT_STATUS_CHANGED', 'PAYMENT_SETTLED'] } }).toArray();
    expect(audit.map((a) => a.action).sort()).toEqual(['PAYMENT_SETTLED', 'PAYMENT_STARTED', 'PAYMENT_STATUS_CHANGED', 'PAYMENT_STATUS_CHANGED']);
  });

  it('a failed attempt shows as failed and leaves the bill due; a new attempt can follow', async () => {
    const { guest } = await tableWithOrder('T-7');
    const started = await startPayment(t, guest);
    await payOnSandbox(started.body.payment.checkoutUrl, 'failure');
    const after = await t.api.get(`/api/payments/${started.body.payment.intentId}`, { token: guest.sessionToken });
    expect(after.body.payment.status).toBe('failed');
    expect(after.body.payment.checkoutUrl).toBeUndefined();
    expect((await t.api.get('/api/bill', { token: guest.sessionToken })).body.due).toBeGreaterThan(0);
    expect((await startPayment(t, guest)).status).toBe(201);
  });
});

describe('shares', () => {
  it('each phone pays its own share; the table is paid once the shares cover it, and a waiter can still take cash', async () => {
    const table = await t.freshTable('T-8', 'FAMILY');
    const a = await t.joinTable(table.tableId, table.pin);
    const b = await t.joinTable(table.tableId, table.pin);
    await t.addToCart(a, 'Lamb Rogan Josh');
    const cart = await t.addToCart(b, 'Masala Chai', 3);
    await t.orderCart(a, cart.version);
    const split = (await t.api.get('/api/bill/split?by=device', { token: a.sessionToken })).body;
    const mine = split.shares.find((s: { isYou?: boolean }) => s.isYou).amount;

    const payA = await startPayment(t, a, { kind: 'device' });
    expect(payA.body.payment.amount).toBe(mine);
    await payOnSandbox(payA.body.payment.checkoutUrl, 'success');
    const billAfterA = (await t.api.get('/api/bill', { token: b.sessionToken })).body;
    expect(billAfterA.paidOnline).toBe(mine);
    expect(billAfterA.due).toBe(split.total - mine);
    expect(await orders().countDocuments({ sessionId: new ObjectId(table.sessionId), paymentStatus: 'paid' })).toBe(0);
    // B's share is what B owes; A's is now nothing.
    const splitB = (await t.api.get('/api/bill/split?by=device', { token: b.sessionToken })).body;
    expect(splitB.shares.find((s: { isYou?: boolean }) => s.isYou).amount).toBe(split.total - mine);
    expect(splitB.shares.find((s: { deviceId: string }) => s.deviceId === a.deviceId).amount).toBe(0);

    const payB = await startPayment(t, b, { kind: 'device' });
    await payOnSandbox(payB.body.payment.checkoutUrl, 'success');
    expect(await orders().countDocuments({ sessionId: new ObjectId(table.sessionId), paymentStatus: { $ne: 'paid' } })).toBe(0);

    // Cash for a new order alongside.
    const more = await t.addToCart(a, 'Masala Chai');
    await t.orderCart(a, more.version);
    const waiter = (await t.loginAs('WAITER')).token;
    const cash = await t.api.post(`/api/staff/sessions/${table.sessionId}/payment`, { method: 'CASH', status: 'paid' }, { token: waiter });
    expect(cash.status).toBe(200);
    expect((await t.api.get('/api/bill', { token: a.sessionToken })).body.due).toBe(0);
  });
});

describe('webhooks you can trust', () => {
  let guest: JoinedGuest;
  let intentId: string;
  let amount: number;

  const snapshot = async () => ({ intent: await intents().findOne({ _id: new ObjectId(intentId) }), events: await events().countDocuments({}) });

  beforeAll(async () => {
    ({ guest } = await tableWithOrder('T-9', 'Gulab Jamun', 2));
    const started = await startPayment(t, guest);
    intentId = started.body.payment.intentId;
    amount = started.body.payment.amount;
  });

  it('a tampered body or signature, a wrong secret or no signature: 401 and nothing changes', async () => {
    const before = await snapshot();
    const hook = signedWebhook('payment.captured', paymentEntity(intentId, amount, 'captured'));
    const tampered = { ...hook, body: hook.body.replace(`"amount":${amount}`, `"amount":${amount + 1}`) };
    const wrongSecret = signedWebhook('payment.captured', paymentEntity(intentId, amount, 'captured'), undefined, 'not-the-webhook-secret-at-all');
    const unsigned = { ...hook, headers: { ...hook.headers, 'x-razorpay-signature': '' } };
    const flipped = { ...hook, headers: { ...hook.headers, 'x-razorpay-signature': hook.headers['x-razorpay-signature'].replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) } };
    for (const bad of [tampered, wrongSecret, unsigned, flipped]) {
      const response = await deliver(t, bad);
      expect(response.status).toBe(401);
      expect(response.body.error.code).toBe('WEBHOOK_SIGNATURE_INVALID');
    }
    expect(await snapshot()).toEqual(before);
  });

  it('unknown events are acknowledged and ignored', async () => {
    const before = await snapshot();
    const response = await deliver(t, signedWebhook('settlement.processed', { settlement: { entity: { id: 'setl_1' } } }));
    expect(response).toMatchObject({ status: 200, body: { received: true, outcome: 'ignored' } });
    expect(await snapshot()).toEqual(before);
  });

  it('an amount or currency that differs is flagged for a manager and never marks anything paid', async () => {
    const short = await deliver(t, signedWebhook('payment.captured', paymentEntity(intentId, amount - 100, 'captured')));
    expect(short.body.outcome).toBe('flagged');
    const dollars = await deliver(t, signedWebhook('payment.captured', paymentEntity(intentId, amount, 'captured', undefined, 'USD')));
    expect(dollars.body.outcome).toBe('flagged');
    const intent = await intents().findOne({ _id: new ObjectId(intentId) });
    expect(intent!.status).toBe('pending');
    expect(intent!.flags.map((f: { reason: string }) => f.reason)).toEqual(['amount_mismatch', 'currency_mismatch']);
    expect(await t.collection('audit_log').countDocuments({ action: 'PAYMENT_FLAGGED', 'details.intentId': intentId })).toBe(2);
    const manager = (await t.loginAs('MANAGER')).token;
    const sessionId = intent!.sessionId.toHexString();
    const staffBill = await t.api.get(`/api/staff/sessions/${sessionId}/bill`, { token: manager });
    expect(staffBill.body.onlinePayments[0].flags).toHaveLength(2);
    expect(await orders().countDocuments({ sessionId: intent!.sessionId, paymentStatus: 'paid' })).toBe(0);
  });

  it('out of order: captured before authorized is paid, and the late authorized changes nothing', async () => {
    const paymentId = 'pay_outoforder01';
    const captured = await deliver(t, signedWebhook('payment.captured', paymentEntity(intentId, amount, 'captured', paymentId)));
    expect(captured.body.outcome).toBe('moved');
    const late = await deliver(t, signedWebhook('payment.authorized', paymentEntity(intentId, amount, 'authorized', paymentId)));
    expect(late.body.outcome).toBe('unchanged');
    const failedLater = await deliver(t, signedWebhook('payment.failed', paymentEntity(intentId, amount, 'failed', 'pay_otherattempt1')));
    expect(failedLater.body.outcome).toBe('unchanged');
    const intent = await intents().findOne({ _id: new ObjectId(intentId) });
    expect(intent).toMatchObject({ status: 'paid', paymentId, settled: true });
    expect(intent!.history.filter((h: { to: string }) => h.to === 'paid')).toHaveLength(1);
  });

  it('a replayed event is processed once', async () => {
    const { guest: g } = await tableWithOrder('T-10');
    const started = await startPayment(t, g);
    const hook = signedWebhook('payment_link.paid', {
      payment_link: { entity: { id: 'plink_x', reference_id: started.body.payment.intentId, amount: started.body.payment.amount, amount_paid: started.body.payment.amount, currency: 'INR', status: 'paid' } },
      payment: { entity: { id: 'pay_replay000001', entity: 'payment', amount: started.body.payment.amount, currency: 'INR', status: 'captured' } },
    });
    const first = await deliver(t, hook);
    const replay = await deliver(t, hook);
    expect([first.body.outcome, replay.body.outcome]).toEqual(['moved', 'duplicate']);
    expect(await t.collection<{ _id: string }>('plato_payment_events').countDocuments({ _id: `razorpay:${hook.headers['x-razorpay-event-id']}` })).toBe(1);
    const intent = await intents().findOne({ _id: new ObjectId(started.body.payment.intentId) });
    expect(intent!.history.filter((h: { to: string }) => h.to === 'paid')).toHaveLength(1);
    expect(await t.collection('audit_log').countDocuments({ action: 'PAYMENT_SETTLED', sessionId: intent!.sessionId })).toBe(1);
  });

  it('the same event delivered concurrently (two containers) moves the intent once', async () => {
    const { guest: g } = await tableWithOrder('T-11');
    const started = await startPayment(t, g);
    const hook = signedWebhook('payment.captured', paymentEntity(started.body.payment.intentId, started.body.payment.amount, 'captured'));
    const answers = await Promise.all(Array.from({ length: 10 }, () => deliver(t, hook)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(answers.filter((a) => a.body.outcome === 'moved')).toHaveLength(1);
    expect(answers.filter((a) => a.body.outcome === 'duplicate')).toHaveLength(9);
    const intent = await intents().findOne({ _id: new ObjectId(started.body.payment.intentId) });
    expect(intent!.history.filter((h: { to: string }) => h.to === 'paid')).toHaveLength(1);
    expect(await t.collection('audit_log').countDocuments({ action: 'PAYMENT_STATUS_CHANGED', 'details.intentId': started.body.payment.intentId })).toBe(1);
  });
});

describe('refunds and reconciliation', () => {
  it('a MANAGER refunds part then the rest, with a reason, through the provider; never more than was paid', async () => {
    const { guest, sessionId } = await tableWithOrder('T-12');
    const started = await startPayment(t, guest);
    const { intentId, amount } = started.body.payment;
    await payOnSandbox(started.body.payment.checkoutUrl, 'success');
    const waiter = (await t.loginAs('WAITER')).token;
    const manager = (await t.loginAs('MANAGER')).token;
    expect((await t.api.post(`/api/staff/payments/${intentId}/refund`, { reason: 'x' }, { token: waiter })).status).toBe(403);

    const part = await t.api.post(`/api/staff/payments/${intentId}/refund`, { amount: 100, reason: 'Cold tea' }, { token: manager });
    expect(part.status).toBe(200);
    expect(part.body.payment.refunds[0]).toMatchObject({ amount: 100, reason: 'Cold tea', status: 'pending', by: 'manager' });
    const tooMuch = await t.api.post(`/api/staff/payments/${intentId}/refund`, { amount, reason: 'All' }, { token: manager });
    expect(tooMuch.status).toBe(409);
    const rest = await t.api.post(`/api/staff/payments/${intentId}/refund`, { reason: 'Guest complaint' }, { token: manager });
    expect(rest.body.payment.refunds[1].amount).toBe(amount - 100);
    expect(rest.body.payment.refunded).toBe(amount);
    // The sandbox confirms each refund by webhook.
    await expect.poll(async () => (await intents().findOne({ _id: new ObjectId(intentId) }))!.refunds.map((r: { status: string }) => r.status), { timeout: 5000 }).toEqual(['processed', 'processed']);
    const bill = await t.api.get(`/api/staff/sessions/${sessionId}/bill`, { token: manager });
    expect(bill.body.onlinePayments[0].refunds).toHaveLength(2);
    expect(await t.collection('audit_log').countDocuments({ action: 'PAYMENT_REFUNDED', outcome: 'success', 'details.intentId': intentId })).toBe(2);
  });

  it('"check payments" finds a payment whose webhooks never arrived', async () => {
    const { guest, sessionId } = await tableWithOrder('T-5');
    const started = await startPayment(t, guest);
    t.stack.payments!.dropWebhooks = true;
    try {
      await payOnSandbox(started.body.payment.checkoutUrl, 'success');
    } finally {
      t.stack.payments!.dropWebhooks = false;
    }
    expect((await intents().findOne({ _id: new ObjectId(started.body.payment.intentId) }))!.status).toBe('pending');
    const manager = (await t.loginAs('MANAGER')).token;
    const check = await t.api.post('/api/staff/payments/check', { olderThanMinutes: 0 }, { token: manager });
    expect(check.status).toBe(200);
    expect(check.body.changed).toContainEqual({ intentId: started.body.payment.intentId, outcome: 'moved' });
    expect(await orders().countDocuments({ sessionId: new ObjectId(sessionId), paymentStatus: { $ne: 'paid' } })).toBe(0);
  });
});
