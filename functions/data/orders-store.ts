/**
 * The orders' reads and writes (`digital_menu_customer_orders`, with the carts, menu and counters a
 * placement touches): filters, projections, the placement's and the rejection's transactions.
 * Every query is scoped by restaurantId. The kitchen's ticket reads and moves are kitchen-store.ts.
 */
import { MongoError, ObjectId, type ClientSession, type Filter } from 'mongodb';
import { ORDER_STATUSES, type AuditDoc, type CartDoc, type CartLine, type MenuItemDoc, type OrderDoc, type OrderStatus, type PaymentMethod, type SessionMode } from './documents.ts';
import { isDuplicateKeyError } from './duplicate-key.ts';
import { insertTogether } from './insert-together.ts';
import { collections, mongoClient } from './mongo.ts';

const BY_ORDER_DATE = { orderDate: 1, _id: 1 } as const;

export async function findOrder(restaurantId: string, orderId: ObjectId): Promise<OrderDoc | null> {
  const { orders } = await collections();
  return orders.findOne({ _id: orderId, restaurantId });
}

export type OrderPaymentState = Pick<OrderDoc, '_id' | 'status' | 'paymentStatus'>;

export async function findPaymentState(restaurantId: string, orderId: ObjectId): Promise<OrderPaymentState | null> {
  const { orders } = await collections();
  return orders.findOne({ _id: orderId, restaurantId }, { projection: { status: 1, paymentStatus: 1 } });
}

/** The order an Idempotency-Key already placed in its table session (`orderKey` is `<sessionId>:<key>`). */
export async function findOrderByKey(restaurantId: string, orderKey: string): Promise<OrderDoc | null> {
  const { orders } = await collections();
  return orders.findOne({ restaurantId, idempotencyKey: orderKey });
}

/** The latest order of the session another device placed from the cart at (or after) `cartVersion`. */
export async function findOrderFromCartVersion(restaurantId: string, sessionId: ObjectId, cartVersion: number, otherThanDevice: string): Promise<OrderDoc | null> {
  const { orders } = await collections();
  return orders.findOne(
    { restaurantId, sessionId, cartVersion: { $gte: cartVersion }, deviceId: { $ne: otherThanDevice } },
    { sort: { orderDate: -1, _id: -1 } },
  );
}

/** A session's orders (one device's when `deviceId` is given), oldest first. */
export async function findSessionOrders(restaurantId: string, sessionId: ObjectId, deviceId?: string): Promise<OrderDoc[]> {
  const { orders } = await collections();
  const filter: Filter<OrderDoc> = { restaurantId, sessionId };
  if (deviceId) filter.deviceId = deviceId;
  return orders.find(filter, { sort: BY_ORDER_DATE, limit: 500 }).toArray();
}

/** The bill's orders: a session's (one device's when `deviceId` is given), oldest first, cancelled ones excluded. */
export async function findBillOrders(restaurantId: string, sessionId: ObjectId, deviceId?: string): Promise<OrderDoc[]> {
  const { orders } = await collections();
  const filter: Filter<OrderDoc> = { restaurantId, sessionId, status: { $ne: 'cancelled' } };
  if (deviceId) filter.deviceId = deviceId;
  return orders.find(filter, { sort: BY_ORDER_DATE, limit: 500 }).toArray();
}

/** The mode of a session of this restaurant (null when there is none). */
export async function findSessionMode(restaurantId: string, sessionId: ObjectId): Promise<{ _id: ObjectId; mode: SessionMode } | null> {
  const { tableSessions } = await collections();
  return tableSessions.findOne({ _id: sessionId, restaurantId }, { projection: { mode: 1 } });
}

export interface StaffListQuery {
  status?: OrderStatus;
  sessionId?: ObjectId;
  /** Without status and session: the orders since then that are not cancelled. */
  since: Date;
  limit: number;
}

/** The staff console's orders, newest first. */
export async function findStaffOrders(restaurantId: string, query: StaffListQuery): Promise<OrderDoc[]> {
  const { orders } = await collections();
  const filter: Filter<OrderDoc> = { restaurantId };
  if (query.sessionId) filter.sessionId = query.sessionId;
  if (query.status) filter.status = query.status;
  if (!query.sessionId && !query.status) {
    filter.status = { $in: ORDER_STATUSES.filter((status) => status !== 'cancelled') };
    filter.orderDate = { $gte: query.since };
  }
  return orders.find(filter, { sort: { orderDate: -1, _id: -1 }, limit: query.limit }).toArray();
}

// ───────────────────────────── placement ─────────────────────────────

/** Thrown by placeFromCart when the cart is not at the version the phone ordered from (or is empty). */
export class CartNotAtVersion extends Error {}

/** What the placement's transaction reads for the use case to build the order from. */
export interface PlacementReads {
  /** The cart as it was taken (it is empty now, at `version + 1`). */
  cart: CartDoc;
  /** The restaurant's dishes of these ids, read in the transaction. */
  menuItems(ids: ObjectId[]): Promise<MenuItemDoc[]>;
}

/**
 * One placement's transaction (snapshot, majority): the whole cart is taken at `cartVersion`, then
 * `build` prices it and returns the order with its audit entry, and both are inserted together.
 * Anything `build` throws aborts it. A MongoDB failure (not a duplicate key) ends the server-side
 * transaction at once instead of leaving it to hold its documents.
 */
export async function placeFromCart(
  cartFilter: Filter<CartDoc>,
  cartVersion: number,
  build: (reads: PlacementReads) => Promise<{ order: OrderDoc; audit: AuditDoc }>,
): Promise<{ order: OrderDoc; emptiedCartVersion: number }> {
  const { carts, menuItems, orders, auditLog } = await collections();
  const client = await mongoClient();
  const session = client.startSession();
  let placed: { order: OrderDoc; emptiedCartVersion: number } | undefined;
  try {
    await session.withTransaction(
      async () => {
        const now = new Date();
        // At the version the phone saw, the cart's lines are exactly what the guest confirmed.
        const cart = await carts.findOneAndUpdate(
          { ...cartFilter, version: cartVersion, 'lines.0': { $exists: true } },
          { $set: { lines: [], updatedAt: now }, $inc: { version: 1 } },
          { session, returnDocument: 'before' },
        );
        if (!cart) throw new CartNotAtVersion();
        const reads: PlacementReads = {
          cart,
          menuItems: (ids) => menuItems.find({ restaurantId: cart.restaurantId, _id: { $in: ids } }, { session }).toArray(),
        };
        const { order, audit } = await build(reads);
        await insertTogether([{ collection: orders, document: order }, { collection: auditLog, document: audit }], session);
        placed = { order, emptiedCartVersion: cart.version + 1 };
      },
      { readConcern: { level: 'snapshot' }, writeConcern: { w: 'majority' } },
    );
  } catch (error) {
    if (error instanceof MongoError && !isDuplicateKeyError(error)) await abandonTransaction(session);
    await session.endSession().catch(() => undefined);
    throw error;
  }
  await session.endSession();
  return placed!;
}

/**
 * After a commit that failed without a server-side abort (e.g. an injected failure), the transaction
 * would hold its documents until transactionLifetimeLimitSeconds: killSessions ends it now.
 */
async function abandonTransaction(session: ClientSession): Promise<void> {
  try {
    const client = await mongoClient();
    await client.db('admin').command({ killSessions: [session.id] });
  } catch {
    // best effort
  }
}

/** Takes the next value of a day's order counter (one atomic document, upserted on the day's first order). */
export async function takeOrderNumber(restaurantId: string, counterKey: string, expiresAt: Date): Promise<number> {
  const { counters } = await collections();
  for (let attempt = 0; ; attempt++) {
    try {
      const counter = await counters.findOneAndUpdate(
        { _id: counterKey },
        { $inc: { seq: 1 }, $set: { expiresAt }, $setOnInsert: { restaurantId } },
        { upsert: true, returnDocument: 'after' },
      );
      return counter!.seq;
    } catch (error) {
      // Two first-orders-of-the-day racing: one upsert inserts, the other retries as an update.
      if (!isDuplicateKeyError(error) || attempt > 0) throw error;
    }
  }
}

// ───────────────────────────── waiter approval and cancellation ─────────────────────────────

/** A pending order goes to the kitchen. Null when it is not pending (or not there). */
export async function confirmPending(restaurantId: string, orderId: ObjectId, at: Date): Promise<OrderDoc | null> {
  const { orders } = await collections();
  return orders.findOneAndUpdate(
    { _id: orderId, restaurantId, status: 'pending' },
    { $set: { status: 'confirmed', confirmedAt: at, updatedAt: at } },
    { returnDocument: 'after' },
  );
}

/** The fields that cancel an order and every one of its items. */
function cancellation(at: Date, reason?: string): Record<string, unknown> {
  const set: Record<string, unknown> = {
    status: 'cancelled',
    updatedAt: at,
    'items.$[].itemStatus': 'CANCELLED',
    'items.$[].statusUpdatedAt': at,
    'items.$[].timings.cancelledAt': at,
    'timings.cancelledAt': at,
  };
  if (reason) set.rejectionReason = reason;
  return set;
}

export interface Rejection {
  /** Null when the order was no longer pending. */
  order: OrderDoc | null;
  /** The cart the lines went back to (null when they did not). */
  cart: CartDoc | null;
}

/**
 * One transaction: the pending order is cancelled with the reason and, when `restore` is given, the
 * lines go back to that cart (created if need be). Nothing is written when the order is not pending.
 */
export async function rejectPending(
  restaurantId: string,
  orderId: ObjectId,
  reason: string,
  restore: { sessionId: ObjectId; owner: string; lines: (at: Date) => CartLine[] } | undefined,
): Promise<Rejection> {
  const { orders, carts } = await collections();
  const client = await mongoClient();
  const session = client.startSession();
  const result: Rejection = { order: null, cart: null };
  try {
    await session.withTransaction(async () => {
      const now = new Date();
      result.cart = null;
      result.order = await orders.findOneAndUpdate(
        { _id: orderId, restaurantId, status: 'pending' },
        { $set: cancellation(now, reason) },
        { session, returnDocument: 'after' },
      );
      if (!result.order || !restore) return;
      result.cart = await carts.findOneAndUpdate(
        { restaurantId, sessionId: restore.sessionId, owner: restore.owner },
        { $push: { lines: { $each: restore.lines(now) } }, $inc: { version: 1 }, $set: { updatedAt: now } },
        { session, upsert: true, returnDocument: 'after' },
      );
    });
  } finally {
    await session.endSession();
  }
  return result;
}

/** Cancels an order that is not served or paid: every item CANCELLED. Null when it cannot be. */
export async function cancelIfOpen(restaurantId: string, orderId: ObjectId, reason: string | undefined, at: Date): Promise<OrderDoc | null> {
  const { orders } = await collections();
  return orders.findOneAndUpdate(
    { _id: orderId, restaurantId, status: { $in: ['pending', 'confirmed', 'preparing'] }, paymentStatus: { $ne: 'paid' } },
    { $set: cancellation(at, reason) },
    { returnDocument: 'after' },
  );
}

// ───────────────────────────── payments recorded by the staff ─────────────────────────────

/** Orders a payment can be recorded for: not cancelled, not already paid. */
const PAYABLE = { status: { $ne: 'cancelled' as const }, paymentStatus: { $ne: 'paid' as const } };

export interface RecordedPayment {
  method: PaymentMethod;
  status: 'paid' | 'failed';
}

/** Records a payment on a payable order. Null when the order is cancelled, paid or not there. */
export async function recordPaymentOf(restaurantId: string, orderId: ObjectId, payment: RecordedPayment, at: Date): Promise<OrderDoc | null> {
  const { orders } = await collections();
  return orders.findOneAndUpdate(
    { _id: orderId, restaurantId, ...PAYABLE },
    { $set: { paymentStatus: payment.status, paymentMethod: payment.method, updatedAt: at } },
    { returnDocument: 'after' },
  );
}

/**
 * Records a payment on every payable order of the session, in one transaction (an order paid or
 * cancelled meanwhile makes it retry on what is left). The orders recorded, oldest first; none when
 * nothing was left to pay.
 */
export async function recordSessionPaymentOf(restaurantId: string, sessionId: ObjectId, payment: RecordedPayment): Promise<OrderDoc[]> {
  const { orders } = await collections();
  const client = await mongoClient();
  const session = client.startSession();
  let recorded: OrderDoc[] = [];
  try {
    await session.withTransaction(async () => {
      recorded = [];
      const now = new Date();
      const unpaid = await orders.find({ restaurantId, sessionId, ...PAYABLE }, { session, projection: { _id: 1 } }).toArray();
      if (unpaid.length === 0) return;
      const ids = unpaid.map((order) => order._id);
      await orders.updateMany(
        { _id: { $in: ids }, restaurantId, ...PAYABLE },
        { $set: { paymentStatus: payment.status, paymentMethod: payment.method, updatedAt: now } },
        { session },
      );
      recorded = await orders.find({ _id: { $in: ids }, restaurantId }, { session, sort: { orderDate: 1, _id: 1 } }).toArray();
    });
  } finally {
    await session.endSession();
  }
  return recorded;
}
