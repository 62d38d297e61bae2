/**
 * What happened to an online payment, as the bill slice's use cases tell it (a guest started one,
 * the provider's event moved, flagged or refunded it, or was ignored; a manager refunded or checked
 * payments). They join core/events.ts DomainEvent; the pipeline (effects.ts) audits them with
 * `paymentAuditOf` and delivers their pushes (bill/payment-views.ts intentPushes).
 *
 * Generic in the actor (`A`, core/events.ts Actor) so that this module needs nothing of events.ts:
 * events.ts adds the audit log's actor to the entry this module builds.
 */
import type { EntityId } from './entities.ts';

/** What an event needs of a payment intent (the store's document in production). */
export interface PaymentIntentFacts<Id extends EntityId = EntityId> {
  _id: Id;
  restaurantId: string;
  tableId: Id;
  sessionId: Id;
  tableNumber: string;
  status: string;
  amount: number;
  currency: string;
  provider: string;
  scope: { kind: string };
}

/** The provider's event as received (a webhook, or the same synthesised by reconciliation). */
export interface ProviderEventReceived {
  provider: string;
  providerEvent: string;
  eventId: string;
  source: string;
  amountMinor?: number;
  currency?: string;
}

export type PaymentIntentEvent<Id extends EntityId = EntityId, A = unknown> =
  /** The guest's payment page is open (`intent`: as opened). */
  | { type: 'PaymentStarted'; actor: A; intent: PaymentIntentFacts<Id> }
  /** The provider's event moved the intent (`intent`: after the move). */
  | { type: 'PaymentStatusChanged'; actor: A; intent: PaymentIntentFacts<Id>; from: string; received: ProviderEventReceived }
  /** The provider's event does not match the intent (`intent`: the one expected). */
  | { type: 'PaymentFlagged'; actor: A; intent: PaymentIntentFacts<Id>; reason: string; received: ProviderEventReceived }
  /** The provider settled or failed a refund (`intent`: after the change). */
  | { type: 'PaymentRefundUpdated'; actor: A; intent: PaymentIntentFacts<Id>; failed: boolean; refundId?: string; received: ProviderEventReceived }
  /** The provider's event changed nothing (`why`: the transition's reason, or the outcome). */
  | { type: 'ProviderEventIgnored'; actor: A; intent: PaymentIntentFacts<Id>; why: string; received: ProviderEventReceived }
  /** A manager's refund: the provider's answer (`status`) or its failure (`error`); `updated`: the intent after the answer, when it changed. */
  | {
      type: 'PaymentRefunded';
      actor: A;
      intent: PaymentIntentFacts<Id>;
      refund: { intentId: string; refundId: string; amount: number; reason: string; provider: string };
      answer: { status: string } | { error: string };
      updated?: PaymentIntentFacts<Id>;
    }
  /** A manager's "check payments": what the reconciliation looked up. */
  | { type: 'PaymentsChecked'; actor: A; failed: boolean; olderThanMinutes: number; checked: number; changed: number; errors: number };

export type PaymentIntentEventType = PaymentIntentEvent['type'];

// Every type once: a type added to the union and forgotten here is a compile error.
const TYPES: ReadonlySet<string> = new Set(Object.keys({
  PaymentStarted: true,
  PaymentStatusChanged: true,
  PaymentFlagged: true,
  PaymentRefundUpdated: true,
  ProviderEventIgnored: true,
  PaymentRefunded: true,
  PaymentsChecked: true,
} satisfies Record<PaymentIntentEventType, true>));

export const isPaymentIntentEvent = <E extends { type: string }>(event: E): event is Extract<E, { type: PaymentIntentEventType }> => TYPES.has(event.type);

/** The audit entry of a payment event, but for its actor (events.ts maps it). */
export interface PaymentAudit<Id extends EntityId = EntityId> {
  action: string;
  outcome: 'success' | 'failure';
  tableId?: Id;
  sessionId?: Id;
  details: Record<string, unknown>;
}

/** The provider event's part of a webhook entry's details. */
const receivedDetails = <Id extends EntityId>(intent: PaymentIntentFacts<Id>, received: ProviderEventReceived) => ({
  intentId: intent._id.toHexString(),
  provider: received.provider,
  providerEvent: received.providerEvent,
  eventId: received.eventId,
  source: received.source,
  amountMinor: received.amountMinor,
  currency: received.currency,
});

export function paymentAuditOf<Id extends EntityId>(event: PaymentIntentEvent<Id>): PaymentAudit<Id> {
  if (event.type === 'PaymentsChecked') {
    const { olderThanMinutes, checked, changed, errors } = event;
    return { action: 'PAYMENTS_CHECKED', outcome: event.failed ? 'failure' : 'success', details: { olderThanMinutes, checked, changed, errors } };
  }
  const on = { tableId: event.intent.tableId, sessionId: event.intent.sessionId };
  switch (event.type) {
    case 'PaymentStarted': {
      const { intent } = event;
      return {
        action: 'PAYMENT_STARTED',
        outcome: 'success',
        ...on,
        details: { intentId: intent._id.toHexString(), scope: intent.scope.kind, amount: intent.amount, currency: intent.currency, provider: intent.provider },
      };
    }
    case 'PaymentStatusChanged':
      return { action: 'PAYMENT_STATUS_CHANGED', outcome: 'success', ...on, details: { ...receivedDetails(event.intent, event.received), from: event.from, to: event.intent.status } };
    case 'PaymentFlagged':
      return {
        action: 'PAYMENT_FLAGGED',
        outcome: 'failure',
        ...on,
        details: { ...receivedDetails(event.intent, event.received), reason: event.reason, expectedAmount: event.intent.amount, expectedCurrency: event.intent.currency },
      };
    case 'PaymentRefundUpdated':
      return { action: 'PAYMENT_REFUND_UPDATED', outcome: event.failed ? 'failure' : 'success', ...on, details: { ...receivedDetails(event.intent, event.received), refundId: event.refundId } };
    case 'ProviderEventIgnored':
      return { action: 'PAYMENT_EVENT_IGNORED', outcome: 'success', ...on, details: { ...receivedDetails(event.intent, event.received), why: event.why } };
    case 'PaymentRefunded': {
      const { answer } = event;
      const outcome = 'error' in answer || answer.status === 'failed' ? 'failure' : 'success';
      return { action: 'PAYMENT_REFUNDED', outcome, ...on, details: { ...event.refund, ...answer } };
    }
  }
}
