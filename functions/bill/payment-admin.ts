/**
 * Managers' payment actions: refunds (full or partial, with a reason, through the provider) and
 * "check payments" — the reconciliation the schedule also runs: intents still open after N minutes
 * are looked up at the provider, which catches webhooks that never arrived.
 */
import { staffActor } from '../core/events.ts';
import { ObjectId } from 'mongodb';
import type { StaffPrincipal } from '../auth/principal.ts';
import { DomainError, notFound } from '../core/errors.ts';
import { ProviderError, providerFailure, type PaymentEvent } from '../core/payment-provider.ts';
import { refundProblem } from '../core/payment-state.ts';
import { findIntent, findOpenIntentsBefore, recordRefundAnswer, releaseRefund, reserveRefund } from '../data/payments-store.ts';
import { paymentProvider } from '../payments/provider.ts';
import { config } from '../platform/config.ts';
import { logger } from '../platform/logger.ts';
import type { RequestOrigin } from '../data/audit.ts';
import { afterPaymentCommit as afterCommit, toStaffIntent, type StaffIntentView } from './payment-views.ts';
import { applyProviderEvent } from './payment-webhooks.ts';

async function requireProvider() {
  const provider = await paymentProvider();
  if (!provider) throw new DomainError('PAYMENTS_UNAVAILABLE', 'Online payments are not configured');
  return provider;
}

export interface RefundRequest {
  /** Minor units; the whole remaining amount when omitted. */
  amount?: number;
  reason: string;
}

/** POST /api/staff/payments/:intentId/refund (MANAGER). */
export async function refundPayment(staff: StaffPrincipal, intentId: string, input: RefundRequest, origin: RequestOrigin = {}): Promise<StaffIntentView> {
  const provider = await requireProvider();
  const _id = new ObjectId(intentId);
  const intent = await findIntent(staff.restaurantId, _id);
  if (!intent) throw notFound('Payment');
  const amount = input.amount ?? intent.amount - intent.refunded;
  const problem = refundProblem(intent, amount);
  if (problem) throw new DomainError('STATUS_CONFLICT', problem, { details: { status: intent.status, amount: intent.amount, refunded: intent.refunded } });
  if (!intent.paymentId) throw new DomainError('STATUS_CONFLICT', 'The provider has not told us its payment id yet: check payments first');

  // Reserve the amount first (conditional on what we read), so two refunds can never exceed the payment.
  const refundId = new ObjectId().toHexString();
  const now = new Date();
  const by = { userId: staff.userId, username: staff.username };
  const reserved = await reserveRefund(intent, { refundId, amount, reason: input.reason, status: 'requested', by, at: now, updatedAt: now });
  if (!reserved) throw new DomainError('CONFLICT', 'This payment changed meanwhile: reload and try again');

  const refunded = { type: 'PaymentRefunded', actor: staffActor(staff), intent, refund: { intentId, refundId, amount, reason: input.reason, provider: provider.name } } as const;
  let result;
  try {
    result = await provider.refund({ paymentId: intent.paymentId, amountMinor: amount, reference: refundId, reason: input.reason });
  } catch (error) {
    await releaseRefund(staff.restaurantId, _id, refundId, amount, new Date());
    await afterCommit([{ ...refunded, answer: { error: (error as Error).message } }], origin);
    if (error instanceof ProviderError) throw providerFailure(error, 'nothing was refunded');
    throw error;
  }
  // Only a refund still `requested`: its webhook may have settled it already.
  const updated = await recordRefundAnswer(staff.restaurantId, _id, refundId, { status: result.status, providerRefundId: result.refundId, amount }, new Date());
  await afterCommit([{ ...refunded, answer: { status: result.status }, ...(updated ? { updated } : {}) }], origin);
  return toStaffIntent(updated ?? (await findIntent(staff.restaurantId, _id))!);
}

export interface ReconcileReport {
  checked: number;
  changed: { intentId: string; outcome: string }[];
  errors: number;
  /** The provider's last failure, when a lookup failed at the provider (not returned to clients). */
  providerError?: ProviderError;
}

/**
 * Looks up every intent still open (creating with a page, pending, authorized) created more than
 * `olderThanMinutes` ago, and applies what the provider says through the same path as a webhook.
 */
export async function reconcilePayments(olderThanMinutes: number, limit = 100): Promise<ReconcileReport> {
  const provider = await requireProvider();
  const before = new Date(Date.now() - olderThanMinutes * 60_000);
  const open = await findOpenIntentsBefore(config().restaurantId, before, limit);
  const report: ReconcileReport = { checked: open.length, changed: [], errors: 0 };
  for (const intent of open) {
    try {
      const snapshot = await provider.fetchStatus(intent.providerRef!);
      if (snapshot.status === 'pending') continue;
      const kind: PaymentEvent['kind'] = snapshot.status === 'paid' ? 'payment.captured' : snapshot.status === 'expired' ? 'payment.expired' : 'payment.cancelled';
      const event: PaymentEvent = {
        eventId: `reconcile:${intent._id.toHexString()}:${snapshot.status}`,
        kind,
        providerEvent: `reconcile.${snapshot.status}`,
        reference: intent._id.toHexString(),
        ...(snapshot.status === 'paid' ? { amountMinor: snapshot.amountMinor, currency: snapshot.currency } : {}),
        ...(snapshot.paymentId ? { paymentId: snapshot.paymentId } : {}),
      };
      const result = await applyProviderEvent(provider.name, event, 'reconcile');
      if (result.outcome === 'moved' || result.outcome === 'flagged') report.changed.push({ intentId: intent._id.toHexString(), outcome: result.outcome });
    } catch (error) {
      report.errors++;
      if (error instanceof ProviderError) report.providerError = error;
      logger.warn('Could not reconcile a payment', { intentId: intent._id.toHexString(), error: error as Error });
    }
  }
  return report;
}

/** POST /api/staff/payments/check (MANAGER): the same, on demand, audited. */
export async function checkPayments(staff: StaffPrincipal, olderThanMinutes: number, origin: RequestOrigin = {}): Promise<Omit<ReconcileReport, 'providerError'>> {
  const { providerError, ...report } = await reconcilePayments(olderThanMinutes);
  // Not one payment could be looked up: the manager is told why (the provider is down, or refuses).
  const failed = providerError !== undefined && report.errors === report.checked;
  await afterCommit([{ type: 'PaymentsChecked', actor: staffActor(staff), failed, olderThanMinutes, checked: report.checked, changed: report.changed.length, errors: report.errors }], origin);
  if (failed) throw providerFailure(providerError, 'no payment could be checked');
  return report;
}
