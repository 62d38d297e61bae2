/**
 * Managers' reports for one business day (core/business-day.ts): the day's summary, item mix,
 * hour by hour and table turns, each one aggregation pipeline (data/report-pipelines.ts, run by data/reports-store.ts) scoped by restaurantId
 * and the day's range. Amounts are minor units, as billed.
 */
import { businessDayOf, businessDayRange, DEFAULT_DAY_START, isCalendarDay, zoneOffsetMs, type DayRange } from '../../core/business-day.ts';
import { DomainError } from '../../core/errors.ts';
import { isObjectIdHex } from '../../core/ids.ts';
import type { DayTotals, RestaurantDoc } from '../../data/documents.ts';
import { config } from '../../platform/config.ts';
import { restaurant } from '../../data/restaurant.ts';
import { categoriesOf, hourlyRows, itemMixRows, summaryRows, tableTurnRows, type ReportScope } from '../../data/reports-store.ts';
import { ONLINE_METHOD } from '../../core/payment-state.ts';

export interface ReportDay extends DayRange {
  timeZone: string;
  dayStart: string;
  currency: string;
}

/** The business day asked for (today's when absent), checked: a real date, not after today. */
export async function reportDay(day?: string, now = new Date()): Promise<ReportDay> {
  const settings: RestaurantDoc = await restaurant();
  const dayStart = settings.dayStart ?? DEFAULT_DAY_START;
  const today = businessDayOf(now, settings.timeZone, dayStart);
  const wanted = day ?? today;
  if (!isCalendarDay(wanted)) throw new DomainError('VALIDATION_FAILED', 'The date must be a calendar date, YYYY-MM-DD', { details: [{ path: 'query.date', message: 'not a calendar date' }] });
  if (wanted > today) throw new DomainError('UNPROCESSABLE', `${wanted} has not started yet (today is ${today})`);
  return { ...businessDayRange(wanted, settings.timeZone, dayStart), timeZone: settings.timeZone, dayStart, currency: settings.currency };
}

const scopeOf = (day: DayRange): ReportScope => ({ restaurantId: config().restaurantId, from: day.from, to: day.to });

interface SummaryFacet {
  totals: {
    orders: number;
    cancelled: number;
    cancelledValue: number;
    net: number;
    tax: number;
    unpaidOrders: number;
    unpaid: number;
  }[];
  byMethod: { _id: string; orders: number; amount: number }[];
  tables: { n: number }[];
  guests: { n: number }[];
  identifiedGuests: { n: number }[];
}

const countOf = (rows: { n: number }[] | undefined) => rows?.[0]?.n ?? 0;

/** The day's totals from the summary pipeline. */
export async function dayTotals(day: DayRange): Promise<DayTotals> {
  const { facet, refunds } = await summaryRows<SummaryFacet>(scopeOf(day));
  return withRefunds(ordersTotals(facet), refunds ?? { count: 0, amount: 0 });
}

/** Refunds are online payments': the ONLINE row carries them (added when no order was paid online that day). */
function withRefunds(totals: DayTotals, refunds: { count: number; amount: number }): DayTotals {
  const byMethod = totals.byMethod.map((row) => ({ ...row, refunded: 0, net: row.amount }));
  if (refunds.amount > 0 && !byMethod.some((row) => row.method === ONLINE_METHOD)) {
    byMethod.push({ method: ONLINE_METHOD, orders: 0, amount: 0, refunded: 0, net: 0 });
    byMethod.sort((a, b) => a.method.localeCompare(b.method));
  }
  for (const row of byMethod) {
    if (row.method !== ONLINE_METHOD) continue;
    row.refunded = refunds.amount;
    row.net = row.amount - refunds.amount;
  }
  return { ...totals, byMethod, refunds: refunds.count, refunded: refunds.amount, netAfterRefunds: totals.gross - refunds.amount };
}

function ordersTotals(facet: SummaryFacet | undefined): DayTotals {
  const totals = facet?.totals[0];
  if (!facet || !totals) {
    return { orders: 0, cancelled: 0, cancelledValue: 0, gross: 0, tax: 0, net: 0, unpaidOrders: 0, unpaid: 0, tables: 0, guests: 0, identifiedGuests: 0, averageOrderValue: 0, byMethod: [] };
  }
  const gross = totals.net + totals.tax;
  return {
    orders: totals.orders,
    cancelled: totals.cancelled,
    cancelledValue: totals.cancelledValue,
    gross,
    tax: totals.tax,
    net: totals.net,
    unpaidOrders: totals.unpaidOrders,
    unpaid: totals.unpaid,
    tables: countOf(facet.tables),
    guests: countOf(facet.guests),
    identifiedGuests: countOf(facet.identifiedGuests),
    averageOrderValue: totals.orders > 0 ? Math.round(gross / totals.orders) : 0,
    byMethod: facet.byMethod.map((row) => ({ method: row._id || 'UNRECORDED', orders: row.orders, amount: row.amount })),
  };
}

export interface ItemMixRow {
  menuItemId: string;
  name: string;
  category: string;
  station: string;
  quantity: number;
  revenue: number;
}

export interface ItemMix {
  dishes: ItemMixRow[];
  categories: { category: string; quantity: number; revenue: number }[];
  modifiers: { name: string; quantity: number; revenue: number }[];
}

interface ItemMixFacet {
  dishes: { _id: string; name: string; station: string; quantity: number; revenue: number }[];
  modifiers: { name: string; quantity: number; revenue: number }[];
}

export async function itemMix(day: DayRange): Promise<ItemMix> {
  const facet = await itemMixRows<ItemMixFacet>(scopeOf(day));
  const rows = facet?.dishes ?? [];
  // Orders keep the dish's name, not its category: the category is the menu's (a deleted dish's too).
  const ids = rows.map((row) => row._id).filter(isObjectIdHex);
  const categoryOf = await categoriesOf(config().restaurantId, ids);
  const dishes = rows.map((row) => ({
    menuItemId: row._id,
    name: row.name,
    category: categoryOf.get(row._id) ?? 'Other',
    station: row.station,
    quantity: row.quantity,
    revenue: row.revenue,
  }));
  const byCategory = new Map<string, { category: string; quantity: number; revenue: number }>();
  for (const dish of dishes) {
    const entry = byCategory.get(dish.category) ?? { category: dish.category, quantity: 0, revenue: 0 };
    entry.quantity += dish.quantity;
    entry.revenue += dish.revenue;
    byCategory.set(dish.category, entry);
  }
  return {
    dishes,
    categories: [...byCategory.values()].sort((a, b) => b.revenue - a.revenue || a.category.localeCompare(b.category)),
    modifiers: (facet?.modifiers ?? []).map(({ name, quantity, revenue }) => ({ name, quantity, revenue })),
  };
}

export interface HourRow {
  /** Clock hour in the restaurant's time zone, 0-23. */
  hour: number;
  orders: number;
  revenue: number;
}

/** Every hour of the business day in order (from the day start), empty hours included. */
export async function hourly(day: ReportDay): Promise<HourRow[]> {
  const rows = await hourlyRows(scopeOf(day), zoneOffsetMs(day.from.getTime(), day.timeZone));
  const byHour = new Map(rows.map((row) => [row._id, row]));
  const first = Number(day.dayStart.slice(0, 2));
  return Array.from({ length: 24 }, (_, i) => {
    const hour = (first + i) % 24;
    const row = byHour.get(hour);
    return { hour, orders: row?.orders ?? 0, revenue: row?.revenue ?? 0 };
  });
}

export interface TableTurns {
  turns: { tableNumber: string; floor: string; openedAt: string; closedAt?: string; minutes?: number }[];
  closed: number;
  stillOpen: number;
  /** Minutes from opened to closed over the closed sessions; null when none closed. */
  p50Minutes: number | null;
  p90Minutes: number | null;
  averageMinutes: number | null;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export async function tableTurns(day: DayRange): Promise<TableTurns> {
  const sessions = await tableTurnRows(scopeOf(day));
  const turns = sessions.map((session) => {
    const turn: TableTurns['turns'][number] = { tableNumber: session.tableNumber, floor: session.floor, openedAt: session.openedAt.toISOString() };
    if (session.closedAt) {
      turn.closedAt = session.closedAt.toISOString();
      turn.minutes = Math.round((session.closedAt.getTime() - session.openedAt.getTime()) / 60_000);
    }
    return turn;
  });
  const minutes = turns.flatMap((turn) => (turn.minutes === undefined ? [] : [turn.minutes])).sort((a, b) => a - b);
  return {
    turns,
    closed: minutes.length,
    stillOpen: turns.length - minutes.length,
    p50Minutes: percentile(minutes, 50),
    p90Minutes: percentile(minutes, 90),
    averageMinutes: minutes.length ? Math.round(minutes.reduce((a, b) => a + b, 0) / minutes.length) : null,
  };
}
