/** What guests and staff see of a payment intent, and the pushes that tell them it moved. */
import { ObjectId } from 'mongodb';
import type { GuestPrincipal } from '../auth/principal.ts';
import { notFound } from '../core/errors.ts';
import type { PaymentIntentEvent } from '../core/payment-events.ts';
import type { IntentStatus } from '../core/payment-provider.ts';
import { isOpenStatus } from '../core/payment-state.ts';
import type { IntentScope, PaymentIntentDoc } from '../data/payment-documents.ts';
import { findGuestIntent, findGuestIntents, findSessionIntents, findUnsettledPaid, type GuestIntentScope } from '../data/payments-store.ts';
import { config } from '../platform/config.ts';
import { pushToSession, pushToStaff } from '../realtime/push.ts';
import { effectsWith, type SlicePushes } from '../effects.ts';

export interface GuestIntentView {
  intentId: string;
  status: IntentStatus;
  amount: number;
  currency: string;
  scope: IntentScope['kind'];
  /** The payment page, while the intent can still be paid. */
  checkoutUrl?: string;
  deviceId: string;
  refunded: number;
  createdAt: string;
  expiresAt: string;
}

export interface StaffIntentView extends GuestIntentView {
  tableNumber: string;
  settled: boolean;
  flags: { at: string; reason: string; providerEvent: string; amountMinor?: number; currency?: string }[];
  refunds: { refundId: string; amount: number; reason: string; status: string; by: string; at: string }[];
  history: { at: string; from: string; to: string; source: string }[];
}

export function toGuestIntent(intent: PaymentIntentDoc): GuestIntentView {
  const view: GuestIntentView = {
    intentId: intent._id.toHexString(),
    status: intent.status,
    amount: intent.amount,
    currency: intent.currency,
    scope: intent.scope.kind,
    deviceId: intent.deviceId,
    refunded: intent.refunded,
    createdAt: intent.createdAt.toISOString(),
    expiresAt: intent.expiresAt.toISOString(),
  };
  if (intent.checkoutUrl && isOpenStatus(intent.status)) view.checkoutUrl = intent.checkoutUrl;
  return view;
}

export function toStaffIntent(intent: PaymentIntentDoc): StaffIntentView {
  return {
    ...toGuestIntent(intent),
    tableNumber: intent.tableNumber,
    settled: intent.settled,
    flags: intent.flags.map((flag) => ({
      at: flag.at.toISOString(),
      reason: flag.reason,
      providerEvent: flag.providerEvent,
      ...(flag.amountMinor !== undefined ? { amountMinor: flag.amountMinor } : {}),
      ...(flag.currency ? { currency: flag.currency } : {}),
    })),
    refunds: intent.refunds.map((refund) => ({ refundId: refund.refundId, amount: refund.amount, reason: refund.reason, status: refund.status, by: refund.by.username, at: refund.at.toISOString() })),
    history: intent.history.map((step) => ({ at: step.at.toISOString(), from: step.from, to: step.to, source: step.source })),
  };
}

/** Tells the table's phones (or, INDIVIDUAL, the paying phone) and the staff consoles that an intent moved. */
export async function announceIntent(intent: PaymentIntentDoc): Promise<void> {
  const sessionId = intent.sessionId.toHexString();
  await Promise.all([
    pushToSession(intent.restaurantId, sessionId, { type: 'payment.updated', payment: toGuestIntent(intent) }, intent.billDeviceId ? { deviceId: intent.billDeviceId } : {}),
    pushToStaff(intent.restaurantId, { type: 'table.updated', tableId: intent.tableId.toHexString(), sessionId }),
  ]);
}

/**
 * The pushes of a payment event (effects.ts): an intent that moved is announced (a refund only when
 * the provider's answer changed it); a flagged one tells the staff consoles, with the table.
 */
export async function intentPushes(event: PaymentIntentEvent<ObjectId>): Promise<void> {
  switch (event.type) {
    case 'PaymentStarted':
    case 'PaymentStatusChanged':
    case 'PaymentRefundUpdated':
      return announceIntent(event.intent as PaymentIntentDoc);
    case 'PaymentRefunded':
      return event.updated ? announceIntent(event.updated as PaymentIntentDoc) : undefined;
    case 'PaymentFlagged': {
      const { intent } = event;
      const [tableId, sessionId] = [intent.tableId.toHexString(), intent.sessionId.toHexString()];
      await Promise.all([
        pushToStaff(intent.restaurantId, { type: 'payment.flagged', tableId, sessionId, tableNumber: intent.tableNumber, intentId: intent._id.toHexString(), reason: event.reason }),
        pushToStaff(intent.restaurantId, { type: 'table.updated', tableId, sessionId }),
      ]);
      return;
    }
    case 'ProviderEventIgnored':
    case 'PaymentsChecked':
      return;
  }
}

/** The online payments' pushes in the effects pipeline, one switch for every intent event (intentPushes). */
export const PAYMENT_PUSHES = {
  PaymentStarted: intentPushes,
  PaymentStatusChanged: intentPushes,
  PaymentRefundUpdated: intentPushes,
  PaymentRefunded: intentPushes,
  PaymentFlagged: intentPushes,
  ProviderEventIgnored: intentPushes,
  PaymentsChecked: intentPushes,
} satisfies SlicePushes;

/** The pipeline for online payments' events (payment intents, webhooks, the staff's refunds and checks). */
export const afterPaymentCommit = effectsWith(PAYMENT_PUSHES);

/** The session's online payments for the staff bill (every state, flags and refunds included). */
export async function sessionPayments(sessionId: string): Promise<StaffIntentView[]> {
  const intents = await findSessionIntents(config().restaurantId, new ObjectId(sessionId));
  return intents.map(toStaffIntent);
}

/** A guest sees their table's payments (INDIVIDUAL: this phone's only). */
export function guestFilter(guest: GuestPrincipal): GuestIntentScope {
  return { restaurantId: guest.restaurantId, sessionId: guest.sessionId, ...(guest.mode === 'INDIVIDUAL' ? { billDeviceId: guest.deviceId } : {}) };
}

/** GET /api/payments/:intentId: one of this table's (INDIVIDUAL: this phone's) intents. */
export async function guestPayment(guest: GuestPrincipal, intentId: string): Promise<GuestIntentView> {
  const intent = await findGuestIntent(guestFilter(guest), new ObjectId(intentId));
  if (!intent) throw notFound('Payment');
  return toGuestIntent(intent);
}

/** GET /api/payments: this table's (INDIVIDUAL: this phone's) intents, newest first. */
export async function guestPayments(guest: GuestPrincipal): Promise<{ payments: GuestIntentView[] }> {
  const intents = await findGuestIntents(guestFilter(guest), 50);
  return { payments: intents.map(toGuestIntent) };
}

/**
 * For the floor: what each session's phones paid online that no order counts yet (a share paid
 * before the whole table is covered), by session id. One query for every open table.
 */
export async function paidOnlineBySession(sessionIds: readonly ObjectId[]): Promise<Map<string, number>> {
  const totals = new Map<string, number>();
  if (sessionIds.length === 0) return totals;
  const paid = await findUnsettledPaid(config().restaurantId, sessionIds);
  for (const intent of paid) totals.set(intent.sessionId.toHexString(), (totals.get(intent.sessionId.toHexString()) ?? 0) + intent.amount);
  return totals;
}
