/**
 * The kitchen's running figures (GET /api/kitchen/all-day): what is still to cook across every
 * ticket that has not been served — a bumped ticket's unfinished dishes included, until they are
 * served or cancelled — and the average ticket time per station over the last hour.
 */
import { AllDaySchema, type AllDay } from '../contract/kitchen.ts';
import { countAllDay, ticketForStation } from '../core/kitchen-board.ts';
import { averageTicketTimes } from '../core/kitchen-timings.ts';
import { findAllDayOrders } from '../data/kitchen-store.ts';
import { OPEN_STATUSES, toKitchenTicket, type KitchenTicket } from './kitchen.ts';

export { AllDayEntrySchema, AllDaySchema, TicketTimeSchema, type AllDay } from '../contract/kitchen.ts';

export const TICKET_TIME_WINDOW_MINUTES = 60;

export async function allDay(restaurantId: string, options: { station?: string } = {}): Promise<AllDay> {
  const now = new Date();
  const since = new Date(now.getTime() - TICKET_TIME_WINDOW_MINUTES * 60_000);
  const { unserved, recent } = await findAllDayOrders({ restaurantId, open: OPEN_STATUSES, since, station: options.station });
  const tickets = unserved
    .map((doc) => ticketForStation(toKitchenTicket(doc), options.station))
    .filter((ticket): ticket is KitchenTicket => ticket !== undefined);
  const times = averageTicketTimes(
    recent.map((doc) => ({ startedAt: doc.confirmedAt ?? doc.orderDate, items: doc.items })),
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
