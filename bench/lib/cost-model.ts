/**
 * The cost model of bench/cost.ts: AWS list prices, the assumptions a laptop cannot measure, and
 * from the measured table visit and per-route costs, what one order costs under a heartbeat plan.
 * Every line of the model is kept (`ModelLine`) so the bench prints how each figure was reached.
 */
import { HEARTBEAT_CHECK_MS, HEARTBEATS, type HeartbeatProfile } from '../../web/shared/heartbeat.ts';
import { WAF_RULE_COUNT } from '../../lib/waf.ts';
import { STALE_SLICES_CLEANED_AT } from '../../functions/realtime/message-rate.ts';
import { pingsInSilence, pingsPerDay, type ArrivalShape } from './silence.ts';

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
  /** AWS WAF (the stack's web ACL, on by default: lib/waf.ts): per web ACL and per rule or rule group a month, and per million requests inspected. */
  wafWebAclMonthly: 5.0,
  wafPerRuleMonthly: 1.0,
  wafPerMillionRequests: 0.6,
  /** MongoDB Atlas is billed per cluster, not per request: a dedicated M10 on AWS, about $0.08/h. */
  atlasMonthlyUsd: 57,
  atlasTier: 'M10 dedicated cluster (~$0.08/h); the Flex tier starts lower but caps throughput',
};

/** Modelling assumptions the bench cannot measure on a laptop. */
export const ASSUMPTIONS = {
  phoneMinutesPerVisit: 60,
  /** Times a phone is put down and picked up again (page hidden → visible) during a visit. */
  guestWakesPerVisit: 4,
  kitchenTablets: 20,
  kitchenHoursPerDay: 12,
  /** Waiters' consoles (phones or tablets) signed in through service. */
  staffConsoles: 2,
  staffHoursPerDay: 12,
  /** Share of that time the console is on screen (a waiter's phone spends most of it in a pocket). */
  staffVisibleShare: 0.25,
  staffWakesPerHour: 6,
  ordersPerDay: 300,
  /**
   * When the day's orders come (a socket pings only after a heartbeat without a push, so this sets
   * the kitchen's and the consoles' pings): open 11:00–23:00, 40 % of orders around a 13:15 lunch
   * peak (σ 45 min), 50 % around a 20:30 dinner peak (σ 60 min), 10 % spread over the day. Why: a
   * sit-down restaurant's covers come in the two meal services (an Indian city's lunch 12–15 h,
   * dinner 19:30–22:30), with quiet afternoons where the tablets hear nothing; an even spread of 300
   * orders (one every 2.4 min) would hide those silences and understate the pings.
   */
  orderArrivals: {
    openHour: 11,
    hours: 12,
    peaks: [
      { share: 0.4, peakHour: 13.25, sdMinutes: 45 },
      { share: 0.5, peakHour: 20.5, sdMinutes: 60 },
    ],
  } satisfies ArrivalShape,
  /** An order's kitchen and console pushes are spread over this long from placement (cooking, ready, bump). */
  ticketMinutes: 20,
  /** A phone hears its table's pushes (carts, its dishes' statuses) over the visit's first this many minutes; then the table eats and pays. */
  guestActiveMinutes: 35,
  /** Days of orders the silence model plays (seeded: every run models the same days). */
  modelledDays: 30,
  modelSeed: 18,
  /** API Gateway closes every WebSocket after 2 hours: a tablet or console on all day reconnects (and reloads) every 2 h. */
  maxConnectionHours: 2,
  /** Per phone visit: the diner app's initial transfer (bench/web.ts measures it) + API payloads. */
  bytesPerPhoneVisit: 150 * 1024,
  /** Each phone loads the HTML, the JS, the CSS and config.json through CloudFront. */
  staticRequestsPerPhoneVisit: 6,
  /**
   * New execution environments per serving function per day: opening, recycling through service,
   * bursts, and the rarely used functions starting cold on most calls. AWS bills the init phase.
   */
  coldStartsPerFunctionPerDay: 10,
  /** Lambda gives a whole vCPU at 1,769 MB and a proportional share below: module init (CPU-bound) takes ×(1769 / memory) locally measured time. */
  fullVcpuMemoryMb: 1769,
};

/** What one order costs in countable units. */
export interface PerOrder {
  httpRequests: number;
  lambdaInvocations: number;
  lambdaGbSeconds: number;
  /** Billed init phases (cold starts). */
  lambdaInitGbSeconds: number;
  dynamoReads: number;
  dynamoWrites: number;
  mongoCommands: number;
  wsMessages: number;
  wsConnectionMinutes: number;
}

export const ZERO: PerOrder = {
  httpRequests: 0,
  lambdaInvocations: 0,
  lambdaGbSeconds: 0,
  lambdaInitGbSeconds: 0,
  dynamoReads: 0,
  dynamoWrites: 0,
  mongoCommands: 0,
  wsMessages: 0,
  wsConnectionMinutes: 0,
};

/** One call of a route as measured: what it costs each time. */
export interface UnitCost {
  http: boolean;
  ms: number;
  memoryMb: number;
  dynamoReads: number;
  dynamoWrites: number;
  mongo: number;
  wsMessages: number;
}

/** `times` calls of `unit` as per-order counts. */
export function callsOf(unit: UnitCost, times: number): PerOrder {
  return {
    ...ZERO,
    httpRequests: unit.http ? times : 0,
    lambdaInvocations: times,
    lambdaGbSeconds: times * (unit.ms / 1000) * (unit.memoryMb / 1024),
    dynamoReads: times * unit.dynamoReads,
    dynamoWrites: times * unit.dynamoWrites,
    mongoCommands: times * unit.mongo,
    wsMessages: times * unit.wsMessages,
  };
}

export function add(...parts: PerOrder[]): PerOrder {
  const sum = { ...ZERO };
  for (const part of parts) for (const key of Object.keys(sum) as (keyof PerOrder)[]) sum[key] += part[key];
  return sum;
}

export interface HeartbeatPlan {
  label: string;
  guest: HeartbeatProfile;
  kitchen: HeartbeatProfile;
  staff: HeartbeatProfile;
  /** A phone becoming visible resyncs (one `sync` over its socket and the menu over HTTP). */
  guestResyncsOnWake: boolean;
  /** A waking console's socket answers a probe ping (its resync is over HTTP). */
  staffProbesOnWake: boolean;
  /** A socket pings only after a heartbeat without hearing anything (web/shared/ws.ts), not on a timer. */
  pingAfterSilence: boolean;
}

const THIRTY_SECONDS: HeartbeatProfile = { heartbeatMs: 30_000, staleAfterMs: 45_000 };

export const PLANS = {
  before: {
    label: '30 s heartbeat on every socket (before #18)',
    guest: THIRTY_SECONDS,
    kitchen: THIRTY_SECONDS,
    staff: THIRTY_SECONDS,
    guestResyncsOnWake: false,
    staffProbesOnWake: false,
    pingAfterSilence: false,
  },
  now: {
    label: 'per-app heartbeats (web/shared/heartbeat.ts)',
    guest: HEARTBEATS.guest,
    kitchen: HEARTBEATS.kitchen,
    staff: HEARTBEATS.staff,
    guestResyncsOnWake: true,
    staffProbesOnWake: true,
    pingAfterSilence: true,
  },
} as const satisfies Record<string, HeartbeatPlan>;

/** What the model needs measured. */
export interface Measured {
  /** The table visit, per order. */
  visit: PerOrder;
  phonesPerOrder: number;
  ping: UnitCost;
  sync: UnitCost;
  menu: UnitCost;
  /** One floor reload of a staff console (GET /api/staff/tables + GET /api/staff/orders). */
  staffReload: UnitCost[];
  /** A kitchen tablet's (re)connect: $connect, its sync (which names the socket) and the board's two GETs (open, bumped). */
  kitchenOpen: UnitCost[];
  /** A console's (re)connect: $connect (and a floor reload). */
  socketConnect: UnitCost;
  /** Messages each socket received in the visit, per order (kitchen tablets, staff consoles) and per visit (each phone). */
  heardPerOrder: { kitchen: number[]; staff: number[] };
  heardPerPhoneVisit: number[];
  /** Per serving function: its memory and its module init (ms, measured locally). */
  functions: { group: string; memoryMb: number; initMs: number }[];
}

export interface ModelLine {
  line: string;
  formula: string;
  /** The count the line is about (pings, wakes, minutes…), per order. */
  count: number;
  cost: PerOrder;
}

export function modelPerOrder(m: Measured, plan: HeartbeatPlan): { lines: ModelLine[]; perOrder: PerOrder } {
  const a = ASSUMPTIONS;
  const minutesPerOrder = (devices: number, hoursPerDay: number) => (devices * hoursPerDay * 60) / a.ordersPerDay;
  const pingsIn = (minutes: number, everyMs: number) => (minutes * 60_000) / everyMs;
  const s = (ms: number) => `${ms / 1000} s`;

  const guestMinutes = m.phonesPerOrder * a.phoneMinutesPerVisit;
  const kitchenMinutes = minutesPerOrder(a.kitchenTablets, a.kitchenHoursPerDay);
  const staffMinutes = minutesPerOrder(a.staffConsoles, a.staffHoursPerDay);
  const staffVisible = staffMinutes * a.staffVisibleShare;
  const staffHidden = staffMinutes - staffVisible;
  const guestWakes = plan.guestResyncsOnWake ? m.phonesPerOrder * a.guestWakesPerVisit : 0;
  const staffHiddenMs = plan.staff.hiddenHeartbeatMs ?? plan.staff.heartbeatMs;
  // After silence, a ping goes at the socket's first check past the heartbeat: half a check late on average.
  const afterSilence = (heartbeatMs: number) => (heartbeatMs + Math.min(HEARTBEAT_CHECK_MS, heartbeatMs) / 2) / 60_000;
  // Pings after silence: each socket's measured pushes per order, from the modelled days' orders.
  const silentPingsPerOrder = (heard: number[], devices: number, heartbeatMs: number) =>
    heard.length === 0
      ? pingsIn(minutesPerOrder(devices, a.orderArrivals.hours), heartbeatMs)
      : (pingsPerDay(
          { shape: a.orderArrivals, ordersPerDay: a.ordersPerDay, days: a.modelledDays, seed: a.modelSeed, spanMinutes: a.ticketMinutes, heartbeatMinutes: afterSilence(heartbeatMs) },
          heard,
        ) *
          (devices / heard.length)) /
        a.ordersPerDay;
  // A phone: its pushes spread over the visit's active part, its wake-up resyncs (answered) evenly over the visit.
  const guestSilentPings = () => {
    const wakes = plan.guestResyncsOnWake ? Array.from({ length: a.guestWakesPerVisit }, (_, i) => ((i + 1) * a.phoneMinutesPerVisit) / (a.guestWakesPerVisit + 1)) : [];
    const perPhone = m.heardPerPhoneVisit.map((n) => {
      const heard = Array.from({ length: Math.round(n) }, (_, i) => (i * a.guestActiveMinutes) / Math.max(1, Math.round(n) - 1));
      return pingsInSilence([...heard, ...wakes].sort((x, y) => x - y), 0, a.phoneMinutesPerVisit, afterSilence(plan.guest.heartbeatMs));
    });
    return (perPhone.reduce((x, y) => x + y, 0) / perPhone.length) * m.phonesPerOrder;
  };
  const guestPings = plan.pingAfterSilence ? guestSilentPings() : pingsIn(guestMinutes, plan.guest.heartbeatMs);
  const kitchenPings = plan.pingAfterSilence ? silentPingsPerOrder(m.heardPerOrder.kitchen, a.kitchenTablets, plan.kitchen.heartbeatMs) : pingsIn(kitchenMinutes, plan.kitchen.heartbeatMs);
  const staffVisiblePings = plan.pingAfterSilence
    ? silentPingsPerOrder(m.heardPerOrder.staff, a.staffConsoles, plan.staff.heartbeatMs) * a.staffVisibleShare
    : pingsIn(staffVisible, plan.staff.heartbeatMs);
  const staffHiddenPings = plan.pingAfterSilence
    ? silentPingsPerOrder(m.heardPerOrder.staff, a.staffConsoles, staffHiddenMs) * (1 - a.staffVisibleShare)
    : pingsIn(staffHidden, staffHiddenMs);
  // A heartbeat ping comes after more than two 10 s rate windows of the socket's silence, so it
  // leaves a stale slice on the record: cleaned by a second write at once before (every ping two
  // writes), now once ten have gathered (functions/realtime/message-rate.ts). The bench's one ping
  // comes soon after its socket's sync, so it shows one write; heartbeats are counted as they come.
  const heartbeat: UnitCost = { ...m.ping, dynamoWrites: 1 + (plan.pingAfterSilence ? 1 / STALE_SLICES_CLEANED_AT : 1) };
  const mean = (xs: number[]) => (xs.length ? xs.reduce((x, y) => x + y, 0) / xs.length : 0);
  const silenceHow = (heard: number[], what: string) =>
    `pings after ${what} (+ half a ${HEARTBEAT_CHECK_MS / 1000} s check) of silence: ${heard.length} sockets hearing ${mean(heard).toFixed(1)} pushes/order (measured) over ${a.ticketMinutes} min from each order, orders in lunch/dinner peaks, ${a.modelledDays} modelled days`;
  const opensPerDay = a.kitchenHoursPerDay / a.maxConnectionHours;
  const kitchenOpens = (a.kitchenTablets * opensPerDay) / a.ordersPerDay;
  const staffOpens = (a.staffConsoles * (a.staffHoursPerDay / a.maxConnectionHours)) / a.ordersPerDay;
  const staffRefreshes = pingsIn(staffVisible, 30_000);
  const staffWakes = (a.staffConsoles * a.staffHoursPerDay * a.staffWakesPerHour) / a.ordersPerDay;
  const reload = (times: number) => add(...m.staffReload.map((route) => callsOf(route, times)));
  const coldStarts = (m.functions.length * a.coldStartsPerFunctionPerDay) / a.ordersPerDay;
  const initGbSeconds = m.functions.reduce(
    (n, f) => n + (f.initMs / 1000) * Math.max(1, a.fullVcpuMemoryMb / f.memoryMb) * (f.memoryMb / 1024),
    0,
  );

  const lines: ModelLine[] = [
    { line: 'table visit (measured)', formula: 'the sequential visit / its orders', count: 1, cost: m.visit },
    {
      line: 'socket connection-minutes',
      formula: `${m.phonesPerOrder} phones/order × ${a.phoneMinutesPerVisit} min + ${a.kitchenTablets} tablets × ${a.kitchenHoursPerDay} h and ${a.staffConsoles} consoles × ${a.staffHoursPerDay} h / ${a.ordersPerDay} orders`,
      count: guestMinutes + kitchenMinutes + staffMinutes,
      cost: { ...ZERO, wsConnectionMinutes: guestMinutes + kitchenMinutes + staffMinutes },
    },
    {
      line: 'guest heartbeats',
      formula: plan.pingAfterSilence
        ? `${m.phonesPerOrder} phones/order × pings after ${s(plan.guest.heartbeatMs)} of silence in ${a.phoneMinutesPerVisit} min: ${mean(m.heardPerPhoneVisit).toFixed(1)} messages/phone (measured) over the first ${a.guestActiveMinutes} min${plan.guestResyncsOnWake ? ` + ${a.guestWakesPerVisit} wakes` : ''}`
        : `${guestMinutes} phone-min / ${s(plan.guest.heartbeatMs)}`,
      count: guestPings,
      cost: callsOf(heartbeat, guestPings),
    },
    {
      line: 'guest wake-up resyncs',
      formula: plan.guestResyncsOnWake ? `${m.phonesPerOrder} phones/order × ${a.guestWakesPerVisit} wakes × (WS sync + GET /api/menu)` : 'none (no resync on wake)',
      count: guestWakes,
      cost: add(callsOf(m.sync, guestWakes), callsOf(m.menu, guestWakes)),
    },
    {
      line: 'kitchen heartbeats',
      formula: plan.pingAfterSilence
        ? `${a.kitchenTablets} tablets × ${a.kitchenHoursPerDay} h, ${silenceHow(m.heardPerOrder.kitchen, s(plan.kitchen.heartbeatMs))} / ${a.ordersPerDay} orders`
        : `${kitchenMinutes} tablet-min / ${s(plan.kitchen.heartbeatMs)}`,
      count: kitchenPings,
      cost: callsOf(heartbeat, kitchenPings),
    },
    {
      line: 'staff heartbeats, visible',
      formula: plan.pingAfterSilence
        ? `${a.staffConsoles} consoles × ${a.staffVisibleShare} of ${a.staffHoursPerDay} h, ${silenceHow(m.heardPerOrder.staff, s(plan.staff.heartbeatMs))}`
        : `${staffMinutes.toFixed(1)} console-min × ${a.staffVisibleShare} / ${s(plan.staff.heartbeatMs)}`,
      count: staffVisiblePings,
      cost: callsOf(heartbeat, staffVisiblePings),
    },
    {
      line: 'staff heartbeats, hidden',
      formula: plan.pingAfterSilence
        ? `${a.staffConsoles} consoles × ${1 - a.staffVisibleShare} of ${a.staffHoursPerDay} h, ${silenceHow(m.heardPerOrder.staff, s(staffHiddenMs))}`
        : `${staffMinutes.toFixed(1)} console-min × ${1 - a.staffVisibleShare} / ${s(staffHiddenMs)}`,
      count: staffHiddenPings,
      cost: callsOf(heartbeat, staffHiddenPings),
    },
    {
      line: '2-hour reconnects',
      formula: `(${a.kitchenTablets} tablets × (WS $connect + sync + 2 board GETs) + ${a.staffConsoles} consoles × (WS $connect + 2 GETs)) × ${a.kitchenHoursPerDay} h / ${a.maxConnectionHours} h / ${a.ordersPerDay}`,
      count: kitchenOpens + staffOpens,
      cost: add(...m.kitchenOpen.map((unit) => callsOf(unit, kitchenOpens)), callsOf(m.socketConnect, staffOpens), reload(staffOpens)),
    },
    { line: 'staff floor reloads, visible', formula: `${staffVisible.toFixed(1)} visible console-min / 30 s × 2 GETs`, count: staffRefreshes, cost: reload(staffRefreshes) },
    {
      line: 'staff wake-ups',
      formula: `${a.staffConsoles} × ${a.staffHoursPerDay} h × ${a.staffWakesPerHour}/h / ${a.ordersPerDay} × (2 GETs${plan.staffProbesOnWake ? ' + a probe ping' : ''})`,
      count: staffWakes,
      cost: add(reload(staffWakes), plan.staffProbesOnWake ? callsOf(m.ping, staffWakes) : ZERO),
    },
    {
      line: 'billed init (cold starts)',
      formula: `${m.functions.length} functions × ${a.coldStartsPerFunctionPerDay}/day / ${a.ordersPerDay}; init × max(1, ${a.fullVcpuMemoryMb} MB / memory)`,
      count: coldStarts,
      cost: { ...ZERO, lambdaInitGbSeconds: (initGbSeconds * a.coldStartsPerFunctionPerDay) / a.ordersPerDay },
    },
  ];
  return { lines, perOrder: add(...lines.map((l) => l.cost)) };
}

export interface DollarEstimate {
  prices: typeof PRICES;
  assumptions: typeof ASSUMPTIONS;
  per1000Orders: Record<string, number> & { total: number };
  /** `usd` includes the WAF's requests; `wafFixedUsd` is its web ACL and rules, a flat monthly fee. */
  monthly: { orders: number; usd: number; atlasUsd: number; wafFixedUsd: number; wafRules: number };
}

const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);

export function dynamoSplit(counts: Record<string, number>): { reads: number; writes: number } {
  let reads = 0;
  let writes = 0;
  for (const [name, n] of Object.entries(counts)) (READS.has(name) ? (reads += n) : (writes += n));
  return { reads, writes };
}

export function estimateDollars(perOrder: PerOrder, phonesPerOrder: number): DollarEstimate {
  const k = 1000;
  const p = PRICES;
  const cloudFrontRequests = perOrder.httpRequests + phonesPerOrder * ASSUMPTIONS.staticRequestsPerPhoneVisit;
  const lines = {
    lambdaRequests: (perOrder.lambdaInvocations * k * p.lambdaPerMillionRequests) / 1e6,
    lambdaDuration: perOrder.lambdaGbSeconds * k * p.lambdaArmPerGbSecond,
    lambdaInit: perOrder.lambdaInitGbSeconds * k * p.lambdaArmPerGbSecond,
    httpApi: (perOrder.httpRequests * k * p.httpApiPerMillion) / 1e6,
    wsMessages: (perOrder.wsMessages * k * p.wsPerMillionMessages) / 1e6,
    wsConnectionMinutes: (perOrder.wsConnectionMinutes * k * p.wsPerMillionConnectionMinutes) / 1e6,
    dynamoWrites: (perOrder.dynamoWrites * k * p.dynamoPerMillionWru) / 1e6,
    dynamoReads: (perOrder.dynamoReads * k * p.dynamoPerMillionRru) / 1e6,
    cloudFrontRequests: (cloudFrontRequests * k * p.cloudFrontPer10kHttpsRequests) / 1e4,
    cloudFrontTransfer: ((phonesPerOrder * ASSUMPTIONS.bytesPerPhoneVisit * k) / 1024 ** 3) * p.cloudFrontPerGb,
    // The WAF inspects every request CloudFront receives (a WebSocket's messages are not requests: only its upgrade is).
    wafRequests: (cloudFrontRequests * k * p.wafPerMillionRequests) / 1e6,
  };
  const total = Object.values(lines).reduce((a, b) => a + b, 0);
  const ordersPerMonth = ASSUMPTIONS.ordersPerDay * 30;
  return {
    prices: PRICES,
    assumptions: ASSUMPTIONS,
    per1000Orders: { ...lines, total },
    monthly: {
      orders: ordersPerMonth,
      usd: (total * ordersPerMonth) / k,
      atlasUsd: p.atlasMonthlyUsd,
      wafFixedUsd: p.wafWebAclMonthly + WAF_RULE_COUNT * p.wafPerRuleMonthly,
      wafRules: WAF_RULE_COUNT,
    },
  };
}
