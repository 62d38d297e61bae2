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
import { connectionsOfChannel, orderAudience, type ConnectionRecord } from '../realtime/connections.ts';
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

/** The kitchen's sockets, looked up before the placement commits; undefined when that lookup failed (or was not made). */
export type KitchenSocketsAhead = Promise<ConnectionRecord[] | undefined>;

/**
 * Starts looking up the kitchen's sockets, to run while the placement claims its idempotency record and
 * runs its transaction (a DynamoDB round trip off the order → kitchen path). Never rejects: a failed
 * lookup leaves the kitchen to the lookup after the commit. A placement that fails drops the answer.
 */
export function kitchenSocketsAhead(restaurantId: string): KitchenSocketsAhead {
  return connectionsOfChannel(restaurantId, 'KITCHEN').catch((error) => {
    logger.warn('Could not look up the kitchen sockets ahead of a placement', { error: error as Error });
    return undefined;
  });
}

/** The pipeline of a placement whose kitchen sockets were looked up alongside its transaction (orderPlacedPushes). */
export const afterPlacement = (kitchen: KitchenSocketsAhead) =>
  effectsWith({
    ...ORDER_PUSHES,
    ...CART_PUSHES,
    OrderPlaced: (event) => orderPlacedPushes(event.order as OrderDoc, event.emptiedCartVersion, kitchen),
  });

/**
 * The kitchen gets the ticket (or, awaiting the waiter, the staff consoles get `order.pending`), the
 * staff consoles the order, and the table (FAMILY) or the ordering phone (INDIVIDUAL) the order and
 * the emptied cart, from one socket lookup after the commit.
 *
 * With `kitchenAhead` (the kitchen's sockets looked up before the commit) the ticket goes to
 * those first, before the lookup after the commit even starts, and then to any kitchen socket only
 * that lookup found. That second round keeps the rule every push relies on: a tablet whose socket
 * was recorded after the early lookup is either found by the one after the commit, or opened after
 * it, and then its reload on (re)connect (web/kitchen/store.ts) reads the committed order. So no
 * ticket is lost, and none is sent twice to one socket.
 */
async function orderPlacedPushes(order: OrderDoc, emptiedCartVersion: number, kitchenAhead?: KitchenSocketsAhead): Promise<void> {
  try {
    const announcing = order.status !== 'pending';
    const early = announcing ? await kitchenAhead : undefined;
    const announcedEarly = early ? announceNewTicket(order, early) : undefined;
    const [audience, settings] = await Promise.all([orderAudience(order), restaurant()]);
    const announced = new Set(early?.map((socket) => socket.connectionId));
    const kitchenLeft = audience.kitchen.filter((socket) => !announced.has(socket.connectionId));
    const cart = cartViewOf({ version: emptiedCartVersion, lines: [] }, new Map(), settings.taxRateBps);
    await Promise.all([
      announcedEarly,
      announcing && kitchenLeft.length > 0 ? announceNewTicket(order, kitchenLeft) : undefined,
      pushToConnections(audience.staff, { type: announcing ? 'order.updated' : 'order.pending', order: toStaffOrder(order) }),
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

