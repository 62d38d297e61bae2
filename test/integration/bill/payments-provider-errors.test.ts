/**
 * When the payment provider is down or declines: the API answers a stable code with its status —
 * PAYMENT_PROVIDER_UNAVAILABLE (503, Retry-After) when the provider fails (5xx, 429, unreachable),
 * PAYMENT_PROVIDER_FAILED (502) when it refuses — for starting a payment, a refund and a manager's
 * "check payments", and nothing changes: no charge, no refund reserved. The provider is the local
 * sandbox (a stand-in for Razorpay's HTTP API, reached through the real adapter and package), told
 * to answer every call with the error.
 */
import { randomUUID } from 'node:crypto';
import { ObjectId } from 'mongodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type JoinedGuest, type TestStack } from '../../support/stack.ts';
import { payOnSandbox, startPayment } from '../../support/payments.ts';

let t: TestStack;
let manager: string;
beforeAll(async () => {
  t = await startTestStack();
  manager = (await t.loginAs('MANAGER')).token;
});
afterAll(() => t?.stop());
afterEach(() => {
  t.stack.payments!.failApi = null;
});

const DOWN = { status: 503, code: 'SERVER_ERROR', description: 'The server encountered an error' };
const DECLINED = { status: 400, code: 'BAD_REQUEST_ERROR', description: 'Payment is not allowed for this merchant' };
const intents = () => t.collection('plato_payment_intents');

async function tableWithOrder(tableNumber: string): Promise<JoinedGuest> {
  const table = await t.freshTable(tableNumber, 'FAMILY');
  const guest = await t.joinTable(table.tableId, table.pin);
  await t.orderCart(guest, (await t.addToCart(guest, 'Masala Chai', 2)).version);
  return guest;
}

describe('starting a payment', () => {
  it('the provider down: 503 PAYMENT_PROVIDER_UNAVAILABLE with Retry-After; the same key works once it is back, one intent', async () => {
    const guest = await tableWithOrder('T-3');
    t.stack.payments!.failApi = DOWN;
    const key = randomUUID();
    const refused = await startPayment(t, guest, { kind: 'bill' }, key);
    expect(refused.status, JSON.stringify(refused.body)).toBe(503);
    expect(refused.body.error).toMatchObject({ code: 'PAYMENT_PROVIDER_UNAVAILABLE', details: { providerCode: 'SERVER_ERROR' } });
    expect(refused.body.error.message).toContain('nothing was charged');
    expect(refused.headers.get('retry-after')).toBe('5');
    t.stack.payments!.failApi = null;
    const retried = await startPayment(t, guest, { kind: 'bill' }, key);
    expect(retried.status).toBe(200);
    expect(retried.body.payment.status).toBe('pending');
    expect(await intents().countDocuments({ idempotencyKey: key })).toBe(1);
  });

  it('the provider declines: 502 PAYMENT_PROVIDER_FAILED, no Retry-After', async () => {
    const guest = await tableWithOrder('T-4');
    t.stack.payments!.failApi = DECLINED;
    const refused = await startPayment(t, guest);
    expect(refused.status).toBe(502);
    expect(refused.body.error).toMatchObject({ code: 'PAYMENT_PROVIDER_FAILED', details: { providerCode: 'BAD_REQUEST_ERROR' } });
    expect(refused.headers.get('retry-after')).toBeNull();
  });
});

describe('a refund and checking payments', () => {
  it('refunding while the provider is down or declines: 503 / 502, nothing reserved, audited as failed; "check payments" says the provider is down', async () => {
    const guest = await tableWithOrder('T-10');
    const started = await startPayment(t, guest);
    await payOnSandbox(started.body.payment.checkoutUrl, 'success');
    const intentId = started.body.payment.intentId;
    await expect.poll(async () => (await intents().findOne({ _id: new ObjectId(intentId) }))?.status, { timeout: 5000 }).toBe('paid');

    t.stack.payments!.failApi = DOWN;
    const down = await t.api.post(`/api/staff/payments/${intentId}/refund`, { amount: 100, reason: 'Cold tea' }, { token: manager });
    expect(down.status).toBe(503);
    expect(down.body.error.code).toBe('PAYMENT_PROVIDER_UNAVAILABLE');
    expect(down.body.error.message).toContain('nothing was refunded');
    t.stack.payments!.failApi = DECLINED;
    const declined = await t.api.post(`/api/staff/payments/${intentId}/refund`, { amount: 100, reason: 'Cold tea' }, { token: manager });
    expect(declined.status).toBe(502);
    expect(declined.body.error.code).toBe('PAYMENT_PROVIDER_FAILED');
    const intent = (await intents().findOne({ _id: new ObjectId(intentId) }))!;
    expect(intent.refunded).toBe(0);
    expect(intent.refunds.map((r: { status: string }) => r.status)).toEqual(['failed', 'failed']);
    expect(await t.collection('audit_log').countDocuments({ action: 'PAYMENT_REFUNDED', outcome: 'failure', 'details.intentId': intentId })).toBe(2);

    // An open payment to look up, while the provider is down: the check says so.
    t.stack.payments!.failApi = null;
    const open = await startPayment(t, await tableWithOrder('T-11'));
    expect(open.status).toBe(201);
    t.stack.payments!.failApi = DOWN;
    const check = await t.api.post('/api/staff/payments/check', { olderThanMinutes: 0 }, { token: manager });
    expect(check.status).toBe(503);
    expect(check.body.error.code).toBe('PAYMENT_PROVIDER_UNAVAILABLE');
    expect(await t.collection('audit_log').findOne({ action: 'PAYMENTS_CHECKED', outcome: 'failure' })).toBeTruthy();
    t.stack.payments!.failApi = null;
    const ok = await t.api.post('/api/staff/payments/check', { olderThanMinutes: 0 }, { token: manager });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ errors: 0 });
  });
});
