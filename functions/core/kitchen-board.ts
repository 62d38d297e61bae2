/**
 * The kitchen board's pure rules: what one station sees of a ticket, and the all-day counts of what
 * is still to cook. The kitchen services build tickets from orders and call these on them.
 */
import type { ItemStatus } from './enums.ts';

/** A kitchen station's code, as dishes and kitchen tablets name it (GRILL, BAR, COLD_2). */
export const STATION_PATTERN = /^[A-Z][A-Z0-9_]{0,23}$/;

/** What these rules read of a ticket's dish. */
export interface BoardItem {
  name: string;
  station: string;
  quantity: number;
  itemStatus: ItemStatus;
}

/** One all-day count: a dish at a station, still to cook. */
export interface AllDayCount {
  name: string;
  station: string;
  /** NEW + COOKING quantity: still to cook. */
  quantity: number;
  new: number;
  cooking: number;
  /** Tickets containing the dish. */
  tickets: number;
}

/** A station's view of a ticket: only that station's items (original indices kept); undefined when it has none. */
export function ticketForStation<T extends { items: readonly Pick<BoardItem, 'station'>[] }>(ticket: T, station: string | undefined): T | undefined {
  if (!station) return ticket;
  const items = ticket.items.filter((item) => item.station === station);
  return items.length > 0 ? { ...ticket, items } : undefined;
}

/** Items still to cook (NEW or COOKING) across the given tickets, per item name and station, most first. */
export function countAllDay(tickets: readonly { items: readonly BoardItem[] }[], station?: string): AllDayCount[] {
  const counts = new Map<string, AllDayCount>();
  for (const ticket of tickets) {
    const seen = new Set<string>();
    for (const item of ticket.items) {
      if (station && item.station !== station) continue;
      if (item.itemStatus !== 'NEW' && item.itemStatus !== 'COOKING') continue;
      const key = item.station + '\u0000' + item.name;
      let entry = counts.get(key);
      if (!entry) {
        entry = { name: item.name, station: item.station, quantity: 0, new: 0, cooking: 0, tickets: 0 };
        counts.set(key, entry);
      }
      entry.quantity += item.quantity;
      if (item.itemStatus === 'NEW') entry.new += item.quantity;
      else entry.cooking += item.quantity;
      if (!seen.has(key)) {
        seen.add(key);
        entry.tickets += 1;
      }
    }
  }
  return [...counts.values()].sort((a, b) => b.quantity - a.quantity || a.name.localeCompare(b.name) || a.station.localeCompare(b.station));
}
