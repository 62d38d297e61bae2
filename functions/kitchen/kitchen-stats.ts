/**
 * The kitchen's running figures (GET /api/kitchen/all-day): what is still to cook across every
 * ticket that has not been served — a bumped ticket's unfinished dishes included, until they are
 * served or cancelled — and the average ticket time per station over the last hour.
 */
import { AllDaySchema, type AllDay } from '../contract/kitchen.ts';
import { countAllDay, ticketForStation } from '../core/kitchen-board.ts';
import { averageTicketTimes } from '../core/kitchen-timings.ts';
import type { OrderDoc } from '../data/documents.ts';
import { collections } from '../data/mongo.ts';
import { OPEN_STATUSES, TICKET_PROJECTION, toKitchenTicket, type KitchenTicket, type TicketSource } from './kitchen.ts';

export { AllDayEntrySchema, AllDaySchema, TicketTimeSchema, type AllDay } from '../contract/kitchen.ts';

export const TICKET_TIME_WINDOW_MINUTES = 60;
/** A safety bound, as for the open tickets. */
const LIMIT = 500;

type TimedSource = Pick<OrderDoc, 'orderDate' | 'confirmedAt' | 'items'>;

export async function allDay(restaurantId: string, options: { station?: string } = {}): Promise<AllDay> {
  const { orders } = await collections();
  const now = new Date();
  const since = new Date(now.getTime() - TICKET_TIME_WINDOW_MINUTES * 60_000);
  const stationFilter = options.station ? { 'items.station': options.station } : {};
  const [unserved, recent] = await Promise.all([
    // Bumped or not: a bumped ticket's dishes still count until served or cancelled.
    orders.find({ restaurantId, status: { $in: [...OPEN_STATUSES] }, ...stationFilter }, { projection: TICKET_PROJECTION, sort: { orderDate: 1, _id: 1 }, limit: LIMIT }).toArray(),
    orders
      .find({ restaurantId, 'items.timings.readyAt': { $gte: since }, ...stationFilter }, { projection: { orderDate: 1, confirmedAt: 1, items: 1 }, limit: LIMIT })
      .toArray(),
  ]);
  const tickets = (unserved as TicketSource[])
    .map((doc) => ticketForStation(toKitchenTicket(doc), options.station))
    .filter((ticket): ticket is KitchenTicket => ticket !== undefined);
  const times = averageTicketTimes(
    (recent as TimedSource[]).map((doc) => ({ startedAt: doc.confirmedAt ?? doc.orderDate, items: doc.items })),
    since,
  ).filter((entry) => !options.station || entry.station === options.station);
  return AllDaySchema.parse({
    serverTime: now.toISOString(),
    station: options.station,
    items: countAllDay(tickets, options.station),
    ticketTimes: times,
    ticketTimeWindowMinutes: TICKET_TIME_WINDOW_MINUTES,
  });
}
