/**
 * Online payments against the bill. A paid intent is a credit on the bill it was made for (the
 * table's in FAMILY mode, the phone's in INDIVIDUAL mode) until the credits cover everything still
 * unpaid: then, in one transaction, those orders are marked paid (method ONLINE) and the credits
 * settled. Until then the bill shows what was paid online and asks only for the rest; the waiter's
 * cash and card recordings keep working alongside.
 */
import type { OrderDoc } from '../data/documents.ts';
import { clearBillRequest } from '../data/bill-store.ts';
import { findBillCredits, settleWhenCovered, type BillScope } from '../data/payments-store.ts';
import { billableTotals } from '../core/bill-totals.ts';
import { afterCommit } from '../effects/orders.ts';

import { ONLINE_METHOD } from '../core/payment-state.ts';

export { ONLINE_METHOD };

export type { BillScope };

export interface OnlineCredit {
  /** Paid online and not yet counted against orders, minor units. */
  total: number;
  /** The same, by the device that paid. */
  byDevice: Map<string, number>;
  /** Refunded (requested, pending or processed; not failed) on this bill's online payments, settled or not. */
  refunded: number;
}

/** Paid online, not yet settled against the orders of this bill. */
export async function onlineCredit(scope: BillScope): Promise<OnlineCredit> {
  const { paid, refunded: refundedIntents } = await findBillCredits(scope);
  const byDevice = new Map<string, number>();
  let total = 0;
  for (const intent of paid) {
    total += intent.amount;
    byDevice.set(intent.deviceId, (byDevice.get(intent.deviceId) ?? 0) + intent.amount);
  }
  return { total, byDevice, refunded: refundedIntents.reduce((sum, intent) => sum + intent.refunded, 0) };
}

/**
 * Marks the bill's unpaid orders paid when the online credits cover them. Returns the orders it
 * marked (none when the credits fall short). Safe to run concurrently: the transaction reads and
 * writes the same documents, so two runs cannot both settle.
 */
export async function settleIfCovered(scope: BillScope): Promise<OrderDoc[]> {
  const { orders: settled, credit, intentIds: creditIds } = await settleWhenCovered(scope, ONLINE_METHOD, (unpaid) =>
    unpaid.reduce((sum, order) => sum + billableTotals(order).total, 0),
  );
  if (settled.length === 0) return [];
  // The table has paid: its "bill requested" mark goes, as when a waiter records a payment.
  await clearBillRequest(scope.restaurantId, scope.sessionId);
  const first = settled[0];
  await afterCommit([
    {
      type: 'PaymentSettled',
      restaurantId: scope.restaurantId,
      tableId: first.tableId,
      sessionId: scope.sessionId,
      orders: settled,
      method: ONLINE_METHOD,
      credit,
      intents: creditIds.map((id) => id.toHexString()),
    },
  ]);
  return settled;
}
