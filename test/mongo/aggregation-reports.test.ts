/**
 * Conformance of the aggregation stages and expressions the managers' reports use
 * (functions/data/report-pipelines.ts): $match, $set, $group, $facet, $unwind, $sort, $project,
 * with $sum, $addToSet, $last, $push, $cond, $ifNull, $map, $floor, $divide, $multiply, $add, $eq, $and,
 * $or, $not and $hour with a time zone. Run on the embedded server and, with MONGODB_URI, on a real
 * MongoDB: the same answers. Then the report pipelines themselves on fixture orders, and each one's
 * index by explain, on both servers (the embedded server's explain reports the plan it really used).
 */
import { ObjectId, type Collection, type Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INDEXES } from '../../functions/data/indexes.ts';
import { dayOrdersPipeline, hourlyPipeline, itemMixPipeline, kitchenTimesPipeline, refundsPipeline, REPORT_INDEX, summaryPipeline, tableTurnsPipeline } from '../../functions/data/report-pipelines.ts';
import { onlyEmbedded, openMongoEnv, type MongoEnv } from './harness.ts';

let env: MongoEnv;
let coll: Collection<Document>;

beforeAll(async () => {
  env = await openMongoEnv('aggreports');
  coll = env.db.collection('stages');
  await coll.insertMany([
    { _id: 1 as never, g: 'a', n: 5, d: new Date('2025-11-14T20:00:00Z'), tags: ['x', 'y'], items: [{ t: 5, s: 'NEW', m: [{ name: 'cheese', price: 2 }] }, { t: 7, s: 'CANCELLED', m: [] }] },
    { _id: 2 as never, g: 'a', n: 3, d: new Date('2025-11-14T21:10:00Z'), tags: [], items: [{ t: 100, s: 'NEW', m: [] }] },
    { _id: 3 as never, g: 'b', n: 1, d: new Date('2025-11-15T02:45:00Z'), items: [] },
  ]);
});
afterAll(() => env?.close());

const run = (pipeline: Document[]) => coll.aggregate(pipeline).toArray();

describe('stages the reports use', () => {
  it('$match on a range, then $sort and $project', async () => {
    const out = await run([{ $match: { d: { $gte: new Date('2025-11-14T00:00:00Z'), $lt: new Date('2025-11-15T00:00:00Z') } } }, { $sort: { d: -1 } }, { $project: { _id: 1, n: 1 } }]);
    expect(out).toEqual([{ _id: 2, n: 3 }, { _id: 1, n: 5 }]);
  });

  it('$set with $map, $cond, $sum over an array, $floor, $divide, $multiply, $add', async () => {
    const out = await run([
      { $set: { live: { $sum: { $map: { input: '$items', as: 'i', in: { $cond: [{ $eq: ['$$i.s', 'CANCELLED'] }, 0, '$$i.t'] } } } } } },
      { $set: { tax: { $floor: { $divide: [{ $add: [{ $multiply: ['$live', 500] }, 5000] }, 10000] } } } },
      { $sort: { _id: 1 } },
      { $project: { _id: 0, live: 1, tax: 1 } },
    ]);
    expect(out).toEqual([{ live: 5, tax: 0 }, { live: 100, tax: 5 }, { live: 0, tax: 0 }]);
  });

  it('$group with $sum, $addToSet, $last and $cond/$ifNull/$and/$or/$not expressions', async () => {
    const [all] = await run([
      { $sort: { _id: 1 } },
      {
        $group: {
          _id: null,
          count: { $sum: 1 },
          total: { $sum: '$n' },
          big: { $sum: { $cond: [{ $and: [{ $gt: ['$n', 2] }, { $not: [{ $eq: ['$g', 'b'] }] }] }, 1, 0] } },
          either: { $sum: { $cond: [{ $or: [{ $eq: ['$g', 'b'] }, { $eq: ['$n', 5] }] }, 1, 0] } },
          groups: { $addToSet: '$g' },
          tagsOrNull: { $addToSet: { $ifNull: ['$tags', null] } },
          last: { $last: '$n' },
        },
      },
    ]);
    expect(all).toMatchObject({ _id: null, count: 3, total: 9, big: 2, either: 2, last: 1 });
    expect([...all.groups].sort()).toEqual(['a', 'b']);
    expect(all.tagsOrNull).toHaveLength(3);
    expect(all.tagsOrNull).toContainEqual(null);
  });

  it('$group by $hour in a time zone (Asia/Kolkata is UTC+05:30)', async () => {
    const out = await run([{ $group: { _id: { $hour: { date: '$d', timezone: 'Asia/Kolkata' } }, n: { $sum: 1 } } }, { $sort: { _id: 1 } }]);
    expect(out).toEqual([{ _id: 1, n: 1 }, { _id: 2, n: 1 }, { _id: 8, n: 1 }]);
  });

  it('$subtract of two dates is milliseconds; $mod and $floor bucket them into clock hours', async () => {
    const out = await run([
      { $group: { _id: { $mod: [{ $floor: { $divide: [{ $add: [{ $subtract: ['$d', new Date(0)] }, 19_800_000] }, 3_600_000] } }, 24] }, n: { $sum: 1 } } },
      { $sort: { _id: 1 } },
    ]);
    expect(out).toEqual([{ _id: 1, n: 1 }, { _id: 2, n: 1 }, { _id: 8, n: 1 }]);
  });

  it('$unwind twice (a nested array), then $group on the inner field', async () => {
    const out = await run([{ $unwind: '$items' }, { $unwind: '$items.m' }, { $group: { _id: '$items.m.name', q: { $sum: 1 }, p: { $sum: '$items.m.price' } } }]);
    expect(out).toEqual([{ _id: 'cheese', q: 1, p: 2 }]);
  });

  it('$match on a nested path $exists after $unwind; $group $push of $subtract of dates and of $cond on $ifNull', async () => {
    const timed = env.db.collection('stages_timed');
    await timed.insertMany([
      { s: 'A', items: [{ r: new Date('2025-01-01T00:10:00Z'), v: new Date('2025-01-01T00:12:00Z') }, { x: 1 }], d: new Date('2025-01-01T00:00:00Z') },
      { s: 'A', items: [{ p: new Date('2025-01-01T00:05:00Z'), r: new Date('2025-01-01T00:06:00Z') }], d: new Date('2025-01-01T00:00:00Z') },
      { s: 'B', items: [{ r: null }], d: new Date('2025-01-01T00:00:00Z') },
    ]);
    const out = await timed
      .aggregate([
        { $unwind: '$items' },
        { $match: { 'items.r': { $exists: true } } },
        { $sort: { 'items.r': 1 } },
        {
          $group: {
            _id: '$s',
            toReady: { $push: { $subtract: ['$items.r', { $ifNull: ['$items.p', '$d'] }] } },
            toServed: { $push: { $cond: [{ $ifNull: ['$items.v', false] }, { $subtract: ['$items.v', '$items.r'] }, null] } },
          },
        },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    // B's dish has r: null: $exists matches it; $subtract with a null operand is null.
    expect(out).toEqual([
      { _id: 'A', toReady: [60_000, 600_000], toServed: [null, 120_000] },
      { _id: 'B', toReady: [null], toServed: [null] },
    ]);
  });

  it('$facet runs sub-pipelines on the same input', async () => {
    const [facet] = await run([
      { $facet: { byGroup: [{ $group: { _id: '$g', n: { $sum: 1 } } }, { $sort: { _id: 1 } }], count: [{ $group: { _id: null, n: { $sum: 1 } } }], none: [{ $match: { g: 'zzz' } }] } },
    ]);
    expect(facet).toEqual({ byGroup: [{ _id: 'a', n: 2 }, { _id: 'b', n: 1 }], count: [{ _id: null, n: 3 }], none: [] });
  });

  it('$facet on an empty input gives empty sub-results (a day without orders)', async () => {
    const [facet] = await run([{ $match: { g: 'nothing' } }, { $facet: { totals: [{ $group: { _id: null, n: { $sum: 1 } } }], rows: [{ $sort: { _id: 1 } }] } }]);
    expect(facet).toEqual({ totals: [], rows: [] });
  });
});

// ---------------------------------------------------------------- the report pipelines

const DAY = { from: new Date('2025-03-09T22:30:00Z'), to: new Date('2025-03-10T22:30:00Z') };
let orders: Collection<Document>;

function order(at: string, overrides: Document = {}): Document {
  return {
    _id: new ObjectId(),
    restaurantId: 'demo',
    orderDate: new Date(at),
    sessionId: new ObjectId(),
    deviceId: 'phone-1',
    items: [
      { menuItemId: 'dal', menuItemName: 'Dal', station: 'GRILL', quantity: 2, priceMinor: 30000, totalMinor: 60000, itemStatus: 'SERVED', modifiers: [{ groupId: 'g', optionId: 'butter', name: 'Butter', price: 2000 }] },
      { menuItemId: 'chai', menuItemName: 'Chai', station: 'BAR', quantity: 1, priceMinor: 1495, totalMinor: 1495, itemStatus: 'SERVED', modifiers: [] },
    ],
    amountsMinor: { subtotal: 61495, tax: 3075, total: 64570 },
    taxRateBps: 500,
    status: 'completed',
    paymentStatus: 'paid',
    paymentMethod: 'UPI',
    ...overrides,
  };
}

describe('the report pipelines', () => {
  beforeAll(async () => {
    orders = env.db.collection('report_orders');
    await orders.createIndex({ restaurantId: 1, orderDate: 1 }, { name: 'by_date' });
    const session = new ObjectId();
    const partly = order('2025-03-10T10:00:00Z', { sessionId: session, customerPhone: '9000000001', paymentStatus: 'pending', paymentMethod: '' });
    partly.items[1].itemStatus = 'CANCELLED';
    await orders.insertMany([
      order('2025-03-10T05:00:00Z', { sessionId: session, customerPhone: '9000000001' }),
      partly,
      order('2025-03-10T06:00:00Z', { status: 'cancelled', deviceId: 'phone-2' }),
      order('2025-03-10T07:30:00Z', { paymentMethod: 'CASH', deviceId: 'phone-3' }),
      order('2025-03-09T12:00:00Z'),
      order('2025-03-10T08:00:00Z', { restaurantId: 'other' }),
      ...Array.from({ length: 30 }, (_, i) => order(new Date(Date.UTC(2025, 1, 1 + (i % 28), 12)).toISOString())),
    ]);
  });

  it('the summary: billed amounts (a cancelled dish is not charged, tax half-up on the rest), methods, tables, guests', async () => {
    const [facet] = await orders.aggregate(summaryPipeline({ restaurantId: 'demo', ...DAY })).toArray();
    // partly: 60000 + tax floor((60000*500+5000)/10000) = 3000 → 63000
    expect(facet.totals[0]).toMatchObject({ orders: 3, cancelled: 1, cancelledValue: 64570, net: 61495 * 2 + 60000, tax: 3075 * 2 + 3000, unpaidOrders: 1, unpaid: 63000 });
    expect(facet.tables).toEqual([{ _id: null, n: 2 }]);
    expect(facet.guests).toEqual([{ _id: null, n: 2 }]);
    expect(facet.identifiedGuests).toEqual([{ _id: null, n: 1 }]);
    expect(facet.byMethod).toEqual([{ _id: 'CASH', orders: 1, amount: 64570 }, { _id: 'UPI', orders: 1, amount: 64570 }]);
  });

  it('item mix and hours', async () => {
    const [mix] = await orders.aggregate(itemMixPipeline({ restaurantId: 'demo', ...DAY })).toArray();
    expect(mix.dishes).toEqual([
      { _id: 'dal', name: 'Dal', station: 'GRILL', quantity: 6, revenue: 180000 },
      { _id: 'chai', name: 'Chai', station: 'BAR', quantity: 2, revenue: 2990 },
    ]);
    expect(mix.modifiers).toEqual([{ _id: { groupId: 'g', optionId: 'butter' }, name: 'Butter', quantity: 6, revenue: 12000 }]);
    const hours = await orders.aggregate(hourlyPipeline({ restaurantId: 'demo', ...DAY }, 19_800_000)).toArray();
    expect(hours).toEqual([
      { _id: 10, orders: 1, revenue: 64570 },
      { _id: 13, orders: 1, revenue: 64570 },
      { _id: 15, orders: 1, revenue: 63000 },
    ]);
  });

  it('kitchen times: per station and dish, placed → ready and ready → served in ms, live dishes of live orders that became ready', async () => {
    const kitchen = env.db.collection('report_kitchen');
    const placed = new Date('2025-03-10T05:00:00Z');
    const at = (minutes: number) => new Date(placed.getTime() + minutes * 60_000);
    const dish = (menuItemId: string, station: string, timings: Document, itemStatus = 'SERVED') => ({ menuItemId, menuItemName: menuItemId.toUpperCase(), station, quantity: 1, itemStatus, timings });
    await kitchen.insertMany([
      order(placed.toISOString(), { items: [dish('dal', 'GRILL', { placedAt: placed, readyAt: at(12), servedAt: at(14) }), dish('chai', 'BAR', { placedAt: placed, readyAt: at(3) }, 'READY')] }),
      order(placed.toISOString(), { items: [dish('dal', 'GRILL', { placedAt: placed, readyAt: at(20), servedAt: at(21) }), dish('naan', 'TANDOOR', { placedAt: placed, cookingAt: at(1) }, 'COOKING')] }),
      // Before timings existed: no readyAt, left out. A cancelled dish and a cancelled order: left out.
      order(placed.toISOString(), { items: [dish('dal', 'GRILL', {}), dish('chai', 'BAR', { placedAt: placed, readyAt: at(9) }, 'CANCELLED')] }),
      order(placed.toISOString(), { status: 'cancelled', items: [dish('dal', 'GRILL', { placedAt: placed, readyAt: at(90) })] }),
      // Without an item placedAt, the order date counts as placed.
      order(placed.toISOString(), { items: [dish('chai', 'BAR', { readyAt: at(5), servedAt: at(6) })] }),
      order('2025-03-09T05:00:00Z', { items: [dish('dal', 'GRILL', { placedAt: placed, readyAt: at(99) })] }),
    ]);
    const rows = await kitchen.aggregate(kitchenTimesPipeline({ restaurantId: 'demo', ...DAY })).toArray();
    // $push keeps the input's order, which the pipeline does not fix: compare as sorted lists.
    const sorted = (list: (number | null)[]) => [...list].sort((a, b) => (a ?? -1) - (b ?? -1));
    expect(rows.map((row) => ({ ...row, toReady: sorted(row.toReady), toServed: sorted(row.toServed) }))).toEqual([
      { _id: { station: 'BAR', menuItemId: 'chai' }, name: 'CHAI', toReady: [180_000, 300_000], toServed: [null, 60_000] },
      { _id: { station: 'GRILL', menuItemId: 'dal' }, name: 'DAL', toReady: [720_000, 1_200_000], toServed: [60_000, 120_000] },
    ]);
  });

  it('table turns: the sessions opened in the range', async () => {
    const sessions = env.db.collection('report_sessions');
    await sessions.insertMany([
      { restaurantId: 'demo', tableNumber: 'T-1', floor: 'G', openedAt: new Date('2025-03-10T06:00:00Z'), closedAt: new Date('2025-03-10T07:00:00Z'), pinHash: 'x' },
      { restaurantId: 'demo', tableNumber: 'T-2', floor: 'G', openedAt: new Date('2025-03-08T06:00:00Z') },
    ]);
    const turns = await sessions.aggregate(tableTurnsPipeline({ restaurantId: 'demo', ...DAY })).toArray();
    expect(turns).toEqual([{ _id: expect.any(ObjectId), tableNumber: 'T-1', floor: 'G', openedAt: new Date('2025-03-10T06:00:00Z'), closedAt: new Date('2025-03-10T07:00:00Z') }]);
  });

  it('each report pipeline reads its day through its index, as explain shows (IXSCAN on the hinted index, no COLLSCAN, only the day’s documents examined)', async () => {
    // Plato's own index keys on these collections (without uniqueness, which the fixtures do not keep), so
    // the plan is chosen among everything the planner could pick.
    for (const [name, key] of [['report_orders', 'orders'], ['report_sessions', 'tableSessions'], ['report_intents', 'paymentIntents']] as const) {
      await env.db.collection(name).createIndexes(INDEXES[key]!.map(({ key: fields, name: indexName }) => ({ key: fields, name: indexName })));
    }
    const intents = env.db.collection('report_intents');
    await intents.insertMany([
      { restaurantId: 'demo', status: 'paid', amount: 500, refunds: [{ refundId: 'r1', amount: 100, status: 'processed', at: new Date('2025-03-10T06:00:00Z') }, { refundId: 'r2', amount: 50, status: 'failed', at: new Date('2025-03-10T07:00:00Z') }] },
      { restaurantId: 'demo', status: 'paid', amount: 500, refunds: [{ refundId: 'r3', amount: 500, status: 'processed', at: new Date('2025-03-01T06:00:00Z') }] },
      { restaurantId: 'demo', status: 'paid', amount: 500, refunds: [] },
    ]);
    const scope = { restaurantId: 'demo', ...DAY };
    // Documents examined: the day's 4 orders, 1 session; for refunds the payment with refunds that day,
    // and on mongod perhaps the one refunded before it too (a range on a multikey field is bounded on
    // one side only), never the payment without refunds.
    const reports: [string, Collection<Document>, Document[], string, number | [number, number]][] = [
      ['summary', orders, summaryPipeline(scope), REPORT_INDEX.orders, 4],
      ['item mix', orders, itemMixPipeline(scope), REPORT_INDEX.orders, 4],
      ['hours', orders, hourlyPipeline(scope, 19_800_000), REPORT_INDEX.orders, 4],
      ['kitchen times', orders, kitchenTimesPipeline(scope), REPORT_INDEX.orders, 4],
      ['day’s orders', orders, dayOrdersPipeline(scope), REPORT_INDEX.orders, 4],
      ['table turns', env.db.collection('report_sessions'), tableTurnsPipeline(scope), REPORT_INDEX.tableSessions, 1],
      ['refunds', intents, refundsPipeline(scope), REPORT_INDEX.paymentIntents, [1, 2]],
    ];
    for (const [report, collection, pipeline, index, examined] of reports) {
      const explained = await collection.aggregate(pipeline, { hint: index }).explain('executionStats');
      const stages = planStages(explained);
      expect(stages.map((stage) => stage.stage), report).toContain('IXSCAN');
      expect(stages.filter((stage) => stage.stage === 'IXSCAN').map((stage) => stage.indexName), report).toEqual([index]);
      expect(stages.map((stage) => stage.stage), report).not.toContain('COLLSCAN');
      if (typeof examined === 'number') expect(docsExamined(explained), report).toBe(examined);
      else expect(docsExamined(explained), report).toSatisfy((n: number) => n >= examined[0] && n <= examined[1]);
    }
    const [refunds] = await intents.aggregate(refundsPipeline(scope), { hint: REPORT_INDEX.paymentIntents }).toArray();
    expect(refunds).toEqual({ _id: null, count: 1, amount: 100 });
    // A hint naming no index is refused, as mongod refuses it.
    await expect(orders.aggregate(summaryPipeline(scope), { hint: 'no_such_index' }).toArray()).rejects.toMatchObject({ code: 2 });
  });

  it('without a hint, explain reports the plan really used: the index for the day, a collection scan for a filter no index serves', async (ctx) => {
    const day = planStages(await orders.find({ restaurantId: 'demo', orderDate: { $gte: DAY.from, $lt: DAY.to } }).explain('executionStats'));
    expect(day.some((stage) => stage.stage === 'IXSCAN')).toBe(true);
    const scan = planStages(await orders.find({ paymentMethod: 'CASH' }).explain('executionStats'));
    expect(scan.map((stage) => stage.stage)).toContain('COLLSCAN');
    if (onlyEmbedded) ctx.skip();
    // The embedded server's counters agree with its explain.
    const counters = env.embedded!.counters;
    counters.reset();
    await orders.aggregate(summaryPipeline({ restaurantId: 'demo', ...DAY })).toArray();
    expect(counters.documentsExamined[`${env.dbName}.report_orders`]).toBe(4);
  });
});

/**
 * Every plan node of every winning plan in an explain, whatever its shape: mongod's classic engine
 * puts the query layer's plan under stages[0].$cursor.queryPlanner.winningPlan, the slot-based engine
 * (explainVersion 2) under queryPlanner.winningPlan.queryPlan, a sharded cluster under shards; nodes
 * nest through inputStage / inputStages. Rejected plans are left out.
 */
function planStages(explain: Document): Document[] {
  const found: Document[] = [];
  const walkPlan = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const plan = node as Document;
    if (typeof plan.stage === 'string') found.push(plan);
    for (const child of [plan.inputStage, plan.queryPlan, ...(Array.isArray(plan.inputStages) ? plan.inputStages : [])]) walkPlan(child);
  };
  const walk = (value: unknown): void => {
    if (!value || typeof value !== 'object') return;
    if (Array.isArray(value)) return value.forEach(walk);
    for (const [key, child] of Object.entries(value as Document)) {
      if (key === 'winningPlan') walkPlan(child);
      else if (key !== 'rejectedPlans') walk(child);
    }
  };
  walk(explain);
  return found;
}

/** totalDocsExamined of the explain's executionStats, wherever the engine put them. */
function docsExamined(explain: Document): number | undefined {
  let total: number | undefined;
  const walk = (value: unknown): void => {
    if (!value || typeof value !== 'object') return;
    if (Array.isArray(value)) return value.forEach(walk);
    for (const [key, child] of Object.entries(value as Document)) {
      if (key === 'executionStats' && typeof (child as Document)?.totalDocsExamined === 'number') total = (total ?? 0) + Number((child as Document).totalDocsExamined);
      else walk(child);
    }
  };
  walk(explain);
  return total;
}
