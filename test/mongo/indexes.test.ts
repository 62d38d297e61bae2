import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MongoServerError, type Collection, type Document } from 'mongodb';
import { onlyEmbedded, openMongoEnv, type MongoEnv } from './harness.ts';

let env: MongoEnv;
let coll: Collection<Document>;

beforeAll(async () => {
  env = await openMongoEnv('indexes');
});
afterAll(async () => {
  await env.close();
});
beforeEach(async () => {
  coll = env.db.collection(`i_${Math.random().toString(36).slice(2, 8)}`);
});

describe('unique indexes', () => {
  it('enforces a unique index on insert with the E11000 error shape', async () => {
    expect(await coll.createIndex({ email: 1 }, { unique: true })).toBe('email_1');
    await coll.insertOne({ email: 'a@x.io' });
    const err = await coll.insertOne({ email: 'a@x.io' }).catch((e) => e);
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(11000);
    expect(err.keyPattern).toEqual({ email: 1 });
    expect(err.keyValue).toEqual({ email: 'a@x.io' });
    expect(err.message).toMatch(/E11000 duplicate key error collection: .* index: email_1 dup key/);
    expect(await coll.countDocuments()).toBe(1);
  });

  it('reports writeErrors with index for bulk inserts', async () => {
    await coll.createIndex({ email: 1 }, { unique: true });
    const err = await coll.insertMany([{ email: 'a' }, { email: 'b' }, { email: 'a' }]).catch((e) => e);
    expect(err.code).toBe(11000);
    const writeErrors = err.writeErrors as { index: number; code: number; errInfo?: unknown }[] | { index: number; code: number };
    const list = Array.isArray(writeErrors) ? writeErrors : [writeErrors];
    expect(list[0].index).toBe(2);
    expect(list[0].code).toBe(11000);
    expect(await coll.countDocuments()).toBe(2);
  });

  it('enforces uniqueness on update and on upsert', async () => {
    await coll.createIndex({ email: 1 }, { unique: true });
    await coll.insertMany([{ email: 'a' }, { email: 'b' }]);
    const upd = await coll.updateOne({ email: 'b' }, { $set: { email: 'a' } }).catch((e) => e);
    expect(upd.code).toBe(11000);
    expect(upd.keyValue).toEqual({ email: 'a' });
    const ups = await coll.updateOne({ missing: true }, { $set: { email: 'a' } }, { upsert: true }).catch((e) => e);
    expect(ups.code).toBe(11000);
    const fam = await coll.findOneAndUpdate({ email: 'b' }, { $set: { email: 'a' } }).catch((e) => e);
    expect(fam.code).toBe(11000);
    expect(fam.keyPattern).toEqual({ email: 1 });
    expect(await coll.countDocuments({ email: 'a' })).toBe(1);
    expect(await coll.countDocuments({ email: 'b' })).toBe(1);
  });

  it('enforces compound unique indexes on the combination only', async () => {
    await coll.createIndex({ restaurantId: 1, table: 1 }, { unique: true });
    await coll.insertMany([
      { restaurantId: 'r1', table: 1 },
      { restaurantId: 'r1', table: 2 },
      { restaurantId: 'r2', table: 1 },
    ]);
    const err = await coll.insertOne({ restaurantId: 'r1', table: 2 }).catch((e) => e);
    expect(err.code).toBe(11000);
    expect(err.keyPattern).toEqual({ restaurantId: 1, table: 1 });
    expect(err.keyValue).toEqual({ restaurantId: 'r1', table: 2 });
  });

  it('applies a partial filter expression to a unique index', async () => {
    await coll.createIndex({ tableId: 1 }, { unique: true, partialFilterExpression: { status: 'open' } });
    await coll.insertMany([
      { tableId: 't1', status: 'open' },
      { tableId: 't1', status: 'closed' },
      { tableId: 't1', status: 'closed' },
    ]);
    const err = await coll.insertOne({ tableId: 't1', status: 'open' }).catch((e) => e);
    expect(err.code).toBe(11000);
    await coll.updateOne({ tableId: 't1', status: 'open' }, { $set: { status: 'closed' } });
    await coll.insertOne({ tableId: 't1', status: 'open' });
    expect(await coll.countDocuments({ tableId: 't1' })).toBe(4);
  });

  it('refuses to build a unique index over duplicate data', async () => {
    await coll.insertMany([{ k: 1 }, { k: 1 }]);
    const err = await coll.createIndex({ k: 1 }, { unique: true }).catch((e) => e);
    expect(err.code).toBe(11000);
    const names = (await coll.listIndexes().toArray()).map((i) => i.name);
    expect(names).toEqual(['_id_']);
  });
});

describe('index management', () => {
  it('lists and drops indexes', async () => {
    await coll.createIndex({ a: 1 });
    await coll.createIndex({ b: -1, c: 1 }, { name: 'bc' });
    await coll.createIndex({ a: 1 }); // idempotent
    const specs = await coll.listIndexes().toArray();
    expect(specs.map((i) => i.name)).toEqual(['_id_', 'a_1', 'bc']);
    expect(specs[2].key).toEqual({ b: -1, c: 1 });
    await coll.dropIndex('bc');
    expect((await coll.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_', 'a_1']);
    const err = await coll.dropIndex('nope').catch((e) => e);
    expect(err.code).toBe(27);
    await coll.dropIndexes();
    expect((await coll.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_']);
  });

  it('lists indexes of a missing collection as NamespaceNotFound', async () => {
    const err = await env.db.collection('never_created_here').listIndexes().toArray().catch((e) => e);
    expect(err.code).toBe(26);
  });

  it('answers equality on _id and on an indexed field without scanning (embedded only)', async (ctx) => {
    if (onlyEmbedded) ctx.skip();
    await coll.createIndex({ code: 1 });
    await coll.insertMany(Array.from({ length: 2000 }, (_, i) => ({ _id: i, code: `c${i}`, group: i % 10 })) as never[]);
    const ns = `${env.dbName}.${coll.collectionName}`;
    const counters = env.embedded!.counters;
    counters.reset();
    expect(await coll.findOne({ _id: 1234 as never })).toMatchObject({ code: 'c1234' });
    expect(await coll.findOne({ code: 'c77' })).toMatchObject({ _id: 77 });
    expect(await coll.countDocuments({ code: { $in: ['c1', 'c2', 'nope'] } })).toBe(2);
    expect(counters.documentsExamined[ns]).toBe(4);
    await coll.findOne({ group: 3, code: 'c1999' });
    expect(counters.documentsExamined[ns]).toBe(5);
    counters.reset();
    await coll.findOne({ group: 99 }); // not indexed: a scan
    expect(counters.documentsExamined[ns]).toBe(2000);
  });
});

describe('TTL indexes', () => {
  it('expires documents past expireAfterSeconds on a sweep (embedded only: triggered)', async (ctx) => {
    if (onlyEmbedded) ctx.skip();
    await coll.createIndex({ createdAt: 1 }, { expireAfterSeconds: 60 });
    const now = Date.now();
    await coll.insertMany([
      { k: 'old', createdAt: new Date(now - 61_000) },
      { k: 'older', createdAt: [new Date(now - 3_600_000), new Date(now)] },
      { k: 'fresh', createdAt: new Date(now - 10_000) },
      { k: 'not-a-date', createdAt: 'yesterday' },
      { k: 'missing' },
    ]);
    await env.embedded!.sweepTtl();
    expect((await coll.find({}).sort({ k: 1 }).toArray()).map((d) => d.k)).toEqual(['fresh', 'missing', 'not-a-date']);
    const [spec] = (await coll.listIndexes().toArray()).filter((i) => i.name === 'createdAt_1');
    expect(spec.expireAfterSeconds).toBe(60);
  });

  it('runs the background sweep on its interval', async (ctx) => {
    if (onlyEmbedded) ctx.skip();
    const { openMongoEnv: open } = await import('./harness.ts');
    const fast = await open('ttl_bg', { ttlSweepMs: 50 });
    try {
      const c = fast.db.collection('sessions');
      await c.createIndex({ at: 1 }, { expireAfterSeconds: 0 });
      await c.insertOne({ at: new Date(Date.now() - 1000) });
      await c.insertOne({ at: new Date(Date.now() + 60_000) });
      await expect.poll(() => c.countDocuments(), { timeout: 3000, interval: 50 }).toBe(1);
    } finally {
      await fast.close();
    }
  });
});
