/**
 * The managers' reports as MongoDB aggregation pipelines. Each starts with a $match on
 * (restaurantId, date range), which the `by_date` indexes serve (data/indexes.ts), so a report
 * examines the day's documents only, however long the restaurant's history.
 *
 * Amounts are minor units, as billed: an order's live dishes (cancelled dishes are not charged),
 * tax rounded half up on that subtotal at the order's own rate — the rule of core/pricing.ts and
 * core/bill-totals.ts billableTotals, written as an expression. A cancelled order bills nothing.
 *
 * Stages used (each has a conformance test in test/mongo/aggregation-reports.test.ts):
 * $match, $set, $group, $facet, $unwind, $sort, $project (expressions: $sum, $addToSet, $last, $push, $cond,
 * $ifNull, $map, $floor, $divide, $multiply, $add, $subtract of dates, $mod, $eq, $and, $or, $not).
 */
import type { Document } from 'mongodb';

export interface ReportScope {
  restaurantId: string;
  from: Date;
  to: Date;
}

/**
 * The index each report reads through, passed as the aggregate's `hint`: MongoDB's planner could
 * otherwise pick `by_status` for pipelines that also match on status, and a report should cost the
 * same every day (test/mongo/aggregation-reports checks each by explain).
 */
export const REPORT_INDEX = { orders: 'by_date', tableSessions: 'by_opened', paymentIntents: 'by_refund_date' } as const;
export const ORDERS_BY_DATE = { hint: REPORT_INDEX.orders };

export const orderScope = ({ restaurantId, from, to }: ReportScope): Document => ({ $match: { restaurantId, orderDate: { $gte: from, $lt: to } } });

const isCancelled = { $eq: ['$status', 'cancelled'] };

/** $set: `billed: { subtotal, tax, total }` in minor units (zeros for a cancelled order). */
export const billedStage: Document = {
  $set: {
    billedSubtotal: {
      $cond: [
        isCancelled,
        0,
        { $sum: { $map: { input: '$items', as: 'item', in: { $cond: [{ $eq: ['$$item.itemStatus', 'CANCELLED'] }, 0, '$$item.totalMinor'] } } } },
      ],
    },
  },
};
const billedTaxStage: Document = {
  $set: { billedTax: { $floor: { $divide: [{ $add: [{ $multiply: ['$billedSubtotal', '$taxRateBps'] }, 5000] }, 10000] } } },
};

/** Sub-pipeline: how many distinct non-empty values a field has over the live orders. */
const distinctCount = (field: string): Document[] => [
  { $match: { status: { $ne: 'cancelled' }, [field.slice(1)]: { $exists: true, $nin: [null, ''] } } },
  { $group: { _id: field } },
  { $group: { _id: null, n: { $sum: 1 } } },
];

/** The day's summary: one document with `totals` and `byMethod`. */
export function summaryPipeline(scope: ReportScope): Document[] {
  const live = { $cond: [isCancelled, 0, 1] };
  const paid = { $and: [{ $not: [isCancelled] }, { $eq: ['$paymentStatus', 'paid'] }] };
  const billedTotal = { $add: ['$billedSubtotal', '$billedTax'] };
  return [
    orderScope(scope),
    billedStage,
    // Only what the sums need from here on: every sub-pipeline of the $facet reads these.
    { $project: { _id: 0, status: 1, paymentStatus: 1, paymentMethod: 1, sessionId: 1, deviceId: 1, customerPhone: 1, taxRateBps: 1, billedSubtotal: 1, 'amountsMinor.total': 1 } },
    billedTaxStage,
    {
      $facet: {
        totals: [
          {
            $group: {
              _id: null,
              orders: { $sum: live },
              cancelled: { $sum: { $cond: [isCancelled, 1, 0] } },
              cancelledValue: { $sum: { $cond: [isCancelled, '$amountsMinor.total', 0] } },
              net: { $sum: '$billedSubtotal' },
              tax: { $sum: '$billedTax' },
              unpaidOrders: { $sum: { $cond: [{ $or: [isCancelled, paid] }, 0, 1] } },
              unpaid: { $sum: { $cond: [{ $or: [isCancelled, paid] }, 0, billedTotal] } },
            },
          },
        ],
        // Distinct counts by grouping ($addToSet compares every pair on the embedded server).
        tables: distinctCount('$sessionId'),
        guests: distinctCount('$deviceId'),
        identifiedGuests: distinctCount('$customerPhone'),
        byMethod: [
          { $match: { status: { $ne: 'cancelled' }, paymentStatus: 'paid' } },
          { $group: { _id: '$paymentMethod', orders: { $sum: 1 }, amount: { $sum: billedTotal } } },
          { $sort: { _id: 1 } },
        ],
      },
    },
  ];
}

/** Item mix: per dish (quantity, revenue) and per modifier option, live dishes of live orders. */
export function itemMixPipeline(scope: ReportScope): Document[] {
  return [
    orderScope(scope),
    { $match: { status: { $ne: 'cancelled' } } },
    { $unwind: '$items' },
    { $match: { 'items.itemStatus': { $ne: 'CANCELLED' } } },
    {
      $facet: {
        dishes: [
          { $group: { _id: '$items.menuItemId', name: { $last: '$items.menuItemName' }, station: { $last: '$items.station' }, quantity: { $sum: '$items.quantity' }, revenue: { $sum: '$items.totalMinor' } } },
          { $sort: { revenue: -1, _id: 1 } },
        ],
        modifiers: [
          { $unwind: '$items.modifiers' },
          {
            $group: {
              _id: { groupId: '$items.modifiers.groupId', optionId: '$items.modifiers.optionId' },
              name: { $last: '$items.modifiers.name' },
              quantity: { $sum: '$items.quantity' },
              revenue: { $sum: { $multiply: ['$items.modifiers.price', '$items.quantity'] } },
            },
          },
          { $sort: { quantity: -1, name: 1 } },
        ],
      },
    },
  ];
}

/**
 * Hour by hour in the restaurant's time zone: orders and billed revenue per clock hour. The zone's
 * offset at the day's start is applied as a number ($hour with a timezone costs a zone lookup per
 * order on the embedded server); on a day with a daylight-saving change the hours after it shift by
 * one (not in India, which has none).
 */
export function hourlyPipeline(scope: ReportScope, offsetMs: number): Document[] {
  const localMs = { $add: [{ $subtract: ['$orderDate', new Date(0)] }, offsetMs] };
  return [
    orderScope(scope),
    { $match: { status: { $ne: 'cancelled' } } },
    billedStage,
    billedTaxStage,
    { $group: { _id: { $mod: [{ $floor: { $divide: [localMs, 3_600_000] } }, 24] }, orders: { $sum: 1 }, revenue: { $sum: { $add: ['$billedSubtotal', '$billedTax'] } } } },
    { $sort: { _id: 1 } },
  ];
}

/** Table sessions opened in the range: when each opened and closed (turn times are computed from these). */
export function tableTurnsPipeline({ restaurantId, from, to }: ReportScope): Document[] {
  return [
    { $match: { restaurantId, openedAt: { $gte: from, $lt: to } } },
    { $project: { _id: 1, tableNumber: 1, floor: 1, openedAt: 1, closedAt: 1, status: 1 } },
    { $sort: { openedAt: 1 } },
  ];
}

/**
 * Kitchen times: per station and dish, the live dishes of the day's live orders that became ready,
 * each one's milliseconds from placed to ready and, once served, from ready to served (null until
 * then). Percentiles are taken from these lists (kitchen-times.ts): $percentile is MongoDB 7's only.
 * A dish placed before timings existed has no `readyAt` and is left out.
 */
export function kitchenTimesPipeline(scope: ReportScope): Document[] {
  const readyAt = '$items.timings.readyAt';
  const servedAt = '$items.timings.servedAt';
  return [
    orderScope(scope),
    { $match: { status: { $ne: 'cancelled' } } },
    { $project: { _id: 0, orderDate: 1, items: 1 } },
    { $unwind: '$items' },
    { $match: { 'items.itemStatus': { $ne: 'CANCELLED' }, 'items.timings.readyAt': { $exists: true } } },
    {
      $group: {
        _id: { station: '$items.station', menuItemId: '$items.menuItemId' },
        name: { $last: '$items.menuItemName' },
        toReady: { $push: { $subtract: [readyAt, { $ifNull: ['$items.timings.placedAt', '$orderDate'] }] } },
        toServed: { $push: { $cond: [{ $ifNull: [servedAt, false] }, { $subtract: [servedAt, readyAt] }, null] } },
      },
    },
    { $sort: { '_id.station': 1, '_id.menuItemId': 1 } },
  ];
}

/** The day's orders for the CSV export, oldest first, in the POS's documented fields. */
export function dayOrdersPipeline(scope: ReportScope): Document[] {
  return [orderScope(scope), { $sort: { orderDate: 1, _id: 1 } }];
}

/**
 * The refunds given in the range (by when each was asked for, as a till counts a refund on the day
 * it is given, whatever day the payment was), failed ones left out: how many and how much. The
 * leading $match narrows to payments with a refund in the range through `by_refund_date` (a multikey
 * index on each refund's time); the $unwind then keeps exactly the refunds in the range.
 */
export function refundsPipeline({ restaurantId, from, to }: ReportScope): Document[] {
  const inRange = { $gte: from, $lt: to };
  return [
    { $match: { restaurantId, 'refunds.at': inRange } },
    { $project: { _id: 0, refunds: 1 } },
    { $unwind: '$refunds' },
    { $match: { 'refunds.at': inRange, 'refunds.status': { $ne: 'failed' } } },
    { $group: { _id: null, count: { $sum: 1 }, amount: { $sum: '$refunds.amount' } } },
  ];
}
