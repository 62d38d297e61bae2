/**
 * The effects pipeline's kitchen pushes (effects.ts): an item's status changed, a ticket bumped or
 * recalled. Each from one socket lookup (orderAudience). The kitchen's use cases (kitchen/kitchen.ts)
 * call this module's `afterCommit`; a function that emits neither does not bundle it.
 */
import type { CallerSocket } from '../core/events.ts';
import type { OrderDoc } from '../data/documents.ts';
import { effectsWith, type SlicePushes } from '../effects.ts';
import { logger } from '../platform/logger.ts';
import { orderAudience, withoutStaffCallerSocket, type ConnectionRecord } from '../realtime/connections.ts';
import { pushToConnections } from '../realtime/push.ts';
import { toGuestOrder, toStaffOrder } from '../orders/order-views.ts';
import { pushKitchenTicket } from '../kitchen/kitchen-pushes.ts';
import { isOpenTicket } from '../kitchen/kitchen-tickets.ts';

export const KITCHEN_PUSHES = {
  ItemStatusChanged: (event) => itemChangePushes(event.order as OrderDoc, event.itemIndex, event.wasOpen, event.caller),
  TicketMoved: (event) => ticketMovePushes(event.order as OrderDoc, event.caller),
} satisfies SlicePushes;

/** The pipeline for the kitchen's events. */
export const afterCommit = effectsWith(KITCHEN_PUSHES);

/** After a bump or recall: the kitchen sockets get the ticket, staff consoles the order (a ticket bumped with dishes still to cook shows on the table panel). */
const withoutCaller = (sockets: ConnectionRecord[], caller: CallerSocket | undefined): ConnectionRecord[] =>
  caller ? withoutStaffCallerSocket(sockets, caller) : sockets;

async function ticketMovePushes(order: OrderDoc, caller?: CallerSocket): Promise<void> {
  try {
    const audience = await orderAudience(order);
    await Promise.all([
      pushKitchenTicket(order, { sockets: withoutCaller(audience.kitchen, caller) }),
      pushToConnections(audience.staff, { type: 'order.updated', order: toStaffOrder(order) }),
    ]);
  } catch (error) {
    logger.error('Order push could not be delivered', { error: error as Error });
  }
}

/**
 * After an item change, from one socket lookup, each audience once and only what it needs:
 * - kitchen: the tablets of the dish's station and the all-station ones get the ticket; other
 *   stations' tablets get nothing (their view of the ticket did not change), unless the change took
 *   the ticket off the screens or brought it back (the last dish served, an undo of it, a cancel),
 *   which every tablet showing the ticket must hear;
 * - guests of the order: one `order.updated` with their view (prices included: it is their bill),
 *   the item's new status in it (the app announces a dish turning READY from the difference);
 * - staff consoles: `order.updated` with theirs.
 */
async function itemChangePushes(order: OrderDoc, itemIndex: number, wasOpen: boolean, caller?: CallerSocket): Promise<void> {
  try {
    const audience = await orderAudience(order);
    const station = order.items[itemIndex].station;
    const kitchen = isOpenTicket(order) === wasOpen ? audience.kitchen.filter((socket) => !socket.station || socket.station === station) : audience.kitchen;
    await Promise.all([
      pushKitchenTicket(order, { sockets: withoutCaller(kitchen, caller) }),
      pushToConnections(audience.guests, { type: 'order.updated', order: toGuestOrder(order) }),
      pushToConnections(audience.staff, { type: 'order.updated', order: toStaffOrder(order) }),
    ]);
  } catch (error) {
    logger.error('Order push could not be delivered', { error: error as Error });
  }
}

