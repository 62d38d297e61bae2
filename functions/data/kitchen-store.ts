/**
 * The kitchen's reads and writes of orders: the tickets on the screens and the recall list, an
 * item's move (one conditional update), bump and recall. Every query is scoped by restaurantId.
 */
import { ObjectId, type Filter } from 'mongodb';
import type { ItemTimings, OrderTimings } from '../core/kitchen-timings.ts';
import type { ItemStatus, OrderDoc, OrderStatus } from './documents.ts';
import { collections } from './mongo.ts';

/** The order fields a ticket is built from: nothing else is read. */
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

export type TicketDoc = Pick<OrderDoc, '_id' | 'orderNumber' | 'tableNumber' | 'floorNumber' | 'orderDate' | 'items' | 'status' | 'bumpedAt' | 'updatedAt'>;

/** Matches a missing bumpedAt and a null one (a driver serialising `undefined` writes null). */
const NOT_BUMPED = null as unknown as Filter<OrderDoc>['bumpedAt'];
const BUMPED = { $ne: null } as unknown as Filter<OrderDoc>['bumpedAt'];

/** How far back the recall list reaches. */
const BUMPED_WINDOW_MS = 3 * 3600_000;
const BUMPED_LIMIT = 40;
/** A safety bound: a kitchen with more open tickets than this has a bigger problem than the screen. */
const OPEN_LIMIT = 500;

export interface TicketQuery {
  restaurantId: string;
  /** The statuses a ticket on the screens can have. */
  open: readonly OrderStatus[];
  /** `open` (every open status), one of them, or the recall list. */
  status: 'open' | 'bumped' | OrderStatus;
  station?: string;
}

/** Open tickets oldest first, or the recall list newest first (recently bumped, and any bumped ticket with dishes still to cook). */
export async function findTickets({ restaurantId, open, status, station }: TicketQuery): Promise<TicketDoc[]> {
  const { orders } = await collections();
  const filter: Filter<OrderDoc> = { restaurantId };
  if (status === 'bumped') {
    filter.bumpedAt = BUMPED;
    filter.$or = [{ bumpedAt: { $gte: new Date(Date.now() - BUMPED_WINDOW_MS) } }, { 'items.itemStatus': { $in: ['NEW', 'COOKING'] } }];
    filter.status = { $in: [...open] };
  } else {
    filter.status = status === 'open' ? { $in: [...open] } : status;
    filter.bumpedAt = NOT_BUMPED;
  }
  if (station) filter['items.station'] = station;
  const cursor =
    status === 'bumped'
      ? orders.find(filter, { projection: TICKET_PROJECTION, sort: { bumpedAt: -1, _id: -1 }, limit: BUMPED_LIMIT })
      : orders.find(filter, { projection: TICKET_PROJECTION, sort: { orderDate: 1, _id: 1 }, limit: OPEN_LIMIT });
  return (await cursor.toArray()) as TicketDoc[];
}

/** An order as the all-day ticket times read it: when the kitchen first saw it, and each dish's station, status and ready time. */
export type TimedOrderDoc = Pick<OrderDoc, 'orderDate' | 'confirmedAt'> & { items: { station: string; itemStatus: ItemStatus; timings?: Pick<ItemTimings, 'readyAt'> }[] };

export interface AllDayQuery {
  restaurantId: string;
  /** The statuses a ticket on the screens can have. */
  open: readonly OrderStatus[];
  /** Orders with a dish made ready at or after this count for the ticket times. */
  since: Date;
  station?: string;
}

/**
 * The all-day figures' two reads, side by side: every unserved ticket (bumped or not: a bumped
 * ticket's dishes still count until served or cancelled), oldest first, and the orders with a dish
 * made ready since `since`, with only the fields ticket times need.
 */
export async function findAllDayOrders({ restaurantId, open, since, station }: AllDayQuery): Promise<{ unserved: TicketDoc[]; recent: TimedOrderDoc[] }> {
  const { orders } = await collections();
  const stationFilter = station ? { 'items.station': station } : {};
  const [unserved, recent] = await Promise.all([
    orders.find({ restaurantId, status: { $in: [...open] }, ...stationFilter }, { projection: TICKET_PROJECTION, sort: { orderDate: 1, _id: 1 }, limit: OPEN_LIMIT }).toArray(),
    orders
      .find(
        { restaurantId, 'items.timings.readyAt': { $gte: since }, ...stationFilter },
        { projection: { _id: 0, orderDate: 1, confirmedAt: 1, 'items.station': 1, 'items.itemStatus': 1, 'items.timings.readyAt': 1 }, limit: OPEN_LIMIT },
      )
      .toArray(),
  ]);
  return { unserved: unserved as TicketDoc[], recent: recent as unknown as TimedOrderDoc[] };
}

export { findOrder } from './orders-store.ts';

/** Where a ticket stands, to explain a refused bump or recall. */
export async function ticketState(restaurantId: string, orderId: ObjectId): Promise<Pick<OrderDoc, 'status' | 'bumpedAt'> | null> {
  const { orders } = await collections();
  return orders.findOne({ _id: orderId, restaurantId }, { projection: { status: 1, bumpedAt: 1 } });
}

export interface ItemMove {
  itemIndex: number;
  to: ItemStatus;
  itemTimings: ItemTimings;
  orderTimings: OrderTimings;
  orderStatus: OrderStatus;
  at: Date;
}

/**
 * Writes one item's move, only if the order is exactly as read: its status and EVERY item's status
 * (and no item added). Null when anything changed meanwhile (the caller reads again and decides).
 */
export async function moveItemIfUnchanged(read: OrderDoc, move: ItemMove): Promise<OrderDoc | null> {
  const { orders } = await collections();
  const filter: Record<string, unknown> = { _id: read._id, restaurantId: read.restaurantId, status: read.status };
  read.items.forEach((it, i) => {
    filter[`items.${i}.itemStatus`] = it.itemStatus;
  });
  filter[`items.${read.items.length}`] = { $exists: false };
  const i = move.itemIndex;
  return orders.findOneAndUpdate(
    filter as Filter<OrderDoc>,
    {
      $set: {
        [`items.${i}.itemStatus`]: move.to,
        [`items.${i}.statusUpdatedAt`]: move.at,
        [`items.${i}.timings`]: move.itemTimings,
        timings: move.orderTimings,
        status: move.orderStatus,
        updatedAt: move.at,
      },
    },
    { returnDocument: 'after' },
  );
}

/** Bumps a ticket that is on the screens (or completed, not yet bumped). Null when it is not. */
export async function bumpTicket(restaurantId: string, orderId: ObjectId, at: Date): Promise<OrderDoc | null> {
  const { orders } = await collections();
  return orders.findOneAndUpdate(
    { _id: orderId, restaurantId, status: { $in: ['confirmed', 'preparing', 'completed'] }, bumpedAt: NOT_BUMPED },
    { $set: { bumpedAt: at, updatedAt: at } },
    { returnDocument: 'after' },
  );
}

/** Brings a bumped ticket with one of the `open` statuses back. Null when there is none. */
export async function recallTicket(restaurantId: string, orderId: ObjectId, open: readonly OrderStatus[], at: Date): Promise<OrderDoc | null> {
  const { orders } = await collections();
  return orders.findOneAndUpdate(
    { _id: orderId, restaurantId, status: { $in: [...open] }, bumpedAt: BUMPED },
    { $unset: { bumpedAt: '' }, $set: { updatedAt: at } },
    { returnDocument: 'after' },
  );
}
