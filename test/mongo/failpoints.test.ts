import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MongoServerError, type Collection, type Document } from 'mongodb';
import { failCommand, onlyEmbedded, openMongoEnv, type MongoEnv } from './harness.ts';

let env: MongoEnv;
let coll: Collection<Document>;

beforeAll(async () => {
  env = await openMongoEnv('failpoints');
  coll = env.db.collection('fp');
  await coll.insertOne({ _id: 1 as never });
});
afterEach(async () => {
  await failCommand(env.client, 'off');
});
afterAll(async () => {
  await env.close();
});

describe('configureFailPoint failCommand', () => {
  it('fails the named command {times: n} and then lets it through', async () => {
    await failCommand(env.client, { times: 2 }, { failCommands: ['find'], errorCode: 2 });
    for (let i = 0; i < 2; i++) {
      const err = await coll.findOne({}).catch((e) => e);
      expect(err).toBeInstanceOf(MongoServerError);
      expect(err.code).toBe(2);
    }
    expect(await coll.findOne({})).toEqual({ _id: 1 });
  });

  it('reports in `count` how many commands it has acted on (compare two replies)', async () => {
    const before = await failCommand(env.client, { times: 2 }, { failCommands: ['find'], errorCode: 2 });
    await expect(coll.findOne({})).rejects.toMatchObject({ code: 2 });
    await coll.insertOne({ _id: 2 as never }); // not a find: the fail point does not act
    const after = await failCommand(env.client, 'off');
    expect(after.count - before.count).toBe(1);
    await coll.deleteOne({ _id: 2 as never });
  });

  it('does not touch commands outside failCommands', async () => {
    await failCommand(env.client, 'alwaysOn', { failCommands: ['delete'], errorCode: 2 });
    expect(await coll.findOne({})).toEqual({ _id: 1 });
    await expect(coll.deleteOne({ _id: 99 as never })).rejects.toMatchObject({ code: 2 });
  });

  it('alwaysOn fails until turned off', async () => {
    await failCommand(env.client, 'alwaysOn', { failCommands: ['count'], errorCode: 11600 });
    for (let i = 0; i < 3; i++) await expect(env.db.command({ count: 'fp' })).rejects.toMatchObject({ code: 11600 });
    await failCommand(env.client, 'off');
    expect((await env.db.command({ count: 'fp' })).n).toBe(1);
  });

  it('returns the configured errorLabels', async () => {
    await failCommand(env.client, { times: 1 }, { failCommands: ['find'], errorCode: 112, errorLabels: ['TransientTransactionError'] });
    const err = await coll.findOne({}).catch((e) => e);
    expect(err.code).toBe(112);
    expect(err.hasErrorLabel('TransientTransactionError')).toBe(true);
  });

  it('a retryable error on a write is retried once by the driver', async () => {
    await failCommand(env.client, { times: 1 }, { failCommands: ['insert'], errorCode: 91 });
    await coll.insertOne({ _id: 'retried' as never });
    expect(await coll.countDocuments({ _id: 'retried' as never })).toBe(1);
  });

  it('closeConnection drops the connection; the pool recovers', async () => {
    const client = await env.newClient({ retryReads: false });
    const c = client.db(env.dbName).collection('fp');
    await failCommand(env.client, { times: 1 }, { failCommands: ['find'], closeConnection: true });
    const err = await c.findOne({}).catch((e) => e);
    expect(err?.name).toMatch(/MongoNetworkError|MongoServerSelectionError|MongoPoolClearedError/);
    expect(await c.findOne({})).toEqual({ _id: 1 });
  });

  it('blockConnection delays the command by blockTimeMS', async () => {
    await failCommand(env.client, { times: 1 }, { failCommands: ['find'], blockConnection: true, blockTimeMS: 300 });
    const started = Date.now();
    expect(await coll.findOne({})).toEqual({ _id: 1 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    const quick = Date.now();
    await coll.findOne({});
    expect(Date.now() - quick).toBeLessThan(250);
  });

  it('appName restricts the fail point to one client', async () => {
    const tagged = await env.newClient({ appName: 'fp-target' });
    const other = await env.newClient({ appName: 'fp-bystander' });
    await failCommand(env.client, { times: 1 }, { failCommands: ['find'], errorCode: 2, appName: 'fp-target' });
    expect(await other.db(env.dbName).collection('fp').findOne({})).toEqual({ _id: 1 });
    await expect(tagged.db(env.dbName).collection('fp').findOne({})).rejects.toMatchObject({ code: 2 });
    expect(await tagged.db(env.dbName).collection('fp').findOne({})).toEqual({ _id: 1 });
  });

  it('costs exactly one round trip per failed attempt (embedded only)', async (ctx) => {
    if (onlyEmbedded) ctx.skip();
    const counters = env.embedded!.counters;
    counters.reset();
    await failCommand(env.client, { times: 1 }, { failCommands: ['update'], errorCode: 189 });
    await coll.updateOne({ _id: 1 as never }, { $set: { touched: true } });
    expect(counters.namespaces[`${env.dbName}.fp`].update).toBe(2); // failed + retried
    expect(counters.documentsWritten[`${env.dbName}.fp`]).toBe(1);
  });
});
