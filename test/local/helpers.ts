/** Small clients for the local runtime tests: raw HTTP (repeated headers, exact bytes) and WebSockets. */
import { request } from 'node:http';
import WebSocket from 'ws';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
}

export function httpRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string | string[]>; body?: string | Buffer } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode!, headers: res.headers, body, text: body.toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A connected socket that queues what it receives. */
export interface TestSocket {
  ws: WebSocket;
  next(timeoutMs?: number): Promise<string>;
  closed: Promise<{ code: number; reason: string }>;
}

/** Opens a socket like a browser page of the same origin would (Origin http://<host:port>). */
export function openSocket(url: string, options: { protocols?: string[]; headers?: Record<string, string> } = {}): Promise<TestSocket> {
  return new Promise((resolve, reject) => {
    const origin = `http://${new URL(url).host}`;
    const ws = new WebSocket(url, options.protocols, { headers: { 'User-Agent': 'plato-test/1.0', Origin: origin, ...options.headers } });
    const queue: string[] = [];
    const waiters: ((text: string) => void)[] = [];
    ws.on('message', (data) => {
      const text = data.toString();
      const waiter = waiters.shift();
      if (waiter) waiter(text);
      else queue.push(text);
    });
    const closed = new Promise<{ code: number; reason: string }>((resolveClose) =>
      ws.on('close', (code, reason) => resolveClose({ code, reason: reason.toString() })),
    );
    ws.once('unexpected-response', (_req, res) => {
      reject(Object.assign(new Error(`handshake refused with ${res.statusCode}`), { status: res.statusCode }));
      ws.terminate();
    });
    ws.once('error', (error) => reject(error));
    ws.once('open', () =>
      resolve({
        ws,
        closed,
        next: (timeoutMs = 5000) =>
          queue.length > 0
            ? Promise.resolve(queue.shift()!)
            : new Promise((res, rej) => {
                const timer = setTimeout(() => rej(new Error('no message received')), timeoutMs);
                waiters.push((text) => {
                  clearTimeout(timer);
                  res(text);
                });
              }),
      }),
    );
  });
}

/** The handshake status of a refused upgrade. */
export function refusedStatus(url: string, options: Parameters<typeof openSocket>[1] = {}): Promise<number> {
  return openSocket(url, options).then(
    (socket) => {
      socket.ws.close();
      throw new Error('the handshake was accepted');
    },
    (error: { status?: number }) => {
      if (error.status === undefined) throw error;
      return error.status;
    },
  );
}
