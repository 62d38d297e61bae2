/**
 * The effects pipeline's order pushes (effects.ts): an order placed, confirmed, rejected (its dishes
 * back in the cart) or cancelled, and payments recorded or settled against orders. Each from one
 * socket lookup (orderAudience), each audience once with its own view. The use cases that emit
 * these events (orders, floor, bill) call this module's `afterCommit`; a function that emits none
 * of them does not bundle it.
 */
import type { OrderDoc } from '../data/documents.ts';
import { restaurant } from '../data/restaurant.ts';
import { effectsWith, type SlicePushes } from '../effects.ts';
import { logger } from '../platform/logger.ts';
import { orderAudience } from '../realtime/connections.ts';
import { pushToConnections, pushToStaff } from '../realtime/push.ts';
import { CART_PUSHES, cartChangePushes, cartViewOf } from '../cart/cart-views.ts';
import { announceNewTicket, pushKitchenTicket } from '../kitchen/kitchen-pushes.ts';
import { toGuestOrder, toStaffOrder } from '../orders/order-views.ts';

export const ORDER_PUSHES = {
  OrderPlaced: (event) => orderPlacedPushes(event.order as OrderDoc, event.emptiedCartVersion),
  OrderConfirmed: (event) => pushOrderChange(event.order as OrderDoc, 'announce'),
  OrderRejected: async ({ order, restoredCart }) => {
    await Promise.all([
      pushOrderChange(order as OrderDoc),
      restoredCart ? cartChangePushes({ type: 'CartChanged', restaurantId: order.restaurantId, sessionId: order.sessionId, cart: restoredCart }) : undefined,
    ]);
  },
  OrderCancelled: (event) => pushOrderChange(event.order as OrderDoc, 'update'),
  PaymentRecorded: (event) => paymentPushes(event.orders as readonly OrderDoc[]),
  PaymentSettled: (event) => paymentPushes(event.orders as readonly OrderDoc[]),
} satisfies SlicePushes;

/** The pipeline for the orders slice's events (and a cart change: placing empties the cart, a rejection restores it). */
export const afterCommit = effectsWith({ ...ORDER_PUSHES, ...CART_PUSHES });

/**
 * From one socket lookup: the kitchen gets the ticket (or, awaiting the waiter, the staff consoles
 * get `order.pending`), the staff consoles the order, and the table (FAMILY) or the ordering phone
 * (INDIVIDUAL) the order and the emptied cart.
 */
async function orderPlacedPushes(order: OrderDoc, emptiedCartVersion: number): Promise<void> {
  try {
    const [audience, settings] = await Promise.all([orderAudience(order), restaurant()]);
    const cart = cartViewOf({ version: emptiedCartVersion, lines: [] }, new Map(), settings.taxRateBps);
    await Promise.all([
      order.status === 'pending' ? undefined : announceNewTicket(order, audience.kitchen),
      pushToConnections(audience.staff, { type: order.status === 'pending' ? 'order.pending' : 'order.updated', order: toStaffOrder(order) }),
      pushToConnections(audience.guests, { type: 'order.updated', order: toGuestOrder(order) }),
      pushToConnections(audience.guests, { type: 'cart.updated', cart }),
    ]);
  } catch (error) {
    logger.error('Push after placement failed', { error: error as Error });
  }
}

/**
 * An order changed, from one socket lookup: the guests who see it get `order.updated` with their
 * view, the staff consoles with theirs, and with `kitchen` the kitchen its ticket (`announce` for a
 * newly confirmed order, `update` for any other change).
 */
async function pushOrderChange(order: OrderDoc, kitchen?: 'announce' | 'update'): Promise<void> {
  try {
    const audience = await orderAudience(order);
    await Promise.all([
      kitchen === 'announce' ? announceNewTicket(order, audience.kitchen) : undefined,
      kitchen === 'update' ? pushKitchenTicket(order, { sockets: audience.kitchen }) : undefined,
      pushToConnections(audience.guests, { type: 'order.updated', order: toGuestOrder(order) }),
      pushToConnections(audience.staff, { type: 'order.updated', order: toStaffOrder(order) }),
    ]);
  } catch (error) {
    logger.error('Order push could not be delivered', { error: error as Error });
  }
}

/** Each order to the screens that show it, and `table.updated` once per table session to the staff consoles. */
async function paymentPushes(orders: readonly OrderDoc[]): Promise<void> {
  const tables = new Map(orders.map((order) => [order.sessionId.toHexString(), order]));
  await Promise.all([
    ...orders.map((order) => pushOrderChange(order)),
    ...[...tables.values()].map((order) =>
      pushToStaff(order.restaurantId, { type: 'table.updated', tableId: order.tableId.toHexString(), sessionId: order.sessionId.toHexString() }),
    ),
  ]);
}

