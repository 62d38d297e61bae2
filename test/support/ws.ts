/**
 * A WebSocket test client for the local runtime's `/ws` (the real `ws` package over a real socket).
 * It records every message; `waitFor(predicate)` resolves with the first recorded or future message
 * that matches, or rejects after a timeout.
 *
 *   const socket = await connectWs(stack.wsUrl, { token: guest.sessionToken });
 *   await socket.waitFor((m) => m.type === 'session.closed');
 *   await socket.closed;
 */
import WebSocket from 'ws';

export interface WsConnectOptions {
  /** Guest token or staff JWT, sent as `?token=` (non-browser clients). */
  token?: string;
  /** `kitchen` or `staff` for staff sockets. */
  channel?: 'kitchen' | 'staff';
  station?: string;
  /** A raw Cookie header, as a browser would send it. */
  cookie?: string;
  /** An Origin header, as a browser would send it. */
  origin?: string;
  /** The local source address (e.g. 127.0.0.7), to stand for another client network. */
  localAddress?: string;
}

export interface TestWs {
  ws: WebSocket;
  /** Every JSON message received so far, in order. */
  messages: any[];
  /** The first message (already received or still to come) for which `predicate` is true. */
  waitFor<T = any>(predicate: (message: any) => boolean, timeoutMs?: number): Promise<T>;
  send(message: unknown): void;
  /** Resolves when the socket closes (from either side). */
  closed: Promise<{ code: number; reason: string }>;
  close(): Promise<void>;
}

/** Handshake refusals reject with an Error carrying `status` (e.g. 401, 403). */
export function connectWs(wsUrl: string, options: WsConnectOptions = {}): Promise<TestWs> {
  const url = new URL(wsUrl);
  if (options.token) url.searchParams.set('token', options.token);
  if (options.channel) url.searchParams.set('channel', options.channel);
  if (options.station) url.searchParams.set('station', options.station);
  const headers: Record<string, string> = { 'user-agent': 'plato-test/1.0' };
  if (options.cookie) headers.cookie = options.cookie;
  if (options.origin) headers.origin = options.origin;

  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers, localAddress: options.localAddress });
    const messages: any[] = [];
    const waiters = new Set<{ predicate: (m: any) => boolean; resolve: (m: any) => void }>();
    ws.on('message', (data) => {
      let message: unknown;
      try {
        message = JSON.parse(data.toString());
      } catch {
        message = data.toString();
      }
      messages.push(message);
      for (const waiter of [...waiters]) {
        if (waiter.predicate(message)) {
          waiters.delete(waiter);
          waiter.resolve(message);
        }
      }
    });
    const closed = new Promise<{ code: number; reason: string }>((done) =>
      ws.on('close', (code, reason) => done({ code, reason: reason.toString() })),
    );
    ws.once('unexpected-response', (_request, response) => {
      reject(Object.assign(new Error(`WebSocket handshake refused with ${response.statusCode}`), { status: response.statusCode }));
      ws.terminate();
    });
    ws.once('error', reject);
    ws.once('open', () =>
      resolve({
        ws,
        messages,
        closed,
        send: (message) => ws.send(JSON.stringify(message)),
        close: async () => {
          if (ws.readyState !== WebSocket.CLOSED) ws.close();
          await closed;
        },
        waitFor: (predicate, timeoutMs = 5_000) => {
          const seen = messages.find(predicate);
          if (seen !== undefined) return Promise.resolve(seen);
          return new Promise((resolveWait, rejectWait) => {
            const waiter = {
              predicate,
              resolve: (message: any) => {
                clearTimeout(timer);
                resolveWait(message);
              },
            };
            const timer = setTimeout(() => {
              waiters.delete(waiter);
              rejectWait(new Error(`No matching WebSocket message within ${timeoutMs} ms; got ${JSON.stringify(messages)}`));
            }, timeoutMs);
            waiters.add(waiter);
          });
        },
      }),
    );
  });
}

/** The HTTP status with which a handshake is refused (throws if it is accepted). */
export async function refusedWith(wsUrl: string, options: WsConnectOptions = {}): Promise<number> {
  try {
    const socket = await connectWs(wsUrl, options);
    await socket.close();
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status !== undefined) return status;
    throw error;
  }
  throw new Error('The WebSocket handshake was accepted');
}
