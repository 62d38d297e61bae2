/**
 * The one after-commit effects pipeline. A use case commits its change, then hands what happened
 * (core/events.ts) to `afterCommit`, which for each event writes its audit entry (core auditOf)
 * and delivers its pushes to each audience:
 *
 * | event | kitchen | staff consoles | guests |
 * | --- | --- | --- | --- |
 * | OrderPlaced | `order.created` (not while pending) | `order.pending` or `order.updated` | `order.updated`, `cart.updated` |
 * | OrderConfirmed | `order.created` | `order.updated` | `order.updated` |
 * | OrderRejected | — | `order.updated` | `order.updated`, `cart.updated` (dishes back in the cart) |
 * | OrderCancelled | the ticket (removed) | `order.updated` | `order.updated` |
 * | ItemStatusChanged | the ticket, to the dish's station and all-station tablets (every tablet when it left or came back) | `order.updated` | `order.updated` |
 * | TicketMoved | the ticket | `order.updated` | — |
 * | CartChanged | — | — | `cart.updated` to the cart's phones (the table's, FAMILY; the phone's, INDIVIDUAL), the caller's socket left out |
 * | PaymentRecorded, PaymentSettled | — | `order.updated` per order, `table.updated` | `order.updated` per order |
 * | TableOpened, GuestJoined, GuestLoggedOut | — | `table.updated` | (joined: the device's replaced sockets closed; logged out: the token's) |
 * | TableClosed | — | `table.updated` | `session.closed`, then every socket closed |
 * | GuestIdentified, PhoneVerified (on success) | — | `table.updated` (the guest's name at the table) | — |
 * | PaymentStarted, PaymentStatusChanged, PaymentRefundUpdated, PaymentRefunded (when answered) | — | `table.updated` | `payment.updated` (INDIVIDUAL: the paying phone) |
 * | PaymentFlagged | — | `payment.flagged`, `table.updated` | — |
 * | BillRequested | — | `bill.requested` (with the amount due and the guest's name) | `bill.requested` (the table, or at an INDIVIDUAL table the phone) |
 * | the staff's own tools (core/admin-events.ts: accounts, sign-in, menu, table codes, day close, retention) | — | — | — (audited only) |
 *
 * Pushes never fail the request (they are logged; screens resync); an audit entry that cannot be
 * written is logged too, the change being committed already (auditQuietly).
 */
import type { ObjectId } from 'mongodb';
import { auditOf, type CallerSocket, type DomainEvent } from './core/events.ts';
import { isAdminEvent } from './core/admin-events.ts';
import type { OrderDoc } from './data/documents.ts';
import { logger } from './platform/logger.ts';
import { connectionsOfSession, orderAudience, withoutStaffCallerSocket, type ConnectionRecord } from './realtime/connections.ts';
import { disconnect, pushToConnections, pushToSession, pushToStaff } from './realtime/push.ts';
import { closeGuestTokenSockets, closeReplacedDeviceSockets } from './realtime/socket-credentials.ts';
import { auditQuietly, type RequestOrigin } from './data/audit.ts';
import { cartChangePushes, cartViewOf } from './cart/cart-views.ts';
import { announceNewTicket, pushKitchenTicket } from './kitchen/kitchen-pushes.ts';
import { isOpenTicket } from './kitchen/kitchen-tickets.ts';
import { toGuestOrder, toStaffOrder } from './orders/order-views.ts';
import { restaurant } from './data/restaurant.ts';
import { isPaymentIntentEvent } from './core/payment-events.ts';
import { intentPushes } from './bill/payment-views.ts';

export type Event = DomainEvent<ObjectId>;

/** What the effects did that the use case reports back. */
export interface EffectsReport {
  /** Guest sockets closed (a table closing). */
  disconnected: number;
}

/** Written by the use case inside its own transaction (an order never exists without its entry). */
const AUDITED_IN_TRANSACTION: ReadonlySet<Event['type']> = new Set(['OrderPlaced']);

/** Runs each event's effects, the events side by side. Never throws. */
export async function afterCommit(events: readonly Event[], origin: RequestOrigin = {}): Promise<EffectsReport> {
  const reports = await Promise.all(events.map((event) => effectsOf(event, origin)));
  return { disconnected: reports.reduce((sum, report) => sum + report.disconnected, 0) };
}

/** The event's audit entry, if it has one. Never throws. */
export async function record(event: Event, origin: RequestOrigin = {}): Promise<void> {
  const entry = AUDITED_IN_TRANSACTION.has(event.type) ? undefined : auditOf(event);
  if (entry) await auditQuietly({ ...entry, ...origin });
}

const NOTHING: EffectsReport = { disconnected: 0 };

async function effectsOf(event: Event, origin: RequestOrigin): Promise<EffectsReport> {
  if (isPaymentIntentEvent(event)) return Promise.all([record(event, origin), intentPushes(event)]).then(() => NOTHING);
  if (isAdminEvent(event)) return record(event, origin).then(() => NOTHING); // audit-only (core/admin-events.ts)
  switch (event.type) {
    case 'OrderPlaced':
      await record(event, origin);
      await orderPlacedPushes(event.order as OrderDoc, event.emptiedCartVersion);
      return NOTHING;
    case 'OrderConfirmed':
      await Promise.all([record(event, origin), pushOrderChange(event.order as OrderDoc, 'announce')]);
      return NOTHING;
    case 'OrderRejected': {
      const { order, restoredCart } = event;
      await Promise.all([
        record(event, origin),
        pushOrderChange(order as OrderDoc),
        restoredCart ? cartChangePushes({ type: 'CartChanged', restaurantId: order.restaurantId, sessionId: order.sessionId, cart: restoredCart }) : undefined,
      ]);
      return NOTHING;
    }
    case 'OrderCancelled':
      await Promise.all([record(event, origin), pushOrderChange(event.order as OrderDoc, 'update')]);
      return NOTHING;
    case 'ItemStatusChanged':
      await record(event, origin);
      await itemChangePushes(event.order as OrderDoc, event.itemIndex, event.wasOpen, event.caller);
      return NOTHING;
    case 'TicketMoved':
      await ticketMovePushes(event.order as OrderDoc, event.caller);
      return NOTHING;
    case 'CartChanged':
      await cartChangePushes(event);
      return NOTHING;
    case 'PaymentRecorded':
    case 'PaymentSettled':
      await Promise.all([record(event, origin), paymentPushes(event.orders as readonly OrderDoc[])]);
      return NOTHING;
    case 'TableOpened':
      await record(event, origin);
      await pushToStaff(event.restaurantId, { type: 'table.updated', tableId: event.tableId.toHexString() });
      return NOTHING;
    case 'PinGuardChanged':
      await pushToStaff(event.restaurantId, { type: 'table.updated', tableId: event.tableId.toHexString() });
      return NOTHING;
    case 'TableClosed':
      await record(event, origin);
      return { disconnected: await closeTheTable(event.restaurantId, event.tableId, event.sessionId) };
    case 'GuestJoined':
      await Promise.all([
        record(event, origin),
        pushToStaff(event.restaurantId, { type: 'table.updated', tableId: event.tableId.toHexString() }),
        closeReplacedDeviceSockets(event.restaurantId, event.sessionId.toHexString(), event.deviceId, event.tokenHash),
      ]);
      return NOTHING;
    case 'GuestLoggedOut':
      await Promise.all([
        // The token's sockets stop listening with it.
        closeGuestTokenSockets(event.restaurantId, event.sessionId.toHexString(), event.tokenHash),
        record(event, origin),
        // The phone leaves the staff floor view's list.
        pushToStaff(event.restaurantId, { type: 'table.updated', tableId: event.tableId.toHexString() }),
      ]);
      return NOTHING;
    case 'GuestIdentified':
    case 'PhoneVerified':
      await Promise.all([
        record(event, origin),
        event.outcome === 'success' ? pushToStaff(event.restaurantId, { type: 'table.updated', tableId: event.tableId.toHexString() }) : undefined,
      ]);
      return NOTHING;
    case 'BillRequested': {
      const sessionId = event.sessionId.toHexString();
      await Promise.all([
        pushToStaff(event.restaurantId, {
          type: 'bill.requested',
          tableId: event.tableId.toHexString(),
          tableNumber: event.tableNumber,
          sessionId,
          due: event.due,
          ...event.answer,
          ...(event.customerName ? { customerName: event.customerName } : {}),
        }),
        pushToSession(event.restaurantId, sessionId, { type: 'bill.requested', ...event.answer }, event.onlyDevice ? { deviceId: event.onlyDevice } : {}),
        record(event, origin),
      ]);
      return NOTHING;
    }
    case 'OrderReplayed':
    case 'TableOpenRefused':
    case 'PinRegenerated':
    case 'TableCloseRefused':
    case 'PinAttempted':
      await record(event, origin);
      return NOTHING;
  }
}

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

/** The guests' sockets are told `session.closed`, then closed; the staff floor view updated. Returns the sockets closed. */
async function closeTheTable(restaurantId: string, tableId: ObjectId, sessionId: ObjectId): Promise<number> {
  const sessionKey = sessionId.toHexString();
  await pushToSession(restaurantId, sessionKey, { type: 'session.closed', sessionId: sessionKey });
  const sockets = await connectionsOfSession(restaurantId, sessionKey).catch(() => []);
  await Promise.all(sockets.map((socket) => disconnect(socket.connectionId)));
  await pushToStaff(restaurantId, { type: 'table.updated', tableId: tableId.toHexString() });
  return sockets.length;
}
