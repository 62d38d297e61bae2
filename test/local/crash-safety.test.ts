/**
 * Exactly-once across crashes: the local runtime runs as a child process on a temporary data
 * directory while guests place orders, and is SIGKILLed at random points (mostly while requests are
 * in flight, sometimes while it is still starting: recovering, seeding; the setup task runs on the
 * first start only, as on a deploy: local/setup-once.ts). After every
 * restart (test/local/crash/checks.ts):
 *   - every acknowledged order is present exactly once;
 *   - no partial transaction survives (order, audit entry and emptied cart together or not at all);
 *   - an idempotent retry of every placement answers with an order that exists (the placements
 *     without an answer yet are retried through the API; for the acknowledged ones, what a retry
 *     answers with, the idempotency record, is read in one scan and must point at an existing order,
 *     the one the API answered; at the end every placement ever sent is retried through the API);
 *   - nothing is stuck IN_PROGRESS past the function timeout.
 *
 * Several lanes (each its own runtime, data directory and guests) run side by side to fit about 50
 * kills into the test; they draw their kills from one budget, so a lane whose runs go quicker makes
 * more of them and the lanes end together. A kill is timed by progress, not wall time (a loaded
 * machine stretches every start and request): after a restart the lane's guests start one after
 * another (orderInTurn: not one cold container per guest), it waits until orders are acknowledged
 * again, then kills after a random number of further acknowledgements plus a random part of a
 * placement's duration, so it lands while placements are in flight.
 * Bench mode: CRASH_KILLS=500 npx vitest run test/local/crash-safety.test.ts
 * Every runtime's whole stdout and stderr: CRASH_LOG=/tmp/crash.log (test/local/crash/runtime.ts).
 * Where the time goes, per phase of every lane and the runtimes' CPU: CRASH_PROFILE=1 (crash/profile.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkIdempotencyRecords, checkStores, FUNCTION_TIMEOUT_MS, retryPlacements } from './crash/checks.ts';
import { dishId, OrderFlow, orderInTurn, seatGuests, type Guest } from './crash/guests.ts';
import { buildRuntime, startRuntime, type Runtime, type RuntimeUrls } from './crash/runtime.ts';
import { cpuSeconds, Profile } from './crash/profile.ts';

const TOTAL_KILLS = Number(process.env.CRASH_KILLS || 51);
const LANES = Number(process.env.CRASH_LANES || 3);
const GUESTS_PER_LANE = 3;
/** One kill in this many lands while the runtime is still starting. */
const STARTUP_KILL_EVERY = 5;
/** After a restart, orders must be acknowledged again within this long (the placement still IN_PROGRESS from the killed run holds one guest up to the function timeout). */
const FLOWING_AGAIN_MS = 6 * FUNCTION_TIMEOUT_MS;

let bundle = '';
beforeAll(async () => {
  bundle = await buildRuntime();
}, 60_000);

const dirs: string[] = [];
const running = new Set<Runtime>();
afterAll(async () => {
  await Promise.all([...running].map((r) => r.kill()));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const between = (min: number, max: number) => min + Math.random() * (max - min);

interface LaneReport {
  kills: number;
  /** Kills while orders were flowing (the others land while the runtime starts). */
  runningKills: number;
  /** Running kills that landed while a placement request was in flight. */
  placementInFlight: number;
  acked: number;
  violations: string[];
  profile: Profile;
}

async function ready(runtime: Runtime): Promise<RuntimeUrls> {
  running.add(runtime);
  return runtime.ready;
}

async function kill(runtime: Runtime): Promise<void> {
  await runtime.kill();
  running.delete(runtime);
}

async function checkAll(urls: RuntimeUrls, guests: Guest[], label: string): Promise<string[]> {
  // The two store checks only read; the retries (which settle placements) come after them.
  const [stores, records] = await Promise.all([checkStores(urls, guests), checkIdempotencyRecords(urls, Date.now())]);
  const found = [...stores, ...records, ...(await retryPlacements(urls, guests, 'pending'))];
  return found.map((v) => `${label}: ${v}`);
}

/** The kills left to make, shared by the lanes: a lane whose runs are quicker makes more of them, and the lanes end together. */
interface KillBudget {
  left: number;
}

async function runLane(lane: number, budget: KillBudget): Promise<LaneReport> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `plato-crash-${lane}-`));
  dirs.push(dataDir);
  const tables = Array.from({ length: GUESTS_PER_LANE }, (_, i) => `T-${2 + lane * GUESTS_PER_LANE + i}`);
  const violations: string[] = [];
  let guests: Guest[] = [];
  let dish = '';
  let startupMs = 3000;
  let done = 0;
  let runningKills = 0;
  let placementInFlight = 0;
  const profile = new Profile();
  while (budget.left > 0 && violations.length === 0) {
    budget.left--;
    const started = Date.now();
    const runtime = startRuntime(bundle, dataDir);
    profile.mark('between cycles');
    if (guests.length > 0 && done % STARTUP_KILL_EVERY === STARTUP_KILL_EVERY - 1) {
      // A kill while it starts: recovery and the seed are writing.
      await Promise.race([sleep(between(0, startupMs)), runtime.exited]);
      await kill(runtime);
      profile.mark('startup kill');
      done++;
      continue;
    }
    let urls: RuntimeUrls;
    try {
      urls = await ready(runtime);
    } catch (error) {
      violations.push(`lane ${lane} restart ${done}: ${(error as Error).message}`);
      break;
    }
    startupMs = Date.now() - started;
    profile.mark('start to READY');
    profile.add('cpu: child to READY', 1000 * cpuSeconds(runtime.child.pid));
    if (guests.length === 0) {
      guests = await seatGuests(urls.baseUrl, tables);
      dish = await dishId(urls.baseUrl);
    } else {
      profile.add('# placements retried per check', guests.filter((g) => g.pending).length);
      violations.push(...(await checkAll(urls, guests, `lane ${lane} after kill ${done}`)));
    }
    profile.mark(guests.length && done ? 'checks' : 'seat guests');
    let killed = false;
    const flow = new OrderFlow();
    const ordering = orderInTurn(urls.baseUrl, guests, dish, () => killed, violations, flow, done);
    // After a restart every function group cold-starts its container first: orders flow once one is acknowledged.
    // Then the kill waits for 1-3 more acknowledgements and a random part of a placement's duration.
    const flowing = await flow.untilAcked(2 + Math.floor(Math.random() * 3), FLOWING_AGAIN_MS);
    profile.mark('until flowing (2-4 acks)');
    if (!flowing && violations.length === 0) violations.push(`lane ${lane} after kill ${done}: only ${flow.acked} orders acknowledged in the ${FLOWING_AGAIN_MS} ms after the restart`);
    await sleep(between(0, flow.lastPlacementMs));
    if (flow.placementsInFlight > 0) placementInFlight++;
    profile.mark('random part of a placement');
    profile.add('cpu: child at kill', 1000 * cpuSeconds(runtime.child.pid));
    killed = true;
    await kill(runtime);
    profile.mark('kill');
    await ordering;
    profile.mark('guests stop');
    profile.add('# IN_PROGRESS answers to guests per run', flow.inProgress);
    profile.add('# acknowledgements per run', flow.acked);
    runningKills++;
    done++;
  }

  // The last start: wait out the function timeout, then every placement ever sent must answer with its order.
  const runtime = startRuntime(bundle, dataDir);
  try {
    profile.mark('between cycles');
    const urls = await ready(runtime);
    profile.mark('final: start to READY');
    violations.push(...(await checkAll(urls, guests, `lane ${lane} final`)));
    profile.mark('final: checks');
    // Every acknowledged placement is retried while the pending ones' IN_PROGRESS records run out.
    const lastAttempt = Math.max(0, ...guests.map((g) => g.pending?.lastSentAt ?? 0));
    const [acked] = await Promise.all([retryPlacements(urls, guests, 'acked'), sleep(Math.max(0, lastAttempt + FUNCTION_TIMEOUT_MS + 500 - Date.now()))]);
    profile.mark('final: retry acknowledged, wait out the timeout');
    violations.push(...[...acked, ...(await retryPlacements(urls, guests, 'pending'))].map((v) => `lane ${lane} final retry: ${v}`));
    profile.mark('final: retry all');
    for (const guest of guests) if (guest.pending) violations.push(`lane ${lane} final: ${guest.tableNumber} key ${guest.pending.key} never got a definitive answer`);
    violations.push(...(await checkStores(urls, guests)).map((v) => `lane ${lane} final: ${v}`));
    profile.mark('final: store check');
  } catch (error) {
    violations.push(`lane ${lane} final start: ${(error as Error).message}`);
  } finally {
    await kill(runtime);
  }
  return { kills: done, runningKills, placementInFlight, acked: guests.reduce((n, g) => n + g.acked.size, 0), violations, profile };
}

describe('crash safety of the local runtime with a data directory', () => {
  it(`keeps every acknowledged order exactly once across ${TOTAL_KILLS} SIGKILLs`, async () => {
    const budget: KillBudget = { left: TOTAL_KILLS };
    const reports = await Promise.all(Array.from({ length: LANES }, (_, lane) => runLane(lane, budget)));
    const kills = reports.reduce((n, r) => n + r.kills, 0);
    const acked = reports.reduce((n, r) => n + r.acked, 0);
    const running = reports.reduce((n, r) => n + r.runningKills, 0);
    const inFlight = reports.reduce((n, r) => n + r.placementInFlight, 0);
    const violations = reports.flatMap((r) => r.violations);
    const cpu = process.cpuUsage();
    console.log(
      `crash test: ${kills} kills (${running} while orders flowed, ${inFlight} with a placement in flight), ${acked} acknowledged orders, ${violations.length} violations; ` +
        `CPU of the test process itself ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s (the runtimes' is the rest of the total)`,
    );
    if (process.env.CRASH_PROFILE) console.log(Profile.merge(reports.map((r) => r.profile)));
    expect(violations.slice(0, 20)).toEqual([]);
    expect(kills).toBeGreaterThanOrEqual(TOTAL_KILLS);
    // Orders were being placed when the kills landed: each running kill came after 2+ acknowledgements
    // of its run, and most with a placement request in flight.
    expect(acked).toBeGreaterThan(kills);
    expect(inFlight).toBeGreaterThanOrEqual(Math.ceil(running / 2));
  }, 15 * 60_000);
});
