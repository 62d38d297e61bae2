/**
 * Online payments against the bill. A paid intent is a credit on the bill it was made for (the
 * table's in FAMILY mode, the phone's in INDIVIDUAL mode) until the credits cover everything still
 * unpaid: then, in one transaction, those orders are marked paid (method ONLINE) and the credits
 * settled. Until then the bill shows what was paid online and asks only for the rest; the waiter's
 * cash and card recordings keep working alongside.
 */
import type { ClientSession, Filter, ObjectId } from 'mongodb';
import type { OrderDoc } from '../data/documents.ts';
import type { PaymentIntentDoc } from '../data/payment-documents.ts';
import { collections, mongoClient } from '../data/mongo.ts';
import { billableTotals } from '../core/bill-totals.ts';
import { afterCommit } from './effects.ts';

import { ONLINE_METHOD } from '../core/payment-state.ts';

export { ONLINE_METHOD };

/** Which bill an intent pays: a session, and in INDIVIDUAL mode one device's orders of it. */
export interface BillScope {
  restaurantId: string;
  sessionId: ObjectId;
  billDeviceId?: string;
}

export interface OnlineCredit {
  /** Paid online and not yet counted against orders, minor units. */
  total: number;
  /** The same, by the device that paid. */
  byDevice: Map<string, number>;
  /** Refunded (requested, pending or processed; not failed) on this bill's online payments, settled or not. */
  refunded: number;
}

function creditFilter(scope: BillScope): Filter<PaymentIntentDoc> {
  const filter: Filter<PaymentIntentDoc> = { restaurantId: scope.restaurantId, sessionId: scope.sessionId, status: 'paid', settled: false };
  // A staff view of the whole session (no device) counts every phone's credit.
  if (scope.billDeviceId) filter.billDeviceId = scope.billDeviceId;
  return filter;
}

/** Paid online, not yet settled against the orders of this bill. */
export async function onlineCredit(scope: BillScope, session?: ClientSession): Promise<OnlineCredit> {
  const { paymentIntents } = await collections();
  const refundedFilter: Filter<PaymentIntentDoc> = { restaurantId: scope.restaurantId, sessionId: scope.sessionId, refunded: { $gt: 0 } };
  if (scope.billDeviceId) refundedFilter.billDeviceId = scope.billDeviceId;
  const [paid, refundedIntents] = await Promise.all([
    paymentIntents.find(creditFilter(scope), { session, projection: { amount: 1, deviceId: 1 }, limit: 200 }).toArray(),
    paymentIntents.find(refundedFilter, { session, projection: { refunded: 1 }, limit: 200 }).toArray(),
  ]);
  const byDevice = new Map<string, number>();
  let total = 0;
  for (const intent of paid) {
    total += intent.amount;
    byDevice.set(intent.deviceId, (byDevice.get(intent.deviceId) ?? 0) + intent.amount);
  }
  return { total, byDevice, refunded: refundedIntents.reduce((sum, intent) => sum + intent.refunded, 0) };
}

function unpaidFilter(scope: BillScope): Filter<OrderDoc> {
  const filter: Filter<OrderDoc> = { restaurantId: scope.restaurantId, sessionId: scope.sessionId, status: { $ne: 'cancelled' }, paymentStatus: { $ne: 'paid' } };
  if (scope.billDeviceId) filter.deviceId = scope.billDeviceId;
  return filter;
}

/**
 * Marks the bill's unpaid orders paid when the online credits cover them. Returns the orders it
 * marked (none when the credits fall short). Safe to run concurrently: the transaction reads and
 * writes the same documents, so two runs cannot both settle.
 */
export async function settleIfCovered(scope: BillScope): Promise<OrderDoc[]> {
  const { orders, paymentIntents } = await collections();
  const client = await mongoClient();
  const session = client.startSession();
  let settled: OrderDoc[] = [];
  let credit = 0;
  let creditIds: ObjectId[] = [];
  try {
    await session.withTransaction(async () => {
      settled = [];
      const unpaid = await orders.find(unpaidFilter(scope), { session, limit: 500 }).toArray();
      const due = unpaid.reduce((sum, order) => sum + billableTotals(order).total, 0);
      const credits = await paymentIntents.find(creditFilter(scope), { session, projection: { amount: 1 }, limit: 200 }).toArray();
      credit = credits.reduce((sum, intent) => sum + intent.amount, 0);
      if (due <= 0 || credit < due) return;
      const now = new Date();
      creditIds = credits.map((intent) => intent._id);
      await orders.updateMany(
        { _id: { $in: unpaid.map((order) => order._id) }, restaurantId: scope.restaurantId, paymentStatus: { $ne: 'paid' } },
        { $set: { paymentStatus: 'paid', paymentMethod: ONLINE_METHOD, updatedAt: now } },
        { session },
      );
      await paymentIntents.updateMany({ _id: { $in: creditIds }, restaurantId: scope.restaurantId, settled: false }, { $set: { settled: true, settledAt: now, updatedAt: now } }, { session });
      settled = (await orders.find({ _id: { $in: unpaid.map((order) => order._id) }, restaurantId: scope.restaurantId }, { session }).toArray()) as OrderDoc[];
    });
  } finally {
    await session.endSession();
  }
  if (settled.length === 0) return [];
  const { tableSessions } = await collections();
  // The table has paid: its "bill requested" mark goes, as when a waiter records a payment.
  await tableSessions.updateOne({ _id: scope.sessionId, restaurantId: scope.restaurantId, billRequest: { $exists: true } }, { $unset: { billRequest: '' } });
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
