/**
 * Helpers for the payment tests: pay on the local sandbox's hosted page, and build Razorpay webhooks
 * in the documented format (https://razorpay.com/docs/webhooks/payloads/) signed with the local
 * webhook secret, to deliver by hand (tampered, replayed, out of order, concurrent).
 */
import { randomUUID } from 'node:crypto';
import { razorpaySignature } from '../../functions/payments/razorpay.ts';
import type { TestStack, JoinedGuest } from './stack.ts';

export const webhookSecret = (): string => process.env.RAZORPAY_WEBHOOK_SECRET!;

export interface SignedWebhook {
  body: string;
  headers: Record<string, string>;
}

export function signedWebhook(event: string, payload: Record<string, unknown>, eventId = `evt_${randomUUID().replace(/-/g, '').slice(0, 14)}`, secret = webhookSecret()): SignedWebhook {
  const body = JSON.stringify({ entity: 'event', account_id: 'acc_test', event, contains: Object.keys(payload), payload, created_at: Math.floor(Date.now() / 1000) });
  return { body, headers: { 'content-type': 'application/json', 'x-razorpay-signature': razorpaySignature(body, secret), 'x-razorpay-event-id': eventId } };
}

/** A payment entity (payment.authorized / captured / failed) for an intent. */
export const paymentEntity = (intentId: string, amount: number, status: string, paymentId = `pay_${randomUUID().slice(0, 14).replace(/-/g, '')}`, currency = 'INR') => ({
  payment: { entity: { id: paymentId, entity: 'payment', amount, currency, status, method: 'upi', captured: status === 'captured', notes: { plato_intent: intentId }, created_at: 1 } },
});

export async function deliver(t: TestStack, hook: SignedWebhook): Promise<{ status: number; body: any }> {
  const response = await fetch(`${t.baseUrl}/api/payments/webhook`, { method: 'POST', headers: hook.headers, body: hook.body });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

export async function startPayment(t: TestStack, guest: JoinedGuest, scope: Record<string, unknown> = { kind: 'bill' }, key: string = randomUUID()) {
  return t.api.post('/api/payments', { scope }, { token: guest.sessionToken, headers: { 'idempotency-key': key } });
}

/** Picks an outcome on the sandbox's payment page, as a tester would; resolves after its webhooks were delivered. */
export async function payOnSandbox(checkoutUrl: string, outcome: 'success' | 'failure' | 'cancel'): Promise<Response> {
  return fetch(checkoutUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `outcome=${outcome}`, redirect: 'manual' });
}
