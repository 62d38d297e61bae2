/**
 * What the provider tells us: verified webhooks, and the same events synthesised by reconciliation.
 *
 * Exactly once: the event's record (`<provider>:<event id>`, a unique _id in plato_payment_events)
 * and the intent's change are written in one transaction, so a retried or concurrently delivered
 * event is recorded once and changes the intent once; a crash between the two writes leaves
 * neither. Order does not matter (core/payment-state.ts). A bad signature is refused (401) before
 * anything is read or written; unknown events are acknowledged and ignored.
 */
import { DomainError } from '../core/errors.ts';
import { WebhookPayloadError, WebhookSignatureError, type PaymentEvent, type WebhookRequest } from '../core/payment-provider.ts';
import { nextState, type Transition } from '../core/payment-state.ts';
import type { PaymentIntentDoc } from '../data/payment-documents.ts';
import { applyEventOnce, findIntentOfEvent, type EventTransaction, type IntentMatch } from '../data/payment-webhooks-store.ts';
import { webhookVerifier } from '../payments/webhook-verifier.ts';
import { config } from '../platform/config.ts';
import { afterPaymentCommit as afterCommit } from './payment-views.ts';
import { settleIfCovered } from './payment-settlement.ts';

export type EventOutcome = 'ignored' | 'duplicate' | 'unmatched' | 'moved' | 'flagged' | 'unchanged' | 'refund_updated';

export interface EventResult {
  outcome: EventOutcome;
  intentId?: string;
  transition?: Transition;
}

const matchOf = (provider: string, event: PaymentEvent): IntentMatch => ({
  restaurantId: config().restaurantId,
  provider,
  reference: event.reference,
  providerRef: event.providerRef,
  paymentId: event.paymentId,
});

/** What the event does to its intent (inside the store's transaction): a refund settled, a move, a flag, or nothing. */
async function applyTo(tx: EventTransaction, event: PaymentEvent, source: 'webhook' | 'reconcile', now: Date) {
  const intent = await tx.intent();
  let result: EventResult = { outcome: 'unmatched' };
  let updated: PaymentIntentDoc | null = null;

  if (intent && (event.kind === 'refund.processed' || event.kind === 'refund.failed')) {
    // By Plato's refund id first: the webhook can arrive before the refund call's answer was stored.
    const refund =
      intent.refunds.find((candidate) => event.refundReference !== undefined && candidate.refundId === event.refundReference) ??
      intent.refunds.find((candidate) => candidate.providerRefundId === event.refundId);
    result = { outcome: 'unchanged', intentId: intent._id.toHexString() };
    if (refund && refund.status !== 'processed' && refund.status !== 'failed') {
      updated = await tx.settleRefund(intent, refund, event.kind === 'refund.failed', event.refundId, now);
      result = { outcome: 'refund_updated', intentId: intent._id.toHexString() };
    }
  } else if (intent) {
    const transition = nextState(intent, event);
    result = { outcome: transition.kind === 'move' ? 'moved' : transition.kind === 'flag' ? 'flagged' : 'unchanged', intentId: intent._id.toHexString(), transition };
    if (transition.kind === 'move') {
      updated = await tx.move(intent, transition.to, { source, eventId: event.eventId, paymentId: event.paymentId }, now);
    } else if (transition.kind === 'flag') {
      updated = await tx.flag(intent, {
        at: now,
        reason: transition.reason,
        eventId: event.eventId,
        providerEvent: event.providerEvent,
        ...(event.amountMinor !== undefined ? { amountMinor: event.amountMinor } : {}),
        ...(event.currency ? { currency: event.currency } : {}),
      });
    } else if (event.paymentId && !intent.paymentId && intent.status === 'paid') {
      await tx.notePaymentId(intent, event.paymentId);
    }
  }
  return { outcome: result.outcome, result, intent, updated };
}

/** Applies one provider event exactly once (webhooks and reconciliation). */
export async function applyProviderEvent(provider: string, event: PaymentEvent, source: 'webhook' | 'reconcile'): Promise<EventResult> {
  if (event.kind === 'ignored') return { outcome: 'ignored' };
  const record = { restaurantId: config().restaurantId, provider, eventId: event.eventId, providerEvent: event.providerEvent };
  const done = await applyEventOnce(record, matchOf(provider, event), (tx, now) => applyTo(tx, event, source, now));
  if ('duplicate' in done) return afterDuplicate(provider, event);
  const { result, intent, updated } = done.applied;
  if (intent) await afterApplied(provider, event, source, result, intent, updated);
  return result;
}

/** A second delivery changes nothing; it only finishes a settlement a crash may have left undone. */
async function afterDuplicate(provider: string, event: PaymentEvent): Promise<EventResult> {
  const intent = await findIntentOfEvent(matchOf(provider, event));
  if (intent?.status === 'paid' && !intent.settled) await settleIfCovered({ restaurantId: intent.restaurantId, sessionId: intent.sessionId, ...(intent.billDeviceId ? { billDeviceId: intent.billDeviceId } : {}) });
  return { outcome: 'duplicate', ...(intent ? { intentId: intent._id.toHexString() } : {}) };
}

/** The event's effects (audit entry, pushes) through the pipeline; a payment now paid settles the bill if covered. */
async function afterApplied(provider: string, event: PaymentEvent, source: string, result: EventResult, intent: PaymentIntentDoc, updated: PaymentIntentDoc | null) {
  const received = { provider, providerEvent: event.providerEvent, eventId: event.eventId, source, amountMinor: event.amountMinor, currency: event.currency };
  const common = { actor: { kind: 'anonymous' } as const, received };
  if (result.outcome === 'moved' && updated) {
    await afterCommit([{ type: 'PaymentStatusChanged', ...common, intent: updated, from: intent.status }]);
    if (updated.status === 'paid') {
      await settleIfCovered({ restaurantId: updated.restaurantId, sessionId: updated.sessionId, ...(updated.billDeviceId ? { billDeviceId: updated.billDeviceId } : {}) });
    }
  } else if (result.outcome === 'flagged' && result.transition?.kind === 'flag') {
    await afterCommit([{ type: 'PaymentFlagged', ...common, intent, reason: result.transition.reason }]);
  } else if (result.outcome === 'refund_updated' && updated) {
    await afterCommit([{ type: 'PaymentRefundUpdated', ...common, intent: updated, failed: event.kind !== 'refund.processed', refundId: event.refundId }]);
  } else {
    await afterCommit([{ type: 'ProviderEventIgnored', ...common, intent, why: result.transition?.kind === 'none' ? result.transition.why : result.outcome }]);
  }
}

/** POST /api/payments/webhook: the signature first, over the exact bytes received. */
export async function receiveWebhook(request: WebhookRequest): Promise<{ received: true; outcome: EventOutcome }> {
  const provider = await webhookVerifier();
  // 503: the provider retries later, when the keys are in place.
  if (!provider) throw new DomainError('PAYMENTS_UNAVAILABLE', 'Online payments are not configured');
  let event: PaymentEvent;
  try {
    event = provider.verify(request);
  } catch (error) {
    if (error instanceof WebhookSignatureError) throw new DomainError('WEBHOOK_SIGNATURE_INVALID', 'The webhook signature does not match');
    if (error instanceof WebhookPayloadError) throw new DomainError('VALIDATION_FAILED', `The webhook is not valid: ${error.message}`);
    throw error;
  }
  const { outcome } = await applyProviderEvent(provider.name, event, 'webhook');
  return { received: true, outcome };
}
