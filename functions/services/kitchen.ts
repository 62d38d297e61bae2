/**
 * Kitchen display use cases: open tickets by station, item status, bump and recall, all-day counts,
 * and the pushes that keep every kitchen tablet and the order's guests live.
 *
 * The kitchen never sees money or who the guest is. Every kitchen payload (HTTP and WebSocket) is
 * built field by field by toKitchenTicket and then parsed by a strict output schema: a field added
 * to the mapping by mistake (a price, a phone number) makes the parse throw instead of leaking.
 */
import { ObjectId, type Filter } from 'mongodb';
import * as z from 'zod';
import type { StaffPrincipal } from '../auth/principal.ts';
import { ticketForStation } from '../core/kitchen-board.ts';
import { orderTimings, timingsAfterMove } from '../core/kitchen-timings.ts';
import { checkItemTransition, deriveOrderStatus } from '../core/order-status.ts';
import { DomainError, forbidden, notFound } from '../core/errors.ts';
import {
  ITEM_STATUSES,
  ORDER_STATUSES,
  SPICE_LEVELS,
  type ItemStatus,
  type NameKind,
  type OrderDoc,
  type RestaurantDoc,
  type Translations,
  type OrderStatus,
} from '../data/documents.ts';
import { collections } from '../data/mongo.ts';
import { logger } from '../platform/logger.ts';
import { connectionsOfChannel, orderAudience, withoutStaffCallerSocket, type ConnectionRecord } from '../realtime/connections.ts';
import { pushToConnections, type PushMessage } from '../realtime/push.ts';
import { roleAtLeast } from '../core/roles.ts';
import { auditQuietly, type RequestOrigin } from './audit.ts';
import { toGuestOrder, toStaffOrder } from './order-views.ts';
import { restaurant } from './restaurant.ts';

// ---------------------------------------------------------------------------------------------
// Output schemas: the only shapes that ever leave for a kitchen screen.
// ---------------------------------------------------------------------------------------------

export const STATION_PATTERN = /^[A-Z][A-Z0-9_]{0,23}$/;

const isoDate = z.iso.datetime();

export const KitchenItemSchema = z.strictObject({
  index: z.number().int().min(0),
  /** In the restaurant's default language; the screen shows `nameTranslations[its language]` when there is one. */
  name: z.string(),
  nameTranslations: z.record(z.string(), z.string()).optional(),
  quantity: z.number().int().positive(),
  modifiers: z.array(z.string()),
  /** Per modifier (same order): its name in other languages. */
  modifierTranslations: z.array(z.record(z.string(), z.string())).optional(),
  spiceLevel: z.enum(SPICE_LEVELS).optional(),
  notes: z.string().optional(),
  station: z.string(),
  itemStatus: z.enum(ITEM_STATUSES),
});

export const KitchenTicketSchema = z.strictObject({
  orderId: z.string(),
  orderNumber: z.string(),
  table: z.strictObject({ number: z.string(), floor: z.string() }),
  orderDate: isoDate,
  items: z.array(KitchenItemSchema),
  status: z.enum(ORDER_STATUSES),
  bumpedAt: isoDate.optional(),
  /** Lets a screen drop a push older than what it already shows (pushes and reloads can cross). */
  updatedAt: isoDate,
});

export const KitchenTicketListSchema = z.strictObject({
  serverTime: isoDate,
  orders: z.array(KitchenTicketSchema),
});

/** GET /api/kitchen/orders: the open tickets plus what a screen needs to show them (no money, no guests). */
export const KitchenBoardSchema = z.strictObject({
  serverTime: isoDate,
  urgency: z.strictObject({ urgentMinutes: z.number().int().min(1), criticalMinutes: z.number().int().min(1) }),
  stations: z.array(z.string()),
  /** Station → its name per language (the default language's is the station itself). */
  stationNames: z.record(z.string(), z.record(z.string(), z.string())),
  floorNames: z.record(z.string(), z.record(z.string(), z.string())),
  orders: z.array(KitchenTicketSchema),
});

/** Every WebSocket message a kitchen socket receives from this module. */
export const KitchenPushSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('order.created'), ticket: KitchenTicketSchema }),
  z.strictObject({ type: z.literal('kitchen.ticket'), ticket: KitchenTicketSchema }),
  z.strictObject({
    type: z.literal('kitchen.ticket_removed'),
    orderId: z.string(),
    reason: z.enum(['bumped', 'completed', 'cancelled', 'pending']),
    ticket: KitchenTicketSchema,
  }),
]);

export type KitchenItem = z.infer<typeof KitchenItemSchema>;
export type KitchenTicket = z.infer<typeof KitchenTicketSchema>;
export type KitchenTicketList = z.infer<typeof KitchenTicketListSchema>;
export type KitchenBoard = z.infer<typeof KitchenBoardSchema>;
export type KitchenPush = z.infer<typeof KitchenPushSchema>;

/** The order fields a ticket is built from: nothing else is read. */
export type TicketSource = Pick<
  OrderDoc,
  '_id' | 'orderNumber' | 'tableNumber' | 'floorNumber' | 'orderDate' | 'items' | 'status' | 'bumpedAt' | 'updatedAt'
>;

export const TICKET_PROJECTION = {
  _id: 1,
  orderNumber: 1,
  tableNumber: 1,
  floorNumber: 1,
  orderDate: 1,
  items: 1,
  status: 1,
  bumpedAt: 1,
  updatedAt: 1,
} as const;

/** The kitchen's view of an order: explicit fields only, checked by the strict output schema. */
export function toKitchenTicket(order: TicketSource): KitchenTicket {
  return KitchenTicketSchema.parse({
    orderId: order._id.toHexString(),
    orderNumber: order.orderNumber,
    table: { number: order.tableNumber, floor: order.floorNumber },
    orderDate: order.orderDate.toISOString(),
    items: order.items.map((item, index) => ({
      index,
      name: item.menuItemName,
      nameTranslations: item.nameTranslations ? { ...item.nameTranslations } : undefined,
      quantity: item.quantity,
      modifiers: (item.modifiers ?? []).map((modifier) => modifier.name),
      modifierTranslations: item.modifierTranslations ? (item.modifiers ?? []).map((modifier) => ({ ...item.modifierTranslations?.[modifier.optionId] })) : undefined,
      spiceLevel: item.spiceLevel ?? undefined,
      notes: item.notes || undefined,
      station: item.station,
      itemStatus: item.itemStatus,
    })),
    status: order.status,
    bumpedAt: order.bumpedAt ? order.bumpedAt.toISOString() : undefined,
    updatedAt: (order.updatedAt ?? order.orderDate).toISOString(),
  });
}

/** On the screens: confirmed or cooking, not bumped. Pending orders await the waiter and never show. */
export const OPEN_STATUSES: readonly OrderStatus[] = ['confirmed', 'preparing'];
/** Matches a missing bumpedAt and a null one (a driver serialising `undefined` writes null). */
const NOT_BUMPED = null as unknown as Filter<OrderDoc>['bumpedAt'];
const BUMPED = { $ne: null } as unknown as Filter<OrderDoc>['bumpedAt'];
export const isOpenTicket = (order: Pick<OrderDoc, 'status' | 'bumpedAt'>): boolean =>
  OPEN_STATUSES.includes(order.status) && !order.bumpedAt;

// ---------------------------------------------------------------------------------------------
// Reads
// ---------------------------------------------------------------------------------------------

/** `open`: on the screens (default); `confirmed` / `preparing`: open tickets in that state; `bumped`: recently bumped, newest first. */
export const TICKET_FILTERS = ['open', 'confirmed', 'preparing', 'bumped'] as const;
export type TicketFilter = (typeof TICKET_FILTERS)[number];

export interface ListOptions {
  station?: string;
  status?: TicketFilter;
}

/** How far back the recall list reaches. */
const BUMPED_WINDOW_MS = 3 * 3600_000;
const BUMPED_LIMIT = 40;
/** A safety bound: a kitchen with more open tickets than this has a bigger problem than the screen. */
const OPEN_LIMIT = 500;

export async function listTickets(restaurantId: string, options: ListOptions = {}): Promise<KitchenTicketList> {
  const { orders } = await collections();
  const status = options.status ?? 'open';
  const filter: Filter<OrderDoc> = { restaurantId };
  if (status === 'bumped') {
    // Recently bumped, and any bumped ticket with dishes still to cook however long ago: never lost.
    filter.bumpedAt = BUMPED;
    filter.$or = [{ bumpedAt: { $gte: new Date(Date.now() - BUMPED_WINDOW_MS) } }, { 'items.itemStatus': { $in: ['NEW', 'COOKING'] } }];
    filter.status = { $in: [...OPEN_STATUSES] };
  } else {
    filter.status = status === 'open' ? { $in: [...OPEN_STATUSES] } : status;
    filter.bumpedAt = NOT_BUMPED;
  }
  if (options.station) filter['items.station'] = options.station;

  const cursor =
    status === 'bumped'
      ? orders.find(filter, { projection: TICKET_PROJECTION, sort: { bumpedAt: -1, _id: -1 }, limit: BUMPED_LIMIT })
      : orders.find(filter, { projection: TICKET_PROJECTION, sort: { orderDate: 1, _id: 1 }, limit: OPEN_LIMIT });
  const docs = (await cursor.toArray()) as TicketSource[];
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

// ---------------------------------------------------------------------------------------------
// Changes
// ---------------------------------------------------------------------------------------------

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
  const { orders } = await collections();
  const _id = new ObjectId(orderId);

  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const order = await orders.findOne({ _id, restaurantId: staff.restaurantId });
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

    const now = new Date();
    const itemTimings = timingsAfterMove(item.timings, current, to, now);
    const nextItems = order.items.map((it, i) => (i === itemIndex ? { ...it, itemStatus: to, timings: itemTimings } : it));
    const nextStatus = deriveOrderStatus(order.status, nextItems);
    const filter: Filter<OrderDoc> = { _id, restaurantId: staff.restaurantId, status: order.status };
    order.items.forEach((it, i) => {
      (filter as Record<string, unknown>)[`items.${i}.itemStatus`] = it.itemStatus;
    });
    (filter as Record<string, unknown>)[`items.${order.items.length}`] = { $exists: false };
    const updated = await orders.findOneAndUpdate(
      filter,
      {
        $set: {
          [`items.${itemIndex}.itemStatus`]: to,
          [`items.${itemIndex}.statusUpdatedAt`]: now,
          [`items.${itemIndex}.timings`]: itemTimings,
          timings: orderTimings(order.timings?.placedAt ?? order.orderDate, nextItems),
          status: nextStatus,
          updatedAt: now,
        },
      },
      { returnDocument: 'after' },
    );
    if (!updated) continue; // something changed under us: read again and decide

    if (to === 'CANCELLED') await auditItemCancelled(staff, updated, itemIndex, current, origin);
    await publishItemChange(updated, itemIndex, isOpenTicket(order), callerOf(staff, callerSocket));
    return toKitchenTicket(updated);
  }
  throw new DomainError('STATUS_CONFLICT', 'The order is changing too fast; try again', { retryAfterSeconds: 1 });
}

/** The ticket is done: it leaves every screen (and joins the recall list). */
export async function bump(staff: StaffPrincipal, orderId: string, callerSocket?: string): Promise<KitchenTicket> {
  const { orders } = await collections();
  const _id = new ObjectId(orderId);
  const now = new Date();
  const updated = await orders.findOneAndUpdate(
    { _id, restaurantId: staff.restaurantId, status: { $in: ['confirmed', 'preparing', 'completed'] }, bumpedAt: NOT_BUMPED },
    { $set: { bumpedAt: now, updatedAt: now } },
    { returnDocument: 'after' },
  );
  if (!updated) {
    const order = await orders.findOne({ _id, restaurantId: staff.restaurantId }, { projection: { status: 1, bumpedAt: 1 } });
    if (!order) throw notFound('Order');
    if (order.bumpedAt) throw conflict('This ticket was already bumped', { orderStatus: order.status });
    throw conflict(`A ${order.status} order is not on the kitchen screen`, { orderStatus: order.status });
  }
  // Staff consoles hear of it too: a ticket bumped with dishes still to cook shows on the table panel.
  await publishTicketChange(updated, callerOf(staff, callerSocket));
  return toKitchenTicket(updated);
}

/** Brings a bumped ticket back to the screens. */
export async function recall(staff: StaffPrincipal, orderId: string, callerSocket?: string): Promise<KitchenTicket> {
  const { orders } = await collections();
  const _id = new ObjectId(orderId);
  const now = new Date();
  const updated = await orders.findOneAndUpdate(
    { _id, restaurantId: staff.restaurantId, status: { $in: [...OPEN_STATUSES] }, bumpedAt: BUMPED },
    { $unset: { bumpedAt: '' }, $set: { updatedAt: now } },
    { returnDocument: 'after' },
  );
  if (!updated) {
    const order = await orders.findOne({ _id, restaurantId: staff.restaurantId }, { projection: { status: 1, bumpedAt: 1 } });
    if (!order) throw notFound('Order');
    if (!order.bumpedAt) throw conflict('This ticket is not bumped', { orderStatus: order.status });
    throw conflict(
      order.status === 'completed' ? 'Every item of this order was served: nothing is left to cook' : `A ${order.status} order cannot come back`,
      { orderStatus: order.status },
    );
  }
  await publishTicketChange(updated, callerOf(staff, callerSocket));
  return toKitchenTicket(updated);
}

/** The change is committed: a failure to write its audit entry is logged, never turned into a 5xx. */
function auditItemCancelled(staff: StaffPrincipal, order: OrderDoc, itemIndex: number, from: ItemStatus, origin: RequestOrigin): Promise<void> {
  return auditQuietly({
    action: 'ITEM_CANCELLED',
    outcome: 'success',
    actor: { kind: 'staff', id: staff.userId, username: staff.username },
    tableId: order.tableId,
    sessionId: order.sessionId,
    orderId: order._id,
    details: { itemIndex, from, item: order.items[itemIndex]?.menuItemName },
    ...origin,
  });
}

// ---------------------------------------------------------------------------------------------
// Pushes
// ---------------------------------------------------------------------------------------------

function removalReason(order: Pick<OrderDoc, 'status' | 'bumpedAt'>): 'bumped' | 'completed' | 'cancelled' | 'pending' {
  if (order.bumpedAt) return 'bumped';
  if (order.status === 'completed' || order.status === 'cancelled' || order.status === 'pending') return order.status;
  return 'bumped';
}

/** The message one kitchen socket should get for this ticket, or undefined when its station has no part in it. */
export function kitchenMessageFor(
  order: Pick<OrderDoc, 'status' | 'bumpedAt'>,
  ticket: KitchenTicket,
  station: string | undefined,
  created = false,
): KitchenPush | undefined {
  const view = ticketForStation(ticket, station);
  if (!view) return undefined;
  const message: KitchenPush = isOpenTicket(order)
    ? { type: created ? 'order.created' : 'kitchen.ticket', ticket: view }
    : { type: 'kitchen.ticket_removed', orderId: view.orderId, reason: removalReason(order), ticket: view };
  return KitchenPushSchema.parse(message);
}

/**
 * Sends the order's current ticket to every kitchen socket of the restaurant, each filtered to its
 * station: `kitchen.ticket` while open, `kitchen.ticket_removed` once bumped, completed, cancelled
 * (or back to pending), `order.created` with `created`. For any service that changes an order; pass
 * `sockets` when the caller already looked them up (see orderAudience). Never throws.
 */
export async function pushKitchenTicket(
  order: OrderDoc,
  { created = false, sockets }: { created?: boolean; sockets?: readonly ConnectionRecord[] } = {},
): Promise<void> {
  const ticket = toKitchenTicket(order);
  try {
    const byStation = new Map<string, ConnectionRecord[]>();
    for (const socket of sockets ?? (await connectionsOfChannel(order.restaurantId, 'KITCHEN'))) {
      const key = socket.station ?? '';
      byStation.set(key, [...(byStation.get(key) ?? []), socket]);
    }
    await Promise.all(
      [...byStation].map(async ([station, group]) => {
        const message = kitchenMessageFor(order, ticket, station || undefined, created);
        if (message) await pushToConnections(group, message as unknown as PushMessage);
      }),
    );
  } catch (error) {
    logger.error('Kitchen push could not be delivered', { error: error as Error });
  }
}

/**
 * For the orders service: a new (or newly confirmed) order reaches the kitchen as `order.created`
 * with its ticket. Pending orders (awaiting the waiter) are not sent. Never throws.
 */
export async function announceNewTicket(order: OrderDoc, sockets?: readonly ConnectionRecord[]): Promise<void> {
  if (!isOpenTicket(order)) return;
  await pushKitchenTicket(order, { created: true, sockets });
}

/**
 * The tablet that made a change and named its socket (http/request.ts callerConnectionId) gets the
 * ticket in the HTTP answer: its own kitchen socket is left out of the change's kitchen push.
 */
interface Caller {
  connectionId: string | undefined;
  userId: string;
  sessionId?: string;
}
const callerOf = (staff: StaffPrincipal, callerSocket: string | undefined): Caller => ({ connectionId: callerSocket, userId: staff.userId, sessionId: staff.sessionId });

/** After a bump or recall: the kitchen sockets get the ticket, staff consoles the order. Never throws. */
async function publishTicketChange(order: OrderDoc, caller: Caller): Promise<void> {
  try {
    const audience = await orderAudience(order);
    await Promise.all([
      pushKitchenTicket(order, { sockets: withoutStaffCallerSocket(audience.kitchen, caller) }),
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
 * - staff consoles: `order.updated` with theirs;
 * the calling tablet's own socket excepted (it has the ticket in the HTTP answer). Never throws.
 */
async function publishItemChange(order: OrderDoc, itemIndex: number, wasOpen: boolean, caller: Caller): Promise<void> {
  try {
    const audience = await orderAudience(order);
    const station = order.items[itemIndex].station;
    const kitchen = isOpenTicket(order) === wasOpen ? audience.kitchen.filter((socket) => !socket.station || socket.station === station) : audience.kitchen;
    await Promise.all([
      pushKitchenTicket(order, { sockets: withoutStaffCallerSocket(kitchen, caller) }),
      pushToConnections(audience.guests, { type: 'order.updated', order: toGuestOrder(order) }),
      pushToConnections(audience.staff, { type: 'order.updated', order: toStaffOrder(order) }),
    ]);
  } catch (error) {
    logger.error('Order push could not be delivered', { error: error as Error });
  }
}
