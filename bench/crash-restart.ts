/**
 * CPU of one restart of the crash test's child (test/local/crash-safety.test.ts) on a data
 * directory that is already set up: spawn to its READY line, then to its first acknowledged order
 * (the function containers' cold starts). Prints the child's user+sys CPU from /proc at each point.
 *
 *   npx tsx bench/crash-restart.ts [--restarts=5]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildRuntime, startRuntime } from '../test/local/crash/runtime.ts';
import { randomUUID } from 'node:crypto';
import { dishId, placeOrder, seatGuests, type Guest } from '../test/local/crash/guests.ts';
import { apiClient } from '../test/support/http.ts';

const { values } = parseArgs({ options: { restarts: { type: 'string', default: '5' } } });
const TICKS = 100; // USER_HZ on Linux

/** user+sys seconds of a process and its finished-and-waited children, threads included. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

/** One add to cart and its placement, answered 201 (the containers of both groups cold-start). */
async function placeOnce(baseUrl: string, guest: Guest, dish: string): Promise<void> {
  const added = await apiClient(baseUrl).post('/api/cart/items', { menuItemId: dish, quantity: 1 }, { token: guest.token });
  if (added.status !== 200) throw new Error(`add to cart: ${added.status}`);
  const placed = await placeOrder(baseUrl, guest, { key: randomUUID(), cartVersion: added.body.version, sentAt: Date.now(), lastSentAt: Date.now() });
  if (placed.status !== 201) throw new Error(`place: ${placed.status} ${JSON.stringify(placed.body)}`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const bundle = await buildRuntime();
const dataDir = mkdtempSync(path.join(tmpdir(), 'plato-restart-'));
const toReady: number[] = [];
const toOrder: number[] = [];
const wallReady: number[] = [];
try {
  const first = startRuntime(bundle, dataDir);
  const urls = await first.ready;
  const guests = await seatGuests(urls.baseUrl, ['T-2']);
  const dish = await dishId(urls.baseUrl);
  await first.kill();
  for (let i = 0; i < Number(values.restarts); i++) {
    const started = Date.now();
    const runtime = startRuntime(bundle, dataDir);
    const ready = await runtime.ready;
    wallReady.push(Date.now() - started);
    toReady.push(cpuSeconds(runtime.child.pid!));
    await placeOnce(ready.baseUrl, guests[0]!, dish);
    toOrder.push(cpuSeconds(runtime.child.pid!));
    await runtime.kill();
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
const fmt = (xs: number[]) => `${median(xs).toFixed(2)} (${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)})`;
console.log(`restarts: ${toReady.length}; CPU to READY ${fmt(toReady)} s; CPU to first order ${fmt(toOrder)} s; wall to READY ${fmt(wallReady.map((x) => x / 1000))} s`);
