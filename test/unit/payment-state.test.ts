/** The intent state rules (core/payment-state.ts): monotonic, order-tolerant, mismatches flagged. */
import { describe, expect, it } from 'vitest';
import { INTENT_STATUSES, type IntentStatus } from '../../functions/core/payment-provider.ts';
import { nextState, refundProblem } from '../../functions/core/payment-state.ts';

const intent = (status: IntentStatus) => ({ status, amount: 52_500, currency: 'INR' });
const paid = { amountMinor: 52_500, currency: 'INR' };

describe('nextState', () => {
  it('captured moves anything but paid to paid, even after failed, expired or cancelled (money was taken)', () => {
    for (const status of INTENT_STATUSES) {
      const expected = status === 'paid' ? { kind: 'none', why: 'no_change' } : { kind: 'move', to: 'paid' };
      expect(nextState(intent(status), { kind: 'payment.captured', ...paid })).toEqual(expected);
    }
  });

  it('a late authorized, failed, expired or cancelled never undoes paid', () => {
    for (const kind of ['payment.authorized', 'payment.failed', 'payment.expired', 'payment.cancelled'] as const) {
      expect(nextState(intent('paid'), { kind, ...paid }).kind).toBe('none');
    }
  });

  it('failed only from an open intent; an authorized payment is not failed by another attempt', () => {
    expect(nextState(intent('pending'), { kind: 'payment.failed' })).toEqual({ kind: 'move', to: 'failed' });
    expect(nextState(intent('authorized'), { kind: 'payment.failed' }).kind).toBe('none');
  });

  it('a failed attempt can be followed by a successful one', () => {
    expect(nextState(intent('failed'), { kind: 'payment.authorized', ...paid })).toEqual({ kind: 'move', to: 'authorized' });
  });

  it('a different amount or currency, or none, is flagged and moves nothing', () => {
    expect(nextState(intent('pending'), { kind: 'payment.captured', amountMinor: 52_400, currency: 'INR' })).toEqual({ kind: 'flag', reason: 'amount_mismatch' });
    expect(nextState(intent('pending'), { kind: 'payment.captured', amountMinor: 52_500, currency: 'USD' })).toEqual({ kind: 'flag', reason: 'currency_mismatch' });
    expect(nextState(intent('pending'), { kind: 'payment.authorized' })).toEqual({ kind: 'flag', reason: 'amount_missing' });
  });

  it('refund and unknown events are not payment transitions', () => {
    expect(nextState(intent('paid'), { kind: 'refund.processed', ...paid }).kind).toBe('none');
    expect(nextState(intent('pending'), { kind: 'ignored' }).kind).toBe('none');
  });
});

describe('refundProblem', () => {
  it('allows refunds up to what was paid, only on paid intents', () => {
    expect(refundProblem({ status: 'paid', amount: 1000, refunded: 0 }, 1000)).toBeUndefined();
    expect(refundProblem({ status: 'paid', amount: 1000, refunded: 400 }, 601)).toMatch(/600/);
    expect(refundProblem({ status: 'pending', amount: 1000, refunded: 0 }, 100)).toMatch(/paid/);
    expect(refundProblem({ status: 'paid', amount: 1000, refunded: 0 }, 0)).toBeDefined();
  });
});
