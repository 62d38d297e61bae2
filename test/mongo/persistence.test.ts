// Embedded-only: the data directory (write-ahead log + checkpoints) across restarts and SIGKILLs,
// and the standalone CLI.
import { afterEach, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { BSON, Long, MongoClient, UUID, type Document } from 'mongodb';
import { startMongoServer } from '../../local/mongo/index.ts';
import { onlyEmbedded } from './harness.ts';
import { frame, PREALLOCATE_BYTES, readRecords, segmentName } from '../../local/mongo/wal/log.ts';

const dirs: string[] = [];
const children: ChildProcess[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'plato-mongo-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function withServer<T>(dataDir: string, fn: (client: MongoClient) => Promise<T>): Promise<T> {
  const server = await startMongoServer({ dataDir });
  const client = await MongoClient.connect(`${server.uri}app`);
  try {
    return await fn(client);
  } finally {
    await client.close();
    await server.stop();
  }
}

/** The CLI in a child process (so it can be SIGKILLed); resolves with its URI. */
async function startCli(args: string[]): Promise<{ child: ChildProcess; uri: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/mongo/cli.ts', '--port', '0', ...args], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const uri = await new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    child.stdout!.on('data', (d) => {
      out += d;
      const m = out.match(/mongodb:\/\/\S+/);
      if (m) resolve(m[0]);
    });
    child.on('exit', (code) => reject(new Error(`cli exited ${code}: ${err}`)));
  });
  return { child, uri };
}

/** One command as an OP_MSG on a fresh socket, exactly as given (lsid and txnNumber included). */
function rawCommand(uri: string, body: Document): Promise<Document> {
  const { hostname, port } = new URL(uri);
  const doc = BSON.serialize(body);
  const msg = Buffer.alloc(21 + doc.length);
  msg.writeInt32LE(msg.length, 0);
  msg.writeInt32LE(1, 4); // requestID
  msg.writeInt32LE(2013, 12); // OP_MSG
  msg.set(doc, 21); // flags 0, section kind 0
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(msg));
    let data = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      data = Buffer.concat([data, chunk]);
      if (data.length >= 4 && data.length >= data.readInt32LE(0)) {
        socket.destroy();
        resolve(BSON.deserialize(data.subarray(21, data.readInt32LE(0))));
      }
    });
    socket.on('error', reject);
  });
}

function sigkill(child: ChildProcess): Promise<void> {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  return exited;
}

const walFiles = (dir: string) => readdirSync(dir).filter((f) => f.startsWith('wal-'));

describe.skipIf(onlyEmbedded)('persistence with dataDir', () => {
  it('keeps documents, indexes, TTL indexes and the catalog across a restart', async () => {
    const dataDir = tempDir();
    const uuid = await withServer(dataDir, async (client) => {
      const orders = client.db().collection('orders');
      await orders.createIndex({ ref: 1 }, { unique: true });
      await orders.createIndex({ at: 1 }, { expireAfterSeconds: 60, name: 'ttl' });
      await orders.createIndex({ temp: 1 });
      await orders.dropIndex('temp_1');
      await orders.insertMany([{ ref: 'a', total: 1 }, { ref: 'b', total: 2 }]);
      await orders.updateOne({ ref: 'a' }, { $set: { total: 10 } });
      await client.db().collection('gone').insertOne({ x: 1 });
      await client.db().collection('gone').drop();
      return (await client.db().listCollections({ name: 'orders' }, { nameOnly: false }).toArray())[0].info?.uuid;
    });
    await withServer(dataDir, async (client) => {
      const orders = client.db().collection('orders');
      expect(await orders.find({}, { projection: { _id: 0 } }).sort({ ref: 1 }).toArray()).toEqual([
        { ref: 'a', total: 10 },
        { ref: 'b', total: 2 },
      ]);
      await expect(orders.insertOne({ ref: 'a' })).rejects.toMatchObject({ code: 11000 });
      const collections = await client.db().listCollections({}, { nameOnly: false }).toArray();
      expect(collections.map((c) => c.name)).toEqual(['orders']);
      expect(collections[0].info?.uuid).toEqual(uuid);
      expect((await orders.listIndexes().toArray()).map((i) => [i.name, i.expireAfterSeconds])).toEqual([
        ['_id_', undefined],
        ['ref_1', undefined],
        ['ttl', 60],
      ]);
    });
  });

  it('loses no acknowledged write, transaction or catalog change when the process is SIGKILLed', async () => {
    const dataDir = tempDir();
    const { child, uri } = await startCli(['--data-dir', dataDir]);
    const client = await MongoClient.connect(`${uri}app`, { serverSelectionTimeoutMS: 500 }); // close() after the kill gives up quickly
    const db = client.db();
    await db.collection('ttl').createIndex({ at: 1 }, { expireAfterSeconds: 3600 });
    const session = client.startSession();
    await session.withTransaction(async () => {
      await db.collection('carts').updateOne({ _id: 'c1' as never }, { $set: { lines: [] }, $inc: { version: 1 } }, { session, upsert: true });
      await db.collection('counters').updateOne({ _id: 'n' as never }, { $inc: { seq: 1 } }, { session, upsert: true });
      await db.collection('orders').insertOne({ _id: 'o1' as never, n: 1 }, { session });
      await db.collection('audit').insertOne({ _id: 'a1' as never, order: 'o1' }, { session });
    });
    await session.endSession();
    await Promise.all(Array.from({ length: 40 }, (_, i) => db.collection('docs').insertOne({ _id: i as never })));
    await db.collection('docs').deleteOne({ _id: 0 as never });
    await sigkill(child); // right after the last acknowledgement: nothing had time to be flushed later
    await client.close().catch(() => undefined);

    await withServer(dataDir, async (restarted) => {
      const d = restarted.db();
      expect(await d.collection('docs').countDocuments()).toBe(39);
      expect(await d.collection('carts').findOne()).toEqual({ _id: 'c1', lines: [], version: 1 });
      expect(await d.collection('counters').findOne()).toEqual({ _id: 'n', seq: 1 });
      expect(await d.collection('orders').findOne()).toEqual({ _id: 'o1', n: 1 });
      expect(await d.collection('audit').findOne()).toEqual({ _id: 'a1', order: 'o1' });
      expect((await d.collection('ttl').listIndexes().toArray()).find((i) => i.name === 'at_1')?.expireAfterSeconds).toBe(3600);
    });
  });

  it('answers a retryable write retried after a SIGKILL and restart with its first reply, without running it again, and refuses an older one', async () => {
    const dataDir = tempDir();
    // What a driver sends for a retryable write, on the wire (the driver would put its own session
    // on a command run through it): the same lsid and txnNumber again on the retry.
    const bump = { findAndModify: 'counters', query: { _id: 'c' }, update: { $inc: { n: 1 } }, upsert: true, new: true, lsid: { id: new UUID() }, txnNumber: Long.fromNumber(1), $db: 'app' };
    const insert = { insert: 'orders', documents: [{ _id: 'o1', n: 1 }], lsid: { id: new UUID() }, txnNumber: Long.fromNumber(1), $db: 'app' };
    // A session that went on to a newer write: its older one is refused after the restart too (TransactionTooOld).
    const lsid = { id: new UUID() };
    const older = { insert: 'orders', documents: [{ _id: 'o2' }], lsid, txnNumber: Long.fromNumber(1), $db: 'app' };
    const newer = { insert: 'orders', documents: [{ _id: 'o3' }], lsid, txnNumber: Long.fromNumber(2), $db: 'app' };
    const first = await startCli(['--data-dir', dataDir]);
    expect((await rawCommand(first.uri, bump)).value).toEqual({ _id: 'c', n: 1 });
    expect(await rawCommand(first.uri, insert)).toMatchObject({ n: 1, ok: 1 });
    expect(await rawCommand(first.uri, older)).toMatchObject({ n: 1, ok: 1 });
    expect(await rawCommand(first.uri, newer)).toMatchObject({ n: 1, ok: 1 });
    await sigkill(first.child);

    const { uri } = await startCli(['--data-dir', dataDir]);
    expect((await rawCommand(uri, bump)).value).toEqual({ _id: 'c', n: 1 }); // the first reply, not n: 2
    const retried = await rawCommand(uri, insert);
    expect(retried.writeErrors).toBeUndefined(); // not a duplicate key: the insert did not run again
    expect(retried).toMatchObject({ n: 1, ok: 1, retriedStmtIds: [0] });
    expect(await rawCommand(uri, older)).toMatchObject({ ok: 0, code: 225, codeName: 'TransactionTooOld' });
    expect((await rawCommand(uri, { ...bump, txnNumber: Long.fromNumber(2) })).value).toEqual({ _id: 'c', n: 2 }); // a new write
    const client = await MongoClient.connect(`${uri}app`);
    try {
      expect(await client.db().collection('counters').findOne()).toEqual({ _id: 'c', n: 2 });
      expect(await client.db().collection('orders').countDocuments()).toBe(3);
    } finally {
      await client.close();
    }
  });

  it('drops a torn tail and keeps each transaction whole, wherever the log is cut', async () => {
    const dataDir = tempDir();
    const { child, uri } = await startCli(['--data-dir', dataDir]);
    const client = await MongoClient.connect(`${uri}app`, { serverSelectionTimeoutMS: 500 }); // close() after the kill gives up quickly
    const db = client.db();
    for (let i = 0; i < 20; i++) {
      const session = client.startSession();
      await session.withTransaction(async () => {
        await db.collection('a').insertOne({ _id: i as never, pad: 'x'.repeat(50) }, { session });
        await db.collection('b').insertOne({ _id: i as never }, { session });
        await db.collection('n').updateOne({ _id: 'count' as never }, { $inc: { v: 1 } }, { session, upsert: true });
      });
      await session.endSession();
    }
    await sigkill(child);
    await client.close().catch(() => undefined);
    const [wal] = walFiles(dataDir);
    const size = readRecords(readFileSync(join(dataDir, wal))).end; // the records; preallocated zeros follow
    const cuts = [size, size - 1, size - 9, ...Array.from({ length: 5 }, () => Math.floor(Math.random() * size))];
    // A write torn at `cut`: the file cut short there, or (in preallocated space) zeros from there on.
    for (const [cut, tear] of cuts.flatMap((cut) => [[cut, 'truncate'], [cut, 'zero']] as const)) {
      const copy = tempDir();
      cpSync(dataDir, copy, { recursive: true });
      if (tear === 'truncate') truncateSync(join(copy, wal), cut);
      else writeFileSync(join(copy, wal), Buffer.concat([readFileSync(join(copy, wal)).subarray(0, cut), Buffer.alloc(PREALLOCATE_BYTES - cut)]));
      await withServer(copy, async (restarted) => {
        const d = restarted.db();
        const a = (await d.collection('a').find().sort({ _id: 1 }).toArray()).map((x) => x._id);
        const b = (await d.collection('b').find().sort({ _id: 1 }).toArray()).map((x) => x._id);
        const count = (await d.collection('n').findOne())?.v ?? 0;
        expect(a).toEqual(b);
        expect(a).toEqual(Array.from({ length: count }, (_, i) => i)); // a prefix of the transactions, each whole
        if (cut === size) expect(count).toBe(20);
      });
    }
    // A flipped byte in the last record fails its checksum: that record is dropped, the rest kept.
    const flipped = tempDir();
    cpSync(dataDir, flipped, { recursive: true });
    const bytes = readFileSync(join(flipped, wal));
    bytes[size - 3] ^= 0xff;
    writeFileSync(join(flipped, wal), bytes);
    await withServer(flipped, async (restarted) => {
      expect(await restarted.db().collection('a').countDocuments()).toBe(19);
      expect((await restarted.db().collection('n').findOne())?.v).toBe(19);
    });
  }, 120_000); // 16 recoveries: minutes on a loaded machine

  it('preallocates log segments with zeros, which recovery takes for unused space, not for records or damage', async () => {
    const dataDir = tempDir();
    const { child, uri } = await startCli(['--data-dir', dataDir]);
    const client = await MongoClient.connect(`${uri}app`, { serverSelectionTimeoutMS: 500 });
    const docs = client.db().collection('docs');
    await docs.insertOne({ n: 0 });
    const [wal] = walFiles(dataDir);
    const allocated = statSync(join(dataDir, wal)).size;
    expect(allocated % PREALLOCATE_BYTES).toBe(0);
    for (let n = 1; n < 40; n++) await docs.insertOne({ n, pad: 'z'.repeat(200) });
    // The records overwrite space the file already has: its size did not change with them.
    expect(statSync(join(dataDir, wal)).size).toBe(allocated);
    await sigkill(child);
    await client.close().catch(() => undefined);
    const bytes = readFileSync(join(dataDir, wal));
    const { payloads, end, torn } = readRecords(bytes);
    expect(torn).toBe(false);
    expect(bytes.subarray(end).every((byte) => byte === 0)).toBe(true);
    await withServer(dataDir, async (restarted) => expect(await restarted.db().collection('docs').countDocuments()).toBe(40));

    // A crash during a checkpoint leaves two segments, each with zeros past its records: the log
    // goes on in the second, and every record of both is replayed.
    const split = tempDir();
    cpSync(dataDir, split, { recursive: true });
    for (const file of walFiles(split)) rmSync(join(split, file));
    rmSync(join(split, 'checkpoint.bson')); // the first run's, empty, as of LSN 0
    // The first run's log (recovery above checkpointed it away), from the bytes read before it, in two segments.
    const records = payloads.map((payload) => ({ payload, lsn: (BSON.deserialize(payload) as { lsn: number }).lsn }));
    const half = Math.floor(records.length / 2);
    const segment = (part: typeof records) => {
      const framed = Buffer.concat(part.map((r) => frame(r.payload)));
      return Buffer.concat([framed, Buffer.alloc(PREALLOCATE_BYTES - framed.length)]);
    };
    writeFileSync(join(split, segmentName(records[0].lsn)), segment(records.slice(0, half)));
    writeFileSync(join(split, segmentName(records[half].lsn)), segment(records.slice(half)));
    await withServer(split, async (restarted) => expect(await restarted.db().collection('docs').countDocuments()).toBe(40));
  });

  it('checkpoints in the background as the log grows, and recovers from checkpoint + log', async () => {
    const dataDir = tempDir();
    const { child, uri } = await startCli(['--data-dir', dataDir, '--checkpoint-log-bytes', '20000']);
    const client = await MongoClient.connect(`${uri}app`, { maxPoolSize: 8, serverSelectionTimeoutMS: 500 });
    const docs = client.db().collection('docs');
    await docs.createIndex({ n: 1 }, { unique: true });
    for (let round = 0; round < 10; round++) {
      await Promise.all(Array.from({ length: 8 }, (_, j) => docs.insertOne({ n: round * 8 + j, pad: 'y'.repeat(400) })));
    }
    await sigkill(child);
    await client.close().catch(() => undefined);
    expect(readdirSync(dataDir)).toContain('checkpoint.bson');
    await withServer(dataDir, async (restarted) => {
      const again = restarted.db().collection('docs');
      expect(await again.countDocuments()).toBe(80);
      await expect(again.insertOne({ n: 5 })).rejects.toMatchObject({ code: 11000 });
    });
    expect(walFiles(dataDir).length).toBe(1); // recovery checkpointed: only the fresh segment is left
  });

  it('refuses a data directory of another format with a clear message', async () => {
    const newer = tempDir();
    writeFileSync(join(newer, 'FORMAT'), JSON.stringify({ format: 'plato-embedded-mongodb', version: 99 }));
    await expect(startMongoServer({ dataDir: newer })).rejects.toThrow(/format 99.*reads formats 2 and 3 only/);
    // Format 2 (the same, without preallocated log space) is read and restamped 3.
    const format2 = tempDir();
    await withServer(format2, (client) => client.db().collection('kept').insertOne({ a: 1 }));
    writeFileSync(join(format2, 'FORMAT'), JSON.stringify({ format: 'plato-embedded-mongodb', version: 2 }));
    await withServer(format2, async (client) => expect(await client.db().collection('kept').countDocuments()).toBe(1));
    expect(JSON.parse(readFileSync(join(format2, 'FORMAT'), 'utf8')).version).toBe(3);
    const older = tempDir();
    writeFileSync(join(older, 'app.orders.coll.bson'), Buffer.alloc(0));
    await expect(startMongoServer({ dataDir: older })).rejects.toThrow(/format 1 \(one file per collection/);
  });

  it('is in-memory by default', async () => {
    const first = await startMongoServer();
    const c1 = await MongoClient.connect(`${first.uri}app`);
    await c1.db().collection('x').insertOne({ a: 1 });
    await c1.close();
    await first.stop();
    const second = await startMongoServer();
    const c2 = await MongoClient.connect(`${second.uri}app`);
    expect(await c2.db().collection('x').countDocuments()).toBe(0);
    await c2.close();
    await second.stop();
  });
});

describe.skipIf(onlyEmbedded)('standalone CLI', () => {
  it('starts in the foreground, prints its URI and serves the driver', async () => {
    const { child, uri } = await startCli([]);
    const client = await MongoClient.connect(uri);
    expect((await client.db('admin').command({ ping: 1 })).ok).toBe(1);
    await client.close();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  });
});
