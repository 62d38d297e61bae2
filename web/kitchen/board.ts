/**
 * The kitchen board's state as pure functions (unit-tested without a browser): open tickets, the
 * recently bumped list, and tombstones so that a reload answered before a bump cannot bring the
 * bumped ticket back. Pushes and reloads can cross: the newer `updatedAt` always wins.
 */
import type { KitchenItem, KitchenTicket } from './types.ts';

export interface BoardState {
  /** Open tickets by orderId. */
  tickets: ReadonlyMap<string, KitchenTicket>;
  /** Recently bumped, newest first: the recall list. */
  bumped: readonly KitchenTicket[];
  /** orderId → updatedAt of the change that took the ticket off the screen. */
  removed: ReadonlyMap<string, string>;
}

export const emptyBoard = (): BoardState => ({ tickets: new Map(), bumped: [], removed: new Map() });

const BUMPED_KEEP = 30;
const TOMBSTONES_KEEP = 500;
/** Tickets a reload did not include are kept when a push brought them this close to (or after) the snapshot. */
export const SNAPSHOT_SLACK_MS = 2_000;

const newer = (a: { updatedAt: string }, b: { updatedAt: string }) => Date.parse(a.updatedAt) > Date.parse(b.updatedAt);

function withoutBumped(bumped: readonly KitchenTicket[], orderId: string): KitchenTicket[] {
  return bumped.filter((t) => t.orderId !== orderId);
}

function trimmed<K, V>(map: Map<K, V>, keep: number): Map<K, V> {
  while (map.size > keep) map.delete(map.keys().next().value as K);
  return map;
}

/** A ticket that is (still or again) on the screen. `isNew` when this screen had not shown it yet. */
export function applyTicket(state: BoardState, ticket: KitchenTicket): { state: BoardState; isNew: boolean } {
  const current = state.tickets.get(ticket.orderId);
  if (current && !newer(ticket, current) && current.updatedAt !== ticket.updatedAt) return { state, isNew: false };
  const tomb = state.removed.get(ticket.orderId);
  if (tomb && Date.parse(tomb) >= Date.parse(ticket.updatedAt)) return { state, isNew: false };
  const tickets = new Map(state.tickets);
  tickets.set(ticket.orderId, ticket);
  const removed = new Map(state.removed);
  removed.delete(ticket.orderId);
  const wasBumped = state.bumped.some((t) => t.orderId === ticket.orderId);
  return {
    state: { tickets, bumped: withoutBumped(state.bumped, ticket.orderId), removed },
    isNew: !current && !wasBumped && !tomb,
  };
}

/** The ticket left the screen (bumped, completed, cancelled). Bumped ones join the recall list. */
export function applyRemoval(state: BoardState, ticket: KitchenTicket, reason: string): BoardState {
  const current = state.tickets.get(ticket.orderId);
  if (current && newer(current, ticket)) return state;
  const tickets = new Map(state.tickets);
  tickets.delete(ticket.orderId);
  const removed = trimmed(new Map(state.removed).set(ticket.orderId, ticket.updatedAt), TOMBSTONES_KEEP);
  const bumped = withoutBumped(state.bumped, ticket.orderId);
  if (reason === 'bumped') bumped.unshift(ticket);
  return { tickets, bumped: bumped.slice(0, BUMPED_KEEP), removed };
}

/**
 * A full reload (first load, reconnect, `sync`): the snapshot replaces the open tickets, except that
 * a ticket pushed around or after the snapshot is kept, and a newer local copy wins over an older one.
 * Returns the orderIds that are new to this screen (missed while disconnected: they deserve a beep).
 */
export function replaceOpen(state: BoardState, orders: readonly KitchenTicket[], serverTime: string): { state: BoardState; added: string[] } {
  const snapshotAt = Date.parse(serverTime) - SNAPSHOT_SLACK_MS;
  const tickets = new Map<string, KitchenTicket>();
  for (const ticket of orders) {
    const tomb = state.removed.get(ticket.orderId);
    if (tomb && Date.parse(tomb) >= Date.parse(ticket.updatedAt)) continue;
    const local = state.tickets.get(ticket.orderId);
    tickets.set(ticket.orderId, local && newer(local, ticket) ? local : ticket);
  }
  for (const [orderId, local] of state.tickets) {
    if (!tickets.has(orderId) && Date.parse(local.updatedAt) > snapshotAt) tickets.set(orderId, local);
  }
  const added = [...tickets.keys()].filter((id) => !state.tickets.has(id));
  let bumped = state.bumped as KitchenTicket[];
  for (const id of tickets.keys()) bumped = withoutBumped(bumped, id);
  return { state: { tickets, bumped, removed: state.removed }, added };
}

/** The recall list from GET ?status=bumped (newest first), merged with what pushes already added. */
export function replaceBumped(state: BoardState, orders: readonly KitchenTicket[]): BoardState {
  const byId = new Map<string, KitchenTicket>();
  for (const t of [...state.bumped, ...orders]) {
    const known = byId.get(t.orderId);
    if (!known || newer(t, known)) byId.set(t.orderId, t);
  }
  const bumped = [...byId.values()]
    .filter((t) => !state.tickets.has(t.orderId) && t.bumpedAt)
    .sort((a, b) => Date.parse(b.bumpedAt!) - Date.parse(a.bumpedAt!))
    .slice(0, BUMPED_KEEP);
  return { ...state, bumped };
}

/** Oldest first: the order the kitchen cooks in. */
export function sortedTickets(state: BoardState): KitchenTicket[] {
  return [...state.tickets.values()].sort((a, b) => Date.parse(a.orderDate) - Date.parse(b.orderDate) || a.orderId.localeCompare(b.orderId));
}

export interface AllDayEntry {
  /** In the default language (the key); `nameTranslations` for the screen's language. */
  name: string;
  nameTranslations?: Record<string, string>;
  station: string;
  quantity: number;
  cooking: number;
}

/** Items still to cook (NEW or COOKING) across the given tickets (open and bumped), most first. */
export function allDayCounts(tickets: Iterable<KitchenTicket>): AllDayEntry[] {
  const counts = new Map<string, AllDayEntry>();
  for (const ticket of tickets) {
    for (const item of ticket.items as KitchenItem[]) {
      if (item.itemStatus !== 'NEW' && item.itemStatus !== 'COOKING') continue;
      const key = item.station + '\u0000' + item.name;
      const entry = counts.get(key) ?? { name: item.name, nameTranslations: item.nameTranslations, station: item.station, quantity: 0, cooking: 0 };
      entry.quantity += item.quantity;
      if (item.itemStatus === 'COOKING') entry.cooking += item.quantity;
      counts.set(key, entry);
    }
  }
  return [...counts.values()].sort((a, b) => b.quantity - a.quantity || a.name.localeCompare(b.name));
}

