/**
 * Converts a restaurant's existing orders to the POS money contract: the documented fields
 * (items[].price, items[].total, subtotal, tax, total) in POS_MONEY_UNIT (major by default),
 * the exact minor units alongside (items[].priceMinor, items[].totalMinor, amountsMinor).
 *
 *   MONGODB_URI='mongodb+srv://…' npm run migrate:pos-money -- --restaurant bistro --dry-run
 *
 * Options: --restaurant (the stack's slug; default RESTAURANT_ID), --unit major|minor (default
 * POS_MONEY_UNIT or major), --db (default MONGODB_DB or plato), --dry-run (prints every change it
 * would make and writes nothing). Safe to run again: converted orders are left as they are.
 * The currency's minor digits come from the restaurant document; the collection name follows
 * COLLECTION_ORDERS.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { MongoClient } from 'mongodb';
import { POS_MONEY_UNITS, posMoneyFor } from '../functions/core/pos-money.ts';
import { COLLECTION_DEFAULTS, collectionEnvVar } from '../functions/platform/config.ts';
import { migrateOrders, type MigrationReport } from './pos-money-migration.ts';

function fail(message: string): never {
  console.error(`migrate:pos-money: ${message}`);
  process.exit(2);
}

const collectionName = (key: 'orders' | 'restaurants') => process.env[collectionEnvVar(key)] || COLLECTION_DEFAULTS[key];

export function describeReport(report: MigrationReport, dryRun: boolean): string {
  const lines = report.planned.flatMap(({ orderId, changes }) =>
    changes.map((change) => `  ${orderId} ${change.field}: ${JSON.stringify(change.from) ?? '(absent)'} → ${JSON.stringify(change.to)}`),
  );
  for (const { orderId, reason } of report.skipped) lines.push(`  ${orderId} skipped: ${reason}`);
  const verb = dryRun ? 'would change' : 'changed';
  lines.push(`${report.examined} orders examined, ${dryRun ? report.planned.length : report.changed} ${verb}, ${report.unchanged} already converted, ${report.skipped.length} skipped${dryRun ? ' (dry run: nothing written)' : ''}.`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { restaurant: { type: 'string' }, unit: { type: 'string' }, db: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } },
  });
  const mongoUri = process.env.MONGODB_URI || fail('set MONGODB_URI (the connection string in the plato/<slug> secret)');
  const restaurantId = (values.restaurant ?? process.env.RESTAURANT_ID)?.match(/^[a-z0-9-]{2,30}$/)?.[0] ?? fail('--restaurant <slug> is required (2-30 of a-z 0-9 -)');
  const unit = POS_MONEY_UNITS.find((u) => u === (values.unit ?? process.env.POS_MONEY_UNIT ?? 'major')) ?? fail(`--unit must be ${POS_MONEY_UNITS.join(' or ')}`);
  const dryRun = values['dry-run'] ?? false;
  const client = new MongoClient(mongoUri, { appName: 'plato-migrate-pos-money', serverSelectionTimeoutMS: 10_000 });
  try {
    const db = client.db(values.db || process.env.MONGODB_DB || 'plato');
    const restaurant = await db.collection(collectionName('restaurants')).findOne({ _id: restaurantId as never });
    if (!restaurant) fail(`no restaurant "${restaurantId}" in ${db.databaseName}`);
    const money = posMoneyFor(unit, String(restaurant.currency));
    const report = await migrateOrders(db.collection(collectionName('orders')), { restaurantId, money, dryRun });
    console.log(describeReport(report, dryRun));
  } finally {
    await client.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error) => fail((error as Error).message));
}
