/**
 * CSV exports of the reports and of the day's orders. Money is in major units with the currency's
 * digits ("123.45"), from the exact minor units. The orders export uses the POS's documented field
 * names as columns (`items.price` for an item's field: one row per dish); the guest's phone is not
 * exported (a phone's data is exported on its own, under data rights).
 */
import { toCsv, type CsvValue } from '../../core/csv.ts';
import { formatMajor, minorDigitsOf } from '../../core/pos-money.ts';
import type { DayTotals } from '../../data/documents.ts';
import { config } from '../../platform/config.ts';
import type { KitchenTimes } from './kitchen-times.ts';
import { dayOrders } from '../../data/reports-store.ts';
import type { HourRow, ItemMix, ReportDay, TableTurns } from './reports.ts';

const money = (day: ReportDay) => {
  const digits = minorDigitsOf(day.currency);
  return (minor: number) => formatMajor(minor, digits);
};

export function summaryCsv(day: ReportDay, totals: DayTotals): string {
  const m = money(day);
  const rows: CsvValue[][] = [
    ['day', day.day],
    ['orders', totals.orders],
    ['tables', totals.tables],
    ['guests', totals.guests],
    ['identifiedGuests', totals.identifiedGuests],
    ['gross', m(totals.gross)],
    ['tax', m(totals.tax)],
    ['net', m(totals.net)],
    ['averageOrderValue', m(totals.averageOrderValue)],
    ['unpaidOrders', totals.unpaidOrders],
    ['unpaid', m(totals.unpaid)],
    ['cancelled', totals.cancelled],
    ['cancelledValue', m(totals.cancelledValue)],
    ['refunds', totals.refunds ?? 0],
    ['refunded', m(totals.refunded ?? 0)],
    ['netAfterRefunds', m(totals.netAfterRefunds ?? totals.gross)],
    ...totals.byMethod.map((row) => [`paid.${row.method}`, m(row.amount)]),
    ...totals.byMethod.filter((row) => (row.refunded ?? 0) > 0).map((row) => [`refunded.${row.method}`, m(row.refunded ?? 0)]),
  ];
  return toCsv(['field', 'value'], rows);
}

export function itemMixCsv(day: ReportDay, mix: ItemMix): string {
  const m = money(day);
  return toCsv(
    ['kind', 'menuItemId', 'menuItemName', 'category', 'quantity', 'revenue'],
    [
      ...mix.dishes.map((d) => ['dish', d.menuItemId, d.name, d.category, d.quantity, m(d.revenue)]),
      ...mix.categories.map((c) => ['category', '', '', c.category, c.quantity, m(c.revenue)]),
      ...mix.modifiers.map((o) => ['modifier', '', o.name, '', o.quantity, m(o.revenue)]),
    ],
  );
}

export function hourlyCsv(day: ReportDay, hours: HourRow[]): string {
  const m = money(day);
  return toCsv(['hour', 'orders', 'revenue'], hours.map((h) => [`${String(h.hour).padStart(2, '0')}:00`, h.orders, m(h.revenue)]));
}

export function tableTurnsCsv(turns: TableTurns): string {
  return toCsv(['tableNumber', 'floorNumber', 'openedAt', 'closedAt', 'minutes'], turns.turns.map((t) => [t.tableNumber, t.floor, t.openedAt, t.closedAt, t.minutes]));
}

/** Per station (p50/p90 seconds, placed → ready and ready → served), then the slowest dishes. */
export function kitchenTimesCsv(times: KitchenTimes): string {
  return toCsv(
    ['kind', 'station', 'menuItemId', 'menuItemName', 'dishes', 'placedToReadyP50Seconds', 'placedToReadyP90Seconds', 'served', 'readyToServedP50Seconds', 'readyToServedP90Seconds'],
    [
      ...times.stations.map((s) => ['station', s.station, '', '', s.placedToReady.count, s.placedToReady.p50Seconds, s.placedToReady.p90Seconds, s.readyToServed.count, s.readyToServed.p50Seconds, s.readyToServed.p90Seconds]),
      ...times.slowest.map((d) => ['slowDish', d.station, d.menuItemId, d.name, d.count, d.p50Seconds, d.p90Seconds, '', '', '']),
    ],
  );
}

export const ORDER_COLUMNS = [
  '_id',
  'orderNumber',
  'orderDate',
  'tableNumber',
  'floorNumber',
  'customerName',
  'status',
  'paymentStatus',
  'paymentMethod',
  'items.menuItemId',
  'items.menuItemName',
  'items.quantity',
  'items.price',
  'items.total',
  'items.spiceLevel',
  'items.notes',
  'subtotal',
  'tax',
  'total',
] as const;

export async function dayOrdersCsv(day: ReportDay): Promise<string> {
  const m = money(day);
  const docs = await dayOrders({ restaurantId: config().restaurantId, from: day.from, to: day.to });
  const rows = docs.flatMap((order) =>
    order.items.map((item) => [
      order._id.toHexString(),
      order.orderNumber,
      order.orderDate.toISOString(),
      order.tableNumber,
      order.floorNumber,
      order.customerName,
      order.status,
      order.paymentStatus,
      order.paymentMethod,
      item.menuItemId,
      item.menuItemName,
      item.quantity,
      m(item.priceMinor),
      m(item.totalMinor),
      item.spiceLevel,
      item.notes,
      m(order.amountsMinor.subtotal),
      m(order.amountsMinor.tax),
      m(order.amountsMinor.total),
    ]),
  );
  return toCsv(ORDER_COLUMNS, rows);
}
