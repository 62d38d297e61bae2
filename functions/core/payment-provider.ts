import { DomainError } from './errors.ts';

/**
 * What Plato needs from a payment provider, in Plato's words. The domain (bill/payment-intents.ts,
 * bill/payment-webhooks.ts) only ever sees this interface; each provider is an adapter under
 * functions/payments/ that maps it to the provider's API and webhook format (Razorpay today; a
 * Stripe adapter would implement the same four operations). Amounts are integer minor units.
 */

/** Where an intent stands, as Plato tracks it. `paid` is final; a later refund does not undo it. */
export const INTENT_STATUSES = ['creating', 'pending', 'authorized', 'paid', 'failed', 'expired', 'cancelled'] as const;
export type IntentStatus = (typeof INTENT_STATUSES)[number];

export interface CreatePaymentInput {
  /** Plato's intent id: the provider keeps it as the payment's reference (one payment page per reference). */
  reference: string;
  amountMinor: number;
  currency: string;
  /** Shown on the payment page, e.g. "Plato Demo Kitchen · T-4 bill 004". */
  description: string;
  /** Where the payment page sends the guest back to. */
  returnUrl: string;
  /** When the payment page stops taking payments. */
  expiresAt: Date;
}

export interface CreatedPayment {
  /** The provider's id of what was created (a Razorpay Payment Link `plink_…`). */
  providerRef: string;
  /** The hosted payment page the phone opens. */
  checkoutUrl: string;
}

/** What a verified webhook says, once the adapter has read the provider's format. */
export type PaymentEventKind =
  | 'payment.authorized'
  | 'payment.captured'
  | 'payment.failed'
  | 'payment.expired'
  | 'payment.cancelled'
  | 'refund.processed'
  | 'refund.failed'
  /** Anything else the provider sends: acknowledged and ignored. */
  | 'ignored';

export interface PaymentEvent {
  /** The provider's event id: each is processed once. */
  eventId: string;
  kind: PaymentEventKind;
  /** The provider's own event name (for the audit log). */
  providerEvent: string;
  /** Plato's intent id, when the event carries it. */
  reference?: string;
  /** The provider's id of the payment page (a Payment Link id). */
  providerRef?: string;
  /** The provider's id of the money movement (a Razorpay `pay_…`), needed to refund it. */
  paymentId?: string;
  /** What the provider says was paid (payment events) or refunded (refund events). */
  amountMinor?: number;
  currency?: string;
  /** Refund events: the provider's refund id. */
  refundId?: string;
  /** Refund events: Plato's refund id, when the provider echoes it (RefundInput.reference). */
  refundReference?: string;
}

/** The provider's current view of a payment page (reconciliation). */
export interface PaymentSnapshot {
  status: 'pending' | 'paid' | 'expired' | 'cancelled';
  /** Paid so far, minor units. */
  amountMinor: number;
  currency: string;
  paymentId?: string;
}

export interface RefundInput {
  paymentId: string;
  amountMinor: number;
  /** Plato's refund id: the provider keeps it as the refund's receipt, so a retry is recognised. */
  reference: string;
  reason: string;
}

export interface RefundResult {
  refundId: string;
  status: 'pending' | 'processed' | 'failed';
}

export interface WebhookRequest {
  /** Exactly the bytes that arrived: signatures are over these, never over re-serialised JSON. */
  rawBody: Buffer;
  /** Lower-case header names. */
  headers: Readonly<Record<string, string | undefined>>;
}

export interface PaymentProvider {
  readonly name: string;
  createPayment(input: CreatePaymentInput): Promise<CreatedPayment>;
  /** Throws WebhookSignatureError when the signature does not match; parses only a verified body. */
  verifyWebhook(request: WebhookRequest): PaymentEvent;
  fetchStatus(providerRef: string): Promise<PaymentSnapshot>;
  refund(input: RefundInput): Promise<RefundResult>;
}

export class WebhookSignatureError extends Error {
  constructor(message = 'The webhook signature does not match') {
    super(message);
    this.name = 'WebhookSignatureError';
  }
}

/** A verified body the adapter cannot read as the provider's event envelope. */
export class WebhookPayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookPayloadError';
  }
}

/** The provider refused or failed a call; `retryable` when trying again later may work. */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly providerCode?: string,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

/**
 * The API's answer to a provider's failure: PAYMENT_PROVIDER_UNAVAILABLE (503, Retry-After) when
 * trying again later may work, PAYMENT_PROVIDER_FAILED (502) when the provider refused. `what` says
 * what did not happen, for the people reading the message ("nothing was charged").
 */
export function providerFailure(error: ProviderError, what: string): DomainError {
  const details = error.providerCode ? { providerCode: error.providerCode } : undefined;
  return error.retryable
    ? new DomainError('PAYMENT_PROVIDER_UNAVAILABLE', `The payment provider is not answering; ${what}. Please try again shortly`, { details, retryAfterSeconds: 5 })
    : new DomainError('PAYMENT_PROVIDER_FAILED', `The payment provider refused this; ${what}`, { details });
}
