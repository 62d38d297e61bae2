/**
 * Cost per operation on the local runtime: MongoDB commands (the embedded server's counters) and
 * DynamoDB calls (counted on the wire by a proxy in front of dynalite) per route, WebSocket messages
 * per route, and from those a cost per 1,000 orders at AWS list prices.
 *
 * One table's whole visit is played sequentially with `kitchenSockets` kitchen tablets listening
 * (`ALL_STATION_TABLETS` of them show every station, an expo screen or the pass; the rest are spread
 * evenly over the restaurant's stations, as the board's `stations` lists them):
 * the waiter opens the table, 4 phones join and connect, load the menu, add 3 dishes each, the table
 * orders twice, the kitchen takes every item NEW → COOKING → READY and bumps the tickets, the table
 * asks for the bill, the waiter records the payment and closes the table, the phones disconnect.
 * Counters are reset before each call and read once they have been quiet for a moment (pushes and
 * $disconnect run after the answer). Routes outside that visit (replays, reads, ws actions) are
 * counted too, but not added to the per-order totals. Heartbeats, wake-up resyncs, staff consoles
 * and billed init are modelled from these measurements (bench/lib/cost-model.ts), with today's
 * heartbeats and, side by side, with the 30 s heartbeat everywhere they replaced.
 *
 *   npx tsx bench/cost.ts
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { FUNCTION_GROUPS, HTTP_ROUTES, WS_ROUTES, functionGroups, routeKeyOf } from '../functions/routes.ts';
import { groupServesRequests } from '../lib/functions.ts';
import type { TestWs } from '../test/support/ws.ts';
import { runInitTimeBench } from './init-time.ts';
import { startBenchStack, totalOf, type BenchStack } from './lib/bench-stack.ts';
import {
  ASSUMPTIONS,
  PLANS,
  ZERO,
  dynamoSplit,
  estimateDollars,
  modelPerOrder,
  type DollarEstimate,
  type ModelLine,
  type PerOrder,
  type UnitCost,
} from './lib/cost-model.ts';
import { printCost } from './lib/cost-print.ts';
import { signInTablet } from './lib/kitchen-tablet.ts';

export { ASSUMPTIONS, PRICES, estimateDollars, type PerOrder } from './lib/cost-model.ts';

export interface RouteCost {
  route: string;
  calls: number;
  /** Per call (means over `calls`). */
  ms: number;
  mongo: Record<string, number>;
  mongoTotal: number;
  dynamo: Record<string, number>;
  dynamoTotal: number;
  wsOut: number;
  wsIn: number;
  memoryMb: number;
  /** Part of the table visit the per-order totals are made of. */
  inVisit: boolean;
}

export interface CostBenchResult {
  kitchenSockets: number;
  phones: number;
  orders: number;
  routes: RouteCost[];
  /** The table visit only (no heartbeats). */
  visitPerOrder: PerOrder;
  /** PostToConnection calls per order in the visit (every message a socket received was one). */
  postsPerOrder: number;
  /** Messages each socket received in the visit: per order (kitchen tablets, staff consoles), per visit (phones). */
  heard: { kitchen: number[]; staff: number[]; phones: number[] };
  /** The visit plus the modelled sockets, heartbeats, resyncs, staff consoles and billed init: with today's heartbeats. */
  perOrder: PerOrder;
  model: ModelLine[];
  /** The same model with a 30 s heartbeat everywhere and no resync on wake (before #18), side by side. */
  before: { perOrder: PerOrder; model: ModelLine[]; dollars: DollarEstimate };
  /** The same measurements with every kitchen tablet pinging for itself (main before session 10): this run's paired before. */
  s9: { perOrder: PerOrder; model: ModelLine[]; dollars: DollarEstimate };
  /** Module init per serving function (bench/init-time.ts, median of `runs`), for the billed init line. */
  init: { runs: number; functions: { group: string; memoryMb: number; initMs: number }[] };
  placement: { mongo: number; dynamo: number; mongoTarget: number; dynamoTarget: number; met: boolean };
  dollars: DollarEstimate;
}

// ---------- Measuring ----------

/** Memory of the function serving a route (`POST /api/orders`, `WS ping`): its group's. */
const memoryOf = (() => {
  const byRoute = new Map<string, number>();
  for (const route of HTTP_ROUTES) byRoute.set(routeKeyOf(route), FUNCTION_GROUPS[route.handler.group].memoryMb);
  for (const route of WS_ROUTES) byRoute.set(`WS ${route.routeKey}`, FUNCTION_GROUPS[route.handler.group].memoryMb);
  return (route: string) => {
    const memory = byRoute.get(route);
    if (memory === undefined) throw new Error(`cost model: no route ${route}`);
    return memory;
  };
})();

/** Kitchen tablets that show every station (the pass, an expo screen); the others show one station each. */
export const ALL_STATION_TABLETS = 2;

export async function runCostBench(options: { kitchenSockets?: number; phones?: number; initRuns?: number } = {}): Promise<CostBenchResult> {
  const kitchenSockets = options.kitchenSockets ?? 20;
  const phoneCount = options.phones ?? 4;
  const initRuns = options.initRuns ?? 3;
  // Module init first, while the machine is quieter (no stack running yet).
  const serving = new Set<string>([...functionGroups()].filter(([, spec]) => groupServesRequests(spec)).map(([group]) => group));
  const initBench = await runInitTimeBench({ runs: initRuns });
  const initOf = initBench.bundles
    .filter((b) => serving.has(b.group))
    .map((b) => ({ group: b.group, memoryMb: FUNCTION_GROUPS[b.group as keyof typeof FUNCTION_GROUPS].memoryMb, initMs: b.startToResolvedMs }));
  const t: BenchStack = await startBenchStack();
  const sockets: TestWs[] = [];
  const buckets = new Map<string, { calls: number; ms: number; mongo: Record<string, number>; dynamo: Record<string, number>; wsOut: number; wsIn: number; inVisit: boolean }>();

  /** Waits until no counter moved for `quietMs` (the work after the answer: pushes, $disconnect). */
  const settle = async (quietMs = 80, maxMs = 2_000) => {
    const snapshot = () => `${totalOf(t.mongoCommands())}/${t.dynamo.total()}/${t.sockets.received}`;
    let last = snapshot();
    let stableSince = performance.now();
    const end = performance.now() + maxMs;
    while (performance.now() < end) {
      await new Promise((resolve) => setTimeout(resolve, 15));
      const now = snapshot();
      if (now !== last) {
        last = now;
        stableSince = performance.now();
      } else if (performance.now() - stableSince >= quietMs) return;
    }
  };

  /** Runs one operation with fresh counters and books what it cost under `route`. */
  const measure = async <T>(route: string, inVisit: boolean, operation: () => Promise<T>): Promise<T> => {
    await settle(40);
    t.resetCounters();
    const started = performance.now();
    const result = await operation();
    const ms = performance.now() - started;
    await settle();
    const bucket = buckets.get(route) ?? { calls: 0, ms: 0, mongo: {}, dynamo: {}, wsOut: 0, wsIn: 0, inVisit };
    bucket.calls++;
    bucket.ms += ms;
    for (const [name, n] of Object.entries(t.mongoCommands())) bucket.mongo[name] = (bucket.mongo[name] ?? 0) + n;
    for (const [name, n] of Object.entries(t.dynamo.counts)) bucket.dynamo[name] = (bucket.dynamo[name] ?? 0) + n;
    bucket.wsOut += t.sockets.received;
    bucket.wsIn += t.sockets.sent;
    buckets.set(route, bucket);
    return result;
  };
  const expect = <T = any>(what: string, status: number, response: { status: number; body: T }): T => {
    if (response.status !== status) throw new Error(`${what}: expected ${status}, got ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };

  try {
    const waiter = (await t.loginAs('WAITER')).token;
    const kitchen = (await t.loginAs('KITCHEN')).token;
    const menu = expect('menu', 200, await t.api.get('/api/menu')) as { categories: { items: { id: string; isAvailable: boolean; modifierGroups: { min: number }[] }[] }[] };
    const dishes = menu.categories
      .flatMap((c) => c.items)
      .filter((i) => i.isAvailable && i.modifierGroups.every((g) => g.min === 0))
      .map((i) => i.id);

    // Warm-up (a warm container is what steady service sees): one throwaway visit on T-3.
    {
      const opened = await t.openTable('T-3', 'FAMILY');
      const guest = await t.joinTable(opened.tableId, opened.pin);
      const socket = await t.connectWs({ token: guest.sessionToken });
      const cart = expect('warm cart', 200, await t.api.post('/api/cart/items', { menuItemId: dishes[0], quantity: 1 }, { token: guest.sessionToken }));
      const order = expect('warm order', 201, await t.api.post('/api/orders', { cartVersion: cart.version }, { token: guest.sessionToken, headers: { 'idempotency-key': randomUUID() } }));
      expect('warm kitchen', 200, await t.api.request('PATCH', `/api/kitchen/orders/${order.orderId}/items/0`, { status: 'COOKING' }, { token: kitchen }));
      await t.api.get('/api/bill', { token: guest.sessionToken });
      socket.send({ action: 'ping' });
      await socket.waitFor((m) => m.type === 'pong', 60_000); // the edge function's cold start, slow on a loaded machine
      await socket.close();
      await t.closeTable(opened.sessionId, 'ADMIN');
    }

    const { stations } = expect('board', 200, await t.api.get('/api/kitchen/orders', { token: kitchen })) as { stations: string[] };
    const tablets: { token: string; socket: TestWs; connectionId: string }[] = [];
    for (let k = 0; k < kitchenSockets; k++) {
      const station = k < ALL_STATION_TABLETS ? undefined : stations[(k - ALL_STATION_TABLETS) % stations.length];
      const token = await signInTablet(t);
      const socket = await t.connectWs({ token, channel: 'kitchen', station });
      sockets.push(socket);
      // As the kitchen app does on every open: the sync reply names the socket, which its changes send.
      const connectionId = await measure('WS sync (kitchen)', false, async () => {
        socket.send({ action: 'sync' });
        return (await socket.waitFor((m) => m.type === 'sync')).connectionId as string;
      });
      tablets.push({ token, socket, connectionId });
    }
    // The waiters' consoles (ASSUMPTIONS.staffConsoles) hear the floor during the visit too.
    const consoles: TestWs[] = [];
    for (let c = 0; c < ASSUMPTIONS.staffConsoles; c++) consoles.push(await t.connectWs({ token: waiter, channel: 'staff' }));
    sockets.push(...consoles);
    await settle();
    // Every change in the visit is made on the pass (an all-station tablet), which names its socket.
    const pass = { token: tablets[0].token, headers: { 'x-plato-connection-id': tablets[0].connectionId } };
    const heardSoFar = () => new Map(sockets.map((socket) => [socket, socket.messages.length]));
    const heardAtStart = heardSoFar();

    // ---- The table visit.
    const tableId = await t.tableId('T-2');
    const tableCode = await t.tableCode(tableId);
    const session = await measure('POST /api/staff/tables/{tableId}/sessions', true, async () =>
      expect('open', 201, await t.api.post(`/api/staff/tables/${tableId}/sessions`, { mode: 'FAMILY' }, { token: waiter })),
    );
    const phones: { token: string; socket: TestWs; connectionId: string }[] = [];
    for (let p = 0; p < phoneCount; p++) {
      const joined = await measure('POST /api/sessions/join', true, async () =>
        expect('join', 200, await t.api.post('/api/sessions/join', { table: tableCode, pin: session.pin })),
      );
      const socket = await measure('WS $connect', true, () => t.connectWs({ token: joined.sessionToken }));
      sockets.push(socket);
      // As the diner app does on every (re)connect; the reply names the socket, which its cart calls send.
      const connectionId = await measure('WS sync', true, async () => {
        socket.send({ action: 'sync' });
        return (await socket.waitFor((m) => m.type === 'sync')).connectionId as string;
      });
      phones.push({ token: joined.sessionToken, socket, connectionId });
      await measure('GET /api/menu', true, async () => expect('menu', 200, await t.api.get('/api/menu')));
    }
    const orderIds: { orderId: string; key: string; version: number; items: number }[] = [];
    const perRound = [2, 1];
    for (let round = 0; round < perRound.length; round++) {
      let version = 0;
      for (const [p, phone] of phones.entries()) {
        for (let i = 0; i < perRound[round]; i++) {
          const cart = await measure('POST /api/cart/items', true, async () =>
            expect('add', 200, await t.api.post('/api/cart/items', { menuItemId: dishes[(p * 3 + round * 2 + i) % dishes.length], quantity: 1 }, { token: phone.token, headers: { 'x-plato-connection-id': phone.connectionId } })),
          );
          version = cart.version;
        }
      }
      const key = randomUUID();
      const placer = phones[round % phones.length];
      const order = await measure('POST /api/orders', true, async () =>
        expect('place', 201, await t.api.post('/api/orders', { cartVersion: version }, { token: placer.token, headers: { 'idempotency-key': key } })),
      );
      orderIds.push({ orderId: order.orderId, key, version, items: order.items.length });
    }
    for (const { orderId, items } of orderIds) {
      for (let index = 0; index < items; index++) {
        for (const status of ['COOKING', 'READY']) {
          await measure('PATCH /api/kitchen/orders/{orderId}/items/{itemIndex}', true, async () =>
            expect('item', 200, await t.api.request('PATCH', `/api/kitchen/orders/${orderId}/items/${index}`, { status }, pass)),
          );
        }
      }
      await measure('POST /api/kitchen/orders/{orderId}/bump', true, async () =>
        expect('bump', 200, await t.api.post(`/api/kitchen/orders/${orderId}/bump`, undefined, pass)),
      );
    }
    await measure('GET /api/bill', true, async () => expect('bill', 200, await t.api.get('/api/bill', { token: phones[0].token })));

    // ---- Routes outside the visit's totals (read once, or the retry paths).
    await settle();
    const heardBeforeExtras = heardSoFar();
    const first = orderIds[0];
    await measure('POST /api/orders (replay, same key)', false, async () =>
      expect('replay', 201, await t.api.post('/api/orders', { cartVersion: first.version }, { token: phones[0].token, headers: { 'idempotency-key': first.key } })),
    );
    await measure('GET /api/sessions/me', false, async () => expect('me', 200, await t.api.get('/api/sessions/me', { token: phones[1].token })));
    const fromPhone1 = { token: phones[1].token, headers: { 'x-plato-connection-id': phones[1].connectionId } };
    const cart = expect('add', 200, await t.api.post('/api/cart/items', { menuItemId: dishes[0], quantity: 1 }, fromPhone1));
    const lineId = cart.lines[0].lineId;
    await measure('GET /api/cart', false, async () => expect('cart', 200, await t.api.get('/api/cart', { token: phones[1].token })));
    await measure('PATCH /api/cart/items/{lineId}', false, async () =>
      expect('patch', 200, await t.api.request('PATCH', `/api/cart/items/${lineId}`, { quantity: 2 }, fromPhone1)),
    );
    await measure('DELETE /api/cart/items/{lineId}', false, async () =>
      expect('delete', 200, await t.api.request('DELETE', `/api/cart/items/${lineId}`, undefined, fromPhone1)),
    );
    await measure('GET /api/orders', false, async () => expect('orders', 200, await t.api.get('/api/orders', { token: phones[1].token })));
    await measure('GET /api/kitchen/orders', false, async () => expect('board', 200, await t.api.get('/api/kitchen/orders', { token: kitchen })));
    await measure('GET /api/staff/tables', false, async () => expect('tables', 200, await t.api.get('/api/staff/tables', { token: waiter })));
    await measure('GET /api/staff/orders', false, async () => expect('staff orders', 200, await t.api.get('/api/staff/orders', { token: waiter })));
    await measure('WS ping', false, async () => {
      phones[2].socket.send({ action: 'ping' });
      await phones[2].socket.waitFor((m) => m.type === 'pong');
    });
    // A kitchen tablet's ping: the kitchen's shared pong (functions/gateway/kitchen-beat.ts); then
    // another tablet's at once, as when silences end together: the beat is taken, its own pong only.
    const pongs = (socket: TestWs) => socket.messages.filter((m) => m.type === 'pong').length;
    await measure('WS ping (kitchen beat)', false, async () => {
      const before = tablets.map(({ socket }) => pongs(socket));
      tablets[0].socket.send({ action: 'ping' });
      await Promise.all(tablets.map(({ socket }, k) => socket.waitFor(() => pongs(socket) > before[k])));
    });
    await measure('WS ping (kitchen, beat taken)', false, async () => {
      const before = pongs(tablets[1].socket);
      tablets[1].socket.send({ action: 'ping' });
      await tablets[1].socket.waitFor(() => pongs(tablets[1].socket) > before);
    });
    await measure('POST /api/staff/login', false, async () =>
      expect('login', 200, await t.api.post('/api/staff/login', { username: 'waiter', password: 'plato-test-password-1' })),
    );

    await settle();
    const heardAfterExtras = heardSoFar();
    // ---- End of the visit: payment, close, phones leave.
    await measure('POST /api/staff/sessions/{sessionId}/payment', true, async () =>
      expect('payment', 200, await t.api.post(`/api/staff/sessions/${session.sessionId}/payment`, { method: 'CASH', status: 'paid' }, { token: waiter })),
    );
    await measure('POST /api/staff/sessions/{sessionId}/close', true, async () =>
      expect('close', 200, await t.api.post(`/api/staff/sessions/${session.sessionId}/close`, undefined, { token: waiter })),
    );
    /**
     * The visit's two orders have no dish of some stations, whose tablets heard nothing; over a day
     * every station cooks its share, so each one-station tablet is modelled hearing the one-station
     * tablets' mean (the all-station ones keep their own figure).
     */
    const stationShare = (perTablet: number[]) => {
      const oneStation = perTablet.slice(ALL_STATION_TABLETS);
      const mean = oneStation.reduce((x, y) => x + y, 0) / Math.max(1, oneStation.length);
      return perTablet.map((n, k) => (k < ALL_STATION_TABLETS ? n : mean));
    };
    /** Messages a socket received in the visit (the routes outside it taken off). */
    const heardInVisit = (socket: TestWs) =>
      socket.messages.length - (heardAtStart.get(socket) ?? 0) - (heardAfterExtras.get(socket)! - heardBeforeExtras.get(socket)!);
    for (const phone of phones) {
      await measure('WS $disconnect', true, async () => {
        await phone.socket.close();
      });
      sockets.splice(sockets.indexOf(phone.socket), 1);
    }

    // ---- Per route, per order.
    const routes: RouteCost[] = [...buckets.entries()].map(([route, b]) => {
      const per = (counts: Record<string, number>) => Object.fromEntries(Object.entries(counts).map(([name, n]) => [name, n / b.calls]));
      return {
        route,
        calls: b.calls,
        ms: b.ms / b.calls,
        mongo: per(b.mongo),
        mongoTotal: totalOf(b.mongo) / b.calls,
        dynamo: per(b.dynamo),
        dynamoTotal: totalOf(b.dynamo) / b.calls,
        wsOut: b.wsOut / b.calls,
        wsIn: b.wsIn / b.calls,
        memoryMb: memoryOf(route.replace(/ \(.*\)$/, '')),
        inVisit: b.inVisit,
      };
    });
    const orders = orderIds.length;
    const visit = [...buckets.entries()].filter(([, b]) => b.inVisit);
    const sumBy = (pick: (route: string, b: (typeof visit)[number][1]) => number) => visit.reduce((n, [route, b]) => n + pick(route, b), 0);
    const isWsAction = (route: string) => route.startsWith('WS ');
    const visitPerOrder: PerOrder = {
      ...ZERO,
      httpRequests: sumBy((route, b) => (isWsAction(route) ? 0 : b.calls)) / orders,
      lambdaInvocations: sumBy((_, b) => b.calls) / orders,
      // The client-side time of a sequential call stands in for the billed duration (an upper bound: it includes the gateway).
      lambdaGbSeconds: sumBy((route, b) => (b.ms / 1000) * (memoryOf(route) / 1024)) / orders,
      dynamoReads: sumBy((_, b) => dynamoSplit(b.dynamo).reads) / orders,
      dynamoWrites: sumBy((_, b) => dynamoSplit(b.dynamo).writes) / orders,
      mongoCommands: sumBy((_, b) => totalOf(b.mongo)) / orders,
      wsMessages: sumBy((_, b) => b.wsOut + b.wsIn) / orders,
    };
    const postsPerOrder = sumBy((_, b) => b.wsOut) / orders;
    const unit = (name: string): UnitCost => {
      const route = routes.find((r) => r.route === name);
      if (!route) throw new Error(`cost model: ${name} was not measured`);
      const { reads, writes } = dynamoSplit(route.dynamo);
      return { http: !isWsAction(name), ms: route.ms, memoryMb: route.memoryMb, dynamoReads: reads, dynamoWrites: writes, mongo: route.mongoTotal, wsMessages: route.wsIn + route.wsOut };
    };
    const measured = {
      visit: visitPerOrder,
      phonesPerOrder: phoneCount / orders,
      ping: unit('WS ping'),
      kitchenBeat: unit('WS ping (kitchen beat)'),
      kitchenBeatTaken: unit('WS ping (kitchen, beat taken)'),
      sync: unit('WS sync'),
      menu: unit('GET /api/menu'),
      staffReload: [unit('GET /api/staff/tables'), unit('GET /api/staff/orders')],
      kitchenOpen: [unit('WS $connect'), unit('WS sync (kitchen)'), unit('GET /api/kitchen/orders'), unit('GET /api/kitchen/orders')],
      socketConnect: unit('WS $connect'),
      socketDisconnect: unit('WS $disconnect'),
      heardPerOrder: {
        kitchen: stationShare(tablets.map((tablet) => heardInVisit(tablet.socket) / orders)),
        staff: consoles.map((socket) => heardInVisit(socket) / orders),
      },
      heardPerPhoneVisit: phones.map((phone) => heardInVisit(phone.socket)),
      functions: initOf,
    };
    const now = modelPerOrder(measured, PLANS.now);
    const before = modelPerOrder(measured, PLANS.before);
    const s9 = modelPerOrder(measured, PLANS.s9);
    const placement = routes.find((r) => r.route === 'POST /api/orders' && r.inVisit)!;
    return {
      kitchenSockets,
      phones: phoneCount,
      orders,
      routes,
      visitPerOrder,
      postsPerOrder,
      heard: { kitchen: tablets.map((tablet) => heardInVisit(tablet.socket) / orders), staff: measured.heardPerOrder.staff, phones: measured.heardPerPhoneVisit },
      perOrder: now.perOrder,
      model: now.lines,
      before: { perOrder: before.perOrder, model: before.lines, dollars: estimateDollars(before.perOrder, phoneCount / orders) },
      s9: { perOrder: s9.perOrder, model: s9.lines, dollars: estimateDollars(s9.perOrder, phoneCount / orders) },
      init: { runs: initRuns, functions: initOf },
      placement: {
        mongo: placement.mongoTotal,
        dynamo: placement.dynamoTotal,
        mongoTarget: 6,
        dynamoTarget: 3,
        met: placement.mongoTotal <= 6 && placement.dynamoTotal <= 3,
      },
      dollars: estimateDollars(now.perOrder, phoneCount / orders),
    };
  } finally {
    await Promise.all(sockets.map((socket) => socket.close().catch(() => undefined)));
    await new Promise((resolve) => setTimeout(resolve, 500));
    await t.stop();
  }
}

export { printCost };

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await runCostBench();
  console.log(printCost(result));
  process.exit(0);
}
