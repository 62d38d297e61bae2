/**
 * The local runtime's payment provider: a stand-in for Razorpay's test mode, speaking the subset of
 * its API Plato's adapter uses (Payment Links create / list by reference / fetch, payment refunds,
 * with Basic auth), a hosted payment page at a local URL where a tester picks success, failure or
 * cancel, and webhooks in Razorpay's documented format, signed with the local webhook secret and
 * posted to the local API. The functions use the real adapter and the real `razorpay` package;
 * only the API host differs (RAZORPAY_API_URL).
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { razorpaySignature } from '../../functions/payments/razorpay.ts';

export const SANDBOX_PREFIX = '/sandbox/razorpay';

export interface SandboxKeys {
  keyId: string;
  keySecret: string;
  webhookSecret: string;
}

interface Link {
  id: string;
  amount: number;
  currency: string;
  reference_id: string;
  description: string;
  notes: Record<string, string>;
  callback_url?: string;
  expire_by?: number;
  status: 'created' | 'paid' | 'expired' | 'cancelled';
  amount_paid: number;
  created_at: number;
  payments: { payment_id: string; amount: number; status: 'captured' | 'failed'; method: string; plink_id: string; created_at: number }[];
}

const id = (prefix: string) => `${prefix}_${randomBytes(7).toString('base64url').replace(/[-_]/g, 'x')}`;
const now = () => Math.floor(Date.now() / 1000);
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function sandboxKeys(): SandboxKeys {
  return { keyId: `rzp_test_${randomBytes(7).toString('hex')}`, keySecret: randomBytes(18).toString('base64url'), webhookSecret: randomBytes(24).toString('base64url') };
}

export interface RazorpaySandbox {
  keys: SandboxKeys;
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Webhooks the sandbox posted, newest last (for tests and the terminal). */
  delivered: { event: string; eventId: string; status: number }[];
  /** Tests of reconciliation: while true, webhooks are lost instead of posted. */
  dropWebhooks: boolean;
  /**
   * Tests of provider failures: while set, every API call answers this error, as Razorpay does when
   * it is down (`{ status: 503, code: 'SERVER_ERROR' }`) or declines (`{ status: 400, code: 'BAD_REQUEST_ERROR' }`).
   */
  failApi: { status: number; code: string; description: string } | null;
}

async function readJson(req: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  if ((req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
  return JSON.parse(text);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const apiError = (res: ServerResponse, status: number, description: string) => send(res, status, { error: { code: 'BAD_REQUEST_ERROR', description } });

export function createRazorpaySandbox(options: { keys?: SandboxKeys; apiBaseUrl: () => string }): RazorpaySandbox {
  const keys = options.keys ?? sandboxKeys();
  const links = new Map<string, Link>();
  const delivered: RazorpaySandbox['delivered'] = [];

  const current = (link: Link): Link => {
    if (link.status === 'created' && link.expire_by && link.expire_by < now()) link.status = 'expired';
    return link;
  };

  async function deliver(event: string, payload: Record<string, unknown>): Promise<void> {
    const body = JSON.stringify({ entity: 'event', account_id: 'acc_sandbox', event, contains: Object.keys(payload), payload, created_at: now() });
    const eventId = id('evt');
    if (sandbox.dropWebhooks) {
      delivered.push({ event, eventId, status: 0 });
      return;
    }
    const response = await fetch(`${options.apiBaseUrl()}/api/payments/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-razorpay-signature': razorpaySignature(body, keys.webhookSecret), 'x-razorpay-event-id': eventId },
      body,
    }).catch(() => undefined);
    delivered.push({ event, eventId, status: response?.status ?? 0 });
  }

  function authorized(req: IncomingMessage): boolean {
    const expected = `Basic ${Buffer.from(`${keys.keyId}:${keys.keySecret}`).toString('base64')}`;
    return req.headers.authorization === expected;
  }

  async function api(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> {
    if (sandbox.failApi) return send(res, sandbox.failApi.status, { error: { code: sandbox.failApi.code, description: sandbox.failApi.description } });
    if (!authorized(req)) return send(res, 401, { error: { code: 'BAD_REQUEST_ERROR', description: 'The api key provided is invalid' } });
    if (req.method === 'POST' && path === '/v1/payment_links') {
      const body = await readJson(req);
      if (!Number.isInteger(body.amount) || body.amount < 100) return apiError(res, 400, 'The amount must be atleast INR 1.00');
      if (body.reference_id && [...links.values()].some((link) => link.reference_id === body.reference_id)) {
        return apiError(res, 400, `Payment Link with reference id ${body.reference_id} already exists`);
      }
      const link: Link = {
        id: id('plink'),
        amount: body.amount,
        currency: body.currency ?? 'INR',
        reference_id: body.reference_id ?? '',
        description: body.description ?? '',
        notes: body.notes ?? {},
        callback_url: body.callback_url,
        expire_by: body.expire_by,
        status: 'created',
        amount_paid: 0,
        created_at: now(),
        payments: [],
      };
      links.set(link.id, link);
      return send(res, 200, view(link));
    }
    if (req.method === 'GET' && path === '/v1/payment_links') {
      const reference = query.get('reference_id');
      return send(res, 200, { payment_links: [...links.values()].filter((link) => !reference || link.reference_id === reference).map((link) => view(current(link))) });
    }
    const linkMatch = /^\/v1\/payment_links\/(plink_\w+)$/.exec(path);
    if (req.method === 'GET' && linkMatch) {
      const link = links.get(linkMatch[1]);
      return link ? send(res, 200, view(current(link))) : apiError(res, 400, 'The id provided does not exist');
    }
    const refundMatch = /^\/v1\/payments\/(pay_\w+)\/refund$/.exec(path);
    if (req.method === 'POST' && refundMatch) {
      const body = await readJson(req);
      const link = [...links.values()].find((candidate) => candidate.payments.some((p) => p.payment_id === refundMatch[1] && p.status === 'captured'));
      if (!link) return apiError(res, 400, 'The id provided does not exist');
      const refund = { id: id('rfnd'), entity: 'refund', amount: body.amount ?? link.amount, currency: link.currency, payment_id: refundMatch[1], notes: body.notes ?? {}, receipt: body.receipt ?? null, status: 'processed', speed_processed: 'normal', created_at: now() };
      send(res, 200, { ...refund, status: 'pending' });
      setTimeout(() => void deliver('refund.processed', { refund: { entity: refund }, payment: { entity: paymentEntity(link, refundMatch[1], 'refunded') } }), 50);
      return;
    }
    return apiError(res, 404, 'The requested URL was not found on the server.');
  }

  function view(link: Link) {
    return {
      id: link.id,
      entity: 'payment_link',
      amount: link.amount,
      amount_paid: link.amount_paid,
      currency: link.currency,
      reference_id: link.reference_id,
      description: link.description,
      notes: link.notes,
      status: link.status,
      short_url: `${options.apiBaseUrl()}${SANDBOX_PREFIX}/pay/${link.id}`,
      callback_url: link.callback_url,
      callback_method: 'get',
      expire_by: link.expire_by,
      created_at: link.created_at,
      payments: link.payments.length ? link.payments : null,
    };
  }

  function paymentEntity(link: Link, paymentId: string, status: string) {
    return { id: paymentId, entity: 'payment', amount: link.amount, currency: link.currency, status, method: 'upi', order_id: `order_${link.id.slice(6)}`, captured: status === 'captured', notes: link.notes, created_at: now() };
  }

  function page(res: ServerResponse, link: Link): void {
    const amount = `${link.currency} ${(link.amount / 100).toFixed(2)}`;
    const open = link.status === 'created';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Sandbox payment</title>
<style>body{font-family:system-ui,sans-serif;max-width:420px;margin:0 auto;padding:24px;color:#1b1b1f}h1{font-size:20px}.amount{font-size:32px;font-weight:700;margin:12px 0}.note{color:#555;font-size:14px}button{display:block;width:100%;font-size:18px;padding:14px;margin:10px 0;border-radius:10px;border:0;cursor:pointer}.ok{background:#137333;color:#fff}.fail{background:#b3261e;color:#fff}.cancel{background:#e7e7ea}</style></head>
<body><p class="note">Razorpay test mode · local sandbox</p><h1>${escapeHtml(link.description)}</h1><div class="amount" data-testid="sandbox-amount">${escapeHtml(amount)}</div>
${open ? `<form method="post"><button class="ok" name="outcome" value="success">Pay (success)</button><button class="fail" name="outcome" value="failure">Fail the payment</button><button class="cancel" name="outcome" value="cancel">Cancel</button></form>` : `<p data-testid="sandbox-status">This payment link is ${escapeHtml(link.status)}.</p>`}
</body></html>`);
  }

  async function pay(req: IncomingMessage, res: ServerResponse, link: Link): Promise<void> {
    const { outcome } = await readJson(req);
    current(link);
    const back = (status: string, paymentId?: string) => {
      if (!link.callback_url) return page(res, link);
      const url = new URL(link.callback_url);
      url.searchParams.set('razorpay_payment_link_id', link.id);
      url.searchParams.set('razorpay_payment_link_reference_id', link.reference_id);
      url.searchParams.set('razorpay_payment_link_status', status);
      if (paymentId) url.searchParams.set('razorpay_payment_id', paymentId);
      res.writeHead(303, { location: url.toString() });
      res.end();
    };
    if (link.status !== 'created' || outcome === 'cancel') return back(link.status === 'created' ? 'cancelled' : link.status);
    const paymentId = id('pay');
    if (outcome === 'failure') {
      link.payments.push({ payment_id: paymentId, amount: link.amount, status: 'failed', method: 'upi', plink_id: link.id, created_at: now() });
      await deliver('payment.failed', { payment: { entity: { ...paymentEntity(link, paymentId, 'failed'), error_code: 'BAD_REQUEST_ERROR', error_description: 'Payment failed' } } });
      return back('failed', paymentId);
    }
    link.status = 'paid';
    link.amount_paid = link.amount;
    link.payments.push({ payment_id: paymentId, amount: link.amount, status: 'captured', method: 'upi', plink_id: link.id, created_at: now() });
    await deliver('payment.authorized', { payment: { entity: paymentEntity(link, paymentId, 'authorized') } });
    await deliver('payment.captured', { payment: { entity: paymentEntity(link, paymentId, 'captured') } });
    await deliver('payment_link.paid', { payment_link: { entity: view(link) }, payment: { entity: paymentEntity(link, paymentId, 'captured') } });
    return back('paid', paymentId);
  }

  const sandbox: RazorpaySandbox = {
    keys,
    delivered,
    dropWebhooks: false,
    failApi: null,
    async handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://sandbox');
      const path = url.pathname.slice(SANDBOX_PREFIX.length);
      try {
        const pageMatch = /^\/pay\/(plink_\w+)$/.exec(path);
        if (pageMatch) {
          const link = links.get(pageMatch[1]);
          if (!link) return apiError(res, 404, 'No such payment link');
          if (req.method === 'POST') return await pay(req, res, link);
          return page(res, current(link));
        }
        return await api(req, res, path, url.searchParams);
      } catch {
        if (!res.headersSent) apiError(res, 400, 'Bad request');
      }
    },
  };
  return sandbox;
}
