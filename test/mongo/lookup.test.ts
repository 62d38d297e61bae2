/**
 * The equality $lookup (localField/foreignField, with or without a sub-pipeline), as a join reads a
 * table and its open session in one command (functions/data/sessions-store.ts
 * findTableWithOpenSession), and partial indexes used when the filter implies their expression.
 * Answers on the embedded server and, with MONGODB_URI, on a real MongoDB: the same. The embedded
 * server reaches the foreign documents through the foreign collection's index (counters, explain).
 */
import type { Collection, Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onlyEmbedded, openMongoEnv, type MongoEnv } from './harness.ts';

let env: MongoEnv;
let tables: Collection<Document>;
let sessions: Collection<Document>;
const HISTORY = 300;

beforeAll(async () => {
  env = await openMongoEnv('lookup');
  tables = env.db.collection('tables');
  sessions = env.db.collection('sessions');
  await tables.createIndex({ r: 1, code: 1 }, { name: 'code', unique: true, partialFilterExpression: { code: { $exists: true } } });
  await sessions.createIndex({ r: 1, tableId: 1 }, { name: 'one_open', unique: true, partialFilterExpression: { status: 'OPEN' } });
  await tables.insertMany([
    { _id: 1 as never, r: 'a', code: 'one', n: 'T-1' },
    { _id: 2 as never, r: 'a', code: 'two', n: 'T-2' },
    { _id: 3 as never, r: 'a', n: 'T-3' },
    { _id: 4 as never, r: 'b', code: 'one', n: 'B-1' },
  ]);
  // A day's history first, then the open sessions: T-1 and B-1 are open, T-2 is not.
  await sessions.insertMany(Array.from({ length: HISTORY }, (_, i) => ({ _id: 1000 + i, r: 'a', tableId: 1 + (i % 3), status: 'CLOSED', pin: `old${i}` })) as never[]);
  await sessions.insertMany([
    { _id: 1 as never, r: 'a', tableId: 1, status: 'OPEN', pin: 'x1', tokens: [{ d: 'p1', h: 'h1' }] },
    { _id: 2 as never, r: 'b', tableId: 4, status: 'OPEN', pin: 'x4' },
    { _id: 3 as never, r: 'a', status: 'OPEN', pin: 'no-table' },
  ]);
});
afterAll(() => env?.close());

/** The join's read: the table by its code, with its open session of the same restaurant. */
const tableWithOpenSession = (match: Document, r = 'a') => [
  { $match: { ...match, r } },
  { $limit: 1 },
  { $project: { _id: 1, n: 1 } },
  {
    $lookup: {
      from: 'sessions',
      localField: '_id',
      foreignField: 'tableId',
      pipeline: [{ $match: { r, status: 'OPEN' } }, { $limit: 1 }, { $project: { pin: 1, 'tokens.d': 1 } }],
      as: 'open',
    },
  },
];

describe('$lookup on localField/foreignField', () => {
  it('with a sub-pipeline: runs it on the matching foreign documents only', async () => {
    expect(await tables.aggregate(tableWithOpenSession({ code: 'one' })).toArray()).toEqual([{ _id: 1, n: 'T-1', open: [{ _id: 1, pin: 'x1', tokens: [{ d: 'p1' }] }] }]);
    expect(await tables.aggregate(tableWithOpenSession({ code: 'two' })).toArray()).toEqual([{ _id: 2, n: 'T-2', open: [] }]);
    expect(await tables.aggregate(tableWithOpenSession({ code: 'one' }, 'b')).toArray()).toEqual([{ _id: 4, n: 'B-1', open: [{ _id: 2, pin: 'x4' }] }]);
    expect(await tables.aggregate(tableWithOpenSession({ code: 'nope' })).toArray()).toEqual([]);
  });

  it('without a sub-pipeline, a missing local value and an array on the foreign side', async () => {
    const tags = env.db.collection('tags');
    await tags.insertMany([{ _id: 'p' as never, tableIds: [2, 3] }, { _id: 'q' as never, tableIds: [] }, { _id: 'r' as never }]);
    const out = await tables
      .aggregate([{ $match: { r: 'a' } }, { $sort: { _id: 1 } }, { $lookup: { from: 'tags', localField: '_id', foreignField: 'tableIds', as: 't' } }, { $project: { t: '$t._id' } }])
      .toArray();
    expect(out).toEqual([{ _id: 1, t: [] }, { _id: 2, t: ['p'] }, { _id: 3, t: ['p'] }]);
    const missing = await tags.aggregate([{ $match: { _id: 'r' } }, { $lookup: { from: 'sessions', localField: 'tableId', foreignField: 'tableId', as: 's' } }, { $project: { s: '$s._id' } }]).toArray();
    expect(missing).toEqual([{ _id: 'r', s: [3] }]);
  });
});

describe('partial indexes', () => {
  it('answer a filter that implies their expression, and never hide documents they do not hold', async () => {
    expect((await sessions.find({ r: 'a', tableId: 1, status: 'OPEN' }).toArray()).map((d) => d._id)).toEqual([1]);
    expect(await sessions.countDocuments({ r: 'a', tableId: 1 })).toBe(HISTORY / 3 + 1);
    expect(await sessions.countDocuments({ r: 'a', tableId: 1, status: 'CLOSED' })).toBe(HISTORY / 3);
    expect((await tables.findOne({ r: 'a', code: 'two' }))?._id).toBe(2);
  });

  it('are used for it, by find and by the $lookup (embedded only: counters and its explain)', async (ctx) => {
    if (onlyEmbedded) ctx.skip();
    const counters = env.embedded!.counters;
    const ns = (name: string) => `${env.dbName}.${name}`;
    const plan = await sessions.find({ r: 'a', tableId: 1, status: 'OPEN' }).explain('queryPlanner');
    expect(plan.queryPlanner.winningPlan.inputStage).toMatchObject({ stage: 'IXSCAN', indexName: 'one_open' });

    counters.reset();
    await tables.aggregate(tableWithOpenSession({ code: 'one' })).toArray();
    expect(counters.documentsExamined[ns('tables')]).toBe(1);
    expect(counters.documentsExamined[ns('sessions')]).toBe(1);

    const explained = await tables.aggregate(tableWithOpenSession({ code: 'one' })).explain('executionStats');
    const lookup = (explained.stages as Document[]).find((stage) => stage.$lookup);
    expect(lookup).toMatchObject({ totalDocsExamined: 1, collectionScans: 0, indexesUsed: ['one_open'] });
  });
});
