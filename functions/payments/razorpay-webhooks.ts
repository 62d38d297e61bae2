/**
 * Razorpay's webhooks without its API client: the signature (HMAC-SHA256 of the raw body with the
 * webhook secret, hex, in `X-Razorpay-Signature`, compared in constant time) and the documented event
 * payloads read into Plato's events. Kept apart from razorpay.ts so the webhook function does not
 * bundle the `razorpay` package and its HTTP client.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';
import { WebhookPayloadError, WebhookSignatureError, type PaymentEvent, type WebhookRequest } from '../core/payment-provider.ts';

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

/** Verifies and reads a Razorpay webhook: throws WebhookSignatureError or WebhookPayloadError. */
export function verifyRazorpayWebhook({ rawBody, headers }: WebhookRequest, webhookSecret: string): PaymentEvent {
  if (!signatureMatches(rawBody, headers['x-razorpay-signature'], webhookSecret)) throw new WebhookSignatureError();
  const eventId = headers['x-razorpay-event-id'];
  if (!eventId || eventId.length > 100) throw new WebhookPayloadError('X-Razorpay-Event-Id is missing');
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new WebhookPayloadError('The webhook body is not JSON');
  }
  return readRazorpayEvent(eventId, body);
}
