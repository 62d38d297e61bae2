/**
 * The embedded MongoDB on its own worker thread (local/mongo-on-thread.ts): the driver reaches it,
 * its counters are read and reset by message, a data directory survives a stop and a start, and a
 * call after the thread is gone fails rather than hangs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';
import { startMongoThread } from '../../local/mongo-on-thread.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('the embedded MongoDB on a worker thread', () => {
  it('serves the driver; counters come back by message and reset', async () => {
    const mongo = await startMongoThread({ ttlSweepMs: 0 });
    const client = await new MongoClient(mongo.uri).connect();
    try {
      await client.db('t').collection('c').insertOne({ a: 1 });
      await client.db('t').collection('c').findOne({ a: 1 });
      const counters = await mongo.counters();
      expect(counters.commands).toMatchObject({ insert: 1, find: 1 });
      expect(counters.namespaces['t.c']).toMatchObject({ insert: 1, find: 1 });
      expect(counters.documentsWritten['t.c']).toBe(1);
      await mongo.resetCounters();
      expect((await mongo.counters()).commands).toEqual({});
    } finally {
      await client.close();
      await mongo.stop();
    }
  });

  it('keeps a data directory across a stop and a start', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'plato-mongo-thread-'));
    dirs.push(dataDir);
    const first = await startMongoThread({ dataDir });
    const writer = await new MongoClient(first.uri).connect();
    await writer.db('t').collection('c').insertOne({ _id: 'kept' as never });
    await writer.close();
    await first.stop();
    await first.stop(); // idempotent

    const second = await startMongoThread({ dataDir });
    const reader = await new MongoClient(second.uri).connect();
    try {
      expect(await reader.db('t').collection('c').findOne({ _id: 'kept' as never })).toEqual({ _id: 'kept' });
    } finally {
      await reader.close();
      await second.stop();
    }
  });

  it('fails a call made after the thread is gone instead of hanging', async () => {
    const mongo = await startMongoThread();
    await mongo.stop();
    await expect(mongo.counters()).rejects.toThrow(/thread exited/);
  });
});
