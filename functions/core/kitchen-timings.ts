/**
 * When each dish and each ticket was placed, started cooking, became ready and was served: the
 * kitchen's timing data, stored on the order (`items[].timings`, `timings`) beside the fields the POS
 * documented, and read by the kitchen's "average ticket time" and the manager reports.
 *
 * A step forward stamps the time the dish reached that status; a step back (an undo) removes the
 * stamp of the status it leaves, so a stamp always means "reached and still there or past it".
 * A ticket's times are derived from its live (not cancelled) dishes: cooking when the first one
 * started, ready when the last one became ready, served when the last one was served.
 */
import type { ItemStatus } from './enums.ts';

export interface ItemTimings {
  placedAt?: Date;
  cookingAt?: Date;
  readyAt?: Date;
  servedAt?: Date;
  cancelledAt?: Date;
}

export type OrderTimings = ItemTimings;

type Stamp = keyof ItemTimings;

const STAMP_OF: Partial<Record<ItemStatus, Stamp>> = {
  COOKING: 'cookingAt',
  READY: 'readyAt',
  SERVED: 'servedAt',
  CANCELLED: 'cancelledAt',
};

const FLOW: readonly ItemStatus[] = ['NEW', 'COOKING', 'READY', 'SERVED'];

/** The item's timings after it moved from `from` to `to` at `now` (the transition itself is checked elsewhere). */
export function timingsAfterMove(timings: ItemTimings | undefined, from: ItemStatus, to: ItemStatus, now: Date): ItemTimings {
  const next: ItemTimings = { ...timings };
  const back = FLOW.includes(from) && FLOW.includes(to) && FLOW.indexOf(to) < FLOW.indexOf(from);
  if (back) {
    const left = STAMP_OF[from];
    if (left) delete next[left];
  } else {
    const reached = STAMP_OF[to];
    if (reached) next[reached] = now;
  }
  return next;
}

interface TimedItem {
  itemStatus: ItemStatus;
  timings?: ItemTimings;
}

const latest = (dates: (Date | undefined)[]): Date | undefined =>
  dates.every((date) => date !== undefined) && dates.length > 0 ? new Date(Math.max(...dates.map((date) => date!.getTime()))) : undefined;

/** The ticket's times from its dishes' (see the module comment). */
export function orderTimings(placedAt: Date, items: readonly TimedItem[]): OrderTimings {
  const timings: OrderTimings = { placedAt };
  const live = items.filter((item) => item.itemStatus !== 'CANCELLED');
  if (live.length === 0) {
    timings.cancelledAt = latest(items.map((item) => item.timings?.cancelledAt));
    if (!timings.cancelledAt) delete timings.cancelledAt;
    return timings;
  }
  const started = live.map((item) => item.timings?.cookingAt).filter((date): date is Date => date !== undefined);
  if (started.length > 0) timings.cookingAt = new Date(Math.min(...started.map((date) => date.getTime())));
  const ready = latest(live.map((item) => item.timings?.readyAt));
  if (ready) timings.readyAt = ready;
  const served = latest(live.map((item) => item.timings?.servedAt));
  if (served) timings.servedAt = served;
  return timings;
}

/** Dishes still to cook (NEW or COOKING), counted by quantity: what a bump would leave behind. */
export function unfinishedQuantity(items: readonly { itemStatus: ItemStatus; quantity: number }[]): number {
  return items.reduce((sum, item) => (item.itemStatus === 'NEW' || item.itemStatus === 'COOKING' ? sum + item.quantity : sum), 0);
}

export interface StationTicketTime {
  station: string;
  /** Mean seconds from the ticket reaching the kitchen to its last dish of this station being ready. */
  averageSeconds: number;
  tickets: number;
}

interface TimedOrder {
  /** When the kitchen first saw the ticket: confirmedAt (waiter approval) or the order date. */
  startedAt: Date;
  items: readonly (TimedItem & { station: string })[];
}

/**
 * Average ticket time per station over the tickets whose part for that station became ready at or
 * after `since`: per ticket and station, from `startedAt` to the last of its live dishes there being
 * ready. A station part with a dish not yet ready (or stamped before timings existed) is left out.
 */
export function averageTicketTimes(orders: readonly TimedOrder[], since: Date): StationTicketTime[] {
  const sums = new Map<string, { total: number; tickets: number }>();
  for (const order of orders) {
    const byStation = new Map<string, TimedItem[]>();
    for (const item of order.items) {
      if (item.itemStatus === 'CANCELLED') continue;
      byStation.set(item.station, [...(byStation.get(item.station) ?? []), item]);
    }
    for (const [station, items] of byStation) {
      const ready = latest(items.map((item) => item.timings?.readyAt));
      if (!ready || ready < since) continue;
      const sum = sums.get(station) ?? { total: 0, tickets: 0 };
      sum.total += Math.max(0, ready.getTime() - order.startedAt.getTime());
      sum.tickets += 1;
      sums.set(station, sum);
    }
  }
  return [...sums]
    .map(([station, { total, tickets }]) => ({ station, averageSeconds: Math.round(total / tickets / 1000), tickets }))
    .sort((a, b) => a.station.localeCompare(b.station));
}
