/**
 * The Razorpay adapter: request bodies typed by the official package and checked field by field,
 * the package's real HTTP client pointed at a local stand-in of Razorpay's API (the adapter's edge,
 * the only thing mocked), and webhooks in the documented payload format
 * (razorpay.com/docs/webhooks/payloads: payment_link.paid, payment.captured, refund.processed).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Razorpay from 'razorpay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError, WebhookPayloadError, WebhookSignatureError } from '../../functions/core/payment-provider.ts';
import { paymentLinkRequest, razorpayProvider, razorpaySignature, readRazorpayEvent } from '../../functions/payments/razorpay.ts';
import { razorpayClient } from '../../functions/payments/razorpay-client.ts';

const SECRET = 'whsec-test-0123456789abcdef';
let server: Server;
let base: string;
const seen: { method: string; url: string; auth?: string; body: any }[] = [];
let answer: (req: IncomingMessage, body: any) => { status: number; body: unknown };

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString();
    const body = text ? JSON.parse(text) : undefined;
    seen.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, body });
    const { status, body: out } = answer(req, body);
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(out));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const provider = () => razorpayProvider({ keyId: 'rzp_test_key', keySecret: 'key-secret', webhookSecret: SECRET, apiBaseUrl: base });
const input = { reference: '65f0a1b2c3d4e5f601234567', amountMinor: 52_550, currency: 'INR', description: 'Plato Demo Kitchen · T-4', returnUrl: 'https://plato.example/?table=t&payment=p', expiresAt: new Date('2030-01-01T00:20:00Z') };

describe('creating a payment link', () => {
  it('posts the documented body with Basic auth, amounts in paise, and returns the link id and short URL', async () => {
    seen.length = 0;
    answer = () => ({ status: 200, body: { id: 'plink_ExjpAUN3gVHrPJ', short_url: 'https://rzp.io/i/nxrHnLJ', status: 'created', reference_id: input.reference } });
    await expect(provider().createPayment(input)).resolves.toEqual({ providerRef: 'plink_ExjpAUN3gVHrPJ', checkoutUrl: 'https://rzp.io/i/nxrHnLJ' });
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/v1/payment_links', auth: `Basic ${Buffer.from('rzp_test_key:key-secret').toString('base64')}` });
    expect(seen[0].body).toEqual({
      amount: 52_550,
      currency: 'INR',
      accept_partial: false,
      reference_id: input.reference,
      description: input.description,
      customer: {},
      notify: { sms: false, email: false },
      reminder_enable: false,
      notes: { plato_intent: input.reference },
      callback_url: input.returnUrl,
      callback_method: 'get',
      expire_by: 1893457200,
    });
    // The body is the package's own request type (compile-time), accepted by its create().
    const typed: Parameters<Razorpay['paymentLink']['create']>[0] = paymentLinkRequest(input);
    expect(typed.amount).toBe(52_550);
  });

  it('a retry after a lost answer finds the link by its reference instead of failing or creating another', async () => {
    seen.length = 0;
    answer = (req) =>
      req.method === 'POST'
        ? { status: 400, body: { error: { code: 'BAD_REQUEST_ERROR', description: `Payment Link with reference id ${input.reference} already exists` } } }
        : { status: 200, body: { payment_links: [{ id: 'plink_first', short_url: 'https://rzp.io/i/first', reference_id: input.reference }] } };
    await expect(provider().createPayment(input)).resolves.toEqual({ providerRef: 'plink_first', checkoutUrl: 'https://rzp.io/i/first' });
    expect(seen.map((r) => r.method)).toEqual(['POST', 'GET']);
    expect(seen[1].url).toContain(`reference_id=${input.reference}`);
  });

  it('a provider outage is a retryable ProviderError; a refusal is not', async () => {
    answer = () => ({ status: 502, body: { error: { code: 'SERVER_ERROR', description: 'down' } } });
    await expect(provider().createPayment(input)).rejects.toMatchObject({ name: 'ProviderError', retryable: true });
    answer = () => ({ status: 400, body: { error: { code: 'BAD_REQUEST_ERROR', description: 'The amount must be atleast INR 1.00' } } });
    const refused = await provider().createPayment(input).catch((e) => e);
    expect(refused).toBeInstanceOf(ProviderError);
    expect(refused.retryable).toBe(false);
  });
});

describe('status and refunds', () => {
  it('reads a paid link (its captured payment) and an expired one', async () => {
    answer = () => ({ status: 200, body: { id: 'plink_1', status: 'paid', amount: 1000, amount_paid: 1000, currency: 'INR', payments: [{ payment_id: 'pay_1', status: 'captured', amount: 1000 }] } });
    await expect(provider().fetchStatus('plink_1')).resolves.toEqual({ status: 'paid', amountMinor: 1000, currency: 'INR', paymentId: 'pay_1' });
    answer = () => ({ status: 200, body: { id: 'plink_1', status: 'expired', amount: 1000, amount_paid: 0, currency: 'INR', payments: null } });
    await expect(provider().fetchStatus('plink_1')).resolves.toEqual({ status: 'expired', amountMinor: 0, currency: 'INR' });
  });

  it('refunds through POST /v1/payments/:id/refund with the amount, a receipt and the reason', async () => {
    seen.length = 0;
    answer = () => ({ status: 200, body: { id: 'rfnd_1', entity: 'refund', amount: 500, currency: 'INR', payment_id: 'pay_1', status: 'pending' } });
    await expect(provider().refund({ paymentId: 'pay_1', amountMinor: 500, reference: 'r1', reason: 'Cold tea' })).resolves.toEqual({ refundId: 'rfnd_1', status: 'pending' });
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/v1/payments/pay_1/refund', body: { amount: 500, speed: 'normal', receipt: 'r1', notes: { plato_refund: 'r1', reason: 'Cold tea' } } });
  });
});

// Documented sample payloads (trimmed to the fields Plato reads, values as in the docs).
const LINK_PAID = {
  entity: 'event',
  account_id: 'acc_OU2H3nkLn9jDVo',
  event: 'payment_link.paid',
  contains: ['payment_link', 'order', 'payment'],
  payload: {
    payment_link: { entity: { id: 'plink_OU2LCcbU5ygh0c', amount: 1000, amount_paid: 1000, currency: 'INR', reference_id: '65f0a1b2c3d4e5f601234567', status: 'paid', notes: null } },
    order: { entity: { id: 'order_OU2LDfFHbL1bWb', amount: 1000, amount_paid: 1000, status: 'paid' } },
    payment: { entity: { id: 'pay_OU2LJ7pjnVBKoV', entity: 'payment', amount: 1000, currency: 'INR', status: 'captured', order_id: 'order_OU2LDfFHbL1bWb', method: 'upi', notes: [] } },
  },
  created_at: 1749618314,
};

describe('webhooks', () => {
  const headers = (body: string, secret = SECRET) => ({ 'x-razorpay-signature': razorpaySignature(body, secret), 'x-razorpay-event-id': 'evt_1' });

  it('verifies the HMAC over the raw bytes and reads payment_link.paid as a capture of its reference', () => {
    const body = JSON.stringify(LINK_PAID);
    expect(provider().verifyWebhook({ rawBody: Buffer.from(body), headers: headers(body) })).toEqual({
      eventId: 'evt_1',
      kind: 'payment.captured',
      providerEvent: 'payment_link.paid',
      providerRef: 'plink_OU2LCcbU5ygh0c',
      reference: '65f0a1b2c3d4e5f601234567',
      paymentId: 'pay_OU2LJ7pjnVBKoV',
      amountMinor: 1000,
      currency: 'INR',
    });
  });

  it('refuses a re-serialised body, another secret, a truncated or missing signature', () => {
    const body = JSON.stringify(LINK_PAID, null, 2);
    const signed = headers(JSON.stringify(LINK_PAID));
    expect(() => provider().verifyWebhook({ rawBody: Buffer.from(body), headers: signed })).toThrow(WebhookSignatureError);
    expect(() => provider().verifyWebhook({ rawBody: Buffer.from(body), headers: headers(body, 'another-secret-xxxxxx') })).toThrow(WebhookSignatureError);
    expect(() => provider().verifyWebhook({ rawBody: Buffer.from(body), headers: { ...headers(body), 'x-razorpay-signature': headers(body)['x-razorpay-signature'].slice(0, 40) } })).toThrow(WebhookSignatureError);
    expect(() => provider().verifyWebhook({ rawBody: Buffer.from(body), headers: { 'x-razorpay-event-id': 'evt_1' } })).toThrow(WebhookSignatureError);
  });

  it('a signed body without an event id or not an event envelope is a payload error', () => {
    const body = JSON.stringify({ hello: 'world' });
    expect(() => provider().verifyWebhook({ rawBody: Buffer.from(body), headers: headers(body) })).toThrow(WebhookPayloadError);
    const ok = JSON.stringify(LINK_PAID);
    expect(() => provider().verifyWebhook({ rawBody: Buffer.from(ok), headers: { 'x-razorpay-signature': razorpaySignature(ok, SECRET) } })).toThrow(WebhookPayloadError);
  });

  it('reads payment.failed, refund.processed and ignores other events', () => {
    expect(readRazorpayEvent('e', { entity: 'event', event: 'payment.failed', payload: { payment: { entity: { id: 'pay_1', amount: 1000, currency: 'INR', status: 'failed', notes: { plato_intent: 'abc' } } } } })).toMatchObject({ kind: 'payment.failed', reference: 'abc', paymentId: 'pay_1' });
    expect(readRazorpayEvent('e', { entity: 'event', event: 'refund.processed', payload: { refund: { entity: { id: 'rfnd_1', amount: 500, currency: 'INR', payment_id: 'pay_1', receipt: 'r1', notes: { plato_refund: 'r1' } } } } })).toMatchObject({ kind: 'refund.processed', refundId: 'rfnd_1', refundReference: 'r1', paymentId: 'pay_1', amountMinor: 500 });
    expect(readRazorpayEvent('e', { entity: 'event', event: 'settlement.processed', payload: {} }).kind).toBe('ignored');
  });
});

describe('the package parts the adapter builds (functions/payments/razorpay-client.ts)', () => {
  it('are what new Razorpay() wires up: the same resource methods, API client config and User-Agent', () => {
    const full = new Razorpay({ key_id: 'rzp_test_key', key_secret: 'key-secret' }) as Razorpay & { api: { rq: { defaults: any } } };
    const parts = razorpayClient('rzp_test_key', 'key-secret');
    expect(Object.keys(parts.paymentLink).sort()).toEqual(Object.keys(full.paymentLink).sort());
    expect(Object.keys(parts.payments).sort()).toEqual(Object.keys(full.payments).sort());
    const [a, b] = [parts.api.rq.defaults as any, full.api.rq.defaults];
    expect({ baseURL: a.baseURL, auth: a.auth, ua: a.headers['User-Agent'] }).toEqual({ baseURL: b.baseURL, auth: b.auth, ua: b.headers['User-Agent'] });
    expect(a.headers['User-Agent']).toBe(`razorpay-node@${Razorpay.VERSION}`);
  });
});
