// Managers' reports on the embedded server: `npm run bench -- --only=reports`.
// A restaurant with 100,000 orders over 200 business days (500 a day); each report pipeline of
// functions/data/report-pipelines.ts runs for one day through the by_date index.
// Target (issue #20): the day's summary ≤ 300 ms p50. Prints documents examined per report.
import { MongoClient, ObjectId, type Document } from 'mongodb';
import { businessDayRange, zoneOffsetMs } from '../functions/core/business-day.ts';
import { INDEXES } from '../functions/data/indexes.ts';
import { hourlyPipeline, itemMixPipeline, kitchenTimesPipeline, refundsPipeline, REPORT_INDEX, summaryPipeline, tableTurnsPipeline } from '../functions/data/report-pipelines.ts';
import { startMongoServer } from '../local/mongo/index.ts';
import { summarize, type Summary } from './lib/stats.ts';

export interface ReportBenchResult {
  orders: number;
  dayOrders: number;
  reports: Record<string, Summary & { min: number; examined: number }>;
}

const DISHES = ['Dal Makhani', 'Masala Chai', 'Paneer Tikka', 'Butter Naan', 'Gulab Jamun', 'Lassi'];

function order(i: number, day0: number): Document {
  const at = new Date(day0 + Math.floor(i / 500) * 86_400_000 + (i % 500) * 100_000);
  const price = 10_000 + (i % 6) * 2_500;
  const quantity = 1 + (i % 3);
  const subtotal = price * quantity;
  const tax = Math.floor((subtotal * 500 + 5000) / 10000);
  // The kitchen's stamps (core/kitchen-timings.ts): ready 5–24 minutes after placing, served 1–4 minutes later.
  const readyAt = new Date(at.getTime() + (5 + (i % 20)) * 60_000);
  const timings = { placedAt: at, cookingAt: new Date(at.getTime() + 60_000), readyAt, servedAt: new Date(readyAt.getTime() + (1 + (i % 4)) * 60_000) };
  return {
    _id: new ObjectId(),
    restaurantId: 'bench',
    orderNumber: `B-${i}`,
    sessionId: new ObjectId(),
    deviceId: `device-${i % 900}`,
    idempotencyKey: `k-${i}`,
    items: [{ menuItemId: `dish-${i % 6}`, menuItemName: DISHES[i % 6], quantity, price: price / 100, total: subtotal / 100, priceMinor: price, totalMinor: subtotal, modifiers: [], station: ['GRILL', 'BAR', 'TANDOOR'][i % 3], itemStatus: 'SERVED', addedByDeviceId: 'd', timings }],
    subtotal: subtotal / 100,
    tax: tax / 100,
    total: (subtotal + tax) / 100,
    amountsMinor: { subtotal, tax, total: subtotal + tax },
    taxRateBps: 500,
    status: i % 40 === 0 ? 'cancelled' : 'completed',
    paymentStatus: i % 7 === 0 ? 'pending' : 'paid',
    paymentMethod: ['CASH', 'CARD', 'UPI'][i % 3],
    tableNumber: `T-${i % 20}`,
    floorNumber: 'Ground Floor',
    orderDate: at,
    createdAt: at,
    updatedAt: at,
    timings,
  };
}

export async function runReportsBench(orders = 100_000, runs = 30): Promise<ReportBenchResult> {
  const server = await startMongoServer();
  const client = new MongoClient(`${server.uri}bench`, { maxPoolSize: 4 });
  try {
    const db = client.db('bench');
    const coll = db.collection('digital_menu_customer_orders');
    const sessions = db.collection('table_sessions');
    const intents = db.collection('plato_payment_intents');
    await coll.createIndexes(INDEXES.orders!);
    await sessions.createIndexes(INDEXES.tableSessions!);
    await intents.createIndexes(INDEXES.paymentIntents!);
    const day0 = Date.parse('2025-01-01T00:00:00Z');
    for (let i = 0; i < orders; i += 5000) await coll.insertMany(Array.from({ length: Math.min(5000, orders - i) }, (_, j) => order(i + j, day0)), { ordered: false });
    // One online payment in 20 refunded in part, at its order's time (25 refunds a day).
    for (let i = 0; i < orders; i += 20 * 5000) {
      await intents.insertMany(
        Array.from({ length: Math.min(5000, Math.ceil((orders - i) / 20)) }, (_, j) => {
          const at = new Date(day0 + Math.floor((i + j * 20) / 500) * 86_400_000 + ((i + j * 20) % 500) * 100_000);
          return { restaurantId: 'bench', idempotencyKey: `p-${i + j}`, sessionId: new ObjectId(), status: 'paid', amount: 20_000, refunded: 5_000, refunds: [{ refundId: `r-${i + j}`, amount: 5_000, reason: 'bench', status: 'processed', at }], createdAt: at };
        }),
        { ordered: false },
      );
    }
    const day = businessDayRange('2025-04-10', 'Asia/Kolkata', '04:00');
    const scope = { restaurantId: 'bench', from: day.from, to: day.to };
    const ns = 'bench.digital_menu_customer_orders';
    const byDate = { hint: REPORT_INDEX.orders };
    const reports: [string, () => Promise<unknown>, string][] = [
      // As the reports run them: each through its index by hint (report-pipelines.ts REPORT_INDEX).
      ['summary', () => coll.aggregate(summaryPipeline(scope), byDate).toArray(), ns],
      ['items', () => coll.aggregate(itemMixPipeline(scope), byDate).toArray(), ns],
      ['hours', () => coll.aggregate(hourlyPipeline(scope, zoneOffsetMs(day.from.getTime(), 'Asia/Kolkata')), byDate).toArray(), ns],
      ['kitchen', () => coll.aggregate(kitchenTimesPipeline(scope), byDate).toArray(), ns],
      ['tables', () => sessions.aggregate(tableTurnsPipeline(scope), { hint: REPORT_INDEX.tableSessions }).toArray(), 'bench.table_sessions'],
      ['refunds', () => intents.aggregate(refundsPipeline(scope), { hint: REPORT_INDEX.paymentIntents }).toArray(), 'bench.plato_payment_intents'],
    ];
    const result: ReportBenchResult = { orders, dayOrders: await coll.countDocuments({ restaurantId: 'bench', orderDate: { $gte: day.from, $lt: day.to } }), reports: {} };
    for (const [name, run, namespace] of reports) {
      for (let i = 0; i < 3; i++) await run(); // warm-up
      server.counters.reset();
      await run();
      const examined = server.counters.documentsExamined[namespace] ?? 0;
      const samples: number[] = [];
      for (let i = 0; i < runs; i++) {
        const start = process.hrtime.bigint();
        await run();
        samples.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
      result.reports[name] = { ...summarize(samples), min: Math.round(Math.min(...samples) * 100) / 100, examined };
    }
    return result;
  } finally {
    await client.close();
    await server.stop();
  }
}

export function printReports(result: ReportBenchResult): string {
  const lines = Object.entries(result.reports).map(
    ([name, r]) => `  ${name.padEnd(8)} p50 ${r.p50.toFixed(1)} ms (min ${r.min.toFixed(1)} – max ${r.max.toFixed(1)}), ${r.examined} documents examined`,
  );
  return [`Reports (bench/reports.bench.ts): one business day (${result.dayOrders} orders) of ${result.orders.toLocaleString('en')} orders; target summary ≤ 300 ms p50`, ...lines].join('\n');
}
