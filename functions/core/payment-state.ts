/**
 * How a payment intent moves when the provider tells us something (a webhook or a reconciliation
 * fetch). Pure: the services load the intent, ask `nextState`, and write the answer conditionally.
 *
 * Events may arrive in any order and more than once, so the rule is monotonic: money taken
 * (captured) always wins and is never undone by a later "failed", "expired" or a late "authorized";
 * a failed attempt can still be followed by a successful one on the same payment page. An event
 * whose amount or currency differs from the intent never moves it: it is flagged for a manager.
 */
import type { IntentStatus, PaymentEventKind } from './payment-provider.ts';

export interface IntentFacts {
  status: IntentStatus;
  amount: number;
  currency: string;
}

export interface ObservedPayment {
  kind: PaymentEventKind;
  amountMinor?: number;
  currency?: string;
}

export type Transition =
  | { kind: 'move'; to: IntentStatus }
  | { kind: 'flag'; reason: 'amount_mismatch' | 'currency_mismatch' | 'amount_missing' }
  | { kind: 'none'; why: 'no_change' | 'superseded' | 'not_a_payment_event' };

const OPEN: readonly IntentStatus[] = ['creating', 'pending'];
/** States a successful authorization may come after: an earlier attempt failed, or the page lapsed while the bank was slow. */
const BEFORE_AUTHORIZED: readonly IntentStatus[] = ['creating', 'pending', 'failed', 'expired', 'cancelled'];

function mismatch(intent: IntentFacts, event: ObservedPayment): Transition | undefined {
  if (event.amountMinor === undefined || event.currency === undefined) return { kind: 'flag', reason: 'amount_missing' };
  if (event.currency.toUpperCase() !== intent.currency.toUpperCase()) return { kind: 'flag', reason: 'currency_mismatch' };
  if (event.amountMinor !== intent.amount) return { kind: 'flag', reason: 'amount_mismatch' };
  return undefined;
}

export function nextState(intent: IntentFacts, event: ObservedPayment): Transition {
  const { status } = intent;
  switch (event.kind) {
    case 'payment.captured': {
      const flagged = mismatch(intent, event);
      if (flagged) return flagged;
      return status === 'paid' ? { kind: 'none', why: 'no_change' } : { kind: 'move', to: 'paid' };
    }
    case 'payment.authorized': {
      const flagged = mismatch(intent, event);
      if (flagged) return flagged;
      if (status === 'authorized') return { kind: 'none', why: 'no_change' };
      return BEFORE_AUTHORIZED.includes(status) ? { kind: 'move', to: 'authorized' } : { kind: 'none', why: 'superseded' };
    }
    case 'payment.failed':
      if (status === 'failed') return { kind: 'none', why: 'no_change' };
      return OPEN.includes(status) ? { kind: 'move', to: 'failed' } : { kind: 'none', why: 'superseded' };
    case 'payment.expired':
    case 'payment.cancelled': {
      const to: IntentStatus = event.kind === 'payment.expired' ? 'expired' : 'cancelled';
      if (status === to) return { kind: 'none', why: 'no_change' };
      return [...OPEN, 'failed'].includes(status) ? { kind: 'move', to } : { kind: 'none', why: 'superseded' };
    }
    default:
      return { kind: 'none', why: 'not_a_payment_event' };
  }
}

/** What the diner shows for an intent: failed, expired and cancelled all mean "not paid, try again". */
/** The paymentMethod of orders settled by online payments (the only payments Plato refunds). */
export const ONLINE_METHOD = 'ONLINE';

export const isSettledStatus = (status: IntentStatus): boolean => status === 'paid';
export const isOpenStatus = (status: IntentStatus): boolean => status === 'creating' || status === 'pending' || status === 'authorized';

/**
 * A refund of `requested` minor units is allowed when the intent is paid and the refunds so far
 * plus this one do not exceed what was paid.
 */
export function refundProblem(intent: { status: IntentStatus; amount: number; refunded: number }, requested: number): string | undefined {
  if (intent.status !== 'paid') return 'Only a paid payment can be refunded';
  if (!Number.isSafeInteger(requested) || requested <= 0) return 'The refund must be a positive amount';
  if (intent.refunded + requested > intent.amount) return `At most ${intent.amount - intent.refunded} is left to refund`;
  return undefined;
}
