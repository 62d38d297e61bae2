// Retryable writes as mongod runs them, sent as a driver sends them (the session's lsid with a
// txnNumber we choose): a retry of the newest txnNumber answers the statements that already ran
// from the session's record (listing them in retriedStmtIds) and runs only the others; an older
// txnNumber is refused with TransactionTooOld (225) and never runs again. Runs against a real
// MongoDB too (MONGODB_URI=... npx vitest run test/mongo).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Long, MongoServerError, type ClientSession, type Collection, type Db, type Document } from 'mongodb';
import { openMongoEnv, type MongoEnv } from './harness.ts';

let env: MongoEnv;
let coll: Collection<Document>;
/**
 * One session for the whole file, on a client of its own: its txnNumbers are ours to choose, and a
 * session handed back to a driver's pool would meet the driver's own (lower) numbers for its writes.
 */
let session: ClientSession;
let rawDb: Db;
/** Each test numbers its writes from here, above every number the tests before it used. */
let base = 0;

beforeAll(async () => {
  env = await openMongoEnv('retryable');
  const raw = await env.newClient();
  rawDb = raw.db(env.dbName);
  session = raw.startSession();
});
afterAll(async () => {
  await session.endSession();
  await env.close();
});
beforeEach(async () => {
  coll = env.db.collection(`r_${Math.random().toString(36).slice(2, 8)}`);
  await coll.insertOne({ _id: 'counter' as never, n: 0 });
  base += 100;
});

/** One write command in `session` with txnNumber base + `txnNumber`, as the driver sends a retryable write (and its retry). */
const write = (command: Document, txnNumber: number) => rawDb.command({ ...command, txnNumber: Long.fromNumber(base + txnNumber) }, { session });

async function refused(command: Document, txnNumber: number): Promise<MongoServerError> {
  const error = await write(command, txnNumber).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(MongoServerError);
  return error as MongoServerError;
}

const bump = () => ({ findAndModify: coll.collectionName, query: { _id: 'counter' }, update: { $inc: { n: 1 } }, new: true });

describe('retryable writes', () => {
  it('answers a retry of the same txnNumber with the first reply, without running it again', async () => {
    expect((await write(bump(), 1)).value).toEqual({ _id: 'counter', n: 1 });
    expect((await write(bump(), 1)).value).toEqual({ _id: 'counter', n: 1 });
    expect((await write(bump(), 2)).value).toEqual({ _id: 'counter', n: 2 });
    expect(await coll.findOne({ _id: 'counter' as never })).toEqual({ _id: 'counter', n: 2 });
  });

  it('refuses a write with an older txnNumber than the session has used (TransactionTooOld), and never runs it', async () => {
    const insert = (id: string) => ({ insert: coll.collectionName, documents: [{ _id: id }] });
    expect(await write(insert('a'), 5)).toMatchObject({ n: 1, ok: 1 });
    expect((await write(bump(), 6)).value).toEqual({ _id: 'counter', n: 1 });

    for (const [command, txnNumber] of [[insert('a'), 5], [bump(), 5], [insert('b'), 3]] as const) {
      const error = await refused(command, txnNumber);
      expect(error.code).toBe(225);
      expect(error.codeName).toBe('TransactionTooOld');
    }
    expect(await coll.find({}, { sort: { _id: 1 } }).toArray()).toEqual([{ _id: 'a' }, { _id: 'counter', n: 1 }]);
    // The newest txnNumber is still answered from its record.
    expect((await write(bump(), 6)).value).toEqual({ _id: 'counter', n: 1 });
  });

  it('runs again only the statements of a batch that did not run, and lists the others in retriedStmtIds', async () => {
    await coll.insertOne({ _id: 2 as never });
    const batch = { insert: coll.collectionName, documents: [{ _id: 1 }, { _id: 2 }, { _id: 3 }], ordered: true };
    const first = await write(batch, 1);
    expect(first).toMatchObject({ n: 1, ok: 1 });
    expect(first.writeErrors).toHaveLength(1);
    expect(first.writeErrors[0]).toMatchObject({ index: 1, code: 11000 });

    await coll.deleteOne({ _id: 2 as never }); // what stopped the batch is gone: the retry runs statements 1 and 2
    const retried = await write(batch, 1);
    expect(retried.writeErrors).toBeUndefined();
    expect(retried).toMatchObject({ n: 3, ok: 1, retriedStmtIds: [0] });
    expect(await coll.find({ _id: { $ne: 'counter' } } as never, { sort: { _id: 1 } }).toArray()).toEqual([{ _id: 1 }, { _id: 2 }, { _id: 3 }]);
  });

  it('answers a retried update batch from the record: no $inc applied twice, the upsert reported again', async () => {
    const updates = {
      update: coll.collectionName,
      updates: [
        { q: { _id: 'counter' }, u: { $inc: { n: 1 } } },
        { q: { _id: 'other' }, u: { $inc: { n: 10 } }, upsert: true },
      ],
    };
    const first = await write(updates, 1);
    expect(first).toMatchObject({ n: 2, nModified: 1, upserted: [{ index: 1, _id: 'other' }], ok: 1 });
    const retried = await write(updates, 1);
    expect(retried).toMatchObject({ n: 2, nModified: 1, upserted: [{ index: 1, _id: 'other' }], retriedStmtIds: [0, 1], ok: 1 });
    expect(await coll.find({}, { sort: { _id: 1 } }).toArray()).toEqual([{ _id: 'counter', n: 1 }, { _id: 'other', n: 10 }]);
  });
});
