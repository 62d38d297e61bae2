/**
 * Converts existing order documents to the POS money contract (core/pos-money.ts): the documented
 * fields in the configured unit, Plato's exact minor units alongside. Idempotent: a document is
 * planned from its minor units when it has them, so a second run (or a run after switching
 * POS_MONEY_UNIT) finds nothing to change, or converts only what the new unit needs.
 *
 * A document without minor units was written by Plato before this contract, when the documented
 * fields held minor units: those values become the minor units. One whose amounts are not whole
 * minor units then is not Plato's old shape and is left alone (reported as skipped).
 */
import type { Collection, Document } from 'mongodb';
import { posAmount, type PosMoney } from '../functions/core/pos-money.ts';

export interface FieldChange {
  field: string;
  from: unknown;
  to: number | Record<string, number>;
}

export type OrderPlan = { kind: 'unchanged' } | { kind: 'skipped'; reason: string } | { kind: 'change'; set: Record<string, unknown>; changes: FieldChange[] };

const isMinor = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** What one order document needs. Pure: the caller writes `set` (it never touches anything else). */
export function planOrder(doc: Document, money: PosMoney): OrderPlan {
  const items: Document[] = Array.isArray(doc.items) ? doc.items : [];
  const legacy = doc.amountsMinor === undefined;
  const amounts = legacy ? { subtotal: doc.subtotal, tax: doc.tax, total: doc.total } : doc.amountsMinor;
  if (![amounts.subtotal, amounts.tax, amounts.total].every(isMinor)) return { kind: 'skipped', reason: 'amounts are not whole minor units' };
  const itemMinors = items.map((item) => ({
    priceMinor: item.priceMinor === undefined ? item.price : item.priceMinor,
    totalMinor: item.totalMinor === undefined ? item.total : item.totalMinor,
  }));
  if (!itemMinors.every((item) => isMinor(item.priceMinor) && isMinor(item.totalMinor))) {
    return { kind: 'skipped', reason: 'item amounts are not whole minor units' };
  }

  const changes: FieldChange[] = [];
  const want = (field: string, from: unknown, to: number) => {
    if (from !== to) changes.push({ field, from, to });
  };
  if (legacy) changes.push({ field: 'amountsMinor', from: undefined, to: { subtotal: amounts.subtotal, tax: amounts.tax, total: amounts.total } });
  for (const key of ['subtotal', 'tax', 'total'] as const) want(key, doc[key], posAmount(amounts[key], money));
  itemMinors.forEach((minor, index) => {
    const item = items[index];
    want(`items.${index}.priceMinor`, item.priceMinor, minor.priceMinor);
    want(`items.${index}.totalMinor`, item.totalMinor, minor.totalMinor);
    want(`items.${index}.price`, item.price, posAmount(minor.priceMinor, money));
    want(`items.${index}.total`, item.total, posAmount(minor.totalMinor, money));
  });
  if (changes.length === 0) return { kind: 'unchanged' };
  return { kind: 'change', set: Object.fromEntries(changes.map((change) => [change.field, change.to])), changes };
}

export interface MigrationReport {
  examined: number;
  changed: number;
  unchanged: number;
  skipped: { orderId: string; reason: string }[];
  /** Every planned change (all of them in a dry run). */
  planned: { orderId: string; changes: FieldChange[] }[];
}

export interface MigrationOptions {
  restaurantId: string;
  money: PosMoney;
  dryRun: boolean;
  batchSize?: number;
}

/**
 * Plans every order of the restaurant and, unless dry-running, writes the changes in batches. Each
 * write is guarded by the values it was planned from, so an order changed meanwhile is left for the
 * next run instead of being overwritten with stale amounts.
 */
export async function migrateOrders(orders: Collection, options: MigrationOptions): Promise<MigrationReport> {
  const report: MigrationReport = { examined: 0, changed: 0, unchanged: 0, skipped: [], planned: [] };
  const batchSize = options.batchSize ?? 500;
  let batch: { filter: Document; set: Record<string, unknown> }[] = [];
  const flush = async () => {
    if (batch.length === 0 || options.dryRun) return void (batch = []);
    const result = await orders.bulkWrite(
      batch.map(({ filter, set }) => ({ updateOne: { filter, update: { $set: { ...set, updatedAt: new Date() } } } })),
      { ordered: false },
    );
    report.changed += result.modifiedCount;
    batch = [];
  };
  const cursor = orders.find({ restaurantId: options.restaurantId }, { sort: { _id: 1 } });
  for await (const doc of cursor) {
    report.examined++;
    const plan = planOrder(doc, options.money);
    const orderId = String(doc._id);
    if (plan.kind === 'unchanged') report.unchanged++;
    else if (plan.kind === 'skipped') report.skipped.push({ orderId, reason: plan.reason });
    else {
      report.planned.push({ orderId, changes: plan.changes });
      const guard = Object.fromEntries(plan.changes.map((change) => [change.field, change.from === undefined ? { $exists: false } : change.from]));
      batch.push({ filter: { _id: doc._id, restaurantId: options.restaurantId, ...guard }, set: plan.set });
      if (batch.length >= batchSize) await flush();
    }
  }
  await flush();
  return report;
}
