// Order placement benchmark: `npx tsx bench/order-placement.bench.ts [--tables 20] [--orders 10] [--kitchens 4]`.
// Targets (issue #6): <= 6 MongoDB commands (transaction included) and <= 3 DynamoDB calls per
// placement; placement latency p50/p99 on the local runtime. Writes nothing to the repo.
//
// Counting: the embedded MongoDB server counts every command it receives (by name); the functions'
// DynamoDB calls are counted on the wire by a proxy in front of dynalite (by operation), since the
// functions run in their own containers. Placements are counted one at a time, so nothing
// else runs in between; driver heartbeats (hello) are left out. Every FAMILY table has its phones on
// WebSockets and `kitchens` kitchen tablets listen, so the pushes after each placement are real.
//
// Latency: sequential placements (one at a time) and a burst (every table places at once, repeated),
// measured from the request leaving to the 201 arriving; the response is sent after the commit, the
// idempotency record and the pushes.
import { loadavg } from 'node:os';
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import WebSocket from 'ws';
import { startMongoServer } from '../local/mongo/index.ts';
import { startLocalStack } from '../local/stack.ts';
import { startCountedDynamo } from './lib/bench-stack.ts';

export interface OrderPlacementBenchOptions {
  tables?: number;
  /** Orders placed per table in each phase. */
  ordersPerTable?: number;
  kitchens?: number;
  phonesPerTable?: number;
}

export interface CallCounts {
  /** Per placement, by command name (averaged over the counted placements). */
  mongo: Record<string, number>;
  mongoTotal: number;
  dynamo: Record<string, number>;
  dynamoTotal: number;
}

export interface OrderPlacementBenchResult {
  placements: number;
  counted: number;
  calls: CallCounts;
  sequential: { p50Ms: number; p99Ms: number; maxMs: number };
  burst: { tables: number; p50Ms: number; p99Ms: number; maxMs: number; ordersPerSecond: number };
  /** Replays of an already placed order (same Idempotency-Key). */
  replay: { p50Ms: number; p99Ms: number; mongoTotal: number; dynamoTotal: number };
}

const PASSWORD = 'bench-password-1';
const IGNORED_MONGO = new Set(['hello', 'isMaster', 'ismaster', 'ping', 'endSessions']);

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const stats = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), maxMs: sorted[sorted.length - 1] };
};

async function json(response: Response): Promise<any> {
  const body = await response.json();
  if (!response.ok) throw new Error(`${response.status} ${JSON.stringify(body)}`);
  return body;
}

function openSocket(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

export async function runOrderPlacementBench(options: OrderPlacementBenchOptions = {}): Promise<OrderPlacementBenchResult> {
  const tableCount = Math.min(options.tables ?? 10, 11); // the seed's T-2 … T-12 (T-1 holds the demo session)
  const ordersPerTable = options.ordersPerTable ?? 10;
  const kitchenCount = options.kitchens ?? 4;
  const phonesPerTable = options.phonesPerTable ?? 2;

  const mongo = await startMongoServer({ ttlSweepMs: 0 });
  const dynamo = await startCountedDynamo();
  const stack = await startLocalStack({
    port: 0,
    quiet: true,
    mongoUri: mongo.uri,
    demoPassword: PASSWORD,
    // One phone per table places every order of its table back to back: above a phone's write rate (#15) by design.
    env: { DYNAMODB_ENDPOINT: dynamo.proxy.url, PIN_IP_MAX_ATTEMPTS: '100000', PIN_MAX_ATTEMPTS: '1000', RATE_DINER_WRITES_TOKEN: '100000/60', POWERTOOLS_LOG_LEVEL: 'ERROR' },
  });

  const api = (path: string, init: RequestInit & { token?: string; key?: string } = {}) =>
    fetch(`${stack.baseUrl}${path}`, {
      ...init,
      headers: {
        'content-type': 'application/json',
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        ...(init.key ? { 'idempotency-key': init.key } : {}),
      },
    });
  const sockets: WebSocket[] = [];
  try {
    const login = async (username: string) =>
      (await json(await api('/api/staff/login', { method: 'POST', body: JSON.stringify({ username, password: PASSWORD }) }))).token as string;
    const waiter = await login('waiter');
    const kitchenToken = await login('kitchen');
    for (let k = 0; k < kitchenCount; k++) sockets.push(await openSocket(`${stack.wsUrl}?channel=kitchen&token=${encodeURIComponent(kitchenToken)}`));

    const { tables } = await json(await api('/api/staff/tables', { token: waiter }));
    const free = (tables as { tableId: string; session: unknown }[]).filter((t) => !t.session).slice(0, tableCount);
    // What each table's QR link carries (the sheet also gives tables added by hand their codes).
    const sheet = await json(await api('/api/staff/qr-codes', { token: waiter }));
    const codeOf = new Map<string, string>(
      (sheet.floors as { tables: { tableId: string; url: string }[] }[]).flatMap((f) => f.tables).map((q) => [q.tableId, new URL(q.url).searchParams.get('table')!]),
    );
    const menu = await json(await api('/api/menu'));
    const simple = (menu.categories as { items: { id: string; modifierGroups: { min: number }[] }[] }[])
      .flatMap((c) => c.items)
      .filter((i) => i.modifierGroups.every((g) => g.min === 0))
      .map((i) => i.id);

    const guests: string[] = [];
    for (const table of free) {
      const session = await json(await api(`/api/staff/tables/${table.tableId}/sessions`, { method: 'POST', token: waiter, body: JSON.stringify({ mode: 'FAMILY' }) }));
      for (let p = 0; p < phonesPerTable; p++) {
        const joined = await json(await api('/api/sessions/join', { method: 'POST', body: JSON.stringify({ table: codeOf.get(table.tableId), pin: session.pin }) }));
        sockets.push(await openSocket(`${stack.wsUrl}?token=${encodeURIComponent(joined.sessionToken)}`));
        if (p === 0) guests.push(joined.sessionToken);
      }
    }

    /** Fills a table's cart with three dishes; returns the cart version to order at. */
    const fillCart = async (token: string): Promise<number> => {
      let version = 0;
      for (let d = 0; d < 3; d++) {
        const menuItemId = simple[Math.floor(Math.random() * simple.length)];
        version = (await json(await api('/api/cart/items', { method: 'POST', token, body: JSON.stringify({ menuItemId, quantity: 1 + d }) }))).version;
      }
      return version;
    };
    const place = async (token: string, cartVersion: number, key: string = randomUUID()): Promise<{ ms: number; key: string; version: number }> => {
      const sent = performance.now();
      const response = await api('/api/orders', { method: 'POST', token, key, body: JSON.stringify({ cartVersion }) });
      const ms = performance.now() - sent;
      if (response.status !== 201) throw new Error(`placement answered ${response.status}: ${await response.text()}`);
      await response.arrayBuffer().catch(() => undefined);
      return { ms, key, version: cartVersion };
    };

    // Warm-up: the first placement loads the handler module and opens the clients.
    await place(guests[0], await fillCart(guests[0]));

    // Phase 1: sequential placements, each counted alone.
    const mongoSum: Record<string, number> = {};
    const dynamoSum: Record<string, number> = {};
    const sequential: number[] = [];
    const placed: { token: string; key: string; version: number }[] = [];
    for (let round = 0; round < ordersPerTable; round++) {
      for (const token of guests) {
        const version = await fillCart(token);
        mongo.counters.reset();
        dynamo.proxy.reset();
        const result = await place(token, version);
        sequential.push(result.ms);
        placed.push({ token, key: result.key, version });
        for (const [name, count] of Object.entries(mongo.counters.commands)) if (!IGNORED_MONGO.has(name)) mongoSum[name] = (mongoSum[name] ?? 0) + count;
        for (const [name, count] of Object.entries(dynamo.proxy.counts)) dynamoSum[name] = (dynamoSum[name] ?? 0) + count;
      }
    }
    const counted = sequential.length;
    const perPlacement = (sum: Record<string, number>) => Object.fromEntries(Object.entries(sum).map(([name, total]) => [name, total / counted]));
    const mongoPer = perPlacement(mongoSum);
    const dynamoPer = perPlacement(dynamoSum);

    // Phase 2: replays of placed orders (the phone retrying after a lost response).
    const replayTimes: number[] = [];
    mongo.counters.reset();
    dynamo.proxy.reset();
    const replays = placed.slice(0, 20);
    for (const { token, key, version } of replays) replayTimes.push((await place(token, version, key)).ms);
    const replayMongo = Object.entries(mongo.counters.commands).filter(([name]) => !IGNORED_MONGO.has(name)).reduce((sum, [, n]) => sum + n, 0) / replays.length;
    const replayDynamo = dynamo.proxy.total() / replays.length;

    // Phase 3: bursts: every table places at the same moment.
    const burst: number[] = [];
    let burstOrders = 0;
    let burstElapsed = 0;
    for (let round = 0; round < ordersPerTable; round++) {
      const versions = await Promise.all(guests.map((token) => fillCart(token)));
      const started = performance.now();
      const results = await Promise.all(guests.map((token, i) => place(token, versions[i])));
      burstElapsed += performance.now() - started;
      burstOrders += results.length;
      burst.push(...results.map((r) => r.ms));
    }

    return {
      placements: counted + burstOrders + replays.length,
      counted,
      calls: {
        mongo: mongoPer,
        mongoTotal: Object.values(mongoPer).reduce((a, b) => a + b, 0),
        dynamo: dynamoPer,
        dynamoTotal: Object.values(dynamoPer).reduce((a, b) => a + b, 0),
      },
      sequential: stats(sequential),
      burst: { tables: guests.length, ...stats(burst), ordersPerSecond: burstOrders / (burstElapsed / 1000) },
      replay: { ...stats(replayTimes), mongoTotal: replayMongo, dynamoTotal: replayDynamo },
    };
  } finally {
    await Promise.all(sockets.map((ws) => new Promise((closed) => (ws.once('close', closed), ws.close()))));
    await new Promise((r) => setTimeout(r, 1_000)); // let $disconnect handlers finish before dynalite stops
    await stack.stop();
    await mongo.stop();
    await dynamo.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name: string, fallback: number) => {
    const at = process.argv.indexOf(`--${name}`);
    return at > 0 ? Number(process.argv[at + 1]) : fallback;
  };
  const r = await runOrderPlacementBench({ tables: arg('tables', 10), ordersPerTable: arg('orders', 10), kitchens: arg('kitchens', 4), phonesPerTable: arg('phones', 2) });
  const ms = (v: number) => `${v.toFixed(1).padStart(7)} ms`;
  const list = (counts: Record<string, number>) =>
    Object.entries(counts)
      .sort((a, b) => b[1] - a[1])
      .map(([name, n]) => `${name} ${Number.isInteger(n) ? n : n.toFixed(2)}`)
      .join(', ');
  console.log(`order placement on the local runtime: ${r.placements} placements (load average ${loadavg()[0].toFixed(1)})`);
  console.log(`  MongoDB commands per placement   ${r.calls.mongoTotal.toFixed(2)}  (${list(r.calls.mongo)})   target <= 6`);
  console.log(`  DynamoDB calls per placement     ${r.calls.dynamoTotal.toFixed(2)}  (${list(r.calls.dynamo)})   target <= 3`);
  console.log(`  sequential placement             p50 ${ms(r.sequential.p50Ms)}   p99 ${ms(r.sequential.p99Ms)}   max ${ms(r.sequential.maxMs)}   (${r.counted} orders)`);
  console.log(`  burst (${r.burst.tables} tables at once)       p50 ${ms(r.burst.p50Ms)}   p99 ${ms(r.burst.p99Ms)}   max ${ms(r.burst.maxMs)}   ${r.burst.ordersPerSecond.toFixed(0)} orders/s`);
  console.log(`  replay (same key)                p50 ${ms(r.replay.p50Ms)}   p99 ${ms(r.replay.p99Ms)}   ${r.replay.mongoTotal.toFixed(1)} MongoDB, ${r.replay.dynamoTotal.toFixed(1)} DynamoDB per replay`);
  process.exit(0);
}
