/**
 * The POS money migration (bin/migrate-pos-money.ts) on a MongoDB (the embedded server, or
 * MONGODB_URI): a dry run prints and writes nothing; a run converts Plato's old orders (minor units
 * in the documented fields) to rupees with the minor units alongside; a second run changes nothing;
 * switching the unit converts only the documented fields; other restaurants' orders and orders that
 * are not Plato's old shape are left alone.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ObjectId, type Collection, type Document } from 'mongodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { migrateOrders, planOrder } from '../../bin/pos-money-migration.ts';
import { posMoneyFor } from '../../functions/core/pos-money.ts';
import { openMongoEnv, type MongoEnv } from '../mongo/harness.ts';

const run = promisify(execFile);
const MAJOR = posMoneyFor('major', 'INR');
const MINOR = posMoneyFor('minor', 'INR');

let env: MongoEnv;
let orders: Collection<Document>;

beforeAll(async () => {
  env = await openMongoEnv('posmoney');
  orders = env.db.collection('digital_menu_customer_orders');
  await env.db.collection('restaurants').insertOne({ _id: 'demo' as never, restaurantId: 'demo', currency: 'INR' });
});
afterAll(() => env?.close());

/** An order as Plato wrote it before the contract: paise in the documented fields. */
const legacy = (restaurantId = 'demo') => ({
  _id: new ObjectId(),
  restaurantId,
  orderNumber: 'A-001',
  items: [
    { menuItemId: 'a', menuItemName: 'Masala Chai', quantity: 3, price: 1495, total: 4485 },
    { menuItemId: 'b', menuItemName: 'Dal Makhani', quantity: 1, price: 32000, total: 32000 },
  ],
  subtotal: 36485,
  tax: 1824,
  total: 38309,
  status: 'completed',
  updatedAt: new Date('2025-11-14T11:30:00Z'),
});

beforeEach(async () => {
  await orders.deleteMany({});
});

const snapshot = async () => (await orders.find({}, { sort: { _id: 1 } }).toArray()).map((doc) => JSON.stringify(doc));

describe('planOrder', () => {
  it('plans the documented fields from the minor units, and nothing for a converted order', () => {
    const plan = planOrder(legacy(), MAJOR);
    expect(plan.kind).toBe('change');
    if (plan.kind !== 'change') return;
    expect(plan.set).toEqual({
      amountsMinor: { subtotal: 36485, tax: 1824, total: 38309 },
      subtotal: 364.85,
      tax: 18.24,
      total: 383.09,
      'items.0.priceMinor': 1495,
      'items.0.totalMinor': 4485,
      'items.0.price': 14.95,
      'items.0.total': 44.85,
      'items.1.priceMinor': 32000,
      'items.1.totalMinor': 32000,
      'items.1.price': 320,
      'items.1.total': 320,
    });
    const converted = { ...legacy(), ...plan.set, items: [{ ...legacy().items[0], price: 14.95, total: 44.85, priceMinor: 1495, totalMinor: 4485 }, { ...legacy().items[1], price: 320, total: 320, priceMinor: 32000, totalMinor: 32000 }] };
    expect(planOrder(converted, MAJOR)).toEqual({ kind: 'unchanged' });
  });

  it('skips an order whose amounts are not whole minor units (not Plato’s old shape)', () => {
    expect(planOrder({ ...legacy(), subtotal: 880.5 }, MAJOR)).toMatchObject({ kind: 'skipped' });
  });
});

describe('migrateOrders', () => {
  it('dry run writes nothing; a run converts; a second run changes nothing; another unit converts back', async () => {
    const mine = [legacy(), legacy()];
    const foreign = legacy('other-restaurant');
    const posShaped = { ...legacy(), subtotal: 880.5 };
    await orders.insertMany([...mine, foreign, posShaped]);
    const before = await snapshot();

    const dry = await migrateOrders(orders, { restaurantId: 'demo', money: MAJOR, dryRun: true });
    expect(dry).toMatchObject({ examined: 3, changed: 0, unchanged: 0, skipped: [{ orderId: posShaped._id.toHexString() }] });
    expect(dry.planned.map((p) => p.orderId)).toEqual(mine.map((o) => o._id.toHexString()));
    expect(await snapshot()).toEqual(before);

    const first = await migrateOrders(orders, { restaurantId: 'demo', money: MAJOR, dryRun: false, batchSize: 1 });
    expect(first).toMatchObject({ examined: 3, changed: 2 });
    const converted = await orders.findOne({ _id: mine[0]._id });
    expect(converted).toMatchObject({ subtotal: 364.85, tax: 18.24, total: 383.09, amountsMinor: { subtotal: 36485, tax: 1824, total: 38309 } });
    expect(converted!.items[0]).toMatchObject({ price: 14.95, total: 44.85, priceMinor: 1495, totalMinor: 4485 });
    expect(converted!.updatedAt.getTime()).toBeGreaterThan(mine[0].updatedAt.getTime());
    expect(await orders.findOne({ _id: foreign._id })).toMatchObject({ subtotal: 36485 });
    expect(await orders.findOne({ _id: posShaped._id })).toMatchObject({ subtotal: 880.5 });

    const afterFirst = await snapshot();
    const second = await migrateOrders(orders, { restaurantId: 'demo', money: MAJOR, dryRun: false });
    expect(second).toMatchObject({ examined: 3, changed: 0, unchanged: 2, planned: [] });
    expect(await snapshot()).toEqual(afterFirst);

    const back = await migrateOrders(orders, { restaurantId: 'demo', money: MINOR, dryRun: false });
    expect(back.changed).toBe(2);
    expect(await orders.findOne({ _id: mine[1]._id })).toMatchObject({ subtotal: 36485, total: 38309, amountsMinor: { total: 38309 } });
  });

  it('npm run migrate:pos-money -- --dry-run prints each change and writes nothing', async () => {
    const order = legacy();
    await orders.insertOne(order);
    const before = await snapshot();
    const { stdout } = await run('npx', ['tsx', 'bin/migrate-pos-money.ts', '--restaurant', 'demo', '--db', env.dbName, '--dry-run'], {
      env: { ...process.env, MONGODB_URI: env.baseUri },
    });
    expect(stdout).toContain(`${order._id.toHexString()} subtotal: 36485 → 364.85`);
    expect(stdout).toContain(`${order._id.toHexString()} items.0.price: 1495 → 14.95`);
    expect(stdout).toContain('1 orders examined, 1 would change, 0 already converted, 0 skipped (dry run: nothing written).');
    expect(await snapshot()).toEqual(before);
  }, 60_000);
});
