/** The service load's figures (bench/service-load.ts) and how they are printed. */
import type { Summary } from './stats.ts';
import { availableParallelism } from 'node:os';
import { formatTable } from './table.ts';
import type { StackPlace } from './service-stack.ts';

export interface ServiceLoadOptions {
  tables?: number;
  phonesPerTable?: number;
  itemsPerPhone?: number;
  ordersPerTable?: number;
  kitchenSockets?: number;
  kitchenWorkers?: number;
  rampMs?: number;
  /** The embedded MongoDB on its own thread, as `npm start` runs it (default true); false: in the bench's process. */
  mongoOnThread?: boolean;
  /**
   * Containers started in every group the load uses before it begins (Lambda's provisioned
   * concurrency; capped at the runtime's 8 per group). Default 8; 0 starts every container during the load.
   */
  warmContainers?: number;
  /**
   * Where the local runtime runs: in a child process (default), so the simulated phones and tablets
   * (other devices in reality) do not share its event loop; or in the bench's own process, as every
   * run before session 11 did (bench/lib/service-stack.ts).
   */
  stack?: StackPlace;
  /** The local runtime's cap of containers per group (default its own, 8); the prewarm follows it. */
  maxPerGroup?: number;
}

export interface RouteFigures extends Summary {
  route: string;
  errors: number;
  perSecond: number;
}

export interface ServiceLoadResult {
  options: Required<ServiceLoadOptions>;
  elapsedSeconds: number;
  requests: number;
  requestsPerSecond: number;
  ordersPerSecond: number;
  errors: number;
  tablesFailed: number;
  errorSamples: string[];
  routes: RouteFigures[];
  latency: {
    orderToKitchenSocket: Summary;
    orderToAllKitchenSockets: Summary;
    cartChangeToOtherPhones: Summary;
  };
  store: { ordersExpected: number; ordersFound: number; duplicateKeys: number; missingOrders: number; itemsNotReady: number };
  /** Totals over the whole load (session open to the last socket closed), for the cost model. */
  totals: {
    orders: number;
    httpRequests: number;
    /** By route key, HTTP and WebSocket ($connect, $disconnect, actions). */
    invocations: Record<string, number>;
    dynamo: Record<string, number>;
    dynamoCalls: number;
    mongoCommands: number;
    wsMessagesOut: number;
    wsMessagesIn: number;
    wsConnections: number;
    wsConnectionMinutes: number;
  };
  /** Lambda containers and MongoDB connections (local/gateway/containers.ts; the embedded server's count). */
  lambda: LambdaFigures;
  /** Per handler during the load: the wait for a container (queueing or a cold start) and the run in it, ms. */
  containerTimings: { handler: string; n: number; waitP50: number; waitP99: number; runP50: number; runP99: number }[];
  /** Load average (1 min) at the start and the end of the measured load. */
  loadAverage: { start: number; end: number };
  /**
   * CPU time (user + system, all threads) during the measured load, s: the stack's process, and the
   * bench's clients when the stack runs in a child (0 when they share one process: all is in `stack`).
   */
  cpuSeconds: { stack: number; clients: number; stackMainThread: number };
  ok: boolean;
}

export interface LambdaFigures {
  /** Connections one fresh container opens to serve a request (driver monitoring as on Lambda). */
  connectionsPerContainer: number;
  /** The functions' connections at the peak of the load (sampled every 200 ms; the runtime's and the bench's own clients taken off). */
  peakConnections: number;
  /** Containers started during the load, all groups. */
  coldStarts: number;
  /** The containers cap per group in the local runtime (Lambda would start more). */
  maxPerGroup: number;
  /** Containers per group started before the load (not counted in coldStarts), and how long that took. */
  warmBefore: number;
  warmSeconds: number;
  groups: { group: string; coldStarts: number; peakLive: number; invocations: number }[];
}



/**
 * What the load asks of the machine while the tables arrive: every table brings the same work (its
 * phones' requests, their pushes, the kitchen's changes to its orders), so tables arriving over the
 * ramp ask for (the stack's CPU per table × tables per second) cores. Above the machine's cores the
 * excess waits in the containers' queues whatever the code does; the p99 of the routes a table starts
 * with (join, the menu, cart add) then measures that queue.
 */
export function rampDemand(r: ServiceLoadResult, cores = availableParallelism()): string {
  const perTable = r.cpuSeconds.stack / r.options.tables;
  const perRequestMs = (1000 * r.cpuSeconds.stack) / r.requests;
  if (r.options.rampMs <= 0) return `demand: ${perTable.toFixed(2)} CPU s of the stack per table, all tables at once, on ${cores} cores`;
  const demand = (perTable * r.options.tables) / (r.options.rampMs / 1000);
  // The stack's CPU per request at which the arriving tables would fill 70 % of the cores (a queue stays short below that).
  const fitsMs = (0.7 * cores * (r.options.rampMs / 1000) * 1000) / r.requests;
  return (
    `demand while the tables arrive: ${perTable.toFixed(2)} CPU s of the stack per table, ${(r.options.tables / (r.options.rampMs / 1000)).toFixed(2)} tables/s: ` +
    `${demand.toFixed(1)} cores asked of ${cores} (${(demand / cores).toFixed(2)}×); 70 % of the cores over the ramp is ${fitsMs.toFixed(1)} ms of the stack's CPU per request, against ${perRequestMs.toFixed(1)} ms`
  );
}

/** #18's targets for this load (on a quiet machine): no error and every order stored, every route's p99 ≤ 1 s, ≥ 2× the 35 req/s of the issue's day. */
export function serviceLoadTargets(r: ServiceLoadResult): string {
  const slowest = [...r.routes].sort((a, b) => b.p99 - a.p99)[0];
  const verdict = (met: boolean) => (met ? 'met' : 'NOT met');
  return (
    `#18 targets: 0 errors and every order stored ${verdict(r.ok)}; every route's p99 ≤ 1 s ${verdict(Boolean(slowest) && slowest.p99 <= 1000)} (slowest: ${slowest?.route} ${slowest?.p99} ms); ` +
    `≥ 70 req/s ${verdict(r.requestsPerSecond >= 70)} (${r.requestsPerSecond.toFixed(0)})`
  );
}

export function printServiceLoad(r: ServiceLoadResult): string {
  const o = r.options;
  const lines = [
    `Service load: ${o.tables} tables × ${o.phonesPerTable} phones, ${o.itemsPerPhone} items per phone, ${o.ordersPerTable} orders per table, ${o.kitchenSockets} kitchen sockets (${o.kitchenWorkers} working tickets); tables arrive over ${(o.rampMs / 1000).toFixed(0)} s`,
    `${r.requests} HTTP requests in ${r.elapsedSeconds.toFixed(1)} s: ${r.requestsPerSecond.toFixed(0)} req/s, ${r.ordersPerSecond.toFixed(1)} orders/s; errors ${r.errors}, tables failed ${r.tablesFailed}`,
    formatTable(
      ['route', 'n', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'errors'],
      r.routes.map((x) => [x.route, x.n, x.perSecond, x.p50, x.p99, x.max, x.errors]),
    ),
    `store: ${r.store.ordersFound}/${r.store.ordersExpected} orders, ${r.store.duplicateKeys} duplicate keys, ${r.store.missingOrders} missing, ${r.store.itemsNotReady} items not READY`,
    `under load: order → kitchen socket p50 ${r.latency.orderToKitchenSocket.p50} / p99 ${r.latency.orderToKitchenSocket.p99} ms; → all ${o.kitchenSockets} sockets p99 ${r.latency.orderToAllKitchenSockets.p99} ms; cart change → other phones p50 ${r.latency.cartChangeToOtherPhones.p50} / p99 ${r.latency.cartChangeToOtherPhones.p99} ms`,
    `CPU during the load (user + system, all threads): ${r.cpuSeconds.stack.toFixed(1)} s the stack${r.options.stack === 'child' ? ` (child process), ${r.cpuSeconds.clients.toFixed(1)} s the bench's clients` : " and the bench's clients (one process)"}: ` +
      `${((1000 * (r.cpuSeconds.stack + r.cpuSeconds.clients)) / r.requests).toFixed(1)} ms per HTTP request (${((1000 * r.cpuSeconds.stack) / r.requests).toFixed(1)} ms the stack's); ` +
      `the stack's main thread ${r.cpuSeconds.stackMainThread.toFixed(1)} s (the gateway and the DynamoDB counting proxy${r.options.stack === 'child' ? '' : ', and the clients'}), its other threads (containers, MongoDB, dynalite) ${(r.cpuSeconds.stack - r.cpuSeconds.stackMainThread).toFixed(1)} s`,
    rampDemand(r),
    serviceLoadTargets(r),
    `totals: ${r.totals.dynamoCalls} DynamoDB calls, ${r.totals.mongoCommands} MongoDB commands, ${r.totals.wsMessagesOut} WebSocket messages out, ${r.totals.wsMessagesIn} in, ${r.totals.wsConnectionMinutes.toFixed(1)} connection-minutes`,
  ];
  const l = r.lambda;
  lines.push(
    `Lambda containers: ${l.warmBefore} per group started before the load (${l.warmSeconds.toFixed(1)} s), ${l.coldStarts} cold starts during it; MongoDB ${o.mongoOnThread ? 'on its own thread' : "in the bench's process"}; one container opens ${l.connectionsPerContainer} MongoDB connections; ` +
      `${l.peakConnections} MongoDB connections at the peak (the local runtime caps a group at ${l.maxPerGroup} containers, Lambda would start more)`,
    formatTable(
      ['function group', 'cold starts', 'peak containers', 'invocations'],
      l.groups.map((g) => [g.group, g.coldStarts, g.peakLive, g.invocations]),
    ),
  );
  lines.push(
    `In the containers during the load (load average ${r.loadAverage.start.toFixed(1)} → ${r.loadAverage.end.toFixed(1)}): the wait for a container (queueing, cold starts) and the run in it, ms`,
    formatTable(
      ['handler', 'n', 'wait p50', 'wait p99', 'run p50', 'run p99'],
      r.containerTimings.map((x) => [x.handler, x.n, x.waitP50, x.waitP99, x.runP50, x.runP99]),
    ),
  );
  if (r.errorSamples.length) lines.push(`errors: ${r.errorSamples.join(' | ')}`);
  return lines.join('\n');
}
