// MongoDB 8.0's client bulk write (the `bulkWrite` admin command) through the driver's
// MongoClient.bulkWrite, plus the raw command's reply shape and its malformed-request errors.
// Against a real server (MONGODB_URI) it needs MongoDB >= 8.0.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Long, MongoClient, MongoClientBulkWriteError, MongoServerError, ObjectId, type AnyClientBulkWriteModel, type ClientBulkWriteModel, type Collection, type Db, type Document } from 'mongodb';
import { startMongoServer } from '../../local/mongo/index.ts';
import { failCommand, onlyEmbedded, openMongoEnv, withDb, type MongoEnv } from './harness.ts';

let env: MongoEnv;
let admin: Db;
let otherDb: Db;
let orders: Collection<Document>;
let audit: Collection<Document>;
let elsewhere: Collection<Document>;

const ns = (c: Collection<Document>) => `${c.dbName}.${c.collectionName}`;
/** Test documents use plain values for _id (the driver's default schema types it as ObjectId). */
type Loose = { _id?: string | number | ObjectId; [field: string]: any };
const model = (m: AnyClientBulkWriteModel<Loose>) => m as unknown as ClientBulkWriteModel;

beforeAll(async () => {
  env = await openMongoEnv('bulkwrite');
  admin = env.client.db('admin');
  otherDb = env.client.db(`${env.dbName}_other`);
  await otherDb.dropDatabase();
});
afterAll(async () => {
  await failCommand(env.client, 'off').catch(() => {});
  await otherDb.dropDatabase().catch(() => {});
  await env.close();
});
beforeEach(async () => {
  const suffix = Math.random().toString(36).slice(2, 8);
  orders = env.db.collection(`orders_${suffix}`);
  audit = env.db.collection(`audit_${suffix}`);
  elsewhere = otherDb.collection(`elsewhere_${suffix}`);
});

/** The rejection of a promise that must reject. */
async function rejection(p: Promise<unknown>): Promise<any> {
  const outcome = await p.then(
    () => ({ rejected: false, err: undefined }),
    (err: unknown) => ({ rejected: true, err }),
  );
  expect(outcome.rejected).toBe(true);
  return outcome.err;
}

describe('MongoClient.bulkWrite', () => {
  it('inserts, updates, replaces and deletes across two collections and two databases (verbose results)', async () => {
    await orders.insertMany([
      { _id: 1 as never, status: 'NEW', n: 0 },
      { _id: 2 as never, status: 'NEW', n: 0 },
      { _id: 3 as never, status: 'OLD', n: 0 },
    ]);
    await elsewhere.insertMany([{ _id: 'x1' as never, gone: true }, { _id: 'x2' as never, gone: true }]);
    const result = await env.client.bulkWrite(
      [
        model({ name: 'insertOne', namespace: ns(orders), document: { _id: 10, status: 'NEW', n: 0 } }),
        model({ name: 'insertOne', namespace: ns(audit), document: { _id: 'a1', type: 'ORDER_PLACED', orderId: 10 } }),
        model({ name: 'updateOne', namespace: ns(orders), filter: { _id: 1 }, update: { $inc: { n: 1 } } }),
        model({ name: 'updateMany', namespace: ns(orders), filter: { status: 'NEW' }, update: { $set: { flagged: true } } }),
        model({ name: 'replaceOne', namespace: ns(orders), filter: { _id: 3 }, replacement: { status: 'ARCHIVED' } }),
        model({ name: 'updateOne', namespace: ns(audit), filter: { _id: 'a2' }, update: { $set: { type: 'UPSERTED' } }, upsert: true }),
        model({ name: 'updateOne', namespace: ns(audit), filter: { key: 'generated' }, update: { $set: { type: 'UPSERTED' } }, upsert: true }),
        model({ name: 'updateOne', namespace: ns(orders), filter: { _id: 'nobody' }, update: { $set: { x: 1 } } }),
        model({ name: 'deleteOne', namespace: ns(orders), filter: { _id: 2 } }),
        model({ name: 'deleteMany', namespace: ns(elsewhere), filter: { gone: true } }),
        model({ name: 'insertOne', namespace: ns(elsewhere), document: { _id: 'x3' } }),
      ],
      { verboseResults: true },
    );
    expect(result).toMatchObject({ acknowledged: true, insertedCount: 3, upsertedCount: 2, matchedCount: 5, modifiedCount: 5, deletedCount: 3 });
    expect(result.insertResults!.get(0)).toEqual({ insertedId: 10 });
    expect(result.insertResults!.get(1)).toEqual({ insertedId: 'a1' });
    expect(result.insertResults!.get(10)).toEqual({ insertedId: 'x3' });
    expect(result.updateResults!.get(2)).toEqual({ matchedCount: 1, modifiedCount: 1, didUpsert: false });
    expect(result.updateResults!.get(3)).toEqual({ matchedCount: 3, modifiedCount: 3, didUpsert: false });
    expect(result.updateResults!.get(4)).toEqual({ matchedCount: 1, modifiedCount: 1, didUpsert: false });
    expect(result.updateResults!.get(5)).toEqual({ matchedCount: 1, modifiedCount: 0, didUpsert: true, upsertedId: 'a2' });
    const generated = result.updateResults!.get(6)!;
    expect(generated).toMatchObject({ matchedCount: 1, modifiedCount: 0, didUpsert: true });
    expect(generated.upsertedId).toBeInstanceOf(ObjectId);
    expect(result.updateResults!.get(7)).toEqual({ matchedCount: 0, modifiedCount: 0, didUpsert: false });
    expect(result.deleteResults!.get(8)).toEqual({ deletedCount: 1 });
    expect(result.deleteResults!.get(9)).toEqual({ deletedCount: 2 });

    expect(await orders.find().sort({ _id: 1 }).toArray()).toEqual([
      { _id: 1, status: 'NEW', n: 1, flagged: true },
      { _id: 3, status: 'ARCHIVED' },
      { _id: 10, status: 'NEW', n: 0, flagged: true },
    ]);
    expect(await audit.find({}, { sort: { _id: 1 } }).toArray()).toEqual([
      { _id: 'a1', type: 'ORDER_PLACED', orderId: 10 },
      { _id: 'a2', type: 'UPSERTED' },
      { _id: generated.upsertedId, key: 'generated', type: 'UPSERTED' }, // BSON order: strings before ObjectIds
    ]);
    expect(await elsewhere.find().toArray()).toEqual([{ _id: 'x3' }]);
  });

  it('without verboseResults returns only the summary counts, and fills in missing _ids', async () => {
    const doc: Document = { type: 'ORDER_PLACED' };
    const result = await env.client.bulkWrite([
      model({ name: 'insertOne', namespace: ns(orders), document: { _id: 'o1' } }),
      model({ name: 'insertOne', namespace: ns(audit), document: doc }),
      model({ name: 'updateOne', namespace: ns(orders), filter: { _id: 'o1' }, update: { $set: { placed: true } } }),
    ]);
    expect(result).toMatchObject({ insertedCount: 2, matchedCount: 1, modifiedCount: 1, upsertedCount: 0, deletedCount: 0 });
    expect(result.insertResults).toBeUndefined();
    expect(result.updateResults).toBeUndefined();
    expect(doc._id).toBeInstanceOf(ObjectId); // the driver assigns it before sending
    expect(await audit.findOne({ _id: doc._id })).toEqual({ _id: doc._id, type: 'ORDER_PLACED' });
  });

  it('ordered (the default) stops at the first duplicate key', async () => {
    await orders.insertOne({ _id: 'taken' as never });
    const err = await rejection(
      env.client.bulkWrite([
        model({ name: 'insertOne', namespace: ns(orders), document: { _id: 'first' } }),
        model({ name: 'insertOne', namespace: ns(orders), document: { _id: 'taken' } }),
        model({ name: 'insertOne', namespace: ns(audit), document: { _id: 'after' } }),
      ]),
    );
    expect(err).toBeInstanceOf(MongoClientBulkWriteError);
    expect([...err.writeErrors.keys()]).toEqual([1]);
    expect(err.writeErrors.get(1).code).toBe(11000);
    expect(err.writeErrors.get(1).message).toMatch(/E11000 duplicate key error collection: .*orders_.* index: _id_ dup key: \{ _id: "taken" \}/);
    expect(err.partialResult).toMatchObject({ insertedCount: 1 });
    expect(await orders.countDocuments({ _id: 'first' as never })).toBe(1);
    expect(await audit.countDocuments()).toBe(0);
  });

  it('unordered reports the duplicate key and carries on with the rest', async () => {
    await orders.insertOne({ _id: 'taken' as never });
    const err = await rejection(
      env.client.bulkWrite(
        [
          model({ name: 'insertOne', namespace: ns(orders), document: { _id: 'taken' } }),
          model({ name: 'insertOne', namespace: ns(orders), document: { _id: 'second' } }),
          model({ name: 'insertOne', namespace: ns(audit), document: { _id: 'after' } }),
          model({ name: 'insertOne', namespace: ns(audit), document: { _id: 'after' } }),
        ],
        { ordered: false },
      ),
    );
    expect(err).toBeInstanceOf(MongoClientBulkWriteError);
    expect([...err.writeErrors.keys()].sort()).toEqual([0, 3]);
    expect(err.writeErrors.get(0).code).toBe(11000);
    expect(err.writeErrors.get(3).code).toBe(11000);
    expect(err.partialResult).toMatchObject({ insertedCount: 2 });
    expect(await orders.countDocuments()).toBe(2);
    expect(await audit.find().toArray()).toEqual([{ _id: 'after' }]);
  });

  it('a unique secondary index violation carries keyPattern/keyValue in the reply item', async () => {
    await orders.createIndex({ ref: 1 }, { unique: true });
    await orders.insertOne({ ref: 'R-1' });
    const res = await admin.command({
      bulkWrite: 1,
      ops: [{ insert: 0, document: { _id: 'dup', ref: 'R-1' } }],
      nsInfo: [{ ns: ns(orders) }],
    });
    expect(res.nErrors).toBe(1);
    expect(res.cursor.firstBatch).toEqual([
      expect.objectContaining({ ok: 0, idx: 0, code: 11000, keyPattern: { ref: 1 }, keyValue: { ref: 'R-1' }, n: 0 }),
    ]);
  });
});

describe('bulkWrite inside a transaction', () => {
  it('commit: both documents appear together; an outside reader sees neither before', async () => {
    const session = env.client.startSession();
    try {
      session.startTransaction();
      const result = await env.client.bulkWrite(
        [
          model({ name: 'insertOne', namespace: ns(orders), document: { _id: 'ord-1', total: 1250 } }),
          model({ name: 'insertOne', namespace: ns(audit), document: { _id: 'aud-1', type: 'ORDER_PLACED', orderId: 'ord-1' } }),
        ],
        { session },
      );
      expect(result.insertedCount).toBe(2);
      expect(await orders.findOne({ _id: 'ord-1' as never }, { session })).toEqual({ _id: 'ord-1', total: 1250 });
      expect(await orders.findOne({ _id: 'ord-1' as never })).toBeNull();
      expect(await audit.findOne({ _id: 'aud-1' as never })).toBeNull();
      await session.commitTransaction();
    } finally {
      await session.endSession();
    }
    expect(await orders.findOne({ _id: 'ord-1' as never })).toEqual({ _id: 'ord-1', total: 1250 });
    expect(await audit.findOne({ _id: 'aud-1' as never })).toEqual({ _id: 'aud-1', type: 'ORDER_PLACED', orderId: 'ord-1' });
  });

  it('abort: neither document is written', async () => {
    const session = env.client.startSession();
    try {
      session.startTransaction();
      await env.client.bulkWrite(
        [
          model({ name: 'insertOne', namespace: ns(orders), document: { _id: 'ord-2' } }),
          model({ name: 'insertOne', namespace: ns(audit), document: { _id: 'aud-2' } }),
        ],
        { session },
      );
      await session.abortTransaction();
    } finally {
      await session.endSession();
    }
    expect(await orders.countDocuments()).toBe(0);
    expect(await audit.countDocuments()).toBe(0);
  });

  it('withTransaction commits a bulkWrite with the rest of the transaction', async () => {
    await orders.insertOne({ _id: 'counter' as never, seq: 41 });
    const session = env.client.startSession();
    try {
      await session.withTransaction(async () => {
        const counter = await orders.findOneAndUpdate({ _id: 'counter' as never }, { $inc: { seq: 1 } }, { session, returnDocument: 'after' });
        await env.client.bulkWrite(
          [
            model({ name: 'insertOne', namespace: ns(orders), document: { _id: `ord-${counter!.seq}` } }),
            model({ name: 'insertOne', namespace: ns(audit), document: { _id: `aud-${counter!.seq}` } }),
          ],
          { session },
        );
      });
    } finally {
      await session.endSession();
    }
    expect(await orders.countDocuments({ _id: 'ord-42' as never })).toBe(1);
    expect(await audit.countDocuments({ _id: 'aud-42' as never })).toBe(1);
  });

  it('a duplicate key stops the command even unordered and aborts the transaction: nothing is written', async () => {
    await orders.insertOne({ _id: 'taken' as never });
    const session = env.client.startSession();
    try {
      session.startTransaction();
      const err = await rejection(
        env.client.bulkWrite(
          [
            model({ name: 'insertOne', namespace: ns(audit), document: { _id: 'before' } }),
            model({ name: 'insertOne', namespace: ns(orders), document: { _id: 'taken' } }),
            model({ name: 'insertOne', namespace: ns(audit), document: { _id: 'after' } }),
          ],
          { session, ordered: false },
        ),
      );
      expect(err).toBeInstanceOf(MongoClientBulkWriteError);
      expect([...err.writeErrors.keys()]).toEqual([1]);
      expect(err.writeErrors.get(1).code).toBe(11000);
      expect(err.partialResult).toMatchObject({ insertedCount: 1 });
      const commit = await rejection(session.commitTransaction());
      expect(commit).toBeInstanceOf(MongoServerError);
      expect(commit.code).toBe(251); // NoSuchTransaction: the server aborted it
    } finally {
      await session.endSession();
    }
    expect(await audit.countDocuments()).toBe(0);
    expect(await orders.find().toArray()).toEqual([{ _id: 'taken' }]);
  });

  it('a write conflict fails the whole command with WriteConflict (112) labelled TransientTransactionError', async () => {
    await orders.insertOne({ _id: 'A' as never, n: 0 });
    const s1 = env.client.startSession();
    const s2 = env.client.startSession();
    try {
      s1.startTransaction();
      s2.startTransaction();
      await orders.updateOne({ _id: 'A' as never }, { $inc: { n: 1 } }, { session: s1 });
      const err = await rejection(
        env.client.bulkWrite(
          [
            model({ name: 'insertOne', namespace: ns(audit), document: { _id: 'conflicted' } }),
            model({ name: 'updateOne', namespace: ns(orders), filter: { _id: 'A' }, update: { $inc: { n: 10 } } }),
          ],
          { session: s2 },
        ),
      );
      // The driver (7.8) wraps a command-level error: the server's error, with its label, is the cause.
      expect(err).toBeInstanceOf(MongoClientBulkWriteError);
      expect(err.cause).toBeInstanceOf(MongoServerError);
      expect(err.cause.code).toBe(112);
      expect(err.cause.hasErrorLabel('TransientTransactionError')).toBe(true);
      await s2.abortTransaction();
      await s1.commitTransaction();
    } finally {
      await s1.endSession();
      await s2.endSession();
    }
    expect(await orders.findOne({ _id: 'A' as never })).toEqual({ _id: 'A', n: 1 });
    expect(await audit.countDocuments()).toBe(0);
  });
});

describe('failCommand on bulkWrite', () => {
  it('fails the command with the configured error, writes nothing, then lets it through', async () => {
    const client = await env.newClient({ retryWrites: false });
    await failCommand(env.client, { times: 1 }, { failCommands: ['bulkWrite'], errorCode: 2 });
    const models = [
      model({ name: 'insertOne', namespace: ns(orders), document: { _id: 'fp' } }),
      model({ name: 'insertOne', namespace: ns(audit), document: { _id: 'fp' } }),
    ];
    const err = await rejection(client.bulkWrite(models));
    expect(err).toBeInstanceOf(MongoClientBulkWriteError);
    expect(err.cause.code).toBe(2);
    expect(err.cause.errmsg).toBe("Failing command via 'failCommand' failpoint");
    expect(await orders.countDocuments()).toBe(0);
    expect((await client.bulkWrite(models)).insertedCount).toBe(2);
  });

  it('a retryable error is retried once by the driver and the writes land once', async () => {
    await failCommand(env.client, { times: 1 }, { failCommands: ['bulkWrite'], errorCode: 91 });
    const result = await env.client.bulkWrite([
      model({ name: 'insertOne', namespace: ns(orders), document: { _id: 'retried' } }),
      model({ name: 'insertOne', namespace: ns(audit), document: { _id: 'retried' } }),
    ]);
    expect(result.insertedCount).toBe(2);
    expect(await orders.countDocuments()).toBe(1);
    expect(await audit.countDocuments()).toBe(1);
  });
});

describe('the bulkWrite command itself', () => {
  it('replies with a cursor of per-op results and the summary counts', async () => {
    await orders.insertOne({ _id: 'imm' as never });
    const res = await admin.command({
      bulkWrite: 1,
      ops: [
        { insert: 0, document: { _id: 1 } },
        { update: 1, filter: { _id: 'u' }, updateMods: { $set: { v: 1 } }, upsert: true },
        { update: 0, filter: { _id: 1 }, updateMods: { $set: { v: 2 } } },
        { update: 0, filter: { _id: 'imm' }, updateMods: { $set: { _id: 'changed' } } },
        { delete: 0, filter: { _id: 1 } },
        { delete: 1, filter: { _id: 'nothing' }, multi: true },
      ],
      nsInfo: [{ ns: ns(orders) }, { ns: ns(audit) }],
      ordered: false,
    });
    expect(res.cursor.id).toEqual(0);
    expect(res.cursor.ns).toBe('admin.$cmd.bulkWrite');
    expect(res.cursor.firstBatch).toEqual([
      { ok: 1, idx: 0, n: 1 },
      { ok: 1, idx: 1, n: 1, nModified: 0, upserted: { _id: 'u' } },
      { ok: 1, idx: 2, n: 1, nModified: 1 },
      { ok: 0, idx: 3, code: 66, errmsg: expect.stringContaining("'_id'"), n: 0, nModified: 0 },
      { ok: 1, idx: 4, n: 1 },
      { ok: 1, idx: 5, n: 0 },
    ]);
    expect(res).toMatchObject({ nErrors: 1, nInserted: 1, nMatched: 1, nModified: 1, nUpserted: 1, nDeleted: 1, ok: 1 });
  });

  it('errorsOnly returns only the error items; ordered stops after the first', async () => {
    const res = await admin.command({
      bulkWrite: 1,
      ops: [{ insert: 0, document: { _id: 1 } }, { insert: 0, document: { _id: 1 } }, { insert: 0, document: { _id: 2 } }],
      nsInfo: [{ ns: ns(orders) }],
      errorsOnly: true,
    });
    expect(res.cursor.firstBatch).toEqual([expect.objectContaining({ ok: 0, idx: 1, code: 11000, n: 0, keyPattern: { _id: 1 }, keyValue: { _id: 1 } })]);
    expect(res).toMatchObject({ nErrors: 1, nInserted: 1 });
    expect(await orders.countDocuments()).toBe(1);
  });

  it('applies `let` to filters and pipeline updates', async () => {
    await orders.insertMany([{ _id: 1 as never, k: 'x' }, { _id: 2 as never, k: 'y' }]);
    const res = await admin.command({
      bulkWrite: 1,
      ops: [{ update: 0, filter: { $expr: { $eq: ['$k', '$$target'] } }, updateMods: [{ $set: { v: '$$value' } }], multi: true }],
      nsInfo: [{ ns: ns(orders) }],
      let: { target: 'y', value: 7 },
    });
    expect(res).toMatchObject({ nErrors: 0, nMatched: 1, nModified: 1 });
    expect(await orders.find().sort({ _id: 1 }).toArray()).toEqual([
      { _id: 1, k: 'x' },
      { _id: 2, k: 'y', v: 7 },
    ]);
  });

  it('serves the rest of the results through getMore when cursor.batchSize is small', async () => {
    const res = await admin.command({
      bulkWrite: 1,
      ops: [{ insert: 0, document: { _id: 1 } }, { insert: 1, document: { _id: 2 } }],
      nsInfo: [{ ns: ns(orders) }, { ns: ns(audit) }],
      cursor: { batchSize: 1 },
    });
    expect(res.cursor.firstBatch).toEqual([{ ok: 1, idx: 0, n: 1 }]);
    expect(res.cursor.id).not.toEqual(0);
    const id = typeof res.cursor.id === 'number' ? Long.fromNumber(res.cursor.id) : res.cursor.id; // getMore takes a long
    const more = await admin.command({ getMore: id, collection: '$cmd.bulkWrite' });
    expect(more.cursor.nextBatch).toEqual([{ ok: 1, idx: 1, n: 1 }]);
    expect(more.cursor.id).toEqual(0);
  });

  it('refuses malformed requests the way mongod does', async () => {
    const nsInfo = [{ ns: ns(orders) }];
    const insert = { insert: 0, document: { a: 1 } };
    const cases: [Document, number, Db?][] = [
      [{ bulkWrite: 1, ops: [insert], nsInfo }, 13, env.db], // not the admin database
      [{ bulkWrite: 1, ops: [{ insert: 1, document: { a: 1 } }], nsInfo }, 2], // nsInfo index out of range
      [{ bulkWrite: 1, ops: [{ upsert: 0, document: { a: 1 } }], nsInfo }, 40415], // unknown op type
      [{ bulkWrite: 1, ops: [{ insert: 0, document: { a: 1 }, extra: 1 }], nsInfo }, 40415], // unknown op field
      [{ bulkWrite: 1, ops: [insert], nsInfo, fooField: 0 }, 40415], // unknown command field
      [{ bulkWrite: 1, ops: [{ insert: 0 }], nsInfo }, 40414], // insert without document
      [{ bulkWrite: 1, ops: [{ update: 0, updateMods: { $set: { a: 1 } } }], nsInfo }, 40414], // update without filter
      [{ bulkWrite: 1, ops: [{ delete: 0 }], nsInfo }, 40414], // delete without filter
      [{ bulkWrite: 1, nsInfo }, 40414], // no ops
      [{ bulkWrite: 1, ops: [insert] }, 40414], // no nsInfo
      [{ bulkWrite: 1, ops: [], nsInfo }, 16], // empty batch
      [{ bulkWrite: 1, ops: [{ insert: 'zero', document: { a: 1 } }], nsInfo }, 14],
      [{ bulkWrite: 1, ops: [{ insert: 0, document: 'doc' }], nsInfo }, 14],
      [{ bulkWrite: 1, ops: [insert], nsInfo: ['test.coll'] }, 14],
      [{ bulkWrite: 1, ops: 'ops', nsInfo }, 14],
      [{ bulkWrite: 1, ops: [insert], nsInfo, ordered: 1 }, 14],
      [{ bulkWrite: 1, ops: [insert], nsInfo: [{ ns: 'nodot' }] }, 73],
    ];
    for (const [cmd, code, db] of cases) {
      const err = await rejection((db ?? admin).command(cmd));
      expect(err, JSON.stringify(cmd)).toBeInstanceOf(MongoServerError);
      expect(err.code, JSON.stringify(cmd)).toBe(code);
    }
    expect(await orders.countDocuments()).toBe(0);
  });
});

describe('counters (embedded only)', () => {
  it('count bulkWrite once, and once on each namespace it names; documents when committed', async (ctx) => {
    if (onlyEmbedded) ctx.skip();
    const counters = env.embedded!.counters;
    counters.reset();
    await env.client.bulkWrite([
      model({ name: 'insertOne', namespace: ns(orders), document: { _id: 1 } }),
      model({ name: 'insertOne', namespace: ns(audit), document: { _id: 1 } }),
      model({ name: 'insertOne', namespace: ns(orders), document: { _id: 2 } }),
    ]);
    expect(counters.commands.bulkWrite).toBe(1);
    expect(counters.namespaces[ns(orders)]).toEqual({ bulkWrite: 1 });
    expect(counters.namespaces[ns(audit)]).toEqual({ bulkWrite: 1 });
    expect(counters.documentsWritten[ns(orders)]).toBe(2);
    expect(counters.documentsWritten[ns(audit)]).toBe(1);

    counters.reset();
    const session = env.client.startSession();
    try {
      session.startTransaction();
      await env.client.bulkWrite(
        [
          model({ name: 'insertOne', namespace: ns(orders), document: { _id: 3 } }),
          model({ name: 'insertOne', namespace: ns(audit), document: { _id: 3 } }),
        ],
        { session },
      );
      expect(counters.documentsWritten[ns(orders)]).toBeUndefined();
      await session.commitTransaction();
    } finally {
      await session.endSession();
    }
    expect(counters.commands.bulkWrite).toBe(1);
    expect(counters.documentsWritten[ns(orders)]).toBe(1);
    expect(counters.documentsWritten[ns(audit)]).toBe(1);
  });
});

describe('server version', () => {
  it('reports MongoDB 8.0 (wire version 25) by default', async () => {
    const hello = await admin.command({ hello: 1 });
    expect(hello.maxWireVersion).toBeGreaterThanOrEqual(25);
    const info = await admin.command({ buildInfo: 1 });
    expect(info.versionArray[0]).toBeGreaterThanOrEqual(8);
    if (!onlyEmbedded) expect(info.version).toMatch(/^8\.0\./);
  });

  it("serverVersion '7.0' reports wire version 21 and has no bulkWrite (CommandNotFound) (embedded only)", async (ctx) => {
    if (onlyEmbedded) ctx.skip();
    const server = await startMongoServer({ serverVersion: '7.0' });
    const client = new MongoClient(withDb(server.uri, 'v70'), { serverSelectionTimeoutMS: 5000 });
    try {
      await client.connect();
      const hello = await client.db('admin').command({ hello: 1 });
      expect(hello.maxWireVersion).toBe(21);
      expect((await client.db('admin').command({ buildInfo: 1 })).version).toMatch(/^7\.0\./);
      expect((await client.db('admin').command({ serverStatus: 1 })).version).toMatch(/^7\.0\./);
      const err = await rejection(client.bulkWrite([model({ name: 'insertOne', namespace: 'v70.orders', document: { _id: 1 } })]));
      expect(err).toBeInstanceOf(MongoClientBulkWriteError);
      expect(err.cause.code).toBe(59);
      expect(err.cause.codeName).toBe('CommandNotFound');
      expect(await client.db('v70').collection('orders').countDocuments()).toBe(0);
      // the fallback the app uses on 7.0: two inserts in a transaction
      const session = client.startSession();
      try {
        await session.withTransaction(async () => {
          await client.db('v70').collection('orders').insertOne({ _id: 1 as never }, { session });
          await client.db('v70').collection('audit').insertOne({ _id: 1 as never }, { session });
        });
      } finally {
        await session.endSession();
      }
      expect(await client.db('v70').collection('audit').countDocuments()).toBe(1);
    } finally {
      await client.close();
      await server.stop();
    }
  });

  it('refuses an unknown serverVersion (embedded only)', async (ctx) => {
    if (onlyEmbedded) ctx.skip();
    await expect(startMongoServer({ serverVersion: '6.0' as never })).rejects.toThrow(/serverVersion must be one of 7\.0, 8\.0/);
  });
});
