import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MongoServerError, type ClientSession, type Collection, type Document } from 'mongodb';
import { failCommand, onlyEmbedded, openMongoEnv, type MongoEnv } from './harness.ts';

let env: MongoEnv;
let coll: Collection<Document>;

beforeAll(async () => {
  env = await openMongoEnv('txn');
});
afterAll(async () => {
  await env.close();
});
beforeEach(async () => {
  coll = env.db.collection(`t_${Math.random().toString(36).slice(2, 8)}`);
  await coll.insertOne({ _id: 'A' as never, n: 0 }); // transactions need the collection to exist on older servers
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function inTxn<T>(session: ClientSession, fn: () => Promise<T>): Promise<T> {
  session.startTransaction();
  const out = await fn();
  return out;
}

describe('transactions', () => {
  it('sees its own writes, hides them from others until commit', async () => {
    const session = env.client.startSession();
    try {
      await inTxn(session, async () => {
        await coll.insertOne({ _id: 'B' as never, n: 1 }, { session });
        await coll.updateOne({ _id: 'A' as never }, { $inc: { n: 5 } }, { session });
        expect(await coll.findOne({ _id: 'B' as never }, { session })).toEqual({ _id: 'B', n: 1 });
        expect(await coll.countDocuments({}, { session })).toBe(2);
        expect((await coll.findOne({ _id: 'A' as never }, { session }))!.n).toBe(5);
        // outside the transaction nothing is visible yet
        expect(await coll.findOne({ _id: 'B' as never })).toBeNull();
        expect((await coll.findOne({ _id: 'A' as never }))!.n).toBe(0);
      });
      await session.commitTransaction();
      expect(await coll.findOne({ _id: 'B' as never })).toEqual({ _id: 'B', n: 1 });
      expect((await coll.findOne({ _id: 'A' as never }))!.n).toBe(5);
    } finally {
      await session.endSession();
    }
  });

  it('isolates two concurrent transactions (snapshot reads)', async () => {
    const s1 = env.client.startSession();
    const s2 = env.client.startSession();
    try {
      s1.startTransaction();
      s2.startTransaction();
      expect(await coll.countDocuments({}, { session: s2 })).toBe(1); // s2's snapshot starts here
      await coll.insertOne({ _id: 'X' as never }, { session: s1 });
      await coll.updateOne({ _id: 'A' as never }, { $set: { n: 100 } }, { session: s1 });
      expect(await coll.findOne({ _id: 'X' as never }, { session: s2 })).toBeNull();
      await s1.commitTransaction();
      // committed now, but after s2's snapshot: s2 still sees the old state
      expect(await coll.findOne({ _id: 'X' as never }, { session: s2 })).toBeNull();
      expect((await coll.findOne({ _id: 'A' as never }, { session: s2 }))!.n).toBe(0);
      expect(await coll.find({}, { session: s2 }).toArray()).toEqual([{ _id: 'A', n: 0 }]);
      // a non-transactional read sees the commit
      expect(await coll.findOne({ _id: 'X' as never })).toEqual({ _id: 'X' });
      await s2.commitTransaction();
    } finally {
      await s1.endSession();
      await s2.endSession();
    }
  });

  it('fails a conflicting write with WriteConflict (112) labelled TransientTransactionError', async () => {
    const s1 = env.client.startSession();
    const s2 = env.client.startSession();
    try {
      s1.startTransaction();
      s2.startTransaction();
      await coll.updateOne({ _id: 'A' as never }, { $inc: { n: 1 } }, { session: s1 });
      const err = await coll.updateOne({ _id: 'A' as never }, { $inc: { n: 1 } }, { session: s2 }).catch((e) => e);
      expect(err).toBeInstanceOf(MongoServerError);
      expect(err.code).toBe(112);
      expect(err.codeName).toBe('WriteConflict');
      expect(err.hasErrorLabel('TransientTransactionError')).toBe(true);
      await s2.abortTransaction();
      await s1.commitTransaction();
      expect((await coll.findOne({ _id: 'A' as never }))!.n).toBe(1);
    } finally {
      await s1.endSession();
      await s2.endSession();
    }
  });

  it('conflicts with a write committed after the snapshot began', async () => {
    const s = env.client.startSession();
    try {
      s.startTransaction();
      await coll.findOne({ _id: 'A' as never }, { session: s });
      await coll.updateOne({ _id: 'A' as never }, { $set: { n: 7 } }); // outside, commits immediately
      const err = await coll.updateOne({ _id: 'A' as never }, { $set: { n: 8 } }, { session: s }).catch((e) => e);
      expect(err.code).toBe(112);
      await s.abortTransaction();
      expect((await coll.findOne({ _id: 'A' as never }))!.n).toBe(7);
    } finally {
      await s.endSession();
    }
  });

  it('withTransaction retries after a write conflict and both increments land', async () => {
    const s1 = env.client.startSession();
    const s2 = env.client.startSession();
    let attempts2 = 0;
    let conflictSeen!: () => void;
    const conflicted = new Promise<void>((r) => (conflictSeen = r));
    try {
      const t1 = s1.withTransaction(async () => {
        await coll.updateOne({ _id: 'A' as never }, { $inc: { n: 1 } }, { session: s1 });
        await conflicted; // keep the lock until the other transaction has collided with it
      });
      await sleep(50);
      const t2 = s2.withTransaction(async () => {
        attempts2++;
        try {
          await coll.updateOne({ _id: 'A' as never }, { $inc: { n: 10 } }, { session: s2 });
        } catch (err) {
          conflictSeen();
          throw err;
        }
      });
      await Promise.all([t1, t2]);
      expect(attempts2).toBeGreaterThanOrEqual(2);
      expect((await coll.findOne({ _id: 'A' as never }))!.n).toBe(11);
    } finally {
      await s1.endSession();
      await s2.endSession();
    }
  });

  it('a duplicate key inside a transaction fails it and rolls back its other writes', async () => {
    await coll.createIndex({ email: 1 }, { unique: true });
    await coll.insertOne({ email: 'taken@x.io' });
    const session = env.client.startSession();
    try {
      const err = await session
        .withTransaction(async () => {
          await coll.insertOne({ _id: 'tmp' as never, email: 'new@x.io' }, { session });
          await coll.insertOne({ email: 'taken@x.io' }, { session });
        })
        .catch((e) => e);
      expect(err).toBeInstanceOf(MongoServerError);
      expect(err.code).toBe(11000);
      expect(err.keyValue).toEqual({ email: 'taken@x.io' });
      expect(await coll.findOne({ _id: 'tmp' as never })).toBeNull();
      expect(await coll.countDocuments({ email: 'taken@x.io' })).toBe(1);
    } finally {
      await session.endSession();
    }
  });

  it('an unordered insertMany inside a transaction stops at the first duplicate key and aborts the transaction', async () => {
    const session = env.client.startSession();
    try {
      session.startTransaction();
      const err = await coll.insertMany([{ _id: 'u1' }, { _id: 'A' }, { _id: 'u2' }] as never[], { session, ordered: false }).catch((e) => e);
      expect(err).toBeInstanceOf(MongoServerError);
      expect(err.code).toBe(11000);
      expect(err.writeErrors.map((w: { index: number }) => w.index)).toEqual([1]);
      expect(err.result.insertedCount).toBe(1); // 'u2' was never tried
      expect((await session.commitTransaction().catch((e) => e)).code).toBe(251);
      expect(await coll.find({}).toArray()).toEqual([{ _id: 'A', n: 0 }]);
    } finally {
      await session.endSession();
    }
  });

  it('abortTransaction rolls back every write', async () => {
    const session = env.client.startSession();
    try {
      session.startTransaction();
      await coll.insertMany([{ _id: 'p' }, { _id: 'q' }] as never[], { session });
      await coll.deleteOne({ _id: 'A' as never }, { session });
      await coll.findOneAndUpdate({ _id: 'p' as never }, { $set: { v: 1 } }, { session });
      await session.abortTransaction();
      expect(await coll.find({}).toArray()).toEqual([{ _id: 'A', n: 0 }]);
    } finally {
      await session.endSession();
    }
  });

  it('a non-transactional write waits for the transaction holding the document', async () => {
    const session = env.client.startSession();
    try {
      session.startTransaction();
      await coll.updateOne({ _id: 'A' as never }, { $inc: { n: 1 } }, { session });
      let done = false;
      const outside = coll.updateOne({ _id: 'A' as never }, { $inc: { n: 100 } }).then((r) => {
        done = true;
        return r;
      });
      await sleep(100);
      expect(done).toBe(false);
      await session.commitTransaction();
      expect((await outside).modifiedCount).toBe(1);
      expect((await coll.findOne({ _id: 'A' as never }))!.n).toBe(101);
    } finally {
      await session.endSession();
    }
  });

  it('rolls back a transaction that outlives transactionLifetimeLimitSeconds', async () => {
    const admin = env.client.db('admin');
    const before = await admin.command({ getParameter: 1, transactionLifetimeLimitSeconds: 1 });
    await admin.command({ setParameter: 1, transactionLifetimeLimitSeconds: 1 });
    const session = env.client.startSession();
    try {
      session.startTransaction();
      await coll.insertOne({ _id: 'slow' as never }, { session });
      await sleep(onlyEmbedded ? 2500 : 1300);
      const err = await session.commitTransaction().catch((e) => e);
      expect(err).toBeInstanceOf(MongoServerError);
      expect(err.code).toBe(251);
      expect(await coll.findOne({ _id: 'slow' as never })).toBeNull();
      // its lock is gone: the same _id can be written straight away
      await coll.insertOne({ _id: 'slow' as never });
    } finally {
      await session.endSession();
      await admin.command({ setParameter: 1, transactionLifetimeLimitSeconds: before.transactionLifetimeLimitSeconds });
    }
  });

  it('rolls back when the client connection drops (embedded only)', async (ctx) => {
    if (onlyEmbedded) ctx.skip();
    const dropper = await env.newClient({ appName: 'txn-dropper', retryReads: false, retryWrites: false });
    const dcoll = dropper.db(env.dbName).collection(coll.collectionName);
    const session = dropper.startSession();
    session.startTransaction();
    await dcoll.insertOne({ _id: 'dc' as never }, { session });
    await failCommand(env.client, { times: 1 }, { failCommands: ['find'], closeConnection: true, appName: 'txn-dropper' });
    const err = await dcoll.findOne({ _id: 'dc' as never }, { session }).catch((e) => e);
    expect(err).toBeInstanceOf(Error);
    // the transaction's lock died with the connection: this insert does not wait and does not collide
    const started = Date.now();
    await coll.insertOne({ _id: 'dc' as never, by: 'other' });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await coll.find({ _id: 'dc' as never }).toArray()).toEqual([{ _id: 'dc', by: 'other' }]);
    await session.endSession().catch(() => {});
  });
});

describe('killing and ending sessions', () => {
  const admin = () => env.client.db('admin');

  it('killSessions aborts the open transaction at once: its locks go, its writes are gone, commit fails with NoSuchTransaction', async () => {
    const session = env.client.startSession();
    try {
      session.startTransaction();
      await coll.updateOne({ _id: 'A' as never }, { $inc: { n: 1 } }, { session });
      await coll.insertOne({ _id: 'K' as never }, { session });
      // a plain write on the held document waits for the transaction...
      let outsideDone = false;
      const outside = coll.updateOne({ _id: 'A' as never }, { $inc: { n: 100 } }).then((r) => {
        outsideDone = true;
        return r;
      });
      await sleep(100);
      expect(outsideDone).toBe(false);
      // ...until the session is killed
      expect(await admin().command({ killSessions: [session.id] })).toMatchObject({ ok: 1 });
      expect((await outside).modifiedCount).toBe(1);
      expect(await coll.findOne({ _id: 'A' as never })).toEqual({ _id: 'A', n: 100 });
      // the killed transaction's writes never land; the same _id is free
      await coll.insertOne({ _id: 'K' as never, by: 'other' });
      const late = await coll.insertOne({ _id: 'L' as never }, { session }).catch((e) => e);
      expect(late).toBeInstanceOf(MongoServerError);
      expect(late.code).toBe(251);
      const commit = await session.commitTransaction().catch((e) => e);
      expect(commit).toBeInstanceOf(MongoServerError);
      expect(commit.code).toBe(251);
      expect(commit.hasErrorLabel('TransientTransactionError')).toBe(true);
      expect(await coll.find({}).sort({ _id: 1 }).toArray()).toEqual([
        { _id: 'A', n: 100 },
        { _id: 'K', by: 'other' },
      ]);
    } finally {
      await session.endSession();
    }
  });

  it('abortTransaction after killSessions does not throw (the driver ignores NoSuchTransaction) and the session is usable again', async () => {
    const session = env.client.startSession();
    try {
      session.startTransaction();
      await coll.insertOne({ _id: 'K1' as never }, { session });
      await admin().command({ killSessions: [session.id] });
      await session.abortTransaction(); // resolves
      // "future operations may use the killed session": a new transaction on it commits
      await session.withTransaction(async () => {
        await coll.insertOne({ _id: 'K2' as never }, { session });
      });
      expect(await coll.find({ _id: { $in: ['K1', 'K2'] } as never }).toArray()).toEqual([{ _id: 'K2' }]);
    } finally {
      await session.endSession();
    }
  });

  it('killSessions closes the session’s open cursors and leaves other sessions alone', async () => {
    await coll.insertMany(Array.from({ length: 20 }, (_, i) => ({ _id: `c${i}` as never, i })));
    const killed = env.client.startSession();
    const other = env.client.startSession();
    try {
      const cursor = coll.find({}, { session: killed, batchSize: 5 });
      await cursor.next();
      const survivor = coll.find({}, { session: other, batchSize: 5 });
      await survivor.next();
      await admin().command({ killSessions: [killed.id] });
      const err = await cursor.toArray().catch((e) => e);
      expect(err).toBeInstanceOf(MongoServerError);
      expect([43, 237]).toContain(err.code); // CursorNotFound / CursorKilled
      expect(await survivor.toArray()).toHaveLength(20);
    } finally {
      await killed.endSession();
      await other.endSession();
    }
  });

  it('killSessions of an unknown session has no effect; a non-array argument is refused', async () => {
    const session = env.client.startSession();
    try {
      session.startTransaction();
      await coll.updateOne({ _id: 'A' as never }, { $set: { n: 7 } }, { session });
      const stranger = env.client.startSession();
      await admin().command({ killSessions: [stranger.id] });
      await stranger.endSession();
      await session.commitTransaction();
      expect((await coll.findOne({ _id: 'A' as never }))!.n).toBe(7);
    } finally {
      await session.endSession();
    }
    const err = await admin().command({ killSessions: 'everyone' }).catch((e) => e);
    expect(err).toBeInstanceOf(MongoServerError);
  });

  it('killAllSessions with an empty list aborts every open transaction (embedded only: it would kill other clients’ sessions on a shared server)', async (ctx) => {
    if (onlyEmbedded) ctx.skip();
    const s1 = env.client.startSession();
    const s2 = env.client.startSession();
    try {
      s1.startTransaction();
      s2.startTransaction();
      await coll.insertOne({ _id: 'all1' as never }, { session: s1 });
      await coll.insertOne({ _id: 'all2' as never }, { session: s2 });
      await admin().command({ killAllSessions: [] });
      for (const s of [s1, s2]) expect((await s.commitTransaction().catch((e) => e)).code).toBe(251);
      expect(await coll.countDocuments({ _id: { $in: ['all1', 'all2'] } as never })).toBe(0);
    } finally {
      await s1.endSession();
      await s2.endSession();
    }
  });

  it('endSessions aborts an open transaction of those sessions (embedded only: mongod reaps ended sessions later, at its next session refresh)', async (ctx) => {
    if (onlyEmbedded) ctx.skip();
    const session = env.client.startSession();
    try {
      session.startTransaction();
      await coll.updateOne({ _id: 'A' as never }, { $set: { n: 1 } }, { session });
      await admin().command({ endSessions: [session.id] });
      const started = Date.now();
      await coll.updateOne({ _id: 'A' as never }, { $set: { n: 2 } });
      expect(Date.now() - started).toBeLessThan(1000);
      expect((await session.commitTransaction().catch((e) => e)).code).toBe(251);
      expect((await coll.findOne({ _id: 'A' as never }))!.n).toBe(2);
    } finally {
      await session.endSession();
    }
  });
});
