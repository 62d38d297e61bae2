/**
 * Exactly-once across crashes: the local runtime runs as a child process on a temporary data
 * directory while guests place orders, and is SIGKILLed at random points (mostly while requests are
 * in flight, sometimes while it is still starting: recovering, running setup, seeding). After every
 * restart (test/local/crash/checks.ts):
 *   - every acknowledged order is present exactly once;
 *   - no partial transaction survives (order, audit entry and emptied cart together or not at all);
 *   - an idempotent retry of every placement answers with an order that exists;
 *   - nothing is stuck IN_PROGRESS past the function timeout.
 *
 * Several lanes (each its own runtime, data directory and guests) run side by side to fit about 50
 * kills into the test. Bench mode: CRASH_KILLS=500 npx vitest run test/local/crash-safety.test.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkIdempotencyRecords, checkStores, FUNCTION_TIMEOUT_MS, retryPlacements } from './crash/checks.ts';
import { dishId, orderUntilKilled, seatGuests, type Guest } from './crash/guests.ts';
import { startRuntime, type Runtime, type RuntimeUrls } from './crash/runtime.ts';

const TOTAL_KILLS = Number(process.env.CRASH_KILLS || 51);
const LANES = Number(process.env.CRASH_LANES || 3);
const GUESTS_PER_LANE = 3;
/** One kill in this many lands while the runtime is still starting. */
const STARTUP_KILL_EVERY = 5;

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
  const found = [
    ...(await checkStores(urls, guests)),
    ...(await checkIdempotencyRecords(urls, Date.now())),
    ...(await retryPlacements(urls, guests, 'pending')),
  ];
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
  while (done < kills && violations.length === 0) {
    const started = Date.now();
    const runtime = startRuntime(dataDir);
    if (guests.length > 0 && done % STARTUP_KILL_EVERY === STARTUP_KILL_EVERY - 1) {
      // A kill while it starts: recovery, the setup task and the seed are writing.
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
    let answered!: () => void;
    const firstAnswer = new Promise<void>((resolve) => (answered = resolve));
    const ordering = guests.map((guest) => orderUntilKilled(urls.baseUrl, guest, dish, () => killed, violations, answered));
    // Once the handlers are loaded (the first placement answered), orders flow: kill somewhere in that stream.
    // After a restart every function group cold-starts its container, which on a busy machine takes seconds:
    // wait for that first answer (up to the function timeout), or the kill lands before any order can be acked.
    await Promise.race([firstAnswer, sleep(FUNCTION_TIMEOUT_MS)]);
    await sleep(between(0, 600));
    killed = true;
    await kill(runtime);
    await Promise.all(ordering);
    done++;
  }

  // The last start: wait out the function timeout, then every placement ever sent must answer with its order.
  const runtime = startRuntime(dataDir);
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
  return { kills: done, acked: guests.reduce((n, g) => n + g.acked.size, 0), violations };
}

describe('crash safety of the local runtime with a data directory', () => {
  it(`keeps every acknowledged order exactly once across ${TOTAL_KILLS} SIGKILLs`, async () => {
    const perLane = Array.from({ length: LANES }, (_, lane) => Math.ceil((TOTAL_KILLS - lane) / LANES));
    const reports = await Promise.all(perLane.map((kills, lane) => runLane(lane, kills)));
    const kills = reports.reduce((n, r) => n + r.kills, 0);
    const acked = reports.reduce((n, r) => n + r.acked, 0);
    const violations = reports.flatMap((r) => r.violations);
    console.log(`crash test: ${kills} kills, ${acked} acknowledged orders, ${violations.length} violations`);
    expect(violations.slice(0, 20)).toEqual([]);
    expect(kills).toBeGreaterThanOrEqual(TOTAL_KILLS);
    expect(acked).toBeGreaterThan(kills); // orders were being placed when the kills landed
  }, 15 * 60_000);
});
