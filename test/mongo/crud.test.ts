import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MongoClient, MongoServerError, ObjectId, type Collection, type Document } from 'mongodb';
import { onlyEmbedded, openMongoEnv, withDb, type MongoEnv } from './harness.ts';

let env: MongoEnv;
let coll: Collection<Document>;

beforeAll(async () => {
  env = await openMongoEnv('crud');
});
afterAll(async () => {
  await env.close();
});
beforeEach(async () => {
  coll = env.db.collection(`c_${Math.random().toString(36).slice(2, 8)}`);
});

describe('connection', () => {
  it('connects with a plain URI and with ?directConnection=true', async () => {
    for (const uri of [env.uri, `${env.uri}${env.uri.includes('?') ? '&' : '?'}directConnection=true`]) {
      const c = new MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
      try {
        await c.connect();
        expect((await c.db().command({ ping: 1 })).ok).toBe(1);
        await c.db().collection('direct').insertOne({ x: 1 });
        expect(await c.db().collection('direct').countDocuments({ x: 1 })).toBeGreaterThan(0);
      } finally {
        await c.close();
      }
    }
  });

  it('answers hello as a writable replica-set primary', async () => {
    const hello = await env.client.db('admin').command({ hello: 1 });
    expect(hello.isWritablePrimary).toBe(true);
    expect(typeof hello.setName).toBe('string');
    expect(hello.hosts).toContain(hello.me);
    expect(hello.primary).toBe(hello.me);
    expect(hello.logicalSessionTimeoutMinutes).toBe(30);
    expect(hello.maxBsonObjectSize).toBe(16777216);
    expect(hello.maxWireVersion).toBeGreaterThanOrEqual(21);
    expect(hello.compression).toBeUndefined();
  });

  it('rejects unknown commands with CommandNotFound (59)', async () => {
    const err = await env.db.command({ definitelyNotACommand: 1 }).catch((e) => e);
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(59);
    expect(err.codeName).toBe('CommandNotFound');
  });

  it('answers buildInfo, ping and listCollections', async () => {
    const info = await env.client.db('admin').command({ buildInfo: 1 });
    expect(info.versionArray[0]).toBeGreaterThanOrEqual(7);
    await coll.insertOne({ a: 1 });
    const names = (await env.db.listCollections().toArray()).map((c) => c.name);
    expect(names).toContain(coll.collectionName);
  });
});

describe('insert / find / delete', () => {
  it('inserts and reads back documents with BSON types intact', async () => {
    const id = new ObjectId();
    const when = new Date('2024-05-01T12:00:00Z');
    await coll.insertOne({ _id: id, name: 'Margherita', price: 9.5, qty: 3, when, tags: ['veg'], nested: { a: { b: 1 } } });
    const doc = await coll.findOne({ _id: id });
    expect(doc).toEqual({ _id: id, name: 'Margherita', price: 9.5, qty: 3, when, tags: ['veg'], nested: { a: { b: 1 } } });
    expect(doc!._id).toBeInstanceOf(ObjectId);
    expect(doc!.when).toBeInstanceOf(Date);
  });

  it('rejects a duplicate _id with E11000 and keeps the first document', async () => {
    await coll.insertOne({ _id: 1 as never, v: 'first' });
    const err = await coll.insertOne({ _id: 1 as never, v: 'second' }).catch((e) => e);
    expect(err.code).toBe(11000);
    expect(await coll.findOne({ _id: 1 as never })).toEqual({ _id: 1, v: 'first' });
  });

  it('insertMany ordered stops at the first error, unordered continues', async () => {
    const ordered = await coll.insertMany([{ _id: 1 }, { _id: 1 }, { _id: 2 }] as never[]).catch((e) => e);
    expect(ordered.code).toBe(11000);
    expect(ordered.writeErrors?.[0]?.index ?? ordered.result?.getWriteErrors?.()[0]?.index).toBe(1);
    expect(await coll.countDocuments()).toBe(1);
    const unordered = await coll.insertMany([{ _id: 1 }, { _id: 3 }, { _id: 4 }] as never[], { ordered: false }).catch((e) => e);
    expect(unordered.code).toBe(11000);
    expect(await coll.countDocuments()).toBe(3);
  });

  it('filters with query operators, sorts, skips, limits and projects', async () => {
    await coll.insertMany([
      { n: 1, kind: 'a', tags: ['x'] },
      { n: 2, kind: 'b', tags: ['y'] },
      { n: 3, kind: 'a', tags: ['x', 'y'] },
      { n: 4, kind: 'b' },
      { n: 5, kind: 'a' },
    ]);
    const rows = await coll.find({ kind: 'a', n: { $gte: 2 } }, { projection: { _id: 0, n: 1 } }).sort({ n: -1 }).toArray();
    expect(rows).toEqual([{ n: 5 }, { n: 3 }]);
    expect((await coll.find({}).sort({ n: 1 }).skip(1).limit(2).toArray()).map((d) => d.n)).toEqual([2, 3]);
    expect((await coll.find({ tags: 'y' }).sort({ n: 1 }).toArray()).map((d) => d.n)).toEqual([2, 3]);
    expect((await coll.find({ $or: [{ n: 1 }, { kind: 'b' }] }).sort({ n: 1 }).toArray()).map((d) => d.n)).toEqual([1, 2, 4]);
    expect((await coll.find({ tags: { $exists: false } }).sort({ n: 1 }).toArray()).map((d) => d.n)).toEqual([4, 5]);
    expect((await coll.find({}, { projection: { kind: 0, _id: 0, tags: 0 } }).sort({ n: 1 }).limit(1).toArray())).toEqual([{ n: 1 }]);
  });

  it('deleteOne and deleteMany report counts', async () => {
    await coll.insertMany([{ k: 1 }, { k: 1 }, { k: 1 }, { k: 2 }]);
    expect((await coll.deleteOne({ k: 1 })).deletedCount).toBe(1);
    expect((await coll.deleteMany({ k: 1 })).deletedCount).toBe(2);
    expect(await coll.countDocuments()).toBe(1);
    expect((await coll.deleteMany({ k: 99 })).deletedCount).toBe(0);
  });
});

describe('cursors', () => {
  it('streams 1,500 documents in batches with getMore', async () => {
    await coll.insertMany(Array.from({ length: 1500 }, (_, i) => ({ i })));
    const seen: number[] = [];
    for await (const d of coll.find({}, { batchSize: 200 }).sort({ i: 1 })) seen.push(d.i);
    expect(seen).toEqual(Array.from({ length: 1500 }, (_, i) => i));
  });

  it('uses one find plus ceil(rest/batchSize) getMores', async (ctx) => {
    if (onlyEmbedded) ctx.skip();
    await coll.insertMany(Array.from({ length: 1001 }, (_, i) => ({ i })));
    const counters = env.embedded!.counters;
    counters.reset();
    const docs = await coll.find({}, { batchSize: 250 }).toArray();
    expect(docs).toHaveLength(1001);
    const perNs = counters.namespaces[`${env.dbName}.${coll.collectionName}`];
    expect(perNs.find).toBe(1);
    expect(perNs.getMore).toBe(4); // 250 in the first batch, then 250 + 250 + 250 + 1
  });

  it('default first batch is 101 documents and the cursor stays open', async () => {
    await coll.insertMany(Array.from({ length: 1200 }, (_, i) => ({ i })));
    const res = await env.db.command({ find: coll.collectionName, filter: {} });
    expect(res.cursor.firstBatch).toHaveLength(101);
    expect(Number(res.cursor.id)).not.toBe(0);
    const more = await env.db.command({ getMore: res.cursor.id, collection: coll.collectionName, batchSize: 1000 });
    expect(more.cursor.nextBatch).toHaveLength(1000);
    const last = await env.db.command({ getMore: res.cursor.id, collection: coll.collectionName });
    expect(last.cursor.nextBatch).toHaveLength(99);
    expect(Number(last.cursor.id)).toBe(0);
  });

  it('singleBatch and limit close the cursor; killCursors kills an open one', async () => {
    await coll.insertMany(Array.from({ length: 300 }, (_, i) => ({ i })));
    const single = await env.db.command({ find: coll.collectionName, filter: {}, batchSize: 5, singleBatch: true });
    expect(single.cursor.firstBatch).toHaveLength(5);
    expect(Number(single.cursor.id)).toBe(0);
    const open = await env.db.command({ find: coll.collectionName, filter: {}, batchSize: 5 });
    const killed = await env.db.command({ killCursors: coll.collectionName, cursors: [open.cursor.id] });
    expect(killed.cursorsKilled).toHaveLength(1);
    const err = await env.db.command({ getMore: open.cursor.id, collection: coll.collectionName }).catch((e) => e);
    expect(err.code).toBe(43);
  });
});

describe('updates', () => {
  it('applies update operators and reports matched/modified', async () => {
    await coll.insertOne({ _id: 'o1' as never, total: 10, items: ['a'], status: 'new', meta: { v: 1 } });
    const res = await coll.updateOne(
      { _id: 'o1' as never },
      { $inc: { total: 5 }, $push: { items: 'b' } as never, $set: { status: 'paid', 'meta.by': 'x' }, $unset: { 'meta.v': '' } },
    );
    expect(res.matchedCount).toBe(1);
    expect(res.modifiedCount).toBe(1);
    expect(await coll.findOne({ _id: 'o1' as never })).toEqual({ _id: 'o1', total: 15, items: ['a', 'b'], status: 'paid', meta: { by: 'x' } });
    const noop = await coll.updateOne({ _id: 'o1' as never }, { $set: { status: 'paid' } });
    expect(noop.matchedCount).toBe(1);
    expect(noop.modifiedCount).toBe(0);
  });

  it('updateMany touches every match', async () => {
    await coll.insertMany([{ s: 'a' }, { s: 'a' }, { s: 'b' }]);
    const res = await coll.updateMany({ s: 'a' }, { $set: { s: 'c' } });
    expect(res.matchedCount).toBe(2);
    expect(res.modifiedCount).toBe(2);
    expect(await coll.countDocuments({ s: 'c' })).toBe(2);
  });

  it('supports arrayFilters, the positional $ and $addToSet/$pull', async () => {
    await coll.insertOne({ _id: 1 as never, lines: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 5 }, { sku: 'c', qty: 7 }], tags: ['x'] });
    await coll.updateOne({ _id: 1 as never }, { $inc: { 'lines.$[big].qty': 100 } }, { arrayFilters: [{ 'big.qty': { $gte: 5 } }] });
    await coll.updateOne({ _id: 1 as never, 'lines.sku': 'a' }, { $set: { 'lines.$.qty': 42 } });
    await coll.updateOne({ _id: 1 as never }, { $addToSet: { tags: { $each: ['x', 'y'] } } });
    await coll.updateOne({ _id: 1 as never }, { $pull: { lines: { sku: 'c' } } as never });
    expect(await coll.findOne({ _id: 1 as never })).toEqual({
      _id: 1,
      lines: [
        { sku: 'a', qty: 42 },
        { sku: 'b', qty: 105 },
      ],
      tags: ['x', 'y'],
    });
  });

  it('sets sibling fields through one filtered array element; refuses prefix-conflicting paths (40)', async () => {
    await coll.insertOne({ _id: 1 as never, lines: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 2 }] });
    await coll.updateOne({ _id: 1 as never }, { $set: { 'lines.$[l].qty': 9, 'lines.$[l].note': 'extra' } }, { arrayFilters: [{ 'l.sku': 'b', 'l.qty': 2 }] });
    expect((await coll.findOne({ _id: 1 as never }))!.lines).toEqual([{ sku: 'a', qty: 1 }, { sku: 'b', qty: 9, note: 'extra' }]);
    const err = await coll.updateOne({ _id: 1 as never }, { $set: { lines: [] }, $unset: { 'lines.0': '' } }).catch((e) => e);
    expect(err.code).toBe(40);
  });

  it('supports pipeline updates', async () => {
    await coll.insertOne({ _id: 1 as never, price: 4, qty: 3 });
    await coll.updateOne({ _id: 1 as never }, [{ $set: { total: { $multiply: ['$price', '$qty'] } } }, { $unset: 'qty' }]);
    expect(await coll.findOne({ _id: 1 as never })).toEqual({ _id: 1, price: 4, total: 12 });
  });

  it('replaceOne keeps _id and refuses to change it', async () => {
    await coll.insertOne({ _id: 1 as never, a: 1, b: 2 });
    await coll.replaceOne({ _id: 1 as never }, { c: 3 });
    expect(await coll.findOne({ _id: 1 as never })).toEqual({ _id: 1, c: 3 });
    const err = await coll.updateOne({ _id: 1 as never }, { $set: { _id: 2 } }).catch((e) => e);
    expect(err.code).toBe(66);
  });

  it('upserts with seeds from the query, $setOnInsert and a generated _id', async () => {
    const res = await coll.updateOne({ table: 7, day: '2024-05-01' }, { $inc: { orders: 1 }, $setOnInsert: { opened: true } }, { upsert: true });
    expect(res.upsertedCount).toBe(1);
    expect(res.upsertedId).toBeInstanceOf(ObjectId);
    const again = await coll.updateOne({ table: 7, day: '2024-05-01' }, { $inc: { orders: 1 }, $setOnInsert: { opened: false } }, { upsert: true });
    expect(again.upsertedCount).toBe(0);
    expect(again.modifiedCount).toBe(1);
    const doc = await coll.findOne({ table: 7 }, { projection: { _id: 0 } });
    expect(doc).toEqual({ table: 7, day: '2024-05-01', orders: 2, opened: true });
    const withId = await coll.updateOne({ _id: 'fixed' as never }, { $set: { v: 1 } }, { upsert: true });
    expect(withId.upsertedId).toBe('fixed');
    const replaced = await coll.replaceOne({ k: 'r' }, { k: 'r', v: 2 }, { upsert: true });
    expect(replaced.upsertedCount).toBe(1);
  });

  it('rejects a non-numeric $inc argument', async () => {
    await coll.insertOne({ _id: 1 as never, n: 1 });
    const err = await coll.updateOne({ _id: 1 as never }, { $inc: { n: 'x' as never } }).catch((e) => e);
    expect(err).toBeInstanceOf(MongoServerError);
    expect(await coll.findOne({ _id: 1 as never })).toEqual({ _id: 1, n: 1 });
  });
});

describe('findAndModify', () => {
  beforeEach(async () => {
    await coll.insertMany([
      { _id: 1, q: 'a', n: 1 },
      { _id: 2, q: 'a', n: 2 },
      { _id: 3, q: 'b', n: 3 },
    ] as never[]);
  });

  it('returns the document before or after the update', async () => {
    const before = await coll.findOneAndUpdate({ _id: 1 as never }, { $inc: { n: 10 } });
    expect(before).toEqual({ _id: 1, q: 'a', n: 1 });
    const after = await coll.findOneAndUpdate({ _id: 1 as never }, { $inc: { n: 10 } }, { returnDocument: 'after' });
    expect(after).toEqual({ _id: 1, q: 'a', n: 21 });
  });

  it('honours sort and projection', async () => {
    const top = await coll.findOneAndUpdate({ q: 'a' }, { $set: { picked: true } }, { sort: { n: -1 }, projection: { n: 1 }, returnDocument: 'after' });
    expect(top).toEqual({ _id: 2, n: 2 });
    expect(await coll.countDocuments({ picked: true })).toBe(1);
  });

  it('returns the projected post-image even when it no longer matches the query (a claim)', async () => {
    const claimed = await coll.findOneAndUpdate({ q: 'a', owner: { $exists: false } }, { $set: { owner: 'me' } }, { sort: { n: 1 }, projection: { owner: 1 }, returnDocument: 'after' });
    expect(claimed).toEqual({ _id: 1, owner: 'me' });
  });

  it('removes, replaces and upserts', async () => {
    expect(await coll.findOneAndDelete({ q: 'b' })).toEqual({ _id: 3, q: 'b', n: 3 });
    expect(await coll.countDocuments()).toBe(2);
    expect(await coll.findOneAndReplace({ _id: 2 as never }, { q: 'z' }, { returnDocument: 'after' })).toEqual({ _id: 2, q: 'z' });
    const up = await coll.findOneAndUpdate({ _id: 9 as never }, { $set: { q: 'new' } }, { upsert: true, returnDocument: 'after', includeResultMetadata: true });
    expect(up.value).toEqual({ _id: 9, q: 'new' });
    expect(up.lastErrorObject?.upserted).toBe(9);
    expect(up.lastErrorObject?.updatedExisting).toBe(false);
    expect(await coll.findOneAndUpdate({ _id: 99 as never }, { $set: { q: 1 } })).toBeNull();
  });

  it('supports arrayFilters', async () => {
    await coll.insertOne({ _id: 10, arr: [{ k: 1 }, { k: 2 }] } as never);
    const doc = await coll.findOneAndUpdate({ _id: 10 as never }, { $set: { 'arr.$[e].hit': true } }, { arrayFilters: [{ 'e.k': 2 }], returnDocument: 'after' });
    expect(doc).toEqual({ _id: 10, arr: [{ k: 1 }, { k: 2, hit: true }] });
  });
});

describe('aggregate, count, distinct', () => {
  beforeEach(async () => {
    await coll.insertMany([
      { table: 1, total: 10, status: 'paid' },
      { table: 1, total: 5, status: 'open' },
      { table: 2, total: 7, status: 'paid' },
      { table: 3, total: 1, status: 'paid' },
    ]);
  });

  it('runs a grouping pipeline', async () => {
    const rows = await coll
      .aggregate([{ $match: { status: 'paid' } }, { $group: { _id: '$table', sum: { $sum: '$total' } } }, { $sort: { _id: 1 } }])
      .toArray();
    expect(rows).toEqual([
      { _id: 1, sum: 10 },
      { _id: 2, sum: 7 },
      { _id: 3, sum: 1 },
    ]);
  });

  it('returns aggregate results in cursor batches', async () => {
    await coll.insertMany(Array.from({ length: 1000 }, (_, i) => ({ i })));
    const rows = await coll.aggregate([{ $match: { i: { $exists: true } } }, { $project: { _id: 0, i: 1 } }], { batchSize: 100 }).toArray();
    expect(rows).toHaveLength(1000);
    expect(rows[999]).toEqual({ i: 999 });
  });

  it('joins with $lookup', async () => {
    const tables = env.db.collection(`${coll.collectionName}_tables`);
    await tables.insertMany([{ _id: 1, name: 'Window' }, { _id: 2, name: 'Patio' }] as never[]);
    const rows = await coll
      .aggregate([{ $match: { table: 2 } }, { $lookup: { from: tables.collectionName, localField: 'table', foreignField: '_id', as: 't' } }, { $project: { _id: 0, name: { $first: '$t.name' } } }])
      .toArray();
    expect(rows).toEqual([{ name: 'Patio' }]);
  });

  it('counts and distincts', async () => {
    expect(await coll.countDocuments({ status: 'paid' })).toBe(3);
    expect(await coll.estimatedDocumentCount()).toBe(4);
    expect((await env.db.command({ count: coll.collectionName, query: { table: 1 } })).n).toBe(2);
    expect((await coll.distinct('table')).sort()).toEqual([1, 2, 3]);
    expect(await coll.distinct('table', { status: 'open' })).toEqual([1]);
  });
});

describe('counters (embedded only)', () => {
  it('counts commands per name and namespace and documents written per namespace', async (ctx) => {
    if (onlyEmbedded) ctx.skip();
    const counters = env.embedded!.counters;
    const ns = `${env.dbName}.${coll.collectionName}`;
    const other = env.db.collection(`${coll.collectionName}_untouched`);
    await other.insertOne({ seed: true });
    counters.reset();
    await coll.insertMany([{ a: 1 }, { a: 2 }]);
    await coll.updateMany({}, { $set: { b: 1 } });
    await coll.findOne({ a: 1 });
    expect(counters.commands.insert).toBe(1);
    expect(counters.namespaces[ns]).toMatchObject({ insert: 1, update: 1, find: 1 });
    expect(counters.commandsOn(ns)).toBe(3);
    expect(counters.documentsWritten[ns]).toBe(4);
    expect(counters.documentsWritten[`${env.dbName}.${other.collectionName}`]).toBeUndefined();
    counters.reset();
    expect(counters.commands).toEqual({});
  });
});

describe('databases and collections', () => {
  it('creates, lists and drops collections and databases', async () => {
    const dbName = `${env.dbName}_extra`;
    const c = new MongoClient(withDb(env.baseUri, dbName));
    try {
      await c.connect();
      const db = c.db(dbName);
      await db.createCollection('made');
      const dup = await db.createCollection('made').catch((e) => e);
      expect(dup.code).toBe(48);
      expect((await db.listCollections({}, { nameOnly: true }).toArray()).map((x) => x.name)).toEqual(['made']);
      expect(await db.collection('made').drop()).toBe(true);
      await db.collection('x').insertOne({});
      await db.dropDatabase();
      expect(await db.listCollections().toArray()).toEqual([]);
    } finally {
      await c.close();
    }
  });
});
