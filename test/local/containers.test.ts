/**
 * The local runtime's Lambda containers (local/gateway/containers.ts), with fixture handlers:
 * each container has its own module instance and serves one invocation at a time; a busy group
 * starts another container (a counted cold start); idle containers are reaped; a timed-out or
 * crashed container is discarded; a handler's error crosses back to the gateway; stop() ends them all.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FunctionGroup, HandlerRef, HttpRoute } from '../../functions/routes.ts';
import { startLocalStack, type LocalStack } from '../../local/stack.ts';
import type { InvocationTiming } from '../../local/gateway/containers.ts';
import { httpRequest } from './helpers.ts';

const needs = { mongo: false, tables: [], push: false } as const;
const PUBLIC = { kind: 'public' } as const;
/** Fixture routes validate nothing: their handlers are plain functions, not built from a contract. */
// (The fallback's contract id, which declares no schemas.)
const FIXTURE: HttpRoute['contract'] = 'edge.notFound';
/** Fixture function groups, known only to this test: `state` and a 1-second `hang`. */
const GROUPS = { state: { memoryMb: 512, timeoutSeconds: 10 }, hang: { memoryMb: 256, timeoutSeconds: 1 } };
const ref = (exportName: string, group: keyof typeof GROUPS = 'state'): HandlerRef => ({
  group: group as FunctionGroup,
  module: 'state',
  export: exportName,
  needs,
});
const ROUTES: HttpRoute[] = [
  { method: 'GET', path: '/api/count', auth: PUBLIC, contract: FIXTURE, handler: ref('count') },
  { method: 'GET', path: '/api/context', auth: PUBLIC, contract: FIXTURE, handler: ref('context') },
  { method: 'GET', path: '/api/boom', auth: PUBLIC, contract: FIXTURE, handler: ref('boom') },
  { method: 'GET', path: '/api/hang', auth: PUBLIC, contract: FIXTURE, handler: ref('hang', 'hang') },
  { method: 'GET', path: '/api/crash', auth: PUBLIC, contract: FIXTURE, handler: ref('crash') },
];
const HANDLERS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'containers');
const IDLE_MS = 1_500;

let stack: LocalStack;
const timings: InvocationTiming[] = [];

beforeAll(async () => {
  process.env.FIXTURE_VALUE = 'copied at container start';
  stack = await startLocalStack({
    mongo: false,
    quiet: true,
    routes: { http: ROUTES, httpDefault: null, ws: [], groups: GROUPS },
    containers: { handlersDir: HANDLERS_DIR, idleMs: IDLE_MS, maxPerGroup: 4, observe: (timing) => timings.push(timing) },
  });
});

afterAll(() => stack?.stop());

const get = async (pathname: string) => {
  const response = await httpRequest(`${stack.baseUrl}${pathname}`);
  return { status: response.status, body: response.text ? JSON.parse(response.text) : undefined };
};
const stats = (group: keyof typeof GROUPS = 'state') => stack.containers!.stats(group);

describe('Lambda containers', () => {
  it('keeps module state per container: sequential requests reuse one warm container', async () => {
    const before = stats().coldStarts;
    const first = await get('/api/count');
    const second = await get('/api/count');
    expect(second.body.invocations).toBe(first.body.invocations + 1);
    expect(second.body.threadId).toBe(first.body.threadId);
    expect(second.body.threadId).not.toBe(0); // not the test's own thread
    expect(stats().coldStarts - before).toBeLessThanOrEqual(1);
  });

  it('serves one request at a time per container: concurrent requests start containers, each with its own module state', async () => {
    await stack.containers!.recycle();
    const before = stats().coldStarts;
    const answers = await Promise.all([1, 2, 3].map(() => get('/api/count?ms=400')));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(new Set(answers.map((a) => a.body.threadId)).size).toBe(3);
    expect(answers.every((a) => a.body.invocations === 1 && a.body.concurrentSafe)).toBe(true);
    expect(stats().coldStarts - before).toBe(3);
    expect(stats().live).toBe(3);
    expect(stats().peakLive).toBeGreaterThanOrEqual(3);
  });

  it('queues past the group maximum instead of starting more containers', async () => {
    const answers = await Promise.all(Array.from({ length: 6 }, () => get('/api/count?ms=300')));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(new Set(answers.map((a) => a.body.threadId)).size).toBeLessThanOrEqual(4);
    expect(stats().live).toBeLessThanOrEqual(4);
  });

  it('prewarms containers before a burst (no cold start during it), up to the group maximum', async () => {
    await stack.containers!.recycle();
    const before = stats().coldStarts;
    await stack.containers!.prewarm('state', 6);
    expect(stats().live).toBe(4); // the maximum, not 6
    expect(stats().coldStarts - before).toBe(4);
    const answers = await Promise.all(Array.from({ length: 3 }, () => get('/api/count?ms=300')));
    expect(new Set(answers.map((a) => a.body.threadId)).size).toBe(3);
    expect(stats().coldStarts - before).toBe(4);
  });

  it("tells the observer each invocation's wait for a container and its run in it", async () => {
    await stack.containers!.prewarm('state', 1);
    timings.length = 0;
    await get('/api/count?ms=200');
    expect(timings).toHaveLength(1);
    expect(timings[0]).toMatchObject({ group: 'state', module: 'state', export: 'count', ok: true });
    expect(timings[0].runMs).toBeGreaterThanOrEqual(190);
    expect(timings[0].waitMs).toBeLessThan(timings[0].runMs);
    await get('/api/boom');
    expect(timings[1]).toMatchObject({ export: 'boom', ok: false });
  });

  it('gives the handler a Lambda context and the environment copied when the container started', async () => {
    const { status, body } = await get('/api/context');
    expect(status).toBe(200);
    expect(body).toMatchObject({ functionName: 'plato-state', memoryLimitInMB: '512', env: 'copied at container start', lambdaName: 'plato-state' });
    expect(body.remainingMs).toBeGreaterThan(5_000);
    expect(body.remainingMs).toBeLessThanOrEqual(10_000);
  });

  it("carries a handler's error back across the thread boundary: 500, and the container stays warm", async () => {
    const warm = await get('/api/count');
    const failed = await get('/api/boom');
    expect(failed).toEqual({ status: 500, body: { message: 'Internal Server Error' } });
    const after = await get('/api/count');
    expect(after.status).toBe(200);
    expect(stats().crashes).toBe(0);
    expect(warm.status).toBe(200);
  });

  it('discards a container that times out, as Lambda does; the next request gets a fresh one', async () => {
    const timeoutsBefore = stats('hang').timeouts;
    const started = Date.now();
    const timedOut = await get('/api/hang');
    expect(timedOut.status).toBe(500);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(stats('hang').timeouts).toBe(timeoutsBefore + 1);
    expect(stats('hang').live).toBe(0);
    expect(stats('hang').coldStarts).toBe(1);
  });

  it('discards a container whose code throws outside a request (an uncaught exception ends the runtime)', async () => {
    const crashesBefore = stats().crashes;
    const crashed = await get('/api/crash');
    expect(crashed.status).toBe(500);
    expect(stats().crashes).toBe(crashesBefore + 1);
    expect((await get('/api/count')).status).toBe(200);
  });

  it('reaps idle containers after the idle time', async () => {
    await get('/api/count');
    expect(stats().live).toBeGreaterThan(0);
    const reapedBefore = stats().reaped;
    await expect.poll(() => stats().live, { timeout: IDLE_MS * 4, interval: 100 }).toBe(0);
    expect(stats().reaped).toBeGreaterThan(reapedBefore);
    const cold = stats().coldStarts;
    expect((await get('/api/count')).body.invocations).toBe(1); // a fresh module instance
    expect(stats().coldStarts).toBe(cold + 1);
  });

  it('stop() terminates every container', async () => {
    await Promise.all([1, 2].map(() => get('/api/count?ms=100')));
    expect(stats().live).toBeGreaterThan(0);
    await stack.stop();
    expect(stats().live).toBe(0);
  });
});
