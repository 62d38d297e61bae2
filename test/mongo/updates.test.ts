// Update semantics the app relies on, as MongoDB documents them: _id on upsert, operand type
// errors, parse-time errors, pipeline updates, and upserts racing on a unique index.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MongoBulkWriteError, MongoServerError, ObjectId, type Collection, type Document } from 'mongodb';
import { openMongoEnv, type MongoEnv } from './harness.ts';

let env: MongoEnv;
let coll: Collection<Document>;

beforeAll(async () => {
  env = await openMongoEnv('updates');
});
afterAll(async () => {
  await env.close();
});
beforeEach(async () => {
  coll = env.db.collection(`u_${Math.random().toString(36).slice(2, 8)}`);
});

/** The server error an operation fails with (fails the test if it succeeds). */
async function serverError(op: Promise<unknown>): Promise<MongoServerError> {
  const err = await op.then(
    () => new Error('expected the server to refuse the operation'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MongoServerError);
  return err as MongoServerError;
}

describe('_id on upsert and update', () => {
  it('an upsert takes its _id from $setOnInsert', async () => {
    const res = await coll.updateOne({ cartKey: 'T-1' }, { $set: { lines: [] }, $setOnInsert: { _id: 'cart-1' as never, owner: 'TABLE' } }, { upsert: true });
    expect(res.upsertedId).toBe('cart-1');
    expect(await coll.findOne({})).toEqual({ _id: 'cart-1', cartKey: 'T-1', lines: [], owner: 'TABLE' });
    // on a match $setOnInsert (with its _id) is ignored
    const again = await coll.updateOne({ cartKey: 'T-1' }, { $set: { lines: ['x'] }, $setOnInsert: { _id: 'cart-2' as never } }, { upsert: true });
    expect(again.upsertedCount).toBe(0);
    expect(again.modifiedCount).toBe(1);
    expect(await coll.find({}).toArray()).toEqual([{ _id: 'cart-1', cartKey: 'T-1', lines: ['x'], owner: 'TABLE' }]);
  });

  it('findOneAndUpdate upserts with an ObjectId from $setOnInsert and returns the new document', async () => {
    const id = new ObjectId();
    const doc = await coll.findOneAndUpdate({ k: 1 }, { $inc: { n: 1 }, $setOnInsert: { _id: id as never } }, { upsert: true, returnDocument: 'after' });
    expect(doc).toEqual({ _id: id, k: 1, n: 1 });
  });

  it('$set of _id to the value the filter fixes is allowed, on insert and on update', async () => {
    const up = await coll.updateOne({ _id: 'o1' as never }, { $set: { _id: 'o1' as never, v: 1 } }, { upsert: true });
    expect(up.upsertedId).toBe('o1');
    const same = await coll.updateOne({ _id: 'o1' as never }, { $set: { _id: 'o1' as never, v: 2 } });
    expect(same.modifiedCount).toBe(1);
    const noop = await coll.updateOne({ _id: 'o1' as never }, { $set: { _id: 'o1' as never } });
    expect(noop.matchedCount).toBe(1);
    expect(noop.modifiedCount).toBe(0);
    expect(await coll.find({}).toArray()).toEqual([{ _id: 'o1', v: 2 }]);
  });

  it('changing an existing document’s _id fails with ImmutableField (66) and writes nothing', async () => {
    await coll.insertOne({ _id: 'o1' as never, k: 1, v: 1 });
    expect((await serverError(coll.updateOne({ k: 1 }, { $set: { _id: 'o2' as never, v: 2 } }))).code).toBe(66);
    expect((await serverError(coll.updateOne({ k: 1 }, { $unset: { _id: '' } }))).code).toBe(66);
    expect((await serverError(coll.findOneAndUpdate({ k: 1 }, [{ $set: { _id: 'o3' } }]))).code).toBe(66);
    expect(await coll.find({}).toArray()).toEqual([{ _id: 'o1', k: 1, v: 1 }]);
  });

  it('an upsert whose update sets an _id different from the filter’s fails with ImmutableField (66)', async () => {
    expect((await serverError(coll.updateOne({ _id: 'a' as never }, { $set: { _id: 'b' as never } }, { upsert: true }))).code).toBe(66);
    expect((await serverError(coll.updateOne({ _id: 'a' as never }, { $setOnInsert: { _id: 'b' as never } }, { upsert: true }))).code).toBe(66);
    expect(await coll.countDocuments()).toBe(0);
  });
});

describe('operand types', () => {
  beforeEach(async () => {
    await coll.insertOne({ _id: 1 as never, name: 'x', n: null, lines: [{ sku: 'a', qty: 1 }], total: 5 });
  });

  it('$inc on a non-number fails with TypeMismatch (14)', async () => {
    expect((await serverError(coll.updateOne({ _id: 1 as never }, { $inc: { name: 1 } }))).code).toBe(14);
    expect((await serverError(coll.updateOne({ _id: 1 as never }, { $inc: { n: 1 } }))).code).toBe(14);
    expect((await serverError(coll.updateOne({ _id: 1 as never }, { $inc: { 'lines.$[l].sku': 1 } }, { arrayFilters: [{ 'l.qty': 1 }] }))).code).toBe(14);
  });

  it('$push, $addToSet and $pull on a non-array fail with BadValue (2); on a missing field $push/$addToSet create it and $pull does nothing', async () => {
    expect((await serverError(coll.updateOne({ _id: 1 as never }, { $push: { name: 'y' } as never }))).code).toBe(2);
    expect((await serverError(coll.updateOne({ _id: 1 as never }, { $addToSet: { total: 1 } as never }))).code).toBe(2);
    expect((await serverError(coll.updateOne({ _id: 1 as never }, { $pull: { name: 'x' } as never }))).code).toBe(2);
    await coll.updateOne({ _id: 1 as never }, { $push: { pushed: 1 }, $addToSet: { added: 2 }, $pull: { absent: 3 } } as never);
    expect(await coll.findOne({ _id: 1 as never }, { projection: { pushed: 1, added: 1, absent: 1 } })).toEqual({ _id: 1, pushed: [1], added: [2] });
  });

  it('a path through a scalar or through an array by field name fails with PathNotViable (28); $unset there is a no-op', async () => {
    expect((await serverError(coll.updateOne({ _id: 1 as never }, { $set: { 'name.first': 'a' } }))).code).toBe(28);
    expect((await serverError(coll.updateOne({ _id: 1 as never }, { $inc: { 'n.count': 1 } }))).code).toBe(28);
    expect((await serverError(coll.updateOne({ _id: 1 as never }, { $set: { 'lines.sku': 'b' } }))).code).toBe(28);
    const res = await coll.updateOne({ _id: 1 as never }, { $unset: { 'name.first': '' } });
    expect(res.modifiedCount).toBe(0);
  });

  it('$[] and $[id] need an existing array (BadValue 2), also in an upsert', async () => {
    expect((await serverError(coll.updateOne({ _id: 1 as never }, { $set: { 'tokens.$[t].revokedAt': 1 } }, { arrayFilters: [{ 't.id': 'a' }] }))).code).toBe(2);
    expect((await serverError(coll.updateOne({ _id: 1 as never }, { $set: { 'name.$[].x': 1 } }))).code).toBe(2);
    expect((await serverError(coll.updateOne({ _id: 2 as never }, { $inc: { 'lines.$[].qty': 1 } }, { upsert: true }))).code).toBe(2);
    expect(await coll.countDocuments()).toBe(1);
  });

  it('a failed statement writes nothing, also with other valid operators in the same update', async () => {
    await serverError(coll.updateOne({ _id: 1 as never }, { $set: { total: 99 }, $inc: { name: 1 } }));
    expect(await coll.findOne({ _id: 1 as never })).toEqual({ _id: 1, name: 'x', n: null, lines: [{ sku: 'a', qty: 1 }], total: 5 });
  });

  it('updateMany stops at the first document it cannot update (the ones before stay updated, as in mongod)', async () => {
    await coll.insertMany([{ _id: 2, g: 1, c: 1 }, { _id: 3, g: 1, c: 'x' }] as never[]);
    const err = await coll.updateMany({ g: 1 }, { $inc: { c: 1 } }).catch((e) => e);
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(14);
    expect(await coll.find({ g: 1 }).sort({ _id: 1 }).toArray()).toEqual([
      { _id: 2, g: 1, c: 2 },
      { _id: 3, g: 1, c: 'x' },
    ]);
  });
});

describe('parse-time errors', () => {
  beforeEach(async () => {
    await coll.insertOne({ _id: 1 as never, lines: [{ sku: 'a', qty: 1 }] });
  });

  it('$set and $setOnInsert on one path conflict (40), whether or not the upsert inserts', async () => {
    expect((await serverError(coll.updateOne({ _id: 1 as never }, { $set: { v: 1 }, $setOnInsert: { v: 0 } }, { upsert: true }))).code).toBe(40);
    expect((await serverError(coll.updateOne({ _id: 2 as never }, { $set: { v: 1 }, $setOnInsert: { v: 0 } }, { upsert: true }))).code).toBe(40);
    expect(await coll.countDocuments()).toBe(1);
  });

  it('array filters: an unused filter (9), an identifier without a filter (2), two filters for one identifier (9)', async () => {
    expect((await serverError(coll.updateOne({ _id: 1 as never }, { $set: { x: 1 } }, { arrayFilters: [{ 'l.sku': 'a' }] }))).code).toBe(9);
    expect((await serverError(coll.updateOne({ _id: 1 as never }, { $set: { 'lines.$[l].qty': 2 } }))).code).toBe(2);
    expect(
      (await serverError(coll.updateOne({ _id: 1 as never }, { $set: { 'lines.$[l].qty': 2 } }, { arrayFilters: [{ 'l.sku': 'a' }, { 'l.qty': 1 }] }))).code,
    ).toBe(9);
    // the same conditions in one filter document are fine
    await coll.updateOne({ _id: 1 as never }, { $set: { 'lines.$[l].qty': 2 } }, { arrayFilters: [{ 'l.sku': 'a', 'l.qty': 1 }] });
    expect((await coll.findOne({ _id: 1 as never }))!.lines).toEqual([{ sku: 'a', qty: 2 }]);
  });

  it('array-filter errors are raised even when no document matches', async () => {
    expect((await serverError(coll.updateOne({ _id: 404 as never }, { $set: { x: 1 } }, { arrayFilters: [{ 'l.sku': 'a' }] }))).code).toBe(9);
  });

  it('a pipeline update accepts only $set/$addFields/$project/$unset/$replaceRoot/$replaceWith', async () => {
    const err = await serverError(coll.updateOne({ _id: 1 as never }, [{ $match: { _id: 1 } }]));
    expect(err.code).toBe(72);
  });
});

describe('pipeline updates (findOneAndUpdate)', () => {
  it('$cond, $concatArrays and $filter over the current document', async () => {
    await coll.insertOne({ _id: 'cart' as never, lines: [{ id: 'a', qty: 1 }, { id: 'b', qty: 2 }], version: 3 });
    const removeB = [
      {
        $set: {
          lines: { $filter: { input: '$lines', as: 'l', cond: { $ne: ['$$l.id', 'b'] } } },
          version: { $cond: [{ $gt: ['$version', 0] }, { $add: ['$version', 1] }, 1] },
        },
      },
    ];
    expect(await coll.findOneAndUpdate({ _id: 'cart' as never }, removeB, { returnDocument: 'after' })).toEqual({
      _id: 'cart',
      lines: [{ id: 'a', qty: 1 }],
      version: 4,
    });
    const append = [{ $set: { lines: { $concatArrays: [{ $ifNull: ['$lines', []] }, [{ id: 'c', qty: 1 }]] }, notes: { $ifNull: ['$notes', []] } } }];
    const before = await coll.findOneAndUpdate({ _id: 'cart' as never }, append);
    expect(before).toEqual({ _id: 'cart', lines: [{ id: 'a', qty: 1 }], version: 4 });
    expect(await coll.findOne({ _id: 'cart' as never })).toEqual({ _id: 'cart', lines: [{ id: 'a', qty: 1 }, { id: 'c', qty: 1 }], version: 4, notes: [] });
  });

  it('keeps the _id when the pipeline’s result leaves it out ($replaceWith, $project)', async () => {
    await coll.insertOne({ _id: 1 as never, a: 1, b: 2 });
    expect(await coll.findOneAndUpdate({ _id: 1 as never }, [{ $replaceWith: { c: 3 } }], { returnDocument: 'after' })).toEqual({ _id: 1, c: 3 });
    expect(await coll.findOneAndUpdate({ _id: 1 as never }, [{ $project: { _id: 0, c: 1 } }], { returnDocument: 'after' })).toEqual({ _id: 1, c: 3 });
  });

  it('upserts run the pipeline on the document seeded from the filter', async () => {
    const doc = await coll.findOneAndUpdate(
      { tableId: 'T-9' },
      [{ $set: { seq: { $cond: [{ $eq: [{ $type: '$seq' }, 'missing'] }, 1, { $add: ['$seq', 1] }] } } }],
      { upsert: true, returnDocument: 'after' },
    );
    expect(doc).toMatchObject({ tableId: 'T-9', seq: 1 });
    expect(doc!._id).toBeInstanceOf(ObjectId);
    const next = await coll.findOneAndUpdate({ tableId: 'T-9' }, [{ $set: { seq: { $add: ['$seq', 1] } } }], { upsert: true, returnDocument: 'after' });
    expect(next).toEqual({ _id: doc!._id, tableId: 'T-9', seq: 2 });
  });
});

describe('upserts racing on a unique index', () => {
  beforeEach(async () => {
    await coll.createIndex({ tableId: 1, owner: 1 }, { unique: true });
  });

  it('concurrent upserts of one key make one document and every increment lands', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, () => coll.updateOne({ tableId: 'T-1', owner: 'TABLE' }, { $inc: { n: 1 }, $setOnInsert: { lines: [] } }, { upsert: true })),
    );
    expect(results.filter((r) => r.upsertedCount === 1)).toHaveLength(1);
    expect(await coll.find({}, { projection: { _id: 0 } }).toArray()).toEqual([{ tableId: 'T-1', owner: 'TABLE', n: 20, lines: [] }]);
  });

  it('an upsert that would duplicate another unique key fails with E11000 and its keyValue', async () => {
    await coll.insertOne({ _id: 'c1' as never, tableId: 'T-2', owner: 'TABLE' });
    const err = await serverError(coll.updateOne({ _id: 'c2' as never }, { $set: { tableId: 'T-2', owner: 'TABLE' } }, { upsert: true }));
    expect(err.code).toBe(11000);
    expect(err.keyValue).toEqual({ tableId: 'T-2', owner: 'TABLE' });
    const bulk = await coll.bulkWrite([{ updateOne: { filter: { _id: 'c3' as never }, update: { $set: { tableId: 'T-2', owner: 'TABLE' } }, upsert: true } }]).catch((e) => e);
    expect(bulk).toBeInstanceOf(MongoBulkWriteError);
    expect(bulk.writeErrors[0].code).toBe(11000);
  });

  it('two transactions upserting one key: withTransaction retries the loser and both changes land', async () => {
    const run = async (label: string) => {
      const session = env.client.startSession();
      try {
        await session.withTransaction(async () => {
          await coll.updateOne({ tableId: 'T-3', owner: 'TABLE' }, { $push: { by: label }, $setOnInsert: { openedBy: label } } as never, { upsert: true, session });
          await new Promise((r) => setTimeout(r, 20));
        });
      } finally {
        await session.endSession();
      }
    };
    await Promise.all([run('a'), run('b')]);
    const docs = await coll.find({ tableId: 'T-3' }).toArray();
    expect(docs).toHaveLength(1);
    expect([...docs[0].by].sort()).toEqual(['a', 'b']);
    expect(docs[0].by[0]).toBe(docs[0].openedBy);
  });

  it('an ImmutableField error inside a transaction aborts it (NoSuchTransaction on commit)', async () => {
    await coll.insertOne({ _id: 'c1' as never, tableId: 'T-4', owner: 'TABLE', v: 0 });
    const session = env.client.startSession();
    try {
      session.startTransaction();
      await coll.updateOne({ _id: 'c1' as never }, { $set: { v: 1 } }, { session });
      expect((await serverError(coll.updateOne({ _id: 'c1' as never }, { $set: { _id: 'c9' as never } }, { session }))).code).toBe(66);
      expect((await serverError(session.commitTransaction())).code).toBe(251);
      expect((await coll.findOne({ _id: 'c1' as never }))!.v).toBe(0);
    } finally {
      await session.endSession();
    }
  });
});
