/**
 * Exactly-once across crashes: the local runtime runs as a child process on a temporary data
 * directory while guests place orders, and is SIGKILLed at random points (mostly while requests are
 * in flight, sometimes while it is still starting: recovering, seeding; the setup task runs on the
 * first start only, as on a deploy: local/setup-once.ts). After every
 * restart (test/local/crash/checks.ts):
 *   - every acknowledged order is present exactly once;
 *   - no partial transaction survives (order, audit entry and emptied cart together or not at all);
 *   - an idempotent retry of every placement answers with an order that exists;
 *   - nothing is stuck IN_PROGRESS past the function timeout.
 *
 * Several lanes (each its own runtime, data directory and guests) run side by side to fit about 50
 * kills into the test. A kill is timed by progress, not wall time (a loaded machine stretches every
 * start and request): after a restart the lane waits until its guests have orders acknowledged
 * again, then kills after a random number of further acknowledgements plus a random part of a
 * placement's duration, so it lands while placements are in flight.
 * Bench mode: CRASH_KILLS=500 npx vitest run test/local/crash-safety.test.ts
 * Every runtime's whole stdout and stderr: CRASH_LOG=/tmp/crash.log (test/local/crash/runtime.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkIdempotencyRecords, checkStores, FUNCTION_TIMEOUT_MS, retryPlacements } from './crash/checks.ts';
import { dishId, OrderFlow, orderUntilKilled, seatGuests, type Guest } from './crash/guests.ts';
import { buildRuntime, startRuntime, type Runtime, type RuntimeUrls } from './crash/runtime.ts';

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

async function runLane(lane: number, kills: number): Promise<LaneReport> {
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
  while (done < kills && violations.length === 0) {
    const started = Date.now();
    const runtime = startRuntime(bundle, dataDir);
    if (guests.length > 0 && done % STARTUP_KILL_EVERY === STARTUP_KILL_EVERY - 1) {
      // A kill while it starts: recovery and the seed are writing.
      await Promise.race([sleep(between(0, startupMs)), runtime.exited]);
      await kill(runtime);
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
    if (guests.length === 0) {
      guests = await seatGuests(urls.baseUrl, tables);
      dish = await dishId(urls.baseUrl);
    } else {
      violations.push(...(await checkAll(urls, guests, `lane ${lane} after kill ${done}`)));
    }
    let killed = false;
    const flow = new OrderFlow();
    const ordering = guests.map((guest) => orderUntilKilled(urls.baseUrl, guest, dish, () => killed, violations, flow));
    // After a restart every function group cold-starts its container first: orders flow once one is acknowledged.
    // Then the kill waits for 1-3 more acknowledgements and a random part of a placement's duration.
    const flowing = await flow.untilAcked(2 + Math.floor(Math.random() * 3), FLOWING_AGAIN_MS);
    if (!flowing && violations.length === 0) violations.push(`lane ${lane} after kill ${done}: only ${flow.acked} orders acknowledged in the ${FLOWING_AGAIN_MS} ms after the restart`);
    await sleep(between(0, flow.lastPlacementMs));
    if (flow.placementsInFlight > 0) placementInFlight++;
    killed = true;
    await kill(runtime);
    await Promise.all(ordering);
    runningKills++;
    done++;
  }

  // The last start: wait out the function timeout, then every placement ever sent must answer with its order.
  const runtime = startRuntime(bundle, dataDir);
  try {
    const urls = await ready(runtime);
    violations.push(...(await checkAll(urls, guests, `lane ${lane} final`)));
    const lastAttempt = Math.max(0, ...guests.map((g) => g.pending?.lastSentAt ?? 0));
    await sleep(Math.max(0, lastAttempt + FUNCTION_TIMEOUT_MS + 500 - Date.now()));
    violations.push(...(await retryPlacements(urls, guests, 'all')).map((v) => `lane ${lane} final retry: ${v}`));
    for (const guest of guests) if (guest.pending) violations.push(`lane ${lane} final: ${guest.tableNumber} key ${guest.pending.key} never got a definitive answer`);
    violations.push(...(await checkStores(urls, guests)).map((v) => `lane ${lane} final: ${v}`));
  } catch (error) {
    violations.push(`lane ${lane} final start: ${(error as Error).message}`);
  } finally {
    await kill(runtime);
  }
  return { kills: done, runningKills, placementInFlight, acked: guests.reduce((n, g) => n + g.acked.size, 0), violations };
}

describe('crash safety of the local runtime with a data directory', () => {
  it(`keeps every acknowledged order exactly once across ${TOTAL_KILLS} SIGKILLs`, async () => {
    const perLane = Array.from({ length: LANES }, (_, lane) => Math.ceil((TOTAL_KILLS - lane) / LANES));
    const reports = await Promise.all(perLane.map((kills, lane) => runLane(lane, kills)));
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
    expect(violations.slice(0, 20)).toEqual([]);
    expect(kills).toBeGreaterThanOrEqual(TOTAL_KILLS);
    // Orders were being placed when the kills landed: each running kill came after 2+ acknowledgements
    // of its run, and most with a placement request in flight.
    expect(acked).toBeGreaterThan(kills);
    expect(inFlight).toBeGreaterThanOrEqual(Math.ceil(running / 2));
  }, 15 * 60_000);
});
