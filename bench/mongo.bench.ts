// Embedded MongoDB benchmark: `npm run bench:mongo`. Prints medians; writes nothing to the repo.
// Targets (issue #3): insertOne / findOne by indexed field / findOneAndUpdate on 10,000 docs <= 0.3 ms;
// findOne by _id on 100,000 docs within 20% of 1,000 docs; RSS with 100,000 x 1 KB docs < 400 MB.
import { pathToFileURL, fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { MongoClient, type Collection, type Document } from 'mongodb';
import { startMongoServer } from '../local/mongo/index.ts';

export interface MongoBenchResult {
  insertOneMs: number;
  findOneIndexedMs: number;
  findOneAndUpdateMs: number;
  findByIdSmallMs: number;
  findByIdLargeMs: number;
  /** large / small - 1, e.g. 0.05 = 5% slower on 100,000 docs */
  findByIdSlowdown: number;
  rssMb: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

async function timeEach(n: number, op: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.min(200, n); i++) await op(i); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    await op(i);
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return median(samples);
}

async function fill(coll: Collection<Document>, count: number, make: (i: number) => Document): Promise<void> {
  const batch = 5000;
  for (let i = 0; i < count; i += batch) {
    await coll.insertMany(Array.from({ length: Math.min(batch, count - i) }, (_, j) => make(i + j)), { ordered: false });
  }
}

const padding = 'x'.repeat(900); // with the other fields each document is about 1 KB

export async function runMongoBench(iterations = 3000): Promise<MongoBenchResult> {
  const server = await startMongoServer();
  const client = new MongoClient(`${server.uri}bench`, { maxPoolSize: 4 });
  try {
    await client.connect();
    const db = client.db();

    const orders = db.collection('orders10k');
    await orders.createIndex({ code: 1 }, { unique: true });
    await fill(orders, 10_000, (i) => ({ code: `o${i}`, total: i, status: 'open', padding }));
    let next = 10_000;
    const insertOneMs = await timeEach(iterations, () => orders.insertOne({ code: `o${next++}`, total: 1, status: 'new', padding }));
    const findOneIndexedMs = await timeEach(iterations, (i) => orders.findOne({ code: `o${(i * 7919) % 10_000}` }));
    const findOneAndUpdateMs = await timeEach(iterations, (i) =>
      orders.findOneAndUpdate({ code: `o${(i * 104729) % 10_000}` }, { $inc: { total: 1 } }, { returnDocument: 'after' }),
    );

    const small = db.collection('byId1k');
    await fill(small, 1_000, (i) => ({ _id: i, padding }) as Document);
    const large = db.collection('byId100k');
    await fill(large, 100_000, (i) => ({ _id: i, n: i, padding }) as Document);
    // interleave rounds so machine noise hits both sides equally
    const smallRuns: number[] = [];
    const largeRuns: number[] = [];
    for (let round = 0; round < 3; round++) {
      smallRuns.push(await timeEach(iterations / 3, (i) => small.findOne({ _id: (i * 31) % 1_000 } as Document)));
      largeRuns.push(await timeEach(iterations / 3, (i) => large.findOne({ _id: (i * 7919) % 100_000 } as Document)));
    }
    const findByIdSmallMs = median(smallRuns);
    const findByIdLargeMs = median(largeRuns);

    const rssMb = measureRssInFreshProcess();
    return {
      insertOneMs,
      findOneIndexedMs,
      findOneAndUpdateMs,
      findByIdSmallMs,
      findByIdLargeMs,
      findByIdSlowdown: findByIdLargeMs / findByIdSmallMs - 1,
      rssMb,
    };
  } finally {
    await client.close();
    await server.stop();
  }
}

/** RSS of a process holding just the server, a client and 100,000 x 1 KB documents (after a full GC). */
function measureRssInFreshProcess(): number {
  const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--rss-child'], { encoding: 'utf8' });
  return Number(JSON.parse(out.trim().split('\n').pop()!).rssMb);
}

async function rssChild(): Promise<void> {
  const server = await startMongoServer();
  const client = new MongoClient(`${server.uri}bench`);
  await client.connect();
  await fill(client.db().collection('docs'), 100_000, (i) => ({ n: i, code: `d${i}`, createdAt: new Date(), padding }));
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
  const rssMb = process.memoryUsage().rss / (1024 * 1024);
  const count = await client.db().collection('docs').countDocuments();
  await client.close();
  await server.stop();
  console.log(JSON.stringify({ rssMb, count }));
}

if (process.argv.includes('--rss-child')) {
  await rssChild();
} else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await runMongoBench();
  const ms = (v: number) => `${v.toFixed(3)} ms`;
  console.log('embedded MongoDB, median round trip through the official driver');
  console.log(`  insertOne (10,000-doc collection)          ${ms(r.insertOneMs)}   target <= 0.300 ms`);
  console.log(`  findOne by indexed field (10,000 docs)     ${ms(r.findOneIndexedMs)}   target <= 0.300 ms`);
  console.log(`  findOneAndUpdate by indexed field          ${ms(r.findOneAndUpdateMs)}   target <= 0.300 ms`);
  console.log(`  findOne by _id, 1,000 docs                 ${ms(r.findByIdSmallMs)}`);
  console.log(`  findOne by _id, 100,000 docs               ${ms(r.findByIdLargeMs)}   (${(r.findByIdSlowdown * 100).toFixed(1)}% vs 1,000; target within 20%)`);
  console.log(`  RSS with 100,000 x 1 KB documents          ${r.rssMb.toFixed(0)} MB   target < 400 MB`);
  const { runDurabilityBench, printDurability } = await import('./mongo-durability.ts');
  printDurability(await runDurabilityBench());
}
