/**
 * The online payments' reads and writes (`payment_intents`, with the orders a settlement marks
 * paid): the bill's credits, the guests' and the staff's lists, and the settlement's transaction.
 * Every query is scoped by restaurantId.
 */
import type { Filter, ObjectId } from 'mongodb';
import type { OrderDoc } from './documents.ts';
import type { PaymentIntentDoc } from './payment-documents.ts';
import { collections, mongoClient } from './mongo.ts';

/** Which bill an intent pays: a session, and in INDIVIDUAL mode one device's orders of it. */
export interface BillScope {
  restaurantId: string;
  sessionId: ObjectId;
  billDeviceId?: string;
}

function creditFilter(scope: BillScope): Filter<PaymentIntentDoc> {
  const filter: Filter<PaymentIntentDoc> = { restaurantId: scope.restaurantId, sessionId: scope.sessionId, status: 'paid', settled: false };
  // A staff view of the whole session (no device) counts every phone's credit.
  if (scope.billDeviceId) filter.billDeviceId = scope.billDeviceId;
  return filter;
}

export interface BillCredits {
  /** Paid and not yet settled against orders. */
  paid: Pick<PaymentIntentDoc, '_id' | 'amount' | 'deviceId'>[];
  /** Every intent of the bill with something refunded, settled or not. */
  refunded: Pick<PaymentIntentDoc, '_id' | 'refunded'>[];
}

export async function findBillCredits(scope: BillScope): Promise<BillCredits> {
  const { paymentIntents } = await collections();
  const refundedFilter: Filter<PaymentIntentDoc> = { restaurantId: scope.restaurantId, sessionId: scope.sessionId, refunded: { $gt: 0 } };
  if (scope.billDeviceId) refundedFilter.billDeviceId = scope.billDeviceId;
  const [paid, refunded] = await Promise.all([
    paymentIntents.find(creditFilter(scope), { projection: { amount: 1, deviceId: 1 }, limit: 200 }).toArray(),
    paymentIntents.find(refundedFilter, { projection: { refunded: 1 }, limit: 200 }).toArray(),
  ]);
  return { paid, refunded };
}

function unpaidFilter(scope: BillScope): Filter<OrderDoc> {
  const filter: Filter<OrderDoc> = { restaurantId: scope.restaurantId, sessionId: scope.sessionId, status: { $ne: 'cancelled' }, paymentStatus: { $ne: 'paid' } };
  if (scope.billDeviceId) filter.deviceId = scope.billDeviceId;
  return filter;
}

export interface Settlement {
  /** The orders marked paid (none when the credits fell short). */
  orders: OrderDoc[];
  /** The credits' total, minor units. */
  credit: number;
  /** The intents settled. */
  intentIds: ObjectId[];
}

/**
 * One transaction: the bill's unpaid orders are read with its credits and, when `covers(due, credit)`,
 * the orders are marked paid by `method` and the credits settled. It reads and writes the same
 * documents, so two concurrent runs cannot both settle.
 */
export async function settleWhenCovered(scope: BillScope, method: string, due: (orders: OrderDoc[]) => number): Promise<Settlement> {
  const { orders, paymentIntents } = await collections();
  const client = await mongoClient();
  const session = client.startSession();
  let result: Settlement = { orders: [], credit: 0, intentIds: [] };
  try {
    await session.withTransaction(async () => {
      result = { orders: [], credit: 0, intentIds: [] };
      const unpaid = await orders.find(unpaidFilter(scope), { session, limit: 500 }).toArray();
      const owed = due(unpaid);
      const credits = await paymentIntents.find(creditFilter(scope), { session, projection: { amount: 1 }, limit: 200 }).toArray();
      const credit = credits.reduce((sum, intent) => sum + intent.amount, 0);
      result.credit = credit;
      if (owed <= 0 || credit < owed) return;
      const now = new Date();
      const intentIds = credits.map((intent) => intent._id);
      const orderIds = unpaid.map((order) => order._id);
      await orders.updateMany(
        { _id: { $in: orderIds }, restaurantId: scope.restaurantId, paymentStatus: { $ne: 'paid' } },
        { $set: { paymentStatus: 'paid', paymentMethod: method as OrderDoc['paymentMethod'], updatedAt: now } },
        { session },
      );
      await paymentIntents.updateMany({ _id: { $in: intentIds }, restaurantId: scope.restaurantId, settled: false }, { $set: { settled: true, settledAt: now, updatedAt: now } }, { session });
      result = { orders: await orders.find({ _id: { $in: orderIds }, restaurantId: scope.restaurantId }, { session }).toArray(), credit, intentIds };
    });
  } finally {
    await session.endSession();
  }
  return result;
}

/** A session's online payments, oldest first, those still being created left out. */
export async function findSessionIntents(restaurantId: string, sessionId: ObjectId): Promise<PaymentIntentDoc[]> {
  const { paymentIntents } = await collections();
  return paymentIntents.find({ restaurantId, sessionId, status: { $ne: 'creating' } }, { sort: { createdAt: 1 }, limit: 100 }).toArray();
}

/** Whose payments a guest sees: the table's, or (INDIVIDUAL) one phone's bill. */
export interface GuestIntentScope {
  restaurantId: string;
  sessionId: ObjectId;
  billDeviceId?: string;
}

const guestIntentFilter = (scope: GuestIntentScope): Filter<PaymentIntentDoc> =>
  scope.billDeviceId ? { restaurantId: scope.restaurantId, sessionId: scope.sessionId, billDeviceId: scope.billDeviceId } : { restaurantId: scope.restaurantId, sessionId: scope.sessionId };

export async function findGuestIntent(scope: GuestIntentScope, intentId: ObjectId): Promise<PaymentIntentDoc | null> {
  const { paymentIntents } = await collections();
  return paymentIntents.findOne({ ...guestIntentFilter(scope), _id: intentId });
}

/** Newest first. */
export async function findGuestIntents(scope: GuestIntentScope, limit: number): Promise<PaymentIntentDoc[]> {
  const { paymentIntents } = await collections();
  return paymentIntents.find(guestIntentFilter(scope), { sort: { createdAt: -1 }, limit }).toArray();
}

/** Paid online and not yet settled, for these sessions. */
export async function findUnsettledPaid(restaurantId: string, sessionIds: readonly ObjectId[]): Promise<Pick<PaymentIntentDoc, '_id' | 'sessionId' | 'amount'>[]> {
  const { paymentIntents } = await collections();
  return paymentIntents.find({ restaurantId, sessionId: { $in: [...sessionIds] }, status: 'paid', settled: false }, { projection: { sessionId: 1, amount: 1 }, limit: 2_000 }).toArray();
}

// ───────────────────────────── intents: creation and refunds ─────────────────────────────

export async function findIntent(restaurantId: string, intentId: ObjectId): Promise<PaymentIntentDoc | null> {
  const { paymentIntents } = await collections();
  return paymentIntents.findOne({ _id: intentId, restaurantId });
}

export async function findIntentByKey(restaurantId: string, idempotencyKey: string): Promise<PaymentIntentDoc | null> {
  const { paymentIntents } = await collections();
  return paymentIntents.findOne({ restaurantId, idempotencyKey });
}

/** The newest intent of this phone whose page is still open (creating, pending or authorized, not expired). */
export async function findOpenIntentOfDevice(scope: GuestIntentScope, deviceId: string, now: Date): Promise<PaymentIntentDoc | null> {
  const { paymentIntents } = await collections();
  return paymentIntents.findOne(
    { ...guestIntentFilter(scope), deviceId, status: { $in: ['creating', 'pending', 'authorized'] }, expiresAt: { $gt: now } },
    { sort: { createdAt: -1 } },
  );
}

/** Inserts a new intent; a duplicate key (the same Idempotency-Key) is thrown as the driver's. */
export async function insertIntent(intent: PaymentIntentDoc): Promise<void> {
  const { paymentIntents } = await collections();
  await paymentIntents.insertOne(intent);
}

/** A `creating` intent whose page the provider opened becomes `pending`. Null when it is no longer `creating`. */
export async function markPageOpened(intent: Pick<PaymentIntentDoc, '_id' | 'restaurantId'>, page: { providerRef: string; checkoutUrl: string }, at: Date): Promise<PaymentIntentDoc | null> {
  const { paymentIntents } = await collections();
  return paymentIntents.findOneAndUpdate(
    { _id: intent._id, restaurantId: intent.restaurantId, status: 'creating' },
    {
      $set: { status: 'pending', providerRef: page.providerRef, checkoutUrl: page.checkoutUrl, updatedAt: at },
      $push: { history: { at, from: 'creating', to: 'pending', source: 'create' } },
    },
    { returnDocument: 'after' },
  );
}

/** Intents still open (with a provider reference) created at or before `before`, oldest first. */
export async function findOpenIntentsBefore(restaurantId: string, before: Date, limit: number): Promise<PaymentIntentDoc[]> {
  const { paymentIntents } = await collections();
  return paymentIntents
    .find({ restaurantId, status: { $in: ['creating', 'pending', 'authorized'] }, createdAt: { $lte: before }, providerRef: { $exists: true } }, { sort: { createdAt: 1 }, limit })
    .toArray();
}

export type RefundEntry = PaymentIntentDoc['refunds'][number];

/**
 * Reserves a refund on a paid intent, conditional on the refunded total read (two refunds can never
 * exceed the payment). False when the intent changed meanwhile.
 */
export async function reserveRefund(intent: Pick<PaymentIntentDoc, '_id' | 'restaurantId' | 'refunded'>, refund: RefundEntry): Promise<boolean> {
  const { paymentIntents } = await collections();
  const reserved = await paymentIntents.updateOne(
    { _id: intent._id, restaurantId: intent.restaurantId, status: 'paid', refunded: intent.refunded },
    { $inc: { refunded: refund.amount }, $push: { refunds: refund }, $set: { updatedAt: refund.at } },
  );
  return reserved.matchedCount > 0;
}

/** The provider refused the refund: it is failed and its amount released. */
export async function releaseRefund(restaurantId: string, intentId: ObjectId, refundId: string, amount: number, at: Date): Promise<void> {
  const { paymentIntents } = await collections();
  await paymentIntents.updateOne(
    { _id: intentId, restaurantId, 'refunds.refundId': refundId },
    { $set: { 'refunds.$.status': 'failed', 'refunds.$.updatedAt': at }, $inc: { refunded: -amount } },
  );
}

/** The provider's answer on a refund still `requested` (its webhook may have settled it already: null then). */
export async function recordRefundAnswer(
  restaurantId: string,
  intentId: ObjectId,
  refundId: string,
  answer: { status: RefundEntry['status']; providerRefundId?: string; amount: number },
  at: Date,
): Promise<PaymentIntentDoc | null> {
  const { paymentIntents } = await collections();
  return paymentIntents.findOneAndUpdate(
    { _id: intentId, restaurantId, refunds: { $elemMatch: { refundId, status: 'requested' } } },
    {
      $set: { 'refunds.$.status': answer.status, 'refunds.$.providerRefundId': answer.providerRefundId, 'refunds.$.updatedAt': at },
      ...(answer.status === 'failed' ? { $inc: { refunded: -answer.amount } } : {}),
    },
    { returnDocument: 'after' },
  );
}
