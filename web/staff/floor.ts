/**
 * The floor's state, derived from two server answers: the tables with their open sessions
 * (GET /api/staff/tables) and the recent orders (GET /api/staff/orders, plus live pushes).
 * Pure functions, so the rules are tested without a browser.
 *
 *   free             no open session
 *   open             guests are seated: nothing ordered yet, or everything served and paid
 *   ordering         orders wait for the waiter's confirmation (waiter approval)
 *   inKitchen        confirmed orders are being prepared (a dish not yet served)
 *   awaitingPayment  something is unpaid and either everything is served or the bill was asked
 *                    for (a guest asked for it, or a payment attempt was recorded as failed)
 *
 * The first that applies wins, in the order ordering → awaitingPayment (bill asked for) → inKitchen
 * → awaitingPayment → open: a waiter's confirmation blocks the kitchen, a guest waiting to pay
 * matters more than food still cooking.
 * The staff console cannot see guests' carts, so "ordering" is what a waiter can act on: pending orders.
 */
import type { FloorTable, StaffOrder } from './types.ts';

/**
 * Reload the floor this often while visible, only as a safety net: guests joining, placements,
 * kitchen progress, payments and table changes are all pushed to staff sockets, and every
 * (re)connect and wake reloads. bench/cost.ts models it (each reload is two billed GETs).
 */
export const FLOOR_RELOAD_MS = 5 * 60_000;

export type TableState = 'free' | 'open' | 'ordering' | 'inKitchen' | 'awaitingPayment';

/** Every state, in the legend's order. */
export const TABLE_STATES: readonly TableState[] = ['free', 'open', 'ordering', 'inKitchen', 'awaitingPayment'];

export interface TableSummary {
  state: TableState;
  /** Orders waiting for a waiter to confirm or reject. */
  pending: number;
  /** Orders not cancelled and not paid (pending ones included: the server bills them too). */
  unpaid: number;
  /** What those unpaid orders come to less what was paid online for them, minor units. */
  due: number;
  /** Dishes the kitchen has not finished (NEW or COOKING) in confirmed orders. */
  inKitchen: number;
  /** Dishes of confirmed orders not yet at the table (NEW, COOKING or READY). */
  notServed: number;
}

export const isUnpaid = (order: Pick<StaffOrder, 'status' | 'paymentStatus'>): boolean => order.status !== 'cancelled' && order.paymentStatus !== 'paid';

/** The session's orders: pending first (they need someone), then newest first. */
export function sortOrders(orders: readonly StaffOrder[]): StaffOrder[] {
  return [...orders].sort((a, b) => {
    const pa = a.status === 'pending' ? 0 : 1;
    const pb = b.status === 'pending' ? 0 : 1;
    if (pa !== pb) return pa - pb;
    return b.orderDate < a.orderDate ? -1 : b.orderDate > a.orderDate ? 1 : 0;
  });
}

export function summarize(table: Pick<FloorTable, 'session'>, sessionOrders: readonly StaffOrder[]): TableSummary {
  let pending = 0;
  let unpaid = 0;
  let due = 0;
  let inKitchen = 0;
  let notServed = 0;
  let billAsked = Boolean(table.session?.billRequest);
  for (const order of sessionOrders) {
    if (order.status === 'pending') pending += 1;
    if (isUnpaid(order)) {
      unpaid += 1;
      due += order.total;
      if (order.paymentStatus === 'failed') billAsked = true;
    }
    if (order.status === 'confirmed' || order.status === 'preparing') {
      inKitchen += order.items.filter((item) => item.itemStatus === 'NEW' || item.itemStatus === 'COOKING').length;
      notServed += order.items.filter((item) => item.itemStatus === 'NEW' || item.itemStatus === 'COOKING' || item.itemStatus === 'READY').length;
    }
  }
  // Shares already paid online count once the whole table is covered; until then they lower what is due.
  due = Math.max(0, due - (table.session?.paidOnline ?? 0));
  return { state: tableState(Boolean(table.session), { pending, unpaid, notServed, billAsked }), pending, unpaid, due, inKitchen, notServed };
}

function tableState(seated: boolean, { pending, unpaid, notServed, billAsked }: { pending: number; unpaid: number; notServed: number; billAsked: boolean }): TableState {
  if (!seated) return 'free';
  if (pending > 0) return 'ordering';
  if (unpaid > 0 && billAsked) return 'awaitingPayment';
  if (notServed > 0) return 'inKitchen';
  if (unpaid > 0) return 'awaitingPayment';
  return 'open';
}

/** Orders keyed by their table session. */
export function ordersBySession(orders: Iterable<StaffOrder>): Map<string, StaffOrder[]> {
  const map = new Map<string, StaffOrder[]>();
  for (const order of orders) {
    const list = map.get(order.sessionId);
    if (list) list.push(order);
    else map.set(order.sessionId, [order]);
  }
  return map;
}

/** Tables grouped by floor, floors and tables in the server's order (its sortOrder). */
export function groupByFloor<T extends Pick<FloorTable, 'floor'>>(tables: readonly T[]): { floor: string; tables: T[] }[] {
  const floors = new Map<string, T[]>();
  for (const table of tables) {
    const list = floors.get(table.floor);
    if (list) list.push(table);
    else floors.set(table.floor, [table]);
  }
  return [...floors].map(([floor, list]) => ({ floor, tables: list }));
}

/**
 * Puts an order into the map unless what we hold is newer: a late push must not undo a fresher
 * HTTP answer. Returns a new map when something changed, the same map otherwise.
 */
export function upsertOrder(orders: ReadonlyMap<string, StaffOrder>, incoming: StaffOrder): ReadonlyMap<string, StaffOrder> {
  const held = orders.get(incoming.orderId);
  if (held && held.updatedAt > incoming.updatedAt) return orders;
  const next = new Map(orders);
  next.set(incoming.orderId, incoming);
  return next;
}

/**
 * Replaces the orders from a full reload, keeping any held order that is newer than the answer
 * (a push that overtook the GET) and any the list no longer reaches (older than its window) only
 * when they belong to a session still open.
 */
export function mergeReload(held: ReadonlyMap<string, StaffOrder>, loaded: readonly StaffOrder[], openSessions: ReadonlySet<string>): ReadonlyMap<string, StaffOrder> {
  const next = new Map<string, StaffOrder>();
  for (const order of loaded) {
    const mine = held.get(order.orderId);
    next.set(order.orderId, mine && mine.updatedAt > order.updatedAt ? mine : order);
  }
  for (const [id, order] of held) if (!next.has(id) && openSessions.has(order.sessionId) && order.status !== 'cancelled') next.set(id, order);
  return next;
}
