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
import type { PaymentLinks } from 'razorpay/dist/types/paymentLink.js';
import type { Refunds } from 'razorpay/dist/types/refunds.js';
import { razorpayClient, type RazorpayClient } from './razorpay-client.ts';
import { INTENT_NOTE, REFUND_NOTE, verifyRazorpayWebhook } from './razorpay-webhooks.ts';
export { razorpaySignature, readRazorpayEvent, signatureMatches, verifyRazorpayWebhook } from './razorpay-webhooks.ts';
import {
  ProviderError,
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

export function razorpayProvider(credentials: RazorpayCredentials): PaymentProvider & { client: RazorpayClient } {
  const client = razorpayClient(credentials.keyId, credentials.keySecret, credentials.apiBaseUrl);

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

    verifyWebhook: (request: WebhookRequest): PaymentEvent => verifyRazorpayWebhook(request, credentials.webhookSecret),

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
