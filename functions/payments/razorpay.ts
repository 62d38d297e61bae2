/**
 * Razorpay, through its official Node package: Payment Links (a hosted page the phone opens — UPI,
 * cards and netbanking — so no Razorpay script runs in Plato's apps), webhooks signed with
 * HMAC-SHA256 over the raw body (`X-Razorpay-Signature`, event id in `X-Razorpay-Event-Id`), and
 * refunds. Amounts are paise (minor units) both ways.
 *
 * Webhook events read (subscribe to these in the dashboard): payment_link.paid, payment_link.expired,
 * payment_link.cancelled, payment.authorized, payment.captured, payment.failed, refund.processed,
 * refund.failed. Every other event is acknowledged and ignored.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import Razorpay from 'razorpay';
import type { PaymentLinks } from 'razorpay/dist/types/paymentLink.js';
import type { Refunds } from 'razorpay/dist/types/refunds.js';
import * as z from 'zod';
import {
  ProviderError,
  WebhookPayloadError,
  WebhookSignatureError,
  type CreatePaymentInput,
  type CreatedPayment,
  type PaymentEvent,
  type PaymentProvider,
  type PaymentSnapshot,
  type RefundInput,
  type RefundResult,
  type WebhookRequest,
} from '../core/payment-provider.ts';

export interface RazorpayCredentials {
  keyId: string;
  keySecret: string;
  webhookSecret: string;
  /**
   * Another API host (the local runtime's sandbox, or a test's stand-in at the adapter's edge). The
   * package always talks to api.razorpay.com; this replaces only the base URL of its HTTP client.
   */
  apiBaseUrl?: string;
}

/** Plato's intent id in a payment link's notes (the link's reference_id carries it too). */
export const INTENT_NOTE = 'plato_intent';
/** Plato's refund id in a refund's notes and receipt. */
export const REFUND_NOTE = 'plato_refund';

/** HMAC-SHA256 of the raw body with the webhook secret, hex: Razorpay's X-Razorpay-Signature. */
export const razorpaySignature = (rawBody: Buffer | string, secret: string): string => createHmac('sha256', secret).update(rawBody).digest('hex');

/** Constant-time comparison of a presented hex signature with the expected one. */
export function signatureMatches(rawBody: Buffer, presented: string | undefined, secret: string): boolean {
  if (!presented || !/^[0-9a-f]{64}$/i.test(presented)) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(presented, 'hex'));
}

const entity = <T extends z.ZodType>(schema: T) => z.object({ entity: schema });
const notes = z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())]).optional().nullable();
const PaymentEntity = z.object({
  id: z.string(),
  amount: z.number().int(),
  currency: z.string(),
  status: z.string().optional(),
  notes,
});
const LinkEntity = z.object({
  id: z.string(),
  reference_id: z.string().nullable().optional(),
  amount: z.number().int().optional(),
  amount_paid: z.number().int().optional(),
  currency: z.string().optional(),
  notes,
});
const RefundEntity = z.object({ id: z.string(), amount: z.number().int(), currency: z.string(), payment_id: z.string(), notes, receipt: z.string().nullable().optional() });
const Envelope = z.object({
  entity: z.literal('event'),
  event: z.string().min(1).max(100),
  payload: z.object({
    payment: entity(PaymentEntity).optional(),
    payment_link: entity(LinkEntity).optional(),
    refund: entity(RefundEntity).optional(),
  }),
});

const noteOf = (value: z.infer<typeof notes>, key: string): string | undefined => {
  if (!value || Array.isArray(value)) return undefined;
  const found = value[key];
  return typeof found === 'string' ? found : undefined;
};

const LINK_EVENTS: Record<string, PaymentEvent['kind']> = {
  'payment_link.paid': 'payment.captured',
  'payment_link.expired': 'payment.expired',
  'payment_link.cancelled': 'payment.cancelled',
};
const PAYMENT_EVENTS: Record<string, PaymentEvent['kind']> = {
  'payment.authorized': 'payment.authorized',
  'payment.captured': 'payment.captured',
  'payment.failed': 'payment.failed',
};
const REFUND_EVENTS: Record<string, PaymentEvent['kind']> = { 'refund.processed': 'refund.processed', 'refund.failed': 'refund.failed' };

/** Reads a verified Razorpay webhook body into Plato's event. Exported for the adapter's tests. */
export function readRazorpayEvent(eventId: string, body: unknown): PaymentEvent {
  const parsed = Envelope.safeParse(body);
  if (!parsed.success) throw new WebhookPayloadError('Not a Razorpay event envelope');
  const { event, payload } = parsed.data;
  const base = { eventId, providerEvent: event };
  if (event in LINK_EVENTS) {
    const link = payload.payment_link?.entity;
    if (!link) throw new WebhookPayloadError(`${event} without its payment_link`);
    const payment = payload.payment?.entity;
    const reference = link.reference_id ?? noteOf(link.notes, INTENT_NOTE);
    return {
      ...base,
      kind: LINK_EVENTS[event],
      providerRef: link.id,
      ...(reference ? { reference } : {}),
      // What was taken is the payment's amount; a paid link without its payment reports the link's amount_paid.
      ...(payment
        ? { paymentId: payment.id, amountMinor: payment.amount, currency: payment.currency }
        : event === 'payment_link.paid' && link.amount_paid !== undefined && link.currency
          ? { amountMinor: link.amount_paid, currency: link.currency }
          : {}),
    };
  }
  if (event in PAYMENT_EVENTS) {
    const payment = payload.payment?.entity;
    if (!payment) throw new WebhookPayloadError(`${event} without its payment`);
    const reference = noteOf(payment.notes, INTENT_NOTE);
    return { ...base, kind: PAYMENT_EVENTS[event], paymentId: payment.id, amountMinor: payment.amount, currency: payment.currency, ...(reference ? { reference } : {}) };
  }
  if (event in REFUND_EVENTS) {
    const refund = payload.refund?.entity;
    if (!refund) throw new WebhookPayloadError(`${event} without its refund`);
    const reference = noteOf(refund.notes, INTENT_NOTE);
    const refundReference = refund.receipt ?? noteOf(refund.notes, REFUND_NOTE);
    return {
      ...base,
      kind: REFUND_EVENTS[event],
      refundId: refund.id,
      ...(refundReference ? { refundReference } : {}),
      paymentId: refund.payment_id,
      amountMinor: refund.amount,
      currency: refund.currency,
      ...(reference ? { reference } : {}),
    };
  }
  return { ...base, kind: 'ignored' };
}

interface RazorpayApiError {
  statusCode?: number;
  error?: { code?: string; description?: string };
}

function providerError(error: unknown, what: string): ProviderError {
  const e = error as RazorpayApiError;
  const status = typeof e?.statusCode === 'number' ? e.statusCode : undefined;
  const retryable = status === undefined || status >= 500 || status === 429;
  return new ProviderError(`Razorpay could not ${what}${e?.error?.description ? `: ${e.error.description}` : ''}`, retryable, e?.error?.code);
}

const isDuplicateReference = (error: unknown): boolean => {
  const e = error as RazorpayApiError;
  return e?.statusCode === 400 && /reference/i.test(e.error?.description ?? '') && /exist/i.test(e.error?.description ?? '');
};

/** The request body of a payment link for an intent: typed by the official package. */
export function paymentLinkRequest(input: CreatePaymentInput): PaymentLinks.RazorpayPaymentLinkCreateRequestBody {
  return {
    amount: input.amountMinor,
    currency: input.currency,
    accept_partial: false,
    reference_id: input.reference,
    description: input.description.slice(0, 2048),
    customer: {},
    notify: { sms: false, email: false },
    reminder_enable: false,
    notes: { [INTENT_NOTE]: input.reference },
    callback_url: input.returnUrl,
    callback_method: 'get',
    expire_by: Math.floor(input.expiresAt.getTime() / 1000),
  };
}

export function refundRequest(input: RefundInput, intentId?: string): Refunds.RazorpayRefundCreateRequestBody {
  return {
    amount: input.amountMinor,
    speed: 'normal',
    receipt: input.reference,
    notes: { [REFUND_NOTE]: input.reference, ...(intentId ? { [INTENT_NOTE]: intentId } : {}), reason: input.reason.slice(0, 250) },
  };
}

function linkSnapshot(link: PaymentLinks.RazorpayPaymentLink): PaymentSnapshot {
  const payments = (Array.isArray(link.payments) ? link.payments : link.payments ? [link.payments] : []) as PaymentLinks.RazorpayPaymentBaseRequestBody[];
  const captured = payments.find((payment) => payment.status === 'captured');
  const status: PaymentSnapshot['status'] = link.status === 'paid' ? 'paid' : link.status === 'expired' ? 'expired' : link.status === 'cancelled' ? 'cancelled' : 'pending';
  return {
    status,
    amountMinor: Number(link.amount_paid ?? 0),
    currency: link.currency ?? 'INR',
    ...(captured ? { paymentId: captured.payment_id } : {}),
  };
}

export function razorpayProvider(credentials: RazorpayCredentials): PaymentProvider & { client: Razorpay } {
  const client = new Razorpay({ key_id: credentials.keyId, key_secret: credentials.keySecret });
  if (credentials.apiBaseUrl) {
    (client as unknown as { api: { rq: { defaults: { baseURL: string } } } }).api.rq.defaults.baseURL = credentials.apiBaseUrl;
  }

  return {
    name: 'razorpay',
    client,

    async createPayment(input: CreatePaymentInput): Promise<CreatedPayment> {
      let link: PaymentLinks.RazorpayPaymentLink;
      try {
        link = await client.paymentLink.create(paymentLinkRequest(input));
      } catch (error) {
        // A retry of a create whose answer was lost: the link with this reference exists already.
        if (!isDuplicateReference(error)) throw providerError(error, 'create the payment link');
        let found: PaymentLinks.RazorpayPaymentLink | undefined;
        try {
          const list = await client.paymentLink.all({ reference_id: input.reference } as Parameters<typeof client.paymentLink.all>[0]);
          found = list.payment_links.find((candidate) => candidate.reference_id === input.reference);
        } catch (lookup) {
          throw providerError(lookup, 'find the payment link');
        }
        if (!found) throw providerError(error, 'create the payment link');
        link = found;
      }
      return { providerRef: link.id, checkoutUrl: link.short_url };
    },

    verifyWebhook({ rawBody, headers }: WebhookRequest): PaymentEvent {
      if (!signatureMatches(rawBody, headers['x-razorpay-signature'], credentials.webhookSecret)) throw new WebhookSignatureError();
      const eventId = headers['x-razorpay-event-id'];
      if (!eventId || eventId.length > 100) throw new WebhookPayloadError('X-Razorpay-Event-Id is missing');
      let body: unknown;
      try {
        body = JSON.parse(rawBody.toString('utf8'));
      } catch {
        throw new WebhookPayloadError('The webhook body is not JSON');
      }
      return readRazorpayEvent(eventId, body);
    },

    async fetchStatus(providerRef: string): Promise<PaymentSnapshot> {
      try {
        return linkSnapshot(await client.paymentLink.fetch(providerRef));
      } catch (error) {
        throw providerError(error, 'fetch the payment link');
      }
    },

    async refund(input: RefundInput): Promise<RefundResult> {
      try {
        const refund = await client.payments.refund(input.paymentId, refundRequest(input));
        return { refundId: refund.id, status: refund.status };
      } catch (error) {
        throw providerError(error, 'refund the payment');
      }
    },
  };
}
