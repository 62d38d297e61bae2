/**
 * The staff's side of orders: the console's order list, waiter approval (confirm / reject, which
 * puts a rejected order's dishes back in the cart) and manager cancellation. Each change is audited
 * and pushed to every screen that shows the order (the effects pipeline, effects.ts).
 */
import { randomUUID } from 'node:crypto';
import { ObjectId } from 'mongodb';
import type { StaffPrincipal } from '../auth/principal.ts';
import { DomainError, notFound } from '../core/errors.ts';
import { staffActor } from '../core/events.ts';
import type { CartLine, OrderDoc, OrderItem, OrderStatus } from '../data/documents.ts';
import { cancelIfOpen, confirmPending, findOrder, findStaffOrders, rejectPending } from '../data/orders-store.ts';
import { findSessionStatus } from '../data/sessions-store.ts';
import { config } from '../platform/config.ts';
import type { RequestOrigin } from '../data/audit.ts';
import { afterCommit } from '../effects/orders.ts';
import * as Cart from '../cart/index.ts';
import * as Orders from '../orders/index.ts';

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
export async function listStaffOrders(query: StaffOrderQuery = {}): Promise<Orders.StaffView[]> {
  const docs = await findStaffOrders(config().restaurantId, {
    ...(query.status ? { status: query.status } : {}),
    ...(query.sessionId ? { sessionId: new ObjectId(query.sessionId) } : {}),
    since: new Date(Date.now() - STAFF_LIST_WINDOW_MS),
    limit: STAFF_LIST_LIMIT,
  });
  const pendingFirst = [...docs.filter((doc) => doc.status === 'pending'), ...docs.filter((doc) => doc.status !== 'pending')];
  return pendingFirst.map((doc) => Orders.staffView(doc));
}

// ───────────────────────────── waiter approval and cancellation ─────────────────────────────

async function orderOrThrow(orderId: ObjectId): Promise<OrderDoc> {
  const order = await findOrder(config().restaurantId, orderId);
  if (!order) throw notFound('Order');
  return order;
}

const statusConflict = (order: OrderDoc, message: string) =>
  new DomainError('STATUS_CONFLICT', message, { details: { status: order.status, paymentStatus: order.paymentStatus } });

/** A pending order (waiter approval) goes to the kitchen. */
export async function confirmOrder(staff: StaffPrincipal, orderId: string, origin: RequestOrigin = {}): Promise<Orders.StaffView> {
  const _id = new ObjectId(orderId);
  const updated = await confirmPending(staff.restaurantId, _id, new Date());
  if (!updated) {
    const order = await orderOrThrow(_id);
    throw statusConflict(order, `This order is ${order.status}, not waiting for confirmation`);
  }
  await afterCommit([{ type: 'OrderConfirmed', order: updated, actor: staffActor(staff) }], origin);
  return Orders.staffView(updated);
}

export interface RejectedOrder {
  order: Orders.StaffView;
  /** The lines went back to this cart version (absent when the table session has closed). */
  cartVersion?: number;
}

/**
 * A waiter refuses a pending order with a reason: the order is cancelled (the guests see the reason
 * live) and its dishes go back to the cart they came from, in one transaction.
 */
export async function rejectOrder(staff: StaffPrincipal, orderId: string, reason: string, origin: RequestOrigin = {}): Promise<RejectedOrder> {
  const _id = new ObjectId(orderId);
  const pending = await orderOrThrow(_id);
  if (pending.status !== 'pending') throw statusConflict(pending, `This order is ${pending.status}; only a pending order can be rejected`);
  const tableSession = await findSessionStatus(staff.restaurantId, pending.sessionId);
  const restore =
    tableSession?.status === 'OPEN'
      ? { sessionId: pending.sessionId, owner: Cart.ownerOf(pending.sessionMode, pending.deviceId), lines: (now: Date) => pending.items.map((item) => cartLineFrom(item, now)) }
      : undefined;
  const { order, cart: restored } = await rejectPending(staff.restaurantId, _id, reason, restore);
  if (!order) throw statusConflict(pending, 'This order was just confirmed or cancelled by someone else');
  await afterCommit([{ type: 'OrderRejected', order, actor: staffActor(staff), reason, restoredCart: restored ?? undefined }], origin);
  return { order: Orders.staffView(order), ...(restored ? { cartVersion: restored.version } : {}) };
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
export async function cancelOrder(staff: StaffPrincipal, orderId: string, reason: string | undefined, origin: RequestOrigin = {}): Promise<Orders.StaffView> {
  const _id = new ObjectId(orderId);
  const updated = await cancelIfOpen(staff.restaurantId, _id, reason, new Date());
  if (!updated) {
    const order = await orderOrThrow(_id);
    if (order.paymentStatus === 'paid') throw statusConflict(order, 'This order is paid; it cannot be cancelled');
    throw statusConflict(order, `A ${order.status} order cannot be cancelled`);
  }
  await afterCommit([{ type: 'OrderCancelled', order: updated, actor: staffActor(staff), reason }], origin);
  return Orders.staffView(updated);
}
