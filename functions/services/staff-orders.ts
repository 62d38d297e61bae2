/**
 * The staff's side of orders: the console's order list, waiter approval (confirm / reject, which
 * puts a rejected order's dishes back in the cart) and manager cancellation. Each change is audited
 * and pushed to every screen that shows the order (the effects pipeline, effects.ts).
 */
import { randomUUID } from 'node:crypto';
import { ObjectId, type Filter } from 'mongodb';
import type { StaffPrincipal } from '../auth/principal.ts';
import { DomainError, notFound } from '../core/errors.ts';
import { staffActor } from '../core/events.ts';
import { ORDER_STATUSES, type CartDoc, type CartLine, type OrderDoc, type OrderItem, type OrderStatus } from '../data/documents.ts';
import { collections, mongoClient } from '../data/mongo.ts';
import { config } from '../platform/config.ts';
import type { RequestOrigin } from './audit.ts';
import { afterCommit } from './effects.ts';
import { cartOwnerOf } from './cart.ts';
import { toStaffOrder, type StaffOrderView } from './order-views.ts';

export interface StaffOrderQuery {
  status?: OrderStatus;
  sessionId?: string;
}

/** How far back the staff console's default list reaches. */
const STAFF_LIST_WINDOW_MS = 24 * 3600_000;
const STAFF_LIST_LIMIT = 500;

/**
 * The staff console's orders: by status and/or table session; by default the last 24 hours' orders
 * that are not cancelled. Pending orders (awaiting a waiter) first, then newest first.
 */
export async function listStaffOrders(query: StaffOrderQuery = {}): Promise<StaffOrderView[]> {
  const { restaurantId } = config();
  const { orders } = await collections();
  const filter: Filter<OrderDoc> = { restaurantId };
  if (query.sessionId) filter.sessionId = new ObjectId(query.sessionId);
  if (query.status) filter.status = query.status;
  if (!query.sessionId && !query.status) {
    filter.status = { $in: ORDER_STATUSES.filter((status) => status !== 'cancelled') };
    filter.orderDate = { $gte: new Date(Date.now() - STAFF_LIST_WINDOW_MS) };
  }
  const docs = await orders.find(filter, { sort: { orderDate: -1, _id: -1 }, limit: STAFF_LIST_LIMIT }).toArray();
  const pendingFirst = [...docs.filter((doc) => doc.status === 'pending'), ...docs.filter((doc) => doc.status !== 'pending')];
  return pendingFirst.map((doc) => toStaffOrder(doc));
}

// ───────────────────────────── waiter approval and cancellation ─────────────────────────────

async function orderOrThrow(orderId: ObjectId): Promise<OrderDoc> {
  const { orders } = await collections();
  const order = await orders.findOne({ _id: orderId, restaurantId: config().restaurantId });
  if (!order) throw notFound('Order');
  return order as OrderDoc;
}

const statusConflict = (order: OrderDoc, message: string) =>
  new DomainError('STATUS_CONFLICT', message, { details: { status: order.status, paymentStatus: order.paymentStatus } });

/** A pending order (waiter approval) goes to the kitchen. */
export async function confirmOrder(staff: StaffPrincipal, orderId: string, origin: RequestOrigin = {}): Promise<StaffOrderView> {
  const { orders } = await collections();
  const _id = new ObjectId(orderId);
  const now = new Date();
  const updated = await orders.findOneAndUpdate(
    { _id, restaurantId: staff.restaurantId, status: 'pending' },
    { $set: { status: 'confirmed', confirmedAt: now, updatedAt: now } },
    { returnDocument: 'after' },
  );
  if (!updated) {
    const order = await orderOrThrow(_id);
    throw statusConflict(order, `This order is ${order.status}, not waiting for confirmation`);
  }
  await afterCommit([{ type: 'OrderConfirmed', order: updated, actor: staffActor(staff) }], origin);
  return toStaffOrder(updated);
}

export interface RejectedOrder {
  order: StaffOrderView;
  /** The lines went back to this cart version (absent when the table session has closed). */
  cartVersion?: number;
}

/**
 * A waiter refuses a pending order with a reason: the order is cancelled (the guests see the reason
 * live) and its dishes go back to the cart they came from, in one transaction.
 */
export async function rejectOrder(staff: StaffPrincipal, orderId: string, reason: string, origin: RequestOrigin = {}): Promise<RejectedOrder> {
  const { orders, carts, tableSessions } = await collections();
  const _id = new ObjectId(orderId);
  const pending = await orderOrThrow(_id);
  if (pending.status !== 'pending') throw statusConflict(pending, `This order is ${pending.status}; only a pending order can be rejected`);
  const tableSession = await tableSessions.findOne({ _id: pending.sessionId, restaurantId: staff.restaurantId }, { projection: { status: 1 } });
  const owner = cartOwnerOf(pending.sessionMode, pending.deviceId);
  const restoreToCart = tableSession?.status === 'OPEN';

  const client = await mongoClient();
  const session = client.startSession();
  let rejected: OrderDoc | null = null;
  let cart: CartDoc | null = null;
  try {
    await session.withTransaction(async () => {
      const now = new Date();
      rejected = await orders.findOneAndUpdate(
        { _id, restaurantId: staff.restaurantId, status: 'pending' },
        { $set: { status: 'cancelled', rejectionReason: reason, updatedAt: now, 'items.$[].itemStatus': 'CANCELLED', 'items.$[].statusUpdatedAt': now, 'items.$[].timings.cancelledAt': now, 'timings.cancelledAt': now } },
        { session, returnDocument: 'after' },
      );
      if (!rejected) throw statusConflict(pending, 'This order was just confirmed or cancelled by someone else');
      if (!restoreToCart) return;
      cart = await carts.findOneAndUpdate(
        { restaurantId: staff.restaurantId, sessionId: pending.sessionId, owner },
        { $push: { lines: { $each: pending.items.map((item) => cartLineFrom(item, now)) } }, $inc: { version: 1 }, $set: { updatedAt: now } },
        { session, upsert: true, returnDocument: 'after' },
      );
    });
  } finally {
    await session.endSession();
  }
  const order = rejected as OrderDoc | null;
  if (!order) throw statusConflict(pending, 'This order could not be rejected');
  const restored = cart as CartDoc | null;
  await afterCommit([{ type: 'OrderRejected', order, actor: staffActor(staff), reason, restoredCart: restored ?? undefined }], origin);
  return { order: toStaffOrder(order), ...(restored ? { cartVersion: (restored as CartDoc).version } : {}) };
}

/** An ordered dish as a cart line again: a new line id, the prices it was ordered at. */
function cartLineFrom(item: OrderItem, now: Date): CartLine {
  const modifiersPrice = (item.modifiers ?? []).reduce((sum, modifier) => sum + modifier.price, 0);
  const line: CartLine = {
    lineId: randomUUID(),
    menuItemId: item.menuItemId,
    name: item.menuItemName,
    unitPrice: item.priceMinor - modifiersPrice,
    quantity: item.quantity,
    modifiers: (item.modifiers ?? []).map(({ groupId, optionId, name, price }) => ({ groupId, optionId, name, price })),
    addedByDeviceId: item.addedByDeviceId,
    addedAt: now,
  };
  if (item.spiceLevel) line.spiceLevel = item.spiceLevel;
  if (item.notes) line.notes = item.notes;
  return line;
}

/** A manager cancels an order that is not served or paid: every item CANCELLED, off the kitchen screens. */
export async function cancelOrder(staff: StaffPrincipal, orderId: string, reason: string | undefined, origin: RequestOrigin = {}): Promise<StaffOrderView> {
  const { orders } = await collections();
  const _id = new ObjectId(orderId);
  const now = new Date();
  const set: Record<string, unknown> = {
    status: 'cancelled',
    updatedAt: now,
    'items.$[].itemStatus': 'CANCELLED',
    'items.$[].statusUpdatedAt': now,
    'items.$[].timings.cancelledAt': now,
    'timings.cancelledAt': now,
  };
  if (reason) set.rejectionReason = reason;
  const updated = await orders.findOneAndUpdate(
    { _id, restaurantId: staff.restaurantId, status: { $in: ['pending', 'confirmed', 'preparing'] }, paymentStatus: { $ne: 'paid' } },
    { $set: set },
    { returnDocument: 'after' },
  );
  if (!updated) {
    const order = await orderOrThrow(_id);
    if (order.paymentStatus === 'paid') throw statusConflict(order, 'This order is paid; it cannot be cancelled');
    throw statusConflict(order, `A ${order.status} order cannot be cancelled`);
  }
  await afterCommit([{ type: 'OrderCancelled', order: updated, actor: staffActor(staff), reason }], origin);
  return toStaffOrder(updated);
}
