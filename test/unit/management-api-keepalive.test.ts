/**
 * Pushes over kept-alive sockets that the server closes (functions/realtime/management-api.ts),
 * against a real local HTTP server. The worst moment for an idle close is when the client has just
 * taken the pooled socket and written a push to it: the server drops the socket without reading or
 * answering, and the client sees "socket hang up" (ECONNRESET) on a reused socket. That push is sent
 * once more on a fresh connection; a reset on a fresh socket, or any answered failure, is not repeated.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { IDLE_SOCKET_MS, managementApi } from '../../functions/realtime/management-api.ts';
import { createGateway } from '../../local/gateway/index.ts';

import { pushToConnections } from '../../functions/realtime/push.ts';
import type { ConnectionRecord } from '../../functions/realtime/connections.ts';

type Behaviour = 'ok' | 'close-reused' | 'close-all' | 'fail-500';
/** Connection ids the server answers with a 500, whatever the behaviour. */
const BROKEN = 'broken';

let server: Server;
let base = '';
let behaviour: Behaviour = 'ok';
/** Requests that reached the handler, and every TCP connection the client opened. */
let requests = 0;
let connections = 0;
const served = new WeakMap<Socket, number>();

beforeAll(async () => {
  server = createServer((req, res) => {
    requests++;
    const socket = req.socket;
    const before = served.get(socket) ?? 0;
    served.set(socket, before + 1);
    const drop = behaviour === 'close-all' || (behaviour === 'close-reused' && before > 0);
    if (drop) return void socket.destroy(); // the server's idle close, as the request arrives
    const fail = behaviour === 'fail-500' || req.url!.endsWith(`/${BROKEN}`);
    req.resume();
    req.on('end', () => {
      res.writeHead(fail ? 500 : 200, { 'content-type': 'application/json' });
      res.end(fail ? '{"message":"Internal"}' : '');
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ws`;
  process.env.AWS_ACCESS_KEY_ID = 'AKIDLOCAL';
  process.env.AWS_SECRET_ACCESS_KEY = 'local-secret';
  process.env.WS_MANAGEMENT_ENDPOINT = base;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
afterEach(() => {
  behaviour = 'ok';
  requests = 0;
  connections = 0;
});

const payload = Buffer.from('{"type":"ticket"}');

describe('management API client over kept-alive sockets', () => {
  it('sends a push again on a fresh connection when the server closed the reused socket', async () => {
    const api = managementApi(base, 'ap-south-1');
    await api.post('conn-1', payload); // leaves a socket in the pool
    expect(connections).toBe(1);

    behaviour = 'close-reused';
    await expect(api.post('conn-1', payload)).resolves.toBeUndefined();
    expect(connections).toBe(2); // the retry did not take another pooled socket
    expect(requests).toBe(3);
  });

  it('delivers every push of a fan-out when all pooled sockets went stale at once', async () => {
    const api = managementApi(base, 'ap-south-1', 8);
    await Promise.all(Array.from({ length: 8 }, (_, i) => api.post(`warm-${i}`, payload)));
    const pooled = connections;
    expect(pooled).toBeGreaterThan(1);

    behaviour = 'close-reused';
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => api.post(`conn-${i}`, payload)));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
  });

  it('does not repeat a reset on a fresh socket', async () => {
    const api = managementApi(base, 'ap-south-1');
    behaviour = 'close-all';
    await expect(api.post('conn-1', payload)).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(requests).toBe(1);
  });

  it('does not repeat a push the server answered with an error', async () => {
    const api = managementApi(base, 'ap-south-1');
    await api.post('conn-1', payload);
    behaviour = 'fail-500';
    await expect(api.post('conn-1', payload)).rejects.toMatchObject({ $metadata: { httpStatusCode: 500 } });
    expect(requests).toBe(2);
  });

  it('closes its idle pooled sockets itself, before the server would', async () => {
    expect(server.keepAliveTimeout).toBe(5_000); // Node's default, as in the local gateway
    const api = managementApi(base, 'ap-south-1', 4, 200);
    let closed = false;
    server.once('connection', (socket: Socket) => socket.once('close', () => (closed = true)));
    await api.post('conn-1', payload);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(closed).toBe(true);
  });

  it('keeps the default idle time below the local gateway\'s keep-alive timeout', () => {
    expect(IDLE_SOCKET_MS).toBeLessThan(createGateway().server.keepAliveTimeout);
  });
});

describe('a fan-out (realtime/push.ts)', () => {
  it('reaches every other recipient when one fails, and counts that one as failed', async () => {
    const ids = ['a', 'b', BROKEN, 'c', 'd', 'e'];
    const outcome = await pushToConnections(ids.map((connectionId) => ({ connectionId }) as ConnectionRecord), { type: 'pong', serverTime: new Date(0).toISOString() });
    expect(outcome).toEqual({ sent: 5, gone: 0, failed: 1 });
    expect(requests).toBe(6);
  });
});
