/**
 * The cost model of bench/cost.ts: from the measured table visit and per-route costs, at the prices
 * and assumptions of cost-assumptions.ts, what one order costs under a heartbeat plan.
 * Every line of the model is kept (`ModelLine`) so the bench prints how each figure was reached.
 */
import { HEARTBEAT_CHECK_MS, HEARTBEATS, type HeartbeatProfile } from '../../web/shared/heartbeat.ts';
import { FLOOR_RELOAD_MS } from '../../web/staff/floor.ts';
import { WAF_RULE_COUNT } from '../../lib/waf.ts';
import { STALE_SLICES_CLEANED_AT } from '../../functions/realtime/message-rate.ts';
import { ASSUMPTIONS, PRICES } from './cost-assumptions.ts';
import { pingsInSilence, pingsPerDay, sharedPingsPerDay } from './silence.ts';

export { ASSUMPTIONS, PRICES };

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
  /** The console's timed floor reload while visible (web/staff/floor.ts), a safety net under the pushes. */
  staffFloorReloadMs: number;
  /** A phone's resync loads the menu only when the `sync` reply's menu version changed (web/diner/live.ts). */
  guestMenuOnlyWhenChanged: boolean;
  /** A socket pings only after a heartbeat without hearing anything (web/shared/ws.ts), not on a timer. */
  pingAfterSilence: boolean;
  /** A kitchen tablet's ping answers every kitchen socket (functions/gateway/kitchen-beat.ts): the kitchen pings, not each tablet. */
  kitchenSharedPong: boolean;
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
    staffFloorReloadMs: 30_000,
    guestMenuOnlyWhenChanged: false,
    kitchenSharedPong: false,
  },
  /** Session 10's main before the kitchen's shared pong: every tablet pinged for itself. */
  s9: {
    label: 'every kitchen tablet pinging for itself (main before session 10)',
    guest: HEARTBEATS.guest,
    kitchen: HEARTBEATS.kitchen,
    staff: HEARTBEATS.staff,
    guestResyncsOnWake: true,
    staffProbesOnWake: true,
    pingAfterSilence: true,
    staffFloorReloadMs: FLOOR_RELOAD_MS,
    guestMenuOnlyWhenChanged: true,
    kitchenSharedPong: false,
  },
  now: {
    label: 'per-app heartbeats (web/shared/heartbeat.ts), hidden consoles closed, the menu by its version',
    guest: HEARTBEATS.guest,
    kitchen: HEARTBEATS.kitchen,
    staff: HEARTBEATS.staff,
    guestResyncsOnWake: true,
    staffProbesOnWake: true,
    pingAfterSilence: true,
    staffFloorReloadMs: FLOOR_RELOAD_MS,
    guestMenuOnlyWhenChanged: true,
    kitchenSharedPong: true,
  },
} as const satisfies Record<string, HeartbeatPlan>;

/** What the model needs measured. */
export interface Measured {
  /** The table visit, per order. */
  visit: PerOrder;
  phonesPerOrder: number;
  ping: UnitCost;
  /** A kitchen tablet's ping that claims the kitchen's shared pong (to every tablet), and one that finds it taken (its own pong). */
  kitchenBeat: UnitCost;
  kitchenBeatTaken: UnitCost;
  sync: UnitCost;
  menu: UnitCost;
  /** One floor reload of a staff console (GET /api/staff/tables + GET /api/staff/orders). */
  staffReload: UnitCost[];
  /** A kitchen tablet's (re)connect: $connect, its sync (which names the socket) and the board's two GETs (open, bumped). */
  kitchenOpen: UnitCost[];
  /** A console's (re)connect: $connect (and a floor reload). */
  socketConnect: UnitCost;
  /** A socket's close: $disconnect (a hidden console closing its socket). */
  socketDisconnect: UnitCost;
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
  const staffWakes = (a.staffConsoles * a.staffHoursPerDay * a.staffWakesPerHour) / a.ordersPerDay;
  // A console hidden for `hiddenCloseAfterMs` closes its socket (web/shared/ws.ts): every hidden
  // spell (one per wake, 7.5 min on average) keeps it only for that first minute.
  const closeHiddenMs = plan.staff.hiddenCloseAfterMs;
  const staffHiddenConnected = closeHiddenMs === undefined ? staffHidden : Math.min(staffHidden, staffWakes * (closeHiddenMs / 60_000));
  const staffParkedShare = (staffHidden - staffHiddenConnected) / staffMinutes;
  const staffHeardPerOrder = m.heardPerOrder.staff.reduce((x, y) => x + y, 0);
  // A phone's resync loads the menu only if it changed since the phone's previous sync (its wakes split the visit evenly).
  const minutesBetweenSyncs = a.phoneMinutesPerVisit / (a.guestWakesPerVisit + 1);
  const menuChangedShare = plan.guestMenuOnlyWhenChanged ? 1 - Math.exp(-(a.menuChangesPerDay / (a.orderArrivals.hours * 60)) * minutesBetweenSyncs) : 1;
  const guestMenuLoads = guestWakes * menuChangedShare;
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
  // Shared: the kitchen pings when any tablet has heard nothing for a heartbeat since the last shared
  // pong. Tablets whose silences end together ping at their own 5 s checks: every other one whose check
  // falls within a pong's round trip of the first pings too, and finds the beat taken.
  const kitchenBeats = plan.kitchenSharedPong
    ? (sharedPingsPerDay(
        { shape: a.orderArrivals, ordersPerDay: a.ordersPerDay, days: a.modelledDays, seed: a.modelSeed, spanMinutes: a.ticketMinutes, heartbeatMinutes: afterSilence(plan.kitchen.heartbeatMs) },
        m.heardPerOrder.kitchen,
      ) *
        (a.kitchenTablets / m.heardPerOrder.kitchen.length)) /
      a.ordersPerDay
    : 0;
  const kitchenBeatsTaken = kitchenBeats * (a.kitchenTablets - 1) * ((a.pongRoundTripMs / HEARTBEAT_CHECK_MS));
  const staffVisiblePings = plan.pingAfterSilence
    ? silentPingsPerOrder(m.heardPerOrder.staff, a.staffConsoles, plan.staff.heartbeatMs) * a.staffVisibleShare
    : pingsIn(staffVisible, plan.staff.heartbeatMs);
  // Closed within a hidden heartbeat: a hidden console never pings.
  const staffHiddenPings =
    closeHiddenMs !== undefined && closeHiddenMs < staffHiddenMs
      ? 0
      : plan.pingAfterSilence
        ? silentPingsPerOrder(m.heardPerOrder.staff, a.staffConsoles, staffHiddenMs) * (1 - a.staffVisibleShare)
        : pingsIn(staffHidden, staffHiddenMs);
  // A heartbeat ping comes after more than two 10 s rate windows of the socket's silence, so it
  // leaves a stale slice on the record: cleaned by a second write at once before (every ping two
  // writes), now once ten have gathered (functions/realtime/message-rate.ts). The bench's one ping
  // comes soon after its socket's sync, so it shows one write; heartbeats are counted as they come.
  const heartbeat: UnitCost = { ...m.ping, dynamoWrites: 1 + (plan.pingAfterSilence ? 1 / STALE_SLICES_CLEANED_AT : 1) };
  // The same stale-slice write for a kitchen ping measured soon after its socket's sync.
  const staleSlice = (unit: UnitCost): UnitCost => ({ ...unit, dynamoWrites: unit.dynamoWrites + 1 / STALE_SLICES_CLEANED_AT });
  const mean = (xs: number[]) => (xs.length ? xs.reduce((x, y) => x + y, 0) / xs.length : 0);
  const silenceHow = (heard: number[], what: string) =>
    `pings after ${what} (+ half a ${HEARTBEAT_CHECK_MS / 1000} s check) of silence: ${heard.length} sockets hearing ${mean(heard).toFixed(1)} pushes/order (measured) over ${a.ticketMinutes} min from each order, orders in lunch/dinner peaks, ${a.modelledDays} modelled days`;
  const opensPerDay = a.kitchenHoursPerDay / a.maxConnectionHours;
  const kitchenOpens = (a.kitchenTablets * opensPerDay) / a.ordersPerDay;
  // A console that closes its socket when hidden never keeps one for 2 hours.
  const staffOpens = closeHiddenMs === undefined ? (a.staffConsoles * (a.staffHoursPerDay / a.maxConnectionHours)) / a.ordersPerDay : 0;
  const staffRefreshes = pingsIn(staffVisible, plan.staffFloorReloadMs);
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
      formula:
        `${m.phonesPerOrder} phones/order × ${a.phoneMinutesPerVisit} min + ${a.kitchenTablets} tablets × ${a.kitchenHoursPerDay} h and ${a.staffConsoles} consoles × ${a.staffHoursPerDay} h / ${a.ordersPerDay} orders` +
        (closeHiddenMs === undefined ? '' : `, consoles only visible (${a.staffVisibleShare}) + ${closeHiddenMs / 60_000} min per hidden spell`),
      count: guestMinutes + kitchenMinutes + staffVisible + staffHiddenConnected,
      cost: { ...ZERO, wsConnectionMinutes: guestMinutes + kitchenMinutes + staffVisible + staffHiddenConnected },
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
      line: 'guest wake-up syncs',
      formula: plan.guestResyncsOnWake ? `${m.phonesPerOrder} phones/order × ${a.guestWakesPerVisit} wakes × WS sync` : 'none (no resync on wake)',
      count: guestWakes,
      cost: callsOf(m.sync, guestWakes),
    },
    {
      line: 'guest wake-up menu loads',
      formula: !plan.guestResyncsOnWake
        ? 'none (no resync on wake)'
        : plan.guestMenuOnlyWhenChanged
          ? `${guestWakes} wakes × GET /api/menu only if the menu changed since the phone's previous sync: 1 − e^(−${a.menuChangesPerDay} changes / ${a.orderArrivals.hours} h × ${minutesBetweenSyncs} min) = ${menuChangedShare.toFixed(3)}`
          : `${guestWakes} wakes × GET /api/menu (on every resync)`,
      count: guestMenuLoads,
      cost: callsOf(m.menu, guestMenuLoads),
    },
    {
      line: 'kitchen heartbeats',
      formula: plan.kitchenSharedPong
        ? `one shared pong to ${a.kitchenTablets} tablets (WS ping (kitchen beat), measured) when any has heard nothing for ${s(plan.kitchen.heartbeatMs)} (+ half a ${HEARTBEAT_CHECK_MS / 1000} s check): ${silenceHow(m.heardPerOrder.kitchen, s(plan.kitchen.heartbeatMs)).replace(/^pings after .*? of silence: /, '')} / ${a.ordersPerDay} orders; + ${a.kitchenTablets - 1} tablets × ${a.pongRoundTripMs} ms round trip / ${HEARTBEAT_CHECK_MS / 1000} s check pinging too, finding the beat taken (${kitchenBeatsTaken.toFixed(2)}/order)`
        : plan.pingAfterSilence
        ? `${a.kitchenTablets} tablets × ${a.kitchenHoursPerDay} h, ${silenceHow(m.heardPerOrder.kitchen, s(plan.kitchen.heartbeatMs))} / ${a.ordersPerDay} orders`
        : `${kitchenMinutes} tablet-min / ${s(plan.kitchen.heartbeatMs)}`,
      count: plan.kitchenSharedPong ? kitchenBeats + kitchenBeatsTaken : kitchenPings,
      cost: plan.kitchenSharedPong
        ? add(callsOf(staleSlice(m.kitchenBeat), kitchenBeats), callsOf(staleSlice(m.kitchenBeatTaken), kitchenBeatsTaken))
        : callsOf(heartbeat, kitchenPings),
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
      formula: closeHiddenMs !== undefined && closeHiddenMs < staffHiddenMs
        ? `none: the socket closes after ${s(closeHiddenMs)} hidden, under the hidden heartbeat of ${s(staffHiddenMs)}`
        : plan.pingAfterSilence
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
    {
      line: 'staff pushes while closed',
      formula:
        closeHiddenMs === undefined
          ? 'none (hidden consoles keep their socket)'
          : `− ${staffHeardPerOrder.toFixed(1)} console pushes/order (measured) × ${staffParkedShare.toFixed(3)} of the time closed (hidden, past each spell's first minute): not sent`,
      count: -staffHeardPerOrder * staffParkedShare,
      cost: { ...ZERO, wsMessages: -staffHeardPerOrder * staffParkedShare },
    },
    {
      line: 'staff floor reloads, visible',
      formula: `${staffVisible.toFixed(1)} visible console-min / ${s(plan.staffFloorReloadMs)} × 2 GETs`,
      count: staffRefreshes,
      cost: reload(staffRefreshes),
    },
    {
      line: 'staff wake-ups',
      formula:
        `${a.staffConsoles} × ${a.staffHoursPerDay} h × ${a.staffWakesPerHour}/h / ${a.ordersPerDay} × (2 GETs` +
        (closeHiddenMs !== undefined ? ' + WS $disconnect when it closed + WS $connect)' : plan.staffProbesOnWake ? ' + a probe ping)' : ')'),
      count: staffWakes,
      cost: add(
        reload(staffWakes),
        closeHiddenMs !== undefined
          ? add(callsOf(m.socketDisconnect, staffWakes), callsOf(m.socketConnect, staffWakes))
          : plan.staffProbesOnWake
            ? callsOf(m.ping, staffWakes)
            : ZERO,
      ),
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
