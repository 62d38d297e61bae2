// The embedded MongoDB with a data directory (write-ahead log, fsync before every reply) against in
// memory: `npm run bench:mongo` prints it after the in-memory figures. Issue #16 targets, with a data
// directory: p50 on one client <= 2x in memory; throughput with 16 clients >= 60 % of in memory.
import { execFileSync } from 'node:child_process';
import { closeSync, fdatasyncSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { MongoClient, type Document } from 'mongodb';
import { startMongoServer } from '../local/mongo/index.ts';

type Op = (client: MongoClient, i: number) => Promise<unknown>;

const padding = 'x'.repeat(900);
let seq = 0;
const OPS: Record<string, Op> = {
  insertOne: (c) => c.db().collection('orders').insertOne({ code: `n${seq++}`, total: 1, padding }),
  findOneAndUpdate: (c, i) => c.db().collection('orders').findOneAndUpdate({ code: `o${(i * 104729) % 10_000}` }, { $inc: { total: 1 } }, { returnDocument: 'after' }),
  'transaction (4 writes)': async (c, i) => {
    const session = c.startSession();
    try {
      await session.withTransaction(async () => {
        const db = c.db();
        await db.collection('carts').updateOne({ _id: `c${i % 64}` as never }, { $inc: { version: 1 }, $set: { lines: [] } }, { session, upsert: true });
        await db.collection('counters').updateOne({ _id: `d${i % 64}` as never }, { $inc: { seq: 1 } }, { session, upsert: true });
        await db.collection('placed').insertOne({ n: seq++, padding }, { session });
        await db.collection('audit').insertOne({ n: seq++ }, { session });
      });
    } finally {
      await session.endSession();
    }
  },
};

export interface ModeFigures {
  p50Ms: Record<string, number>;
  /** operations per second with 16 concurrent clients */
  throughput16: Record<string, number>;
}

export interface DurabilityResult {
  memory: ModeFigures;
  dataDir: ModeFigures;
  /** one 300-byte append + fdatasync on the data directory's disk: the floor of a durable write */
  fsyncMs: number;
  /** longest insertOne while a checkpoint of 100,000 x 1 KB documents runs, and that checkpoint's duration */
  checkpointStallMs: number;
  /** longest the event loop was held during that checkpoint (what the server itself blocked) */
  checkpointLoopBlockMs: number;
  /** longest garbage-collection pause during that checkpoint, and how many it had */
  checkpointGcMaxMs: number;
  checkpointGcs: number;
  checkpointMs: number;
  rssMb: number;
  diskMb: number;
}

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * q)];

async function measureMode(dataDir: string | undefined, iterations: number): Promise<ModeFigures> {
  const server = await startMongoServer({ dataDir });
  const client = new MongoClient(`${server.uri}bench`, { maxPoolSize: 16 });
  try {
    const orders = client.db().collection('orders');
    await orders.createIndex({ code: 1 }, { unique: true });
    for (let i = 0; i < 10_000; i += 2000) await orders.insertMany(Array.from({ length: 2000 }, (_, j) => ({ code: `o${i + j}`, total: 0, padding })));
    const p50Ms: Record<string, number> = {};
    const throughput16: Record<string, number> = {};
    for (const [name, op] of Object.entries(OPS)) {
      for (let i = 0; i < 30; i++) await op(client, i); // warm-up
      const samples: number[] = [];
      for (let i = 0; i < iterations; i++) {
        const t = performance.now();
        await op(client, i);
        samples.push(performance.now() - t);
      }
      p50Ms[name] = quantile(samples, 0.5);
      let done = 0;
      const until = performance.now() + 1500;
      await Promise.all(Array.from({ length: 16 }, async (_, w) => {
        for (let i = w; performance.now() < until; i += 16) {
          await op(client, i);
          done++;
        }
      }));
      throughput16[name] = done / 1.5;
    }
    return { p50Ms, throughput16 };
  } finally {
    await client.close();
    await server.stop();
  }
}

function medianFigures(all: ModeFigures[]): ModeFigures {
  const pick = (key: keyof ModeFigures) => Object.fromEntries(Object.keys(all[0][key]).map((name) => [name, quantile(all.map((f) => f[key][name]), 0.5)]));
  return { p50Ms: pick('p50Ms'), throughput16: pick('throughput16') };
}

function fsyncFloor(dir: string): number {
  const fd = openSync(join(dir, 'fsync-probe'), 'w');
  const buf = Buffer.alloc(300, 1);
  const samples: number[] = [];
  for (let i = 0; i < 50; i++) {
    const t = performance.now();
    writeSync(fd, buf);
    fdatasyncSync(fd);
    samples.push(performance.now() - t);
  }
  closeSync(fd);
  return quantile(samples, 0.5);
}

/** 100,000 x 1 KB documents in a data directory: RSS, disk use, and how long a checkpoint holds writers up. */
async function checkpointFigures(dir: string): Promise<Pick<DurabilityResult, 'checkpointStallMs' | 'checkpointLoopBlockMs' | 'checkpointGcMaxMs' | 'checkpointGcs' | 'checkpointMs' | 'rssMb' | 'diskMb'>> {
  const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--checkpoint-child', dir], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!);
}

async function checkpointChild(dir: string): Promise<void> {
  const server = await startMongoServer({ dataDir: dir, checkpointLogBytes: 1 << 30 });
  const client = new MongoClient(`${server.uri}bench`);
  const docs = client.db().collection<Document>('docs');
  for (let i = 0; i < 100_000; i += 5000) await docs.insertMany(Array.from({ length: 5000 }, (_, j) => ({ n: i + j, createdAt: new Date(), padding })));
  let stall = 0;
  let writing = true;
  const writer = (async () => {
    while (writing) {
      const t = performance.now();
      await docs.insertOne({ n: -1, padding });
      stall = Math.max(stall, performance.now() - t);
    }
  })();
  await new Promise((r) => setTimeout(r, 200));
  stall = 0;
  const loop = monitorEventLoopDelay({ resolution: 1 });
  const gcs: number[] = [];
  const gcObserver = new PerformanceObserver((list) => gcs.push(...list.getEntries().map((e) => e.duration)));
  gcObserver.observe({ entryTypes: ['gc'] });
  loop.enable();
  const t = performance.now();
  await server.checkpoint();
  const checkpointMs = performance.now() - t;
  loop.disable();
  await new Promise((r) => setImmediate(r)); // the observer's last entries
  gcObserver.disconnect();
  const checkpointLoopBlockMs = loop.max / 1e6;
  writing = false;
  await writer;
  const rssMb = process.memoryUsage().rss / (1024 * 1024);
  const diskMb = readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0) / (1024 * 1024);
  await client.close();
  await server.stop();
  console.log(JSON.stringify({ checkpointStallMs: stall, checkpointLoopBlockMs, checkpointGcMaxMs: Math.max(0, ...gcs), checkpointGcs: gcs.length, checkpointMs, rssMb, diskMb }));
}

export async function runDurabilityBench(iterations = 200): Promise<DurabilityResult> {
  const dir = mkdtempSync(join(tmpdir(), 'plato-mongo-bench-'));
  try {
    // Alternate the modes so load on the machine hits both alike; keep each figure's median round.
    const { memory, dataDir } = await runOpsBench(iterations);
    const fsyncMs = fsyncFloor(dir);
    return { memory, dataDir, fsyncMs, ...(await checkpointFigures(join(dir, 'large'))) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printDurability(r: DurabilityResult): void {
  console.log('\nwith a data directory (write-ahead log, fsync before every reply) vs in memory');
  console.log(`  fsync floor of this disk (300 B append + fdatasync, p50)   ${r.fsyncMs.toFixed(2)} ms`);
  for (const name of Object.keys(r.memory.p50Ms)) {
    const [m, d] = [r.memory, r.dataDir];
    console.log(
      `  ${name.padEnd(24)} p50 1 client ${d.p50Ms[name].toFixed(2)} ms vs ${m.p50Ms[name].toFixed(2)} ms (${(d.p50Ms[name] / m.p50Ms[name]).toFixed(1)}x, target <= 2x); ` +
        `16 clients ${d.throughput16[name].toFixed(0)}/s vs ${m.throughput16[name].toFixed(0)}/s (${((100 * d.throughput16[name]) / m.throughput16[name]).toFixed(0)} %, target >= 60 %)`,
    );
  }
  console.log(`  checkpoint of 100,000 x 1 KB docs: ${r.checkpointMs.toFixed(0)} ms; longest event-loop block ${r.checkpointLoopBlockMs.toFixed(1)} ms (longest GC pause ${r.checkpointGcMaxMs.toFixed(1)} ms of ${r.checkpointGcs}); longest insertOne meanwhile ${r.checkpointStallMs.toFixed(1)} ms (its fsync shares the disk with the checkpoint's)`);
  console.log(`  100,000 x 1 KB docs with a data directory: RSS ${r.rssMb.toFixed(0)} MB, disk ${r.diskMb.toFixed(0)} MB`);
}

/** The modes' p50 and 16-client figures only (3 rounds alternating, medians), without the checkpoint and fsync figures. */
export async function runOpsBench(iterations = 200): Promise<Pick<DurabilityResult, 'memory' | 'dataDir'>> {
  const dir = mkdtempSync(join(tmpdir(), 'plato-mongo-bench-'));
  try {
    const rounds: [ModeFigures, ModeFigures][] = [];
    for (let round = 0; round < 3; round++) rounds.push([await measureMode(undefined, iterations), await measureMode(join(dir, `ops${round}`), iterations)]);
    return { memory: medianFigures(rounds.map((r) => r[0])), dataDir: medianFigures(rounds.map((r) => r[1])) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--checkpoint-child') await checkpointChild(process.argv[3]);
// `node --import tsx bench/mongo-durability.ts --ops`: the ratios alone, as one JSON line (for before/after runs side by side).
if (process.argv[2] === '--ops') console.log(JSON.stringify(await runOpsBench()));
