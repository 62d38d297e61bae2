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
 * | PinGuardChanged (not audited: PinAttempted is) | — | `table.updated` | — |
 * | TableClosed | — | `table.updated` | `session.closed`, then every socket closed |
 * | GuestIdentified, PhoneVerified (on success) | — | `table.updated` (the guest's name at the table) | — |
 * | PaymentStarted, PaymentStatusChanged, PaymentRefundUpdated, PaymentRefunded (when answered) | — | `table.updated` | `payment.updated` (INDIVIDUAL: the paying phone) |
 * | PaymentFlagged | — | `payment.flagged`, `table.updated` | — |
 * | BillRequested | — | `bill.requested` (with the amount due and the guest's name) | `bill.requested` (the table, or at an INDIVIDUAL table the phone) |
 * | MenuItemChanged | — | — | `menu.updated` with the dish, to every guest socket |
 * | MenuNamesUpdated | — | — | `menu.updated` (names: the phones reload the menu) |
 * | StaffUserSignedOut, StaffUserUpdated (sessions ended) | the user's sockets closed | the user's sockets closed | — |
 * | TableCreated, TableChanged, TableRemoved | — | `table.updated` (the floor reloads) | — |
 * | the staff's other tools (core/admin-events.ts: sign-in, table codes, day close, retention) | — | — | — (audited only) |
 *
 * Pushes never fail the request (they are logged; screens resync); an audit entry that cannot be
 * written is logged too, the change being committed already (auditQuietly).
 *
 * The pushes that need a slice's views (orders, kitchen tickets, carts, online payments: the
 * `SlicePushed` events) live beside the pipeline (effects/) or in the slice, and are handed in by
 * the use case that emits the event: it calls the `afterCommit` built over those pushes
 * (`effectsWith(...)`: effects/orders.ts, effects/kitchen.ts, cart/cart-views.ts CART_PUSHES,
 * bill/payment-views.ts PAYMENT_PUSHES), whose type accepts no event whose pushes it lacks.
 * So a function's bundle carries only the view builders of the events its routes
 * emit (one ESM file per function, no code splitting: a dynamic import would stay in the file).
 * This module's own `afterCommit` takes the rest (audit-only events, and those whose pushes need
 * only the realtime kernel). Two leaner entries keep the whole switch and audit mapping out of
 * functions that need neither: `adminEffectsWith` (the staff's tools: their entries, and the pushes of
 * the admin events the admin slice hands in, admin/admin-pushes.ts) and `pushesOnly` (never-audited
 * events: a cart change's pushes only).
 */
import type { ObjectId } from 'mongodb';
import { auditOf, type DomainEvent } from './core/events.ts';
import { adminAuditOf, isAdminEvent, type AdminEvent } from './core/admin-events.ts';
import { logger } from './platform/logger.ts';
import { connectionsOfSession } from './realtime/connections.ts';
import { pushToSession, pushToStaff } from './realtime/push.ts';
import { closeGuestTokenSockets, closeReplacedDeviceSockets, closeSockets } from './realtime/socket-credentials.ts';
import { auditQuietly, type RequestOrigin } from './data/audit.ts';
import { isPaymentIntentEvent, type PaymentIntentEvent } from './core/payment-events.ts';

export type Event = DomainEvent<ObjectId>;

/** What the effects did that the use case reports back. */
export interface EffectsReport {
  /** Guest sockets closed (a table closing). */
  disconnected: number;
}

/** Written by the use case inside its own transaction (an order never exists without its entry). */
const AUDITED_IN_TRANSACTION: ReadonlySet<Event['type']> = new Set(['OrderPlaced']);

/** The events whose pushes need a slice's views: the emitting slice hands them in (see the header). */
export type SlicePushed =
  | 'OrderPlaced'
  | 'OrderConfirmed'
  | 'OrderRejected'
  | 'OrderCancelled'
  | 'ItemStatusChanged'
  | 'TicketMoved'
  | 'CartChanged'
  | 'PaymentRecorded'
  | 'PaymentSettled'
  | PaymentIntentEvent['type'];

export type EventOf<T extends Event['type']> = Extract<Event, { type: T }>;

/** A slice's pushes, by event type. Never throw (a push failing is logged). */
export type SlicePushes = { [T in SlicePushed]?: (event: EventOf<T>) => Promise<void> };

/** The events an `afterCommit` with these pushes takes: all but those whose pushes it lacks (admin pushes go through `adminEffectsWith`). */
export type CoveredBy<P extends SlicePushes> = Exclude<Event, { type: Exclude<SlicePushed, keyof P> | AdminPushed }>;

/** The staff tools' events that push: the slice emitting them hands their pushes in (admin/admin-pushes.ts, sessions/table-pushes.ts). */
export type AdminPushed = 'MenuItemChanged' | 'MenuNamesUpdated' | 'StaffUserSignedOut' | 'StaffUserUpdated' | 'TableCreated' | 'TableChanged' | 'TableRemoved';

type AdminEventOf<T extends AdminEvent['type']> = Extract<AdminEvent<ObjectId>, { type: T }>;

/** The admin slice's pushes, by event type. */
export type AdminPushes = { [T in AdminPushed]?: (event: AdminEventOf<T>) => Promise<unknown> };

export type AfterCommit<E extends Event> = (events: readonly E[], origin?: RequestOrigin) => Promise<EffectsReport>;

/** The pipeline with these slice pushes: runs each event's effects, the events side by side. Never throws. */
export function effectsWith<P extends SlicePushes>(pushes: P): AfterCommit<CoveredBy<P>> {
  return async (events, origin = {}) => {
    const reports = await Promise.all(events.map((event) => effectsOf(event, origin, pushes)));
    return { disconnected: reports.reduce((sum, report) => sum + report.disconnected, 0) };
  };
}

/** The pipeline for audit-only events and those pushed by the realtime kernel alone. */
export const afterCommit = /* @__PURE__ */ effectsWith({});

/**
 * The pipeline for the staff's own tools (core/admin-events.ts): each event's entry, and its push if
 * it has one (`pushes`, handed in; the type refuses a pushing event whose push is missing). Apart from
 * `afterCommit` so that a function emitting nothing else bundles only the admin entries' mapping.
 */
export function adminEffectsWith<P extends AdminPushes>(pushes: P): AfterCommit<Exclude<AdminEvent<ObjectId>, { type: Exclude<AdminPushed, keyof P> }>> {
  return async (events, origin = {}) => {
    const pushOf = (event: AdminEvent<ObjectId>) => pushes[event.type as AdminPushed] as ((event: AdminEvent<ObjectId>) => Promise<unknown>) | undefined;
    await Promise.all(
      events.map((event) =>
        Promise.all([
          auditQuietly({ ...adminAuditOf(event), ...origin }),
          pushOf(event)?.(event).catch((error) => logger.error('Push after a staff change failed', { error: error as Error, eventType: event.type })),
        ]),
      ),
    );
    return { disconnected: 0 };
  };
}

/** The staff tools' pipeline for functions whose events push nothing (day close, retention). */
export const afterAdminCommit = /* @__PURE__ */ adminEffectsWith({});

/** The events that are never audited: their pipeline is their slice's pushes alone. */
export type Unaudited = 'CartChanged' | 'TicketMoved';

/** The pipeline for never-audited events (a cart change): only the slice's pushes, without the audit mapping. */
export function pushesOnly<T extends Unaudited>(pushes: { [K in T]: (event: EventOf<K>) => Promise<void> }): AfterCommit<EventOf<T>> {
  return async (events) => {
    const pushOf = (event: Event) => pushes[event.type as T] as unknown as (event: Event) => Promise<void>;
    await Promise.all(events.map((event: Event) => pushOf(event)(event)));
    return { disconnected: 0 };
  };
}

/** The event's audit entry, if it has one. Never throws. */
export async function record(event: Event, origin: RequestOrigin = {}): Promise<void> {
  const entry = AUDITED_IN_TRANSACTION.has(event.type) ? undefined : auditOf(event);
  if (entry) await auditQuietly({ ...entry, ...origin });
}

const NOTHING: EffectsReport = { disconnected: 0 };

/** The slice's pushes of the event (the types guarantee they were handed in). */
function slicePushes(event: EventOf<SlicePushed>, pushes: SlicePushes): Promise<void> {
  const push = pushes[event.type] as ((event: Event) => Promise<void>) | undefined;
  if (push) return push(event);
  logger.error('No pushes for this event in this function', { eventType: event.type });
  return Promise.resolve();
}

async function effectsOf(event: Event, origin: RequestOrigin, pushes: SlicePushes): Promise<EffectsReport> {
  if (isPaymentIntentEvent(event)) return Promise.all([record(event, origin), slicePushes(event, pushes)]).then(() => NOTHING);
  if (isAdminEvent(event)) return record(event, origin).then(() => NOTHING); // audit-only (core/admin-events.ts)
  switch (event.type) {
    case 'OrderPlaced':
    case 'ItemStatusChanged':
      await record(event, origin);
      await slicePushes(event, pushes);
      return NOTHING;
    case 'OrderConfirmed':
    case 'OrderRejected':
    case 'OrderCancelled':
    case 'PaymentRecorded':
    case 'PaymentSettled':
      await Promise.all([record(event, origin), slicePushes(event, pushes)]);
      return NOTHING;
    case 'TicketMoved':
    case 'CartChanged':
      await slicePushes(event, pushes);
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
        // A device id just drawn for this join (not the one asked for) has no earlier token, so no sockets to close.
        event.askedDeviceId === event.deviceId && closeReplacedDeviceSockets(event.restaurantId, event.sessionId.toHexString(), event.deviceId, event.tokenHash),
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

/** The guests' sockets are told `session.closed`, then closed; the staff floor view updated. Returns the sockets closed. */
async function closeTheTable(restaurantId: string, tableId: ObjectId, sessionId: ObjectId): Promise<number> {
  const sessionKey = sessionId.toHexString();
  await pushToSession(restaurantId, sessionKey, { type: 'session.closed', sessionId: sessionKey });
  const sockets = await connectionsOfSession(restaurantId, sessionKey).catch(() => []);
  await closeSockets(sockets);
  await pushToStaff(restaurantId, { type: 'table.updated', tableId: tableId.toHexString() });
  return sockets.length;
}
