// Embedded-only: restarts of the embedded server with --data-dir, and the standalone CLI.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { MongoClient } from 'mongodb';
import { startMongoServer } from '../../local/mongo/index.ts';
import { onlyEmbedded } from './harness.ts';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'plato-mongo-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function withServer<T>(dataDir: string, fn: (uri: string) => Promise<T>): Promise<T> {
  const server = await startMongoServer({ dataDir });
  const client = new MongoClient(`${server.uri}app`);
  try {
    await client.connect();
    return await fn(`${server.uri}app`);
  } finally {
    await client.close();
    await server.stop();
  }
}

describe.skipIf(onlyEmbedded)('persistence with dataDir', () => {
  it('keeps documents and indexes across a restart', async () => {
    const dataDir = tempDir();
    await withServer(dataDir, async (uri) => {
      const client = await MongoClient.connect(uri);
      const orders = client.db().collection('orders');
      await orders.createIndex({ ref: 1 }, { unique: true });
      await orders.insertMany([{ ref: 'a', total: 1 }, { ref: 'b', total: 2 }]);
      await orders.updateOne({ ref: 'a' }, { $set: { total: 10 } });
      await client.db().collection('gone').insertOne({ x: 1 });
      await client.db().collection('gone').drop();
      await client.close();
    });
    expect(readdirSync(dataDir).some((f) => f.includes('.tmp-'))).toBe(false);
    await withServer(dataDir, async (uri) => {
      const client = await MongoClient.connect(uri);
      const orders = client.db().collection('orders');
      expect(await orders.find({}, { projection: { _id: 0 } }).sort({ ref: 1 }).toArray()).toEqual([
        { ref: 'a', total: 10 },
        { ref: 'b', total: 2 },
      ]);
      await expect(orders.insertOne({ ref: 'a' })).rejects.toMatchObject({ code: 11000 });
      expect((await client.db().listCollections().toArray()).map((c) => c.name)).toEqual(['orders']);
      await client.close();
    });
  });

  it('ignores a half-written temp file left by a crash', async () => {
    const dataDir = tempDir();
    await withServer(dataDir, async (uri) => {
      const client = await MongoClient.connect(uri);
      await client.db().collection('kept').insertOne({ _id: 1 as never });
      await client.close();
    });
    const [file] = readdirSync(dataDir);
    writeFileSync(join(dataDir, `${file}.tmp-99999`), Buffer.from([0x50, 0, 0, 0, 1, 2])); // torn write
    await withServer(dataDir, async (uri) => {
      const client = await MongoClient.connect(uri);
      expect(await client.db().collection('kept').find().toArray()).toEqual([{ _id: 1 }]);
      await client.close();
    });
    expect(readdirSync(dataDir).some((f) => f.includes('.tmp-'))).toBe(false);
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
    const child = spawn(process.execPath, ['--import', 'tsx', 'local/mongo/cli.ts', '--port', '0'], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const uri = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d) => {
          out += d;
          const m = out.match(/mongodb:\/\/\S+/);
          if (m) resolve(m[0]);
        });
        child.on('exit', (code) => reject(new Error(`cli exited ${code}`)));
      });
      const client = await MongoClient.connect(uri);
      expect((await client.db('admin').command({ ping: 1 })).ok).toBe(1);
      await client.close();
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });
});
