// Cart sync benchmark: `npx tsx bench/cart-sync.bench.ts [--tables 50] [--phones 4] [--changes 20] [--interval 1000]`.
// Target (issue #5): p99 <= 50 ms from a cart change to the other phones' `cart.updated`, on the local
// runtime with 50 tables x 4 phones active. Writes nothing to the repo.
//
// Every table is a FAMILY session with `phones` guests, each on its own WebSocket. All tables run at
// once: a random phone of the table changes the cart over HTTP (add a line, change a quantity, or
// remove a line), and the clock runs from the moment the request is sent until each of the other
// phones has received the `cart.updated` carrying the new version. Each table changes its cart about
// once per `interval` ms (uniformly 0.5-1.5 x interval apart, a busy dinner rush: 50 changes/s across
// the floor at the defaults), never more than one change per table in flight.
//
// Each phone behaves as the diner app does: it asks its socket to `sync` (learning the socket's id),
// names that socket on its own cart calls (`x-plato-connection-id`, so the server skips it: the HTTP
// answer carries the cart), and takes the highest version it has seen from either source.
//
// The local runtime runs in a child process (bench/lib/stack-process.ts) and the 200 phones in this
// one: phones are other devices, so their WebSockets, JSON parsing and timers must not take turns with
// the server on its event loop.
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Agent, request as httpRequest } from 'node:http';
import { MongoClient } from 'mongodb';
import WebSocket from 'ws';
import { mapLimit } from '../test/support/concurrency.ts';
import { startStackProcess } from './lib/stack-process.ts';

export interface CartSyncBenchOptions {
  tables?: number;
  phonesPerTable?: number;
  changesPerTable?: number;
  /** Mean time between two changes of one table, ms. */
  intervalMs?: number;
}

export interface CartSyncBenchResult {
  tables: number;
  phonesPerTable: number;
  changes: number;
  /** One sample per (change, other phone). */
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** The HTTP round trip of the change itself (the response comes after the pushes). */
  httpP50Ms: number;
  httpP99Ms: number;
  changesPerSecond: number;
}

const PASSWORD = 'bench-password-1';

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

interface Phone {
  token: string;
  ws: WebSocket;
  /** The phone's (its table's) source address. */
  localAddress: string;
  /** The socket's id, from its sync reply. */
  connectionId: string;
  /** Resolves when this phone has seen a cart with at least this version (pushed, or its own HTTP answer). */
  seen(version: number): Promise<number>;
  /** The phone's own change answered with this version. */
  answered(version: number): void;
}

/**
 * Each table's phones reach the stack from their own address (127.0.x.y: every 127/8 address is this
 * machine), as a restaurant's phones on mobile data come from many networks: the per-network limits
 * (#15: joins and socket connects per network) apply to the bench as they would to a dining room.
 */
const networkOfTable = (index: number): string => `127.0.${1 + Math.floor(index / 250)}.${2 + (index % 250)}`;

interface HttpAnswer {
  status: number;
  ok: boolean;
  body: any;
}

/** One HTTP request from `localAddress` (fetch cannot choose its source address). */
function request(url: string, init: { method?: string; headers: Record<string, string>; body?: string; localAddress?: string }): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: init.method ?? 'GET', headers: init.headers, localAddress: init.localAddress, agent: keepAlive }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        resolve({ status, ok: status >= 200 && status < 300, body: text ? JSON.parse(text) : undefined });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}
const keepAlive = new Agent({ keepAlive: true });

function connectPhone(wsUrl: string, token: string, localAddress: string): Promise<Phone> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${wsUrl}?token=${encodeURIComponent(token)}`, { localAddress });
    let highest = 0;
    const waiting = new Map<number, ((at: number) => void)[]>();
    const reached = (version: number, at: number) => {
      highest = Math.max(highest, version);
      for (const [wanted, resolvers] of waiting) {
        if (wanted <= highest) {
          waiting.delete(wanted);
          for (const done of resolvers) done(at);
        }
      }
    };
    ws.on('message', (data) => {
      const at = performance.now();
      const message = JSON.parse(data.toString()) as { type: string; connectionId?: string; cart?: { version: number } | null };
      if (message.type === 'sync' && message.connectionId) {
        resolve(phone(message.connectionId));
      } else if (message.type === 'cart.updated' && message.cart) {
        reached(message.cart.version, at);
      }
    });
    ws.once('error', reject);
    ws.once('open', () => ws.send(JSON.stringify({ action: 'sync' })));
    const phone = (connectionId: string): Phone => ({
        token,
        ws,
        localAddress,
        connectionId,
        answered: (version) => reached(version, performance.now()),
        seen: (version) =>
          version <= highest
            ? Promise.resolve(performance.now())
            : new Promise((done, fail) => {
                const timer = setTimeout(() => fail(new Error(`cart.updated v${version} never arrived`)), 10_000);
                const list = waiting.get(version) ?? [];
                list.push((at) => {
                  clearTimeout(timer);
                  done(at);
                });
                waiting.set(version, list);
              }),
    });
  });
}

async function json(answer: Promise<HttpAnswer>): Promise<any> {
  const response = await answer;
  if (!response.ok) throw new Error(`${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}


/** Adds tables T-13 … T-<count> beside the seed's twelve (directly through the driver). */
async function ensureTables(mongoUri: string, count: number): Promise<void> {
  const client = new MongoClient(mongoUri);
  try {
    await client.connect();
    const tables = client.db(process.env.MONGODB_DB || 'plato').collection('tables');
    const now = new Date();
    for (let n = 13; n <= count; n++) {
      await tables.updateOne(
        { restaurantId: process.env.RESTAURANT_ID || 'demo', number: `T-${n}` },
        { $setOnInsert: { floor: 'Terrace', sortOrder: n, createdAt: now, updatedAt: now } },
        { upsert: true },
      );
    }
  } finally {
    await client.close();
  }
}

export async function runCartSyncBench(options: CartSyncBenchOptions = {}): Promise<CartSyncBenchResult> {
  const tableCount = options.tables ?? 50;
  const phonesPerTable = options.phonesPerTable ?? 4;
  const changesPerTable = options.changesPerTable ?? 20;
  const intervalMs = options.intervalMs ?? 1000;
  // Every table joins from its own network (networkOfTable); the rates are the deployment's defaults.
  const stack = await startStackProcess({
    demoPassword: PASSWORD,
    env: { LOG_LEVEL: 'ERROR', POWERTOOLS_LOG_LEVEL: 'ERROR' },
  });
  const api = (path: string, init: { method?: string; body?: string; token?: string; socket?: string; localAddress?: string } = {}) =>
    request(`${stack.baseUrl}${path}`, {
      method: init.method,
      body: init.body,
      localAddress: init.localAddress,
      headers: {
        'content-type': 'application/json',
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        ...(init.socket ? { 'x-plato-connection-id': init.socket } : {}),
      },
    });
  /** A phone's own cart change, as the app makes it. */
  const change = async (phone: Phone, path: string, init: { method?: string; body?: string } = {}) => {
    const cart = await json(api(path, { ...init, token: phone.token, socket: phone.connectionId, localAddress: phone.localAddress }));
    phone.answered(cart.version);
    return cart;
  };
  const phones: Phone[] = [];
  try {
    if (!stack.mongoUri) throw new Error('the stack process reported no MongoDB URI');
    await ensureTables(stack.mongoUri, tableCount + 1); // + T-1, where the seed opened the demo session
    const { token: waiter } = await json(api('/api/staff/login', { method: 'POST', body: JSON.stringify({ username: 'waiter', password: PASSWORD }) }));
    const { tables } = await json(api('/api/staff/tables', { token: waiter }));
    const free = (tables as { tableId: string; number: string; session: unknown }[]).filter((t) => !t.session).slice(0, tableCount);
    if (free.length < tableCount) throw new Error(`only ${free.length} free tables`);
    // What each table's QR link carries (the sheet also gives tables added by hand their codes).
    const sheet = await json(api('/api/staff/qr-codes', { token: waiter }));
    const codeOf = new Map<string, string>(
      (sheet.floors as { tables: { tableId: string; url: string }[] }[]).flatMap((f) => f.tables).map((q) => [q.tableId, new URL(q.url).searchParams.get('table')!]),
    );

    const menu = await json(api('/api/menu'));
    const simple = (menu.categories as { items: { id: string; isAvailable: boolean; modifierGroups: { min: number }[] }[] }[])
      .flatMap((c) => c.items)
      .filter((i) => i.isAvailable && i.modifierGroups.every((g) => g.min === 0))
      .map((i) => i.id);

    const tablePhones = await mapLimit(free, 8, async (table) => {
      const session = await json(api(`/api/staff/tables/${table.tableId}/sessions`, { method: 'POST', token: waiter, body: JSON.stringify({ mode: 'FAMILY' }) }));
      const localAddress = networkOfTable(free.indexOf(table));
      const members: Phone[] = [];
      for (let p = 0; p < phonesPerTable; p++) {
        const joined = await json(api('/api/sessions/join', { method: 'POST', localAddress, body: JSON.stringify({ table: codeOf.get(table.tableId), pin: session.pin }) }));
        members.push(await connectPhone(stack.wsUrl, joined.sessionToken, localAddress));
      }
      phones.push(...members);
      return members;
    });

    // Warm-up, not measured: every handler module loaded and JIT-warm, every table's cart created.
    await mapLimit(tablePhones, 8, async (members) => {
      const cart = await change(members[0], '/api/cart/items', { method: 'POST', body: JSON.stringify({ menuItemId: simple[0], quantity: 1 }) });
      const lineId = cart.lines[0].lineId;
      await change(members[1], `/api/cart/items/${lineId}`, { method: 'PATCH', body: JSON.stringify({ quantity: 2 }) });
      await change(members[2], `/api/cart/items/${lineId}`, { method: 'DELETE' });
      await Promise.all(members.map((m) => m.seen(3)));
    });

    const latencies: number[] = [];
    const httpTimes: number[] = [];
    const started = performance.now();
    await Promise.all(
      tablePhones.map(async (members) => {
        const lines: string[] = [];
        await new Promise((r) => setTimeout(r, Math.random() * intervalMs)); // tables do not start in lockstep
        for (let i = 0; i < changesPerTable; i++) {
          const actor = members[Math.floor(Math.random() * members.length)];
          const others = members.filter((m) => m !== actor);
          const roll = Math.random();
          let request: { path: string; method: string; body?: string };
          if (lines.length === 0 || roll < 0.5) {
            const menuItemId = simple[Math.floor(Math.random() * simple.length)];
            request = { path: '/api/cart/items', method: 'POST', body: JSON.stringify({ menuItemId, quantity: 1 }) };
          } else if (roll < 0.85 || lines.length < 3) {
            const lineId = lines[Math.floor(Math.random() * lines.length)];
            request = { path: `/api/cart/items/${lineId}`, method: 'PATCH', body: JSON.stringify({ quantity: 1 + Math.floor(Math.random() * 5) }) };
          } else {
            const lineId = lines.splice(Math.floor(Math.random() * lines.length), 1)[0];
            request = { path: `/api/cart/items/${lineId}`, method: 'DELETE' };
          }
          const sent = performance.now();
          const cart = await change(actor, request.path, { method: request.method, body: request.body });
          httpTimes.push(performance.now() - sent);
          if (request.method === 'POST') lines.push(cart.lines[cart.lines.length - 1].lineId);
          const arrivals = await Promise.all(others.map((other) => other.seen(cart.version)));
          for (const at of arrivals) latencies.push(at - sent);
          const next = sent + intervalMs * (0.5 + Math.random());
          await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now())));
        }
      }),
    );
    const elapsedSeconds = (performance.now() - started) / 1000;

    latencies.sort((a, b) => a - b);
    httpTimes.sort((a, b) => a - b);
    return {
      tables: tableCount,
      phonesPerTable,
      changes: tableCount * changesPerTable,
      samples: latencies.length,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      maxMs: latencies[latencies.length - 1],
      httpP50Ms: percentile(httpTimes, 50),
      httpP99Ms: percentile(httpTimes, 99),
      changesPerSecond: (tableCount * changesPerTable) / elapsedSeconds,
    };
  } finally {
    // Let the gateway finish its $disconnect handlers before dynalite stops.
    try {
      await Promise.all(
        phones.map((phone) =>
          phone.ws.readyState === WebSocket.CLOSED ? undefined : new Promise((closed) => (phone.ws.once('close', closed), phone.ws.close())),
        ),
      );
      await new Promise((r) => setTimeout(r, 2_000));
    } finally {
      await stack.stop();
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name: string, fallback: number) => {
    const at = process.argv.indexOf(`--${name}`);
    return at > 0 ? Number(process.argv[at + 1]) : fallback;
  };
  const r = await runCartSyncBench({
    tables: arg('tables', 50),
    phonesPerTable: arg('phones', 4),
    changesPerTable: arg('changes', 20),
    intervalMs: arg('interval', 1000),
  });
  const ms = (v: number) => `${v.toFixed(1).padStart(7)} ms`;
  console.log(`cart sync on the local runtime: ${r.tables} tables x ${r.phonesPerTable} phones, ${r.changes} changes, ${r.samples} deliveries (load average ${loadavg()[0].toFixed(1)})`);
  console.log(`  change -> other phones' cart.updated  p50 ${ms(r.p50Ms)}   p99 ${ms(r.p99Ms)}   max ${ms(r.maxMs)}   target p99 <= 50 ms`);
  console.log(`  HTTP round trip of the change         p50 ${ms(r.httpP50Ms)}   p99 ${ms(r.httpP99Ms)}`);
  console.log(`  throughput                            ${r.changesPerSecond.toFixed(0)} changes/s`);
  process.exit(0);
}
