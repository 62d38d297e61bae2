/**
 * Cost per operation on the local runtime: MongoDB commands (the embedded server's counters) and
 * DynamoDB calls (counted on the wire by a proxy in front of dynalite) per route, WebSocket messages
 * per route, and from those a cost per 1,000 orders at AWS list prices.
 *
 * One table's whole visit is played sequentially with `kitchenSockets` kitchen tablets listening:
 * the waiter opens the table, 4 phones join and connect, load the menu, add 3 dishes each, the table
 * orders twice, the kitchen takes every item NEW → COOKING → READY and bumps the tickets, the table
 * asks for the bill, the waiter records the payment and closes the table, the phones disconnect.
 * Counters are reset before each call and read once they have been quiet for a moment (pushes and
 * $disconnect run after the answer). Routes outside that visit (replays, reads, ws actions) are
 * counted too, but not added to the per-order totals; heartbeats are modelled (see HEARTBEAT_*).
 *
 *   npx tsx bench/cost.ts
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { FUNCTION_GROUPS, HTTP_ROUTES, WS_ROUTES, routeKeyOf } from '../functions/routes.ts';
import type { TestWs } from '../test/support/ws.ts';
import { startBenchStack, totalOf, type BenchStack } from './lib/bench-stack.ts';
import { formatTable } from './lib/table.ts';

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

export interface PerOrder {
  httpRequests: number;
  lambdaInvocations: number;
  lambdaGbSeconds: number;
  dynamoReads: number;
  dynamoWrites: number;
  mongoCommands: number;
  wsMessages: number;
  wsConnectionMinutes: number;
}

export interface CostBenchResult {
  kitchenSockets: number;
  phones: number;
  orders: number;
  routes: RouteCost[];
  /** The table visit only (no heartbeats). */
  visitPerOrder: PerOrder;
  /** The visit plus the modelled heartbeats and kitchen-tablet connection time. */
  perOrder: PerOrder;
  placement: { mongo: number; dynamo: number; mongoTarget: number; dynamoTarget: number; met: boolean };
  dollars: DollarEstimate;
}

// ---------- Prices and the model ----------

/**
 * AWS list prices, US East (N. Virginia), on-demand, first tier, as published in 2025 (DynamoDB after the
 * November 2024 on-demand reduction). The stack's default region is ap-south-1 (Mumbai), whose prices
 * differ by a few percent to ~20% per service: check the pricing pages before quoting a customer.
 */
export const PRICES = {
  region: 'us-east-1 (US East, N. Virginia), list prices 2025, no free tier',
  lambdaArmPerGbSecond: 0.0000133334,
  lambdaPerMillionRequests: 0.2,
  httpApiPerMillion: 1.0,
  wsPerMillionMessages: 1.0,
  wsPerMillionConnectionMinutes: 0.25,
  dynamoPerMillionWru: 0.625,
  dynamoPerMillionRru: 0.125,
  cloudFrontPer10kHttpsRequests: 0.01,
  cloudFrontPerGb: 0.085,
  /** MongoDB Atlas is billed per cluster, not per request: a dedicated M10 on AWS, about $0.08/h. */
  atlasMonthlyUsd: 57,
  atlasTier: 'M10 dedicated cluster (~$0.08/h); the Flex tier starts lower but caps throughput',
};

/** The diner and kitchen apps ping every 30 s (web/shared/ws.ts). */
export const HEARTBEAT_SECONDS = 30;
/** Modelling assumptions the bench cannot measure on a laptop. */
export const ASSUMPTIONS = {
  phoneMinutesPerVisit: 60,
  kitchenTablets: 20,
  kitchenHoursPerDay: 12,
  ordersPerDay: 300,
  /** Per phone visit: the diner app's initial transfer (bench/web.ts measures it) + API payloads. */
  bytesPerPhoneVisit: 150 * 1024,
  /** Each phone loads the HTML, the JS, the CSS and config.json through CloudFront. */
  staticRequestsPerPhoneVisit: 6,
};

export interface DollarEstimate {
  prices: typeof PRICES;
  assumptions: typeof ASSUMPTIONS & { heartbeatSeconds: number };
  per1000Orders: Record<string, number> & { total: number };
  monthly: { orders: number; usd: number; atlasUsd: number };
}

const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);

export function estimateDollars(perOrder: PerOrder, phonesPerOrder: number): DollarEstimate {
  const k = 1000;
  const p = PRICES;
  const cloudFrontRequests = perOrder.httpRequests + phonesPerOrder * ASSUMPTIONS.staticRequestsPerPhoneVisit;
  const lines = {
    lambdaRequests: (perOrder.lambdaInvocations * k * p.lambdaPerMillionRequests) / 1e6,
    lambdaDuration: perOrder.lambdaGbSeconds * k * p.lambdaArmPerGbSecond,
    httpApi: (perOrder.httpRequests * k * p.httpApiPerMillion) / 1e6,
    wsMessages: (perOrder.wsMessages * k * p.wsPerMillionMessages) / 1e6,
    wsConnectionMinutes: (perOrder.wsConnectionMinutes * k * p.wsPerMillionConnectionMinutes) / 1e6,
    dynamoWrites: (perOrder.dynamoWrites * k * p.dynamoPerMillionWru) / 1e6,
    dynamoReads: (perOrder.dynamoReads * k * p.dynamoPerMillionRru) / 1e6,
    cloudFrontRequests: (cloudFrontRequests * k * p.cloudFrontPer10kHttpsRequests) / 1e4,
    cloudFrontTransfer: ((phonesPerOrder * ASSUMPTIONS.bytesPerPhoneVisit * k) / 1024 ** 3) * p.cloudFrontPerGb,
  };
  const total = Object.values(lines).reduce((a, b) => a + b, 0);
  const ordersPerMonth = ASSUMPTIONS.ordersPerDay * 30;
  return {
    prices: PRICES,
    assumptions: { ...ASSUMPTIONS, heartbeatSeconds: HEARTBEAT_SECONDS },
    per1000Orders: { ...lines, total },
    monthly: { orders: ordersPerMonth, usd: (total * ordersPerMonth) / k, atlasUsd: p.atlasMonthlyUsd },
  };
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

export async function runCostBench(options: { kitchenSockets?: number; phones?: number } = {}): Promise<CostBenchResult> {
  const kitchenSockets = options.kitchenSockets ?? 20;
  const phoneCount = options.phones ?? 4;
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
      await socket.waitFor((m) => m.type === 'pong');
      await socket.close();
      await t.closeTable(opened.sessionId, 'ADMIN');
    }

    for (let k = 0; k < kitchenSockets; k++) sockets.push(await t.connectWs({ token: kitchen, channel: 'kitchen' }));
    await settle();

    // ---- The table visit.
    const tableId = await t.tableId('T-2');
    const session = await measure('POST /api/staff/tables/{tableId}/sessions', true, async () =>
      expect('open', 201, await t.api.post(`/api/staff/tables/${tableId}/sessions`, { mode: 'FAMILY' }, { token: waiter })),
    );
    const phones: { token: string; socket: TestWs; connectionId: string }[] = [];
    for (let p = 0; p < phoneCount; p++) {
      const joined = await measure('POST /api/sessions/join', true, async () =>
        expect('join', 200, await t.api.post('/api/sessions/join', { tableId, pin: session.pin })),
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
            expect('item', 200, await t.api.request('PATCH', `/api/kitchen/orders/${orderId}/items/${index}`, { status }, { token: kitchen })),
          );
        }
      }
      await measure('POST /api/kitchen/orders/{orderId}/bump', true, async () =>
        expect('bump', 200, await t.api.post(`/api/kitchen/orders/${orderId}/bump`, undefined, { token: kitchen })),
      );
    }
    await measure('GET /api/bill', true, async () => expect('bill', 200, await t.api.get('/api/bill', { token: phones[0].token })));

    // ---- Routes outside the visit's totals (read once, or the retry paths).
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
    await measure('WS ping', false, async () => {
      phones[2].socket.send({ action: 'ping' });
      await phones[2].socket.waitFor((m) => m.type === 'pong');
    });
    await measure('POST /api/staff/login', false, async () =>
      expect('login', 200, await t.api.post('/api/staff/login', { username: 'waiter', password: 'plato-test-password-1' })),
    );

    // ---- End of the visit: payment, close, phones leave.
    await measure('POST /api/staff/sessions/{sessionId}/payment', true, async () =>
      expect('payment', 200, await t.api.post(`/api/staff/sessions/${session.sessionId}/payment`, { method: 'CASH', status: 'paid' }, { token: waiter })),
    );
    await measure('POST /api/staff/sessions/{sessionId}/close', true, async () =>
      expect('close', 200, await t.api.post(`/api/staff/sessions/${session.sessionId}/close`, undefined, { token: waiter })),
    );
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
    const dynamoSplit = (counts: Record<string, number>) => {
      let reads = 0;
      let writes = 0;
      for (const [name, n] of Object.entries(counts)) (READS.has(name) ? (reads += n) : (writes += n));
      return { reads, writes };
    };
    const visitPerOrder: PerOrder = {
      httpRequests: sumBy((route, b) => (isWsAction(route) ? 0 : b.calls)) / orders,
      lambdaInvocations: sumBy((_, b) => b.calls) / orders,
      // The client-side time of a sequential call stands in for the billed duration (an upper bound: it includes the gateway).
      lambdaGbSeconds: sumBy((route, b) => (b.ms / 1000) * (memoryOf(route) / 1024)) / orders,
      dynamoReads: sumBy((_, b) => dynamoSplit(b.dynamo).reads) / orders,
      dynamoWrites: sumBy((_, b) => dynamoSplit(b.dynamo).writes) / orders,
      mongoCommands: sumBy((_, b) => totalOf(b.mongo)) / orders,
      wsMessages: sumBy((_, b) => b.wsOut + b.wsIn) / orders,
      wsConnectionMinutes: 0,
    };
    // Heartbeats: every socket pings every 30 s (1 message in, 1 out, 1 invocation, the ping route's DynamoDB calls).
    const ping = routes.find((r) => r.route === 'WS ping')!;
    const pingSplit = dynamoSplit(ping.dynamo);
    const phoneMinutesPerOrder = (phoneCount * ASSUMPTIONS.phoneMinutesPerVisit) / orders;
    const kitchenMinutesPerOrder = (ASSUMPTIONS.kitchenTablets * ASSUMPTIONS.kitchenHoursPerDay * 60) / ASSUMPTIONS.ordersPerDay;
    const socketMinutes = phoneMinutesPerOrder + kitchenMinutesPerOrder;
    const pings = (socketMinutes * 60) / HEARTBEAT_SECONDS;
    const pingGbSeconds = (ping.ms / 1000) * (ping.memoryMb / 1024);
    const perOrder: PerOrder = {
      httpRequests: visitPerOrder.httpRequests,
      lambdaInvocations: visitPerOrder.lambdaInvocations + pings,
      lambdaGbSeconds: visitPerOrder.lambdaGbSeconds + pings * pingGbSeconds,
      dynamoReads: visitPerOrder.dynamoReads + pings * pingSplit.reads,
      dynamoWrites: visitPerOrder.dynamoWrites + pings * pingSplit.writes,
      mongoCommands: visitPerOrder.mongoCommands + pings * ping.mongoTotal,
      wsMessages: visitPerOrder.wsMessages + pings * (ping.wsIn + ping.wsOut),
      wsConnectionMinutes: socketMinutes,
    };
    const placement = routes.find((r) => r.route === 'POST /api/orders' && r.inVisit)!;
    return {
      kitchenSockets,
      phones: phoneCount,
      orders,
      routes,
      visitPerOrder,
      perOrder,
      placement: {
        mongo: placement.mongoTotal,
        dynamo: placement.dynamoTotal,
        mongoTarget: 6,
        dynamoTarget: 3,
        met: placement.mongoTotal <= 6 && placement.dynamoTotal <= 3,
      },
      dollars: estimateDollars(perOrder, phoneCount / orders),
    };
  } finally {
    await Promise.all(sockets.map((socket) => socket.close().catch(() => undefined)));
    await new Promise((resolve) => setTimeout(resolve, 500));
    await t.stop();
  }
}

const list = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([name, n]) => `${name} ${Number.isInteger(n) ? n : n.toFixed(2)}`)
    .join(', ');

export function printCost(r: CostBenchResult): string {
  const d = r.dollars;
  const usd = (v: number) => `$${v < 0.01 ? v.toFixed(4) : v.toFixed(3)}`;
  return [
    `Cost per operation (sequential, counters reset per call; ${r.kitchenSockets} kitchen sockets, ${r.phones} phones at the table; * = part of the table visit)`,
    formatTable(
      ['route', 'calls', 'MongoDB', 'DynamoDB', 'WS out', 'WS in', 'ms', 'MongoDB commands', 'DynamoDB calls'],
      r.routes.map((x) => [`${x.inVisit ? '*' : ' '} ${x.route}`, x.calls, x.mongoTotal, x.dynamoTotal, x.wsOut, x.wsIn, x.ms, list(x.mongo), list(x.dynamo)]),
    ),
    `placement: ${r.placement.mongo.toFixed(2)} MongoDB commands (target ≤ ${r.placement.mongoTarget}), ${r.placement.dynamo.toFixed(2)} DynamoDB calls (target ≤ ${r.placement.dynamoTarget}): ${r.placement.met ? 'met' : 'NOT met'}`,
    `per order (visit only): ${r.visitPerOrder.httpRequests.toFixed(1)} HTTP requests, ${r.visitPerOrder.lambdaInvocations.toFixed(1)} invocations, ${r.visitPerOrder.dynamoReads.toFixed(1)} DynamoDB reads + ${r.visitPerOrder.dynamoWrites.toFixed(1)} writes, ${r.visitPerOrder.mongoCommands.toFixed(1)} MongoDB commands, ${r.visitPerOrder.wsMessages.toFixed(0)} WebSocket messages`,
    `per order (with ${HEARTBEAT_SECONDS} s heartbeats, ${ASSUMPTIONS.phoneMinutesPerVisit} min phone visits, ${ASSUMPTIONS.kitchenTablets} kitchen tablets × ${ASSUMPTIONS.kitchenHoursPerDay} h at ${ASSUMPTIONS.ordersPerDay} orders/day): ${r.perOrder.lambdaInvocations.toFixed(0)} invocations, ${r.perOrder.dynamoReads.toFixed(0)} reads + ${r.perOrder.dynamoWrites.toFixed(0)} writes, ${r.perOrder.wsMessages.toFixed(0)} WebSocket messages, ${r.perOrder.wsConnectionMinutes.toFixed(0)} connection-minutes`,
    `cost per 1,000 orders at ${d.prices.region}:`,
    formatTable(
      ['line', 'USD'],
      Object.entries(d.per1000Orders).map(([line, v]) => [line, usd(v)]),
    ),
    `≈ $${d.monthly.usd.toFixed(2)}/month for ${d.monthly.orders} orders, plus MongoDB Atlas as a flat $${d.monthly.atlasUsd}/month (${d.prices.atlasTier}).`,
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await runCostBench();
  console.log(printCost(result));
  process.exit(0);
}
