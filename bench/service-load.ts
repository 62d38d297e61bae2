/**
 * Service load on the local runtime (issue #10): `tables` FAMILY tables × `phonesPerTable` phones.
 * Every phone joins with the PIN, opens its WebSocket, loads the menu and adds `itemsPerPhone` dishes;
 * every table places `ordersPerTable` orders (the cart filled in rounds between them, each order
 * placed by a different phone with its own Idempotency-Key); `kitchenSockets` kitchen tablets keep
 * sockets open, and `kitchenWorkers` of them mark every item NEW → COOKING → READY as tickets arrive.
 * Tables arrive spread over `rampMs`, then everything runs at once.
 *
 * Reported: throughput and p50/p99 per route (client side, request sent → response read), the
 * real-time latencies seen under this load (order → kitchen sockets, cart change → the table's
 * other phones), and the totals the cost model needs (requests, DynamoDB calls counted on the wire,
 * WebSocket messages and connection time). Checked: zero errors, and through the driver: the orders
 * in the store equal the orders placed, no duplicates, every item READY.
 *
 *   npx tsx bench/service-load.ts [--tables=50] [--phones=4] [--ramp=60] [--stack=child|process] [--max-per-group=8]   (ramp in seconds)
 */
import { loadavg } from 'node:os';
import { DEFAULT_MAX_PER_GROUP, type InvocationTiming } from '../local/gateway/containers.ts';
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type { TestWs } from '../test/support/ws.ts';
import { totalOf } from './lib/bench-stack.ts';
import { startServiceStack, type ServiceStack, type StackPlace } from './lib/service-stack.ts';
import { mapLimit } from '../test/support/concurrency.ts';
import { summarize } from './lib/stats.ts';
import { signInTablet } from './lib/kitchen-tablet.ts';
import { printServiceLoad, type LambdaFigures, type RouteFigures, type ServiceLoadOptions, type ServiceLoadResult } from './lib/service-load-report.ts';

export { printServiceLoad, type ServiceLoadOptions, type ServiceLoadResult };

const DEFAULTS: Required<ServiceLoadOptions> = {
  tables: 50,
  phonesPerTable: 4,
  itemsPerPhone: 3,
  ordersPerTable: 2,
  kitchenSockets: 20,
  kitchenWorkers: 4,
  /**
   * Tables arrive one after another over this time. 60 s since session 13: 100 tables then ask ~0.8 of
   * a 2-core machine (the `demand` line), so the routes' p99 measures the stack; over 30 s (the default
   * before) they asked ~1.7×, more than any code on that machine can serve without a queue.
   */
  rampMs: 60_000,
  mongoOnThread: true,
  warmContainers: DEFAULT_MAX_PER_GROUP,
  stack: 'child',
  maxPerGroup: DEFAULT_MAX_PER_GROUP,
};

/** The function groups the load runs in (what it prewarms). */
const LOAD_GROUPS = ['guest', 'ws', 'cart', 'orders', 'kitchen', 'staff-floor'];

interface Ticket {
  orderId: string;
  items: { index: number; itemStatus: string }[];
}

interface Phone {
  token: string;
  socket: TestWs;
  /** cart.updated arrivals: version → first arrival (performance.now()). */
  cartSeen: { version: number; at: number }[];
}

export async function runServiceLoad(input: ServiceLoadOptions = {}): Promise<ServiceLoadResult> {
  const options = { ...DEFAULTS, ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) } as Required<ServiceLoadOptions>;
  const t: ServiceStack = await startServiceStack(options.stack, { mongoOnThread: options.mongoOnThread, maxPerGroup: options.maxPerGroup });
  const sockets: TestWs[] = [];
  const samples = new Map<string, number[]>();
  const errorCount = new Map<string, number>();
  const errorSamples: string[] = [];
  const invocations: Record<string, number> = {};
  const count = (route: string) => (invocations[route] = (invocations[route] ?? 0) + 1);

  /** One request, timed under its route key; any status but `expected` is an error. */
  const call = async (route: string, expected: number, method: string, path: string, body?: unknown, token?: string, headers?: Record<string, string>) => {
    count(route);
    const started = performance.now();
    try {
      const response = await t.api.request(method, path, body, { token, headers });
      const list = samples.get(route) ?? [];
      list.push(performance.now() - started);
      samples.set(route, list);
      if (response.status !== expected) throw new Error(`${route}: ${response.status} ${JSON.stringify(response.body).slice(0, 300)}`);
      return response.body;
    } catch (error) {
      errorCount.set(route, (errorCount.get(route) ?? 0) + 1);
      if (errorSamples.length < 10) errorSamples.push(String((error as Error).message ?? error));
      throw error;
    }
  };
  const connect = async (options: Parameters<ServiceStack['connectWs']>[0]) => {
    count('WS $connect');
    const started = performance.now();
    try {
      const socket = await t.connectWs(options);
      const list = samples.get('WS $connect') ?? [];
      list.push(performance.now() - started);
      samples.set('WS $connect', list);
      sockets.push(socket);
      return socket;
    } catch (error) {
      errorCount.set('WS $connect', (errorCount.get('WS $connect') ?? 0) + 1);
      if (errorSamples.length < 10) errorSamples.push(`WS $connect: ${String(error)}`);
      throw error;
    }
  };

  try {
    // ---- Setup, not measured: tables, staff sign-in, the menu's simple dishes, a warm-up order.
    await t.ensureTables(options.tables + 2); // T-1 holds the seed's demo session; one more for the warm-up
    const waiter = await t.loginAs('WAITER');
    const kitchen = await t.loginAs('KITCHEN');
    const { tables } = (await t.api.get('/api/staff/tables', { token: waiter })).body as { tables: { tableId: string; number: string; session: unknown }[] };
    const free = tables.filter((table) => !table.session);
    // What each table's QR link carries (the sheet also gives tables added by hand their codes).
    const sheet = (await t.api.get('/api/staff/qr-codes', { token: waiter })).body as { floors: { tables: { tableId: string; url: string }[] }[] };
    const codeOf = new Map(sheet.floors.flatMap((f) => f.tables).map((q) => [q.tableId, new URL(q.url).searchParams.get('table')!]));
    if (free.length < options.tables + 1) throw new Error(`only ${free.length} free tables`);
    const warmTable = free.pop()!;
    const chosen = free.slice(0, options.tables);
    const menu = (await t.api.get('/api/menu')).body as { categories: { items: { id: string; isAvailable: boolean; modifierGroups: { min: number }[] }[] }[] };
    const dishes = menu.categories
      .flatMap((c) => c.items)
      .filter((i) => i.isAvailable && i.modifierGroups.every((g) => g.min === 0))
      .map((i) => i.id);
    {
      // Warm-up: every handler module on the path loaded once (a warm container), then closed again.
      const opened = (await t.api.post(`/api/staff/tables/${warmTable.tableId}/sessions`, { mode: 'FAMILY' }, { token: waiter })).body;
      const guest = (await t.api.post('/api/sessions/join', { table: codeOf.get(warmTable.tableId), pin: opened.pin })).body;
      const socket = await t.connectWs({ token: guest.sessionToken });
      const cart = (await t.api.post('/api/cart/items', { menuItemId: dishes[0], quantity: 1 }, { token: guest.sessionToken })).body;
      const order = await t.api.post('/api/orders', { cartVersion: cart.version }, { token: guest.sessionToken, headers: { 'idempotency-key': randomUUID() } });
      if (order.status !== 201) throw new Error(`warm-up order: ${order.status} ${JSON.stringify(order.body)}`);
      await t.api.request('PATCH', `/api/kitchen/orders/${order.body.orderId}/items/0`, { status: 'COOKING' }, { token: kitchen });
      await t.api.get('/api/menu');
      await socket.close();
      const closed = await t.api.post(`/api/staff/sessions/${opened.sessionId}/close`, undefined, { token: await t.loginAs('ADMIN') });
      if (closed.status !== 200) throw new Error(`warm-up close: ${closed.status} ${JSON.stringify(closed.body)}`);
    }

    // ---- Kitchen: sockets (all stations) and the tablets that work the tickets.
    const kitchenArrivals = new Map<string, number[]>();
    const queue: Ticket[] = [];
    const sleepers = new Set<() => void>();
    const wake = () => {
      for (const resume of sleepers) resume();
      sleepers.clear();
    };
    for (let k = 0; k < options.kitchenSockets; k++) {
      const socket = await t.connectWs({ token: await signInTablet(t), channel: 'kitchen' });
      sockets.push(socket);
      socket.ws.on('message', (data) => {
        const at = performance.now();
        const message = JSON.parse(data.toString());
        if (message.type !== 'order.created') return;
        const list = kitchenArrivals.get(message.ticket.orderId) ?? [];
        list.push(at);
        kitchenArrivals.set(message.ticket.orderId, list);
        if (k === 0) {
          queue.push(message.ticket as Ticket);
          wake();
        }
      });
    }

    const ordersExpected = options.tables * options.ordersPerTable;
    const placed: { orderId: string; key: string; sentAt: number }[] = [];
    const cartChanges: { sentAt: number; version: number; others: Phone[] }[] = [];
    let ticketsDone = 0;
    let placementsFailed = 0;
    let stopWorkers = false;

    const worker = async () => {
      while (!stopWorkers) {
        const ticket = queue.shift();
        if (!ticket) {
          await new Promise<void>((resolve) => {
            sleepers.add(resolve);
            setTimeout(resolve, 100);
          });
          continue;
        }
        try {
          for (const item of ticket.items) {
            for (const status of ['COOKING', 'READY']) {
              await call('PATCH /api/kitchen/orders/{orderId}/items/{itemIndex}', 200, 'PATCH', `/api/kitchen/orders/${ticket.orderId}/items/${item.index}`, { status }, kitchen);
            }
          }
        } catch {
          // counted as an error; the store check shows what is not READY
        }
        ticketsDone++;
      }
    };

    const runTable = async (table: { tableId: string; number: string }, tableIndex: number) => {
      await new Promise((resolve) => setTimeout(resolve, (tableIndex / options.tables) * options.rampMs));
      const session = await call('POST /api/staff/tables/{tableId}/sessions', 201, 'POST', `/api/staff/tables/${table.tableId}/sessions`, { mode: 'FAMILY' }, waiter);
      const phones: Phone[] = await Promise.all(
        Array.from({ length: options.phonesPerTable }, async () => {
          const joined = await call('POST /api/sessions/join', 200, 'POST', '/api/sessions/join', { table: codeOf.get(table.tableId), pin: session.pin });
          const socket = await connect({ token: joined.sessionToken });
          const phone: Phone = { token: joined.sessionToken, socket, cartSeen: [] };
          socket.ws.on('message', (data) => {
            const at = performance.now();
            const message = JSON.parse(data.toString());
            if (message.type === 'cart.updated' && message.cart) phone.cartSeen.push({ version: message.cart.version, at });
          });
          await call('GET /api/menu', 200, 'GET', '/api/menu');
          return phone;
        }),
      );
      // The cart fills in rounds, one order after each: with 3 items and 2 orders, 2 then 1 per phone.
      const perRound = Array.from({ length: options.ordersPerTable }, (_, round) =>
        Math.floor(((round + 1) * options.itemsPerPhone) / options.ordersPerTable) - Math.floor((round * options.itemsPerPhone) / options.ordersPerTable),
      );
      for (let round = 0; round < options.ordersPerTable; round++) {
        const versions = await Promise.all(
          phones.map(async (phone, p) => {
            let version = 0;
            for (let i = 0; i < perRound[round]; i++) {
              const menuItemId = dishes[(tableIndex * 7 + p * 3 + round * 5 + i) % dishes.length];
              const sentAt = performance.now();
              const cart = await call('POST /api/cart/items', 200, 'POST', '/api/cart/items', { menuItemId, quantity: 1 + (i % 2) }, phone.token);
              cartChanges.push({ sentAt, version: cart.version, others: phones.filter((other) => other !== phone) });
              version = Math.max(version, cart.version);
            }
            return version;
          }),
        );
        const placer = phones[round % phones.length];
        const key = randomUUID();
        const sentAt = performance.now();
        try {
          const order = await call('POST /api/orders', 201, 'POST', '/api/orders', { cartVersion: Math.max(...versions) }, placer.token, { 'idempotency-key': key });
          placed.push({ orderId: order.orderId, key, sentAt });
        } catch (error) {
          placementsFailed++;
          throw error;
        }
      }
    };

    // ---- Connections: what one container opens, then the peak during the load.
    const currentConnections = async () =>
      ((await (await t.db()).admin().command({ serverStatus: 1 })) as { connections: { current: number } }).connections.current;
    await t.recycle();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const baselineConnections = await currentConnections(); // the runtime's own client and the bench's
    await call('GET /api/menu', 200, 'GET', '/api/menu');
    await new Promise((resolve) => setTimeout(resolve, 500)); // the driver's monitor connects alongside the request's
    const connectionsPerContainer = (await currentConnections()) - baselineConnections;
    await t.recycle();
    const warmStarted = performance.now();
    for (const group of LOAD_GROUPS) await t.prewarm(group, options.warmContainers);
    const warmSeconds = (performance.now() - warmStarted) / 1000;
    const before = new Map((await t.groupStats()).map((g) => [g.group, { ...g }]));
    let peakConnections = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peakConnections = Math.max(peakConnections, (await currentConnections()) - baselineConnections);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();

    // ---- The measured load.
    await t.resetCounters();
    for (const key of Object.keys(invocations)) delete invocations[key];
    const loadStartedAt = new Date();
    const loadAtStart = loadavg()[0];
    await t.timing(true);
    const cpuAtStart = { stack: await t.cpu(), clients: process.cpuUsage() };
    const started = performance.now();
    const workers = Array.from({ length: options.kitchenWorkers }, worker);
    const tableResults = await Promise.allSettled(chosen.map((table, i) => runTable(table, i)));
    const deadline = performance.now() + 60_000;
    while (ticketsDone < placed.length && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    const elapsedSeconds = (performance.now() - started) / 1000;
    const timings = await t.timing(false);
    const seconds = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1e6;
    const cpuAtEnd = await t.cpu();
    const stackCpu = seconds(cpuAtEnd) - seconds(cpuAtStart.stack);
    const clients = t.place === 'child' ? seconds(process.cpuUsage(cpuAtStart.clients)) : 0;
    const cpuSeconds = { stack: stackCpu, clients, stackMainThread: (cpuAtEnd.mainThread - cpuAtStart.stack.mainThread) / 1e6 };
    const loadAtEnd = loadavg()[0];
    stopWorkers = true;
    wake();
    await Promise.all(workers);
    sampling = false;
    await sampler;
    const groups = (await t.groupStats()).map((g) => ({
      group: g.group,
      coldStarts: g.coldStarts - (before.get(g.group)?.coldStarts ?? 0),
      peakLive: g.peakLive,
      invocations: g.invocations - (before.get(g.group)?.invocations ?? 0),
    }));
    const lambda: LambdaFigures = {
      connectionsPerContainer,
      peakConnections,
      coldStarts: groups.reduce((sum, g) => sum + g.coldStarts, 0),
      maxPerGroup: options.maxPerGroup,
      warmBefore: Math.min(options.warmContainers, options.maxPerGroup),
      warmSeconds,
      groups: groups.filter((g) => g.invocations > 0),
    };
    const tablesFailed = tableResults.filter((r) => r.status === 'rejected').length;
    if (ticketsDone < placed.length) errorSamples.push(`kitchen: ${placed.length - ticketsDone} tickets never reached the kitchen socket or were never worked`);

    // Disconnects belong to the load too (they cost a Lambda call and a DynamoDB delete each).
    const wsConnections = sockets.length;
    for (const _ of sockets) count('WS $disconnect');
    await Promise.all(sockets.map((socket) => socket.close().catch(() => undefined)));
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // the gateway runs $disconnect after the close
    const counters = await t.counters();
    const dynamo = counters.dynamo;
    const mongoCommands = totalOf(counters.mongoCommands);
    const wsMessagesOut = t.sockets.received;
    const wsMessagesIn = t.sockets.sent;
    const wsConnectionMinutes = t.sockets.connectedMs() / 60_000;

    // ---- Store checks through the driver.
    const db = await t.db();
    const orders = db.collection(t.collectionName('orders'));
    const stored = await orders
      .find({ restaurantId: process.env.RESTAURANT_ID || 'demo', createdAt: { $gte: loadStartedAt } }, { projection: { idempotencyKey: 1, items: 1 } })
      .toArray();
    const keys = new Map<string, number>();
    for (const doc of stored) keys.set(String(doc.idempotencyKey), (keys.get(String(doc.idempotencyKey)) ?? 0) + 1);
    const duplicateKeys = [...keys.values()].filter((n) => n > 1).length;
    const storedIds = new Set(stored.map((doc) => doc._id.toHexString()));
    const missingOrders = placed.filter((p) => !storedIds.has(p.orderId)).length;
    const itemsNotReady = stored.reduce((n, doc) => n + (doc.items as { itemStatus: string }[]).filter((item) => item.itemStatus !== 'READY').length, 0);

    // ---- Latencies under load.
    const toSocket: number[] = [];
    const toAll: number[] = [];
    for (const { orderId, sentAt } of placed) {
      const arrivals = kitchenArrivals.get(orderId) ?? [];
      for (const at of arrivals) toSocket.push(at - sentAt);
      if (arrivals.length === options.kitchenSockets) toAll.push(Math.max(...arrivals) - sentAt);
    }
    const cartLatency: number[] = [];
    let cartMissed = 0;
    for (const change of cartChanges) {
      for (const other of change.others) {
        const seen = other.cartSeen.find((s) => s.version >= change.version);
        if (seen) cartLatency.push(seen.at - change.sentAt);
        else cartMissed++;
      }
    }
    if (cartMissed > 0) errorSamples.push(`${cartMissed} cart.updated deliveries never arrived`);

    const routes: RouteFigures[] = [...samples.entries()]
      .map(([route, list]) => ({ route, errors: errorCount.get(route) ?? 0, perSecond: list.length / elapsedSeconds, ...summarize(list) }))
      .sort((a, b) => b.n - a.n);
    const byHandler = new Map<string, InvocationTiming[]>();
    for (const one of timings) {
      const key = `${one.module}.${one.export}`;
      byHandler.set(key, [...(byHandler.get(key) ?? []), one]);
    }
    const containerTimings = [...byHandler.entries()]
      .map(([handler, list]) => {
        const wait = summarize(list.map((x) => x.waitMs));
        const run = summarize(list.map((x) => x.runMs));
        return { handler, n: list.length, waitP50: wait.p50, waitP99: wait.p99, runP50: run.p50, runP99: run.p99 };
      })
      .sort((a, b) => b.n - a.n);
    const httpRequests = routes.filter((r) => !r.route.startsWith('WS ')).reduce((n, r) => n + r.n, 0);
    const errors = [...errorCount.values()].reduce((a, b) => a + b, 0) + (ticketsDone < placed.length ? placed.length - ticketsDone : 0) + cartMissed;
    const store = { ordersExpected, ordersFound: stored.length, duplicateKeys, missingOrders, itemsNotReady };
    const ok =
      errors === 0 && tablesFailed === 0 && placementsFailed === 0 && stored.length === ordersExpected && duplicateKeys === 0 && missingOrders === 0 && itemsNotReady === 0;

    return {
      options,
      elapsedSeconds,
      requests: httpRequests,
      requestsPerSecond: httpRequests / elapsedSeconds,
      ordersPerSecond: placed.length / elapsedSeconds,
      errors,
      tablesFailed,
      errorSamples,
      routes,
      latency: {
        orderToKitchenSocket: summarize(toSocket),
        orderToAllKitchenSockets: summarize(toAll),
        cartChangeToOtherPhones: summarize(cartLatency),
      },
      store,
      totals: {
        orders: placed.length,
        httpRequests,
        invocations,
        dynamo,
        dynamoCalls: totalOf(dynamo),
        mongoCommands,
        wsMessagesOut,
        wsMessagesIn,
        wsConnections,
        wsConnectionMinutes,
      },
      lambda,
      containerTimings,
      loadAverage: { start: loadAtStart, end: loadAtEnd },
      cpuSeconds,
      ok,
    };
  } finally {
    await mapLimit(sockets, 50, (socket) => socket.close().catch(() => undefined));
    await t.stop();
  }
}


if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const result = await runServiceLoad({
    tables: Number(arg('tables') ?? 100),
    phonesPerTable: arg('phones') ? Number(arg('phones')) : undefined,
    rampMs: arg('ramp') ? Number(arg('ramp')) * 1000 : undefined,
    mongoOnThread: arg('mongo') ? arg('mongo') === 'thread' : undefined,
    warmContainers: arg('warm') ? Number(arg('warm')) : undefined,
    stack: arg('stack') as StackPlace | undefined,
    maxPerGroup: arg('max-per-group') ? Number(arg('max-per-group')) : undefined,
  });
  console.log(printServiceLoad(result));
  process.exit(result.ok ? 0 : 1);
}
