/**
 * API Gateway's WebSocket idle timeout and maximum connection time, with small values (its own
 * file: the stack, with these timeouts, is per process).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../local/stack.ts';
import { FIXTURE_ROUTES, fixtureLoader } from './fixtures/routes.ts';
import { waitForRecord } from './fixtures/recorder.ts';
import { openSocket } from './helpers.ts';

const IDLE_MS = 400;
const MAX_MS = 1500;
let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({
    mongo: false,
    routes: FIXTURE_ROUTES,
    loadHandler: fixtureLoader(),
    ws: { idleTimeoutMs: IDLE_MS, maxConnectionMs: MAX_MS },
    quiet: true,
  });
});

afterAll(async () => {
  await stack?.stop();
});

async function connect(device: string) {
  const socket = await openSocket(`${stack.wsUrl}?device=${device}`);
  const { event } = await waitForRecord((r) => r.handler === 'connect' && r.event.queryStringParameters?.device === device);
  return { ...socket, connectionId: event.requestContext.connectionId as string };
}

it('closes an idle socket and runs $disconnect', async () => {
  const started = Date.now();
  const socket = await connect('idle');
  const closed = await socket.closed;
  const elapsed = Date.now() - started;
  expect(closed.code).toBe(1001);
  expect(elapsed).toBeGreaterThanOrEqual(IDLE_MS - 50);
  expect(elapsed).toBeLessThan(MAX_MS);
  const { event } = await waitForRecord((r) => r.handler === 'disconnect' && r.event.requestContext.connectionId === socket.connectionId);
  expect(event.requestContext).toMatchObject({ eventType: 'DISCONNECT', disconnectStatusCode: 1001 });
});

it('keeps a socket that sends messages open until the maximum connection time', async () => {
  const started = Date.now();
  const socket = await connect('busy');
  let open = true;
  void socket.closed.then(() => (open = false));
  const keepAlive = setInterval(() => socket.ws.readyState === socket.ws.OPEN && socket.ws.send(JSON.stringify({ action: 'ping' })), IDLE_MS / 4);
  try {
    await new Promise((r) => setTimeout(r, IDLE_MS * 2));
    expect(open).toBe(true); // past the idle timeout, kept alive by its messages
    const closed = await socket.closed;
    expect(closed.code).toBe(1001);
    expect(Date.now() - started).toBeGreaterThanOrEqual(MAX_MS - 50);
  } finally {
    clearInterval(keepAlive);
  }
  await waitForRecord((r) => r.handler === 'disconnect' && r.event.requestContext.connectionId === socket.connectionId);
});
