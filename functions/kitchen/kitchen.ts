/**
 * Kitchen display use cases: open tickets by station, item status, bump and recall, all-day counts.
 * What a kitchen screen is shown (tickets, strict output schemas) is kitchen-tickets.ts; the reads
 * and writes are data/kitchen-store.ts; the pushes after each change are the effects pipeline's.
 */
import { ObjectId } from 'mongodb';
import type { StaffPrincipal } from '../auth/principal.ts';
import { staffActor, type CallerSocket } from '../core/events.ts';
import { ticketForStation } from '../core/kitchen-board.ts';
import { orderTimings, timingsAfterMove } from '../core/kitchen-timings.ts';
import { checkItemTransition, deriveOrderStatus } from '../core/order-status.ts';
import { DomainError, forbidden, notFound } from '../core/errors.ts';
import { roleAtLeast } from '../core/roles.ts';
import type { ItemStatus, NameKind, RestaurantDoc, Translations } from '../data/documents.ts';
import { bumpTicket, findOrder, findTickets, moveItemIfUnchanged, recallTicket, ticketState } from '../data/kitchen-store.ts';
import type { TicketFilter } from '../contract/kitchen.ts';
import type { RequestOrigin } from '../data/audit.ts';
import { afterCommit } from '../effects/kitchen.ts';
import {
  KitchenBoardSchema,
  KitchenTicketListSchema,
  OPEN_STATUSES,
  isOpenTicket,
  toKitchenTicket,
  type KitchenBoard,
  type KitchenTicket,
  type KitchenTicketList,
} from './kitchen-tickets.ts';
import { restaurant } from '../data/restaurant.ts';

export * from './kitchen-tickets.ts';
export { TICKET_PROJECTION } from '../data/kitchen-store.ts';
export { announceNewTicket, pushKitchenTicket } from './kitchen-pushes.ts';

// ───────────────────────────── reads ─────────────────────────────

/** `open`: on the screens (default); `confirmed` / `preparing`: open tickets in that state; `bumped`: recently bumped, newest first. */
export { TICKET_FILTERS, type TicketFilter } from '../contract/kitchen.ts';

export interface ListOptions {
  station?: string;
  status?: TicketFilter;
}

export async function listTickets(restaurantId: string, options: ListOptions = {}): Promise<KitchenTicketList> {
  // The recall list holds any bumped ticket with dishes still to cook, however long ago: never lost.
  const docs = await findTickets({ restaurantId, open: OPEN_STATUSES, status: options.status ?? 'open', station: options.station });
  const tickets = docs
    .map((doc) => ticketForStation(toKitchenTicket(doc), options.station))
    .filter((ticket): ticket is KitchenTicket => ticket !== undefined);
  return KitchenTicketListSchema.parse({ serverTime: new Date().toISOString(), orders: tickets });
}

const namesByKind = (names: RestaurantDoc['names'], kind: NameKind): Record<string, Translations> =>
  Object.fromEntries((names ?? []).filter((entry) => entry.kind === kind).map((entry) => [entry.name, { ...entry.translations }]));

const DEFAULT_URGENCY = { urgentMinutes: 10, criticalMinutes: 15 };

/** The screen's load: open tickets (oldest first) with the restaurant's urgency thresholds and stations. */
export async function kitchenBoard(restaurantId: string, options: ListOptions = {}): Promise<KitchenBoard> {
  const [settings, list] = await Promise.all([restaurant(), listTickets(restaurantId, options)]);
  return KitchenBoardSchema.parse({
    serverTime: list.serverTime,
    urgency: {
      urgentMinutes: settings.urgency?.urgentMinutes ?? DEFAULT_URGENCY.urgentMinutes,
      criticalMinutes: settings.urgency?.criticalMinutes ?? DEFAULT_URGENCY.criticalMinutes,
    },
    stations: settings.stations ?? [],
    stationNames: namesByKind(settings.names, 'station'),
    floorNames: namesByKind(settings.names, 'floor'),
    orders: list.orders,
  });
}

// ───────────────────────────── changes ─────────────────────────────

const conflict = (message: string, details?: Record<string, unknown>) => new DomainError('STATUS_CONFLICT', message, { details });

/** Attempts when other items of the same order change between our read and our write. */
const MAX_ATTEMPTS = 5;

export interface SetItemStatusInput {
  orderId: string;
  itemIndex: number;
  status: ItemStatus;
  /** The status the tablet saw; when given and different from the stored one, 409 (the tablet is stale). */
  from?: ItemStatus;
}

/**
 * Moves one item one step (or one step back, or to CANCELLED for managers). The write is a single
 * atomic update conditioned on the status of EVERY item of the order and on the order's status, and
 * it sets the item's status and the order status derived from all the items together: two tablets
 * racing on the same item get one success and one 409; a concurrent change to another item makes
 * us re-read and try again, so the derived status is always computed from what is really stored.
 */
export async function setItemStatus(
  staff: StaffPrincipal,
  input: SetItemStatusInput,
  origin: RequestOrigin = {},
  callerSocket?: string,
): Promise<KitchenTicket> {
  const { orderId, itemIndex, status: to, from } = input;
  if (to === 'CANCELLED' && !roleAtLeast(staff.role, 'MANAGER')) {
    throw forbidden('Only a manager can cancel an item');
  }
  const _id = new ObjectId(orderId);

  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const order = await findOrder(staff.restaurantId, _id);
    if (!order) throw notFound('Order');
    const item = order.items[itemIndex];
    if (!item) throw notFound('Item');
    if (order.status === 'pending') throw conflict('This order is waiting for the waiter to confirm it', { orderStatus: order.status });
    if (order.status === 'cancelled') throw conflict('This order was cancelled', { orderStatus: order.status });
    const current = item.itemStatus;
    if (from !== undefined && from !== current) {
      throw conflict(`The item is ${current} now, not ${from}`, { itemIndex, current, requested: to });
    }
    const check = checkItemTransition(current, to);
    if (!check.ok) throw conflict(check.reason, { itemIndex, current, requested: to });

    const at = new Date();
    const itemTimings = timingsAfterMove(item.timings, current, to, at);
    const nextItems = order.items.map((it, i) => (i === itemIndex ? { ...it, itemStatus: to, timings: itemTimings } : it));
    const updated = await moveItemIfUnchanged(order, {
      itemIndex,
      to,
      itemTimings,
      orderTimings: orderTimings(order.timings?.placedAt ?? order.orderDate, nextItems),
      orderStatus: deriveOrderStatus(order.status, nextItems),
      at,
    });
    if (!updated) continue; // something changed under us: read again and decide

    await afterCommit([{ type: 'ItemStatusChanged', order: updated, actor: staffActor(staff), itemIndex, from: current, to, wasOpen: isOpenTicket(order), caller: callerOf(staff, callerSocket) }], origin);
    return toKitchenTicket(updated);
  }
  throw new DomainError('STATUS_CONFLICT', 'The order is changing too fast; try again', { retryAfterSeconds: 1 });
}

/** The ticket is done: it leaves every screen (and joins the recall list). */
export async function bump(staff: StaffPrincipal, orderId: string, callerSocket?: string): Promise<KitchenTicket> {
  const _id = new ObjectId(orderId);
  const updated = await bumpTicket(staff.restaurantId, _id, new Date());
  if (!updated) {
    const order = await ticketState(staff.restaurantId, _id);
    if (!order) throw notFound('Order');
    if (order.bumpedAt) throw conflict('This ticket was already bumped', { orderStatus: order.status });
    throw conflict(`A ${order.status} order is not on the kitchen screen`, { orderStatus: order.status });
  }
  await afterCommit([{ type: 'TicketMoved', order: updated, move: 'bumped', caller: callerOf(staff, callerSocket) }]);
  return toKitchenTicket(updated);
}

/** Brings a bumped ticket back to the screens. */
export async function recall(staff: StaffPrincipal, orderId: string, callerSocket?: string): Promise<KitchenTicket> {
  const _id = new ObjectId(orderId);
  const updated = await recallTicket(staff.restaurantId, _id, OPEN_STATUSES, new Date());
  if (!updated) {
    const order = await ticketState(staff.restaurantId, _id);
    if (!order) throw notFound('Order');
    if (!order.bumpedAt) throw conflict('This ticket is not bumped', { orderStatus: order.status });
    throw conflict(
      order.status === 'completed' ? 'Every item of this order was served: nothing is left to cook' : `A ${order.status} order cannot come back`,
      { orderStatus: order.status },
    );
  }
  await afterCommit([{ type: 'TicketMoved', order: updated, move: 'recalled', caller: callerOf(staff, callerSocket) }]);
  return toKitchenTicket(updated);
}

/** The calling tablet's socket (named by X-Plato-Connection-Id, http/request.ts callerConnectionId): it has the ticket in the answer. */
const callerOf = (staff: StaffPrincipal, callerSocket: string | undefined): CallerSocket => ({ connectionId: callerSocket, userId: staff.userId, sessionId: staff.sessionId });
