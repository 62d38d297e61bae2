/**
 * What orders cost as billed now, and what a list of them adds up to. Pure: the bill, payments and
 * settlement services call these on the orders they loaded.
 */
import type { Order } from './entities.ts';
import { taxOf, type Totals } from './pricing.ts';

/** The order fields a bill reads. */
export type BilledOrder = Pick<Order, 'items' | 'amountsMinor' | 'status' | 'taxRateBps' | 'paymentStatus'>;

export const isUnpaid = (order: Pick<Order, 'paymentStatus'>): boolean => order.paymentStatus !== 'paid';

/**
 * What the order costs now: the stored totals, unless items were cancelled after ordering, in which
 * case the live items are re-totalled with the order's own tax rate (the same rounding rule as
 * pricing.ts). A fully cancelled order costs nothing.
 */
export function billableTotals(order: Pick<Order, 'items' | 'amountsMinor' | 'status' | 'taxRateBps'>): Totals {
  if (order.status === 'cancelled') return { subtotal: 0, tax: 0, total: 0 };
  if (!order.items.some((item) => item.itemStatus === 'CANCELLED')) {
    const { subtotal, tax, total } = order.amountsMinor;
    return { subtotal, tax, total };
  }
  const subtotal = order.items.filter((item) => item.itemStatus !== 'CANCELLED').reduce((sum, item) => sum + item.totalMinor, 0);
  const tax = taxOf(subtotal, order.taxRateBps);
  return { subtotal, tax, total: subtotal + tax };
}

/** Adds up a list of orders: amounts as billed now; paid is what was recorded as paid. */
export function summarize(orders: readonly BilledOrder[]): { subtotal: number; tax: number; total: number; paid: number; due: number } {
  let subtotal = 0;
  let tax = 0;
  let paid = 0;
  for (const order of orders) {
    const amounts = billableTotals(order);
    subtotal += amounts.subtotal;
    tax += amounts.tax;
    if (!isUnpaid(order)) paid += amounts.total;
  }
  const total = subtotal + tax;
  return { subtotal, tax, total, paid, due: total - paid };
}

/** "T-12 bill 004,007", at most 50 characters (UPI apps truncate long notes). */
export function billReference(tableNumber: string, orders: readonly Pick<Order, 'orderNumber'>[]): string {
  const reference = `${tableNumber || 'Table'} bill ${orders.map((order) => order.orderNumber).join(',')}`.trim();
  return reference.length <= 50 ? reference : `${reference.slice(0, 49)}…`;
}
