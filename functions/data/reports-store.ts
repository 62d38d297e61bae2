/**
 * The reports' store: each report's aggregation pipeline (report-pipelines.ts) run through its
 * index by hint, and the day closes (`day_closes`, one per restaurant and business day). What the
 * rows mean is the use cases' (admin/reports/).
 */
import { ObjectId } from 'mongodb';
import type { DayCloseDoc, OrderDoc } from './documents.ts';
import { collections } from './mongo.ts';
import {
  dayOrdersPipeline,
  hourlyPipeline,
  itemMixPipeline,
  kitchenTimesPipeline,
  ORDERS_BY_DATE,
  refundsPipeline,
  REPORT_INDEX,
  summaryPipeline,
  tableTurnsPipeline,
  type ReportScope,
} from './report-pipelines.ts';

export type { ReportScope };

/** The summary facet of the day's orders (the caller names its row type) and the day's refunds. */
export async function summaryRows<Facet>(scope: ReportScope): Promise<{ facet: Facet | undefined; refunds: { count: number; amount: number } | undefined }> {
  const { orders, paymentIntents } = await collections();
  const [[facet], [refunds]] = await Promise.all([
    orders.aggregate<Facet & Record<string, unknown>>(summaryPipeline(scope), ORDERS_BY_DATE).toArray(),
    paymentIntents.aggregate<{ count: number; amount: number }>(refundsPipeline(scope), { hint: REPORT_INDEX.paymentIntents }).toArray(),
  ]);
  return { facet, refunds };
}

export async function itemMixRows<Facet>(scope: ReportScope): Promise<Facet | undefined> {
  const { orders } = await collections();
  const [facet] = await orders.aggregate<Facet & Record<string, unknown>>(itemMixPipeline(scope), ORDERS_BY_DATE).toArray();
  return facet;
}

/** The menu's category of each dish id (deleted dishes included). */
export async function categoriesOf(restaurantId: string, dishIds: readonly string[]): Promise<Map<string, string>> {
  const { menuItems } = await collections();
  const menu = await menuItems.find({ restaurantId, _id: { $in: dishIds.map((id) => new ObjectId(id)) } }, { projection: { category: 1 } }).toArray();
  return new Map(menu.map((item) => [item._id.toHexString(), item.category]));
}

export async function hourlyRows(scope: ReportScope, offsetMs: number): Promise<{ _id: number; orders: number; revenue: number }[]> {
  const { orders } = await collections();
  return orders.aggregate<{ _id: number; orders: number; revenue: number }>(hourlyPipeline(scope, offsetMs), ORDERS_BY_DATE).toArray();
}

export async function tableTurnRows(scope: ReportScope): Promise<{ tableNumber: string; floor: string; openedAt: Date; closedAt?: Date }[]> {
  const { tableSessions } = await collections();
  return tableSessions.aggregate<{ tableNumber: string; floor: string; openedAt: Date; closedAt?: Date }>(tableTurnsPipeline(scope), { hint: REPORT_INDEX.tableSessions }).toArray();
}

export async function kitchenTimeRows<Row>(scope: ReportScope): Promise<Row[]> {
  const { orders } = await collections();
  return orders.aggregate<Row & Record<string, unknown>>(kitchenTimesPipeline(scope), ORDERS_BY_DATE).toArray();
}

export async function dayOrders(scope: ReportScope): Promise<OrderDoc[]> {
  const { orders } = await collections();
  return orders.aggregate<OrderDoc>(dayOrdersPipeline(scope), ORDERS_BY_DATE).toArray();
}

const closeId = (restaurantId: string, day: string) => `${restaurantId}:${day}`;

export async function findDayClose(restaurantId: string, day: string): Promise<DayCloseDoc | null> {
  const { dayCloses } = await collections();
  return dayCloses.findOne({ _id: closeId(restaurantId, day), restaurantId });
}

/**
 * Inserts the day's first close, or closes a reopened day again. A day already closed does not
 * match, and the upsert's insert then hits the _id: a duplicate-key error, raised.
 */
export async function recordDayClose(
  restaurantId: string,
  day: { day: string; from: Date; to: Date },
  totals: DayCloseDoc['totals'],
  closedBy: DayCloseDoc['closedBy'],
  now: Date,
): Promise<DayCloseDoc | null> {
  const { dayCloses } = await collections();
  return dayCloses.findOneAndUpdate(
    { _id: closeId(restaurantId, day.day), restaurantId, status: 'reopened' },
    {
      $set: { status: 'closed', totals, from: day.from, to: day.to, closedAt: now, closedBy, updatedAt: now },
      $setOnInsert: { restaurantId, day: day.day },
    },
    { upsert: true, returnDocument: 'after' },
  );
}

/** Reopens a closed day; null when the day is not closed. */
export async function recordDayReopen(restaurantId: string, day: string, reopenedBy: DayCloseDoc['closedBy'], reason: string, now: Date): Promise<DayCloseDoc | null> {
  const { dayCloses } = await collections();
  return dayCloses.findOneAndUpdate(
    { _id: closeId(restaurantId, day), restaurantId, status: 'closed' },
    { $set: { status: 'reopened', reopenedAt: now, reopenedBy, reopenReason: reason, updatedAt: now } },
    { returnDocument: 'after' },
  );
}
