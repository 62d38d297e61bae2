/**
 * The one WebSocket client of the three apps. The browser sends the HttpOnly cookie on the upgrade,
 * so no token ever appears in a URL. It reconnects forever with exponential backoff and full jitter,
 * pings every 30 s, and calls `onResync` on every (re)connect so the app reloads what it may have
 * missed. `stale` is true whenever the socket is down or nothing (not even a pong) arrived for 45 s:
 * screens must say so loudly rather than show old data quietly.
 */
import { signal, type ReadonlySignal } from '@preact/signals';
import type { ClientMessage, ServerMessage } from './types.ts';

export interface SocketOptions {
  /** `/ws` (resolved against the page's origin, ws: or wss:) or an absolute ws(s):// URL. */
  url: string;
  onMessage: (message: ServerMessage) => void;
  /** Every open, the first one included; `reconnected` is false only for the first. */
  onResync?: (reconnected: boolean) => void;
  heartbeatMs?: number;
  staleAfterMs?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Injectable for tests. */
  WebSocketImpl?: typeof WebSocket;
  random?: () => number;
}

export interface LiveSocket {
  readonly connected: ReadonlySignal<boolean>;
  /** Down, or silent for longer than staleAfterMs. */
  readonly stale: ReadonlySignal<boolean>;
  /** Consecutive failed attempts since the last successful open. */
  readonly attempts: ReadonlySignal<number>;
  /** Sends when open; returns false when it could not (the resync on reconnect covers it). */
  send(message: ClientMessage): boolean;
  /** Drop the backoff wait and try now (e.g. the phone came back online). */
  reconnectNow(): void;
  /** Stop for good (session closed, signed out). */
  close(): void;
}

/** Full-jitter exponential backoff: a random delay in [0, min(max, base·2^attempt)], at least 250 ms. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 16));
  return Math.max(250, Math.round(random() * ceiling));
}

export function resolveWsUrl(url: string, location: { protocol: string; host: string }): string {
  if (/^wss?:\/\//.test(url)) return url;
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${url.startsWith('/') ? url : '/' + url}`;
}

export function connectSocket(options: SocketOptions): LiveSocket {
  const {
    heartbeatMs = 30_000,
    staleAfterMs = 45_000,
    backoffBaseMs = 1_000,
    backoffMaxMs = 30_000,
    random = Math.random,
  } = options;
  const WS = options.WebSocketImpl ?? WebSocket;
  const url = resolveWsUrl(options.url, globalThis.location ?? { protocol: 'http:', host: 'localhost' });

  const connected = signal(false);
  const stale = signal(true);
  const attempts = signal(0);

  let socket: WebSocket | null = null;
  let closedForGood = false;
  let everOpened = false;
  let lastHeard = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let heartbeatTimer: ReturnType<typeof setInterval> | undefined;
  let watchdogTimer: ReturnType<typeof setInterval> | undefined;

  const heard = () => {
    lastHeard = Date.now();
    if (stale.value) stale.value = false;
  };

  function open(): void {
    if (closedForGood) return;
    clearTimeout(retryTimer);
    let ws: WebSocket;
    try {
      ws = new WS(url);
    } catch {
      scheduleRetry();
      return;
    }
    socket = ws;
    ws.onopen = () => {
      if (socket !== ws) return;
      connected.value = true;
      attempts.value = 0;
      heard();
      const reconnected = everOpened;
      everOpened = true;
      options.onResync?.(reconnected);
    };
    ws.onmessage = (event: MessageEvent) => {
      if (socket !== ws) return;
      heard();
      let message: ServerMessage;
      try {
        message = JSON.parse(String(event.data)) as ServerMessage;
      } catch {
        return;
      }
      if (message && typeof message.type === 'string' && message.type !== 'pong') options.onMessage(message);
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      connected.value = false;
      stale.value = true;
      scheduleRetry();
    };
    ws.onerror = () => {
      // onclose follows and schedules the retry.
    };
  }

  function scheduleRetry(): void {
    if (closedForGood) return;
    clearTimeout(retryTimer);
    const delay = backoffDelay(attempts.value, backoffBaseMs, backoffMaxMs, random);
    attempts.value += 1;
    retryTimer = setTimeout(open, delay);
  }

  function drop(): void {
    const ws = socket;
    socket = null;
    connected.value = false;
    stale.value = true;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
      try {
        ws.close();
      } catch {
        /* already closed */
      }
    }
  }

  function send(message: ClientMessage): boolean {
    if (!socket || socket.readyState !== 1) return false;
    try {
      socket.send(JSON.stringify(message));
      return true;
    } catch {
      return false;
    }
  }

  heartbeatTimer = setInterval(() => send({ action: 'ping' }), heartbeatMs);
  watchdogTimer = setInterval(() => {
    if (!socket || socket.readyState !== 1) return;
    if (Date.now() - lastHeard > staleAfterMs) {
      // Silent for too long: the connection is dead even if the browser has not noticed.
      drop();
      scheduleRetry();
    }
  }, Math.min(5_000, heartbeatMs));

  const reconnectNow = () => {
    if (closedForGood || (socket && socket.readyState <= 1)) return;
    attempts.value = 0;
    open();
  };
  const onOnline = () => reconnectNow();
  // The device says it lost its network: an open socket may look alive but cannot be trusted with
  // what is pushed meanwhile (emulated and real phones alike keep it "open"). Drop it so the screen
  // says "reconnecting" now, not after the 45 s watchdog; back online, the new socket resyncs.
  const onOffline = () => {
    if (closedForGood || !socket) return;
    drop();
    scheduleRetry();
  };
  const onVisible = () => {
    if (globalThis.document?.visibilityState === 'visible') reconnectNow();
  };
  globalThis.addEventListener?.('online', onOnline);
  globalThis.addEventListener?.('offline', onOffline);
  globalThis.document?.addEventListener('visibilitychange', onVisible);

  open();

  return {
    connected,
    stale,
    attempts,
    send,
    reconnectNow,
    close() {
      closedForGood = true;
      clearTimeout(retryTimer);
      clearInterval(heartbeatTimer);
      clearInterval(watchdogTimer);
      globalThis.removeEventListener?.('online', onOnline);
      globalThis.removeEventListener?.('offline', onOffline);
      globalThis.document?.removeEventListener('visibilitychange', onVisible);
      drop();
    },
  };
}
