/**
 * The one WebSocket client of the three apps. The browser sends the HttpOnly cookie on the upgrade,
 * so no token ever appears in a URL. It reconnects forever with exponential backoff and full jitter,
 * pings after its app's heartbeat of silence (web/shared/heartbeat.ts), and calls `onResync` whenever
 * the app may have missed something: on every (re)connect, when the page becomes visible again and
 * when the device comes back online. `stale` is true whenever the socket is down or nothing (not
 * even a pong) arrived for the profile's stale time: screens must say so loudly rather than show old
 * data quietly. A profile with `hiddenCloseAfterMs` (the staff console) closes the socket once the page
 * has been hidden that long (`parked`: no pushes, pings or connection-minutes for a screen nobody
 * sees) and opens a new one, which resyncs, as soon as the page is visible again.
 */
import { signal, type ReadonlySignal } from '@preact/signals';
import { HEARTBEAT_CHECK_MS, WAKE_PROBE_MS, type HeartbeatProfile } from './heartbeat.ts';
import type { ClientMessage, ServerMessage } from './types.ts';

/** Where the socket listens for `online`/`offline` and `visibilitychange` (the page's, unless a test gives its own). */
export interface SocketEnvironment {
  window?: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;
  document?: Pick<EventTarget, 'addEventListener' | 'removeEventListener'> & { readonly visibilityState: string };
}

export interface SocketOptions {
  /** `/ws` (resolved against the page's origin, ws: or wss:) or an absolute ws(s):// URL. */
  url: string;
  onMessage: (message: ServerMessage) => void;
  /**
   * Every open (the first one included; `reconnected` is false only for the first), and on an open
   * socket when the page becomes visible again or the device comes back online (`reconnected` true).
   */
  onResync?: (reconnected: boolean) => void;
  heartbeat: HeartbeatProfile;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Injectable for tests. */
  WebSocketImpl?: typeof WebSocket;
  random?: () => number;
  environment?: SocketEnvironment;
}

export interface LiveSocket {
  readonly connected: ReadonlySignal<boolean>;
  /** Down, or silent for longer than staleAfterMs. */
  readonly stale: ReadonlySignal<boolean>;
  /** Consecutive failed attempts since the last successful open. */
  readonly attempts: ReadonlySignal<number>;
  /**
   * The first connection is still being made (not opened yet, no attempt failed, and for at most
   * FIRST_CONNECT_GRACE_MS): stale, but nothing was lost yet, so screens say "connecting" rather
   * than "disconnected" on every sign-in.
   */
  readonly connecting: ReadonlySignal<boolean>;
  /** Closed on purpose while the page is hidden (`hiddenCloseAfterMs`): down, but not lost. */
  readonly parked: ReadonlySignal<boolean>;
  /**
   * This socket's id as its last `sync` reply named it (undefined until then, and again once the
   * socket is replaced): the app sends it on HTTP calls (`X-Plato-Connection-Id`) so the pushes
   * about its own change skip this socket, the HTTP answer already carrying the result.
   */
  readonly connectionId: string | undefined;
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

/** How long a first connection may take before the screens call it down (a cold `$connect` takes ~1–3 s). */
export const FIRST_CONNECT_GRACE_MS = 10_000;

export function connectSocket(options: SocketOptions): LiveSocket {
  const { heartbeat, backoffBaseMs = 1_000, backoffMaxMs = 30_000, random = Math.random } = options;
  const WS = options.WebSocketImpl ?? WebSocket;
  const win = options.environment ? options.environment.window : (globalThis as { addEventListener?: unknown }).addEventListener ? globalThis : undefined;
  const doc = options.environment ? options.environment.document : globalThis.document;
  const hidden = () => doc?.visibilityState === 'hidden';
  const heartbeatMs = () => (hidden() ? (heartbeat.hiddenHeartbeatMs ?? heartbeat.heartbeatMs) : heartbeat.heartbeatMs);
  const staleAfterMs = () => (hidden() ? (heartbeat.hiddenStaleAfterMs ?? heartbeat.staleAfterMs) : heartbeat.staleAfterMs);
  const url = resolveWsUrl(options.url, globalThis.location ?? { protocol: 'http:', host: 'localhost' });

  const connected = signal(false);
  const stale = signal(true);
  const attempts = signal(0);
  const connecting = signal(true);
  const parked = signal(false);

  let socket: WebSocket | null = null;
  let closedForGood = false;
  let everOpened = false;
  let lastHeard = 0;
  let lastSent = 0;
  let connectionId: string | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let probeTimer: ReturnType<typeof setTimeout> | undefined;
  let parkTimer: ReturnType<typeof setTimeout> | undefined;

  const heard = () => {
    lastHeard = Date.now();
    if (stale.value) stale.value = false;
  };

  function open(): void {
    if (closedForGood || parked.value) return;
    clearTimeout(retryTimer);
    let ws: WebSocket;
    try {
      ws = new WS(url);
    } catch {
      scheduleRetry();
      return;
    }
    socket = ws;
    connectionId = undefined;
    ws.onopen = () => {
      if (socket !== ws) return;
      connected.value = true;
      connecting.value = false;
      attempts.value = 0;
      heard();
      lastSent = Date.now();
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
      if (message?.type === 'sync' && typeof (message as { connectionId?: unknown }).connectionId === 'string') {
        connectionId = (message as { connectionId: string }).connectionId;
      }
      if (message && typeof message.type === 'string' && message.type !== 'pong') options.onMessage(message);
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      connectionId = undefined;
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
    connecting.value = false;
    attempts.value += 1;
    retryTimer = setTimeout(open, delay);
  }

  function drop(): void {
    const ws = socket;
    socket = null;
    connectionId = undefined;
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
      lastSent = Date.now();
      return true;
    } catch {
      return false;
    }
  }

  // One timer does both jobs, reading the profile each time: a page going hidden or visible changes
  // the heartbeat at once. A ping goes only after a heartbeat of silence: any message received (a
  // push, a reply) proves the socket live, and API Gateway's idle timeout counts messages either
  // way, so a busy kitchen tablet pings rarely. Nothing sent within the heartbeat either (the one
  // ping or the app's own sync is still awaiting its answer): an unanswered ping is followed by
  // the stale time running out, not by more pings.
  const tickTimer = setInterval(
    () => {
      if (!socket || socket.readyState !== 1) return;
      const now = Date.now();
      if (now - lastHeard > staleAfterMs()) {
        // Silent for too long: the connection is dead even if the browser has not noticed.
        drop();
        scheduleRetry();
      } else if (now - lastHeard >= heartbeatMs() && now - lastSent >= heartbeatMs()) send({ action: 'ping' });
    },
    Math.min(HEARTBEAT_CHECK_MS, heartbeat.heartbeatMs),
  );

  const reconnectNow = () => {
    if (closedForGood || (socket && socket.readyState <= 1)) return;
    attempts.value = 0;
    open();
  };
  /**
   * The page is visible again or the device is back online: pushes may have been missed while it
   * slept. A closed socket reconnects (and its open resyncs). An open one may be dead without the
   * browser knowing, more so with a long heartbeat: resync over it at once, and unless an answer
   * arrives within WAKE_PROBE_MS, replace it (the new socket resyncs again).
   */
  const wake = () => {
    if (closedForGood || parked.value) return; // a parked socket opens when the page is visible again
    const ws = socket;
    if (!ws || ws.readyState > 1) return reconnectNow();
    if (ws.readyState !== 1) return; // still connecting: its open resyncs
    const wokeAt = Date.now();
    options.onResync?.(true);
    if (lastSent < wokeAt) send({ action: 'ping' }); // the app's resync went over HTTP: ask for a pong
    clearTimeout(probeTimer);
    probeTimer = setTimeout(() => {
      if (socket !== ws || lastHeard >= wokeAt) return;
      drop();
      attempts.value = 0;
      open();
    }, WAKE_PROBE_MS);
  };
  // The device says it lost its network: an open socket may look alive but cannot be trusted with
  // what is pushed meanwhile (emulated and real phones alike keep it "open"). Drop it so the screen
  // says "reconnecting" now, not after the stale time; back online, the new socket resyncs.
  const onOffline = () => {
    if (closedForGood || !socket) return;
    drop();
    scheduleRetry();
  };
  /** Hidden long enough: close the socket (and any retry) until the page is visible again. */
  const park = () => {
    if (closedForGood || !hidden()) return;
    clearTimeout(retryTimer);
    clearTimeout(probeTimer);
    parked.value = true;
    drop();
  };
  const parkLater = () => {
    clearTimeout(parkTimer);
    if (heartbeat.hiddenCloseAfterMs !== undefined) parkTimer = setTimeout(park, heartbeat.hiddenCloseAfterMs);
  };
  const onVisibility = () => {
    clearTimeout(parkTimer);
    if (hidden()) return parkLater();
    if (!parked.value) return wake();
    parked.value = false;
    reconnectNow(); // its open resyncs
  };
  win?.addEventListener('online', wake);
  win?.addEventListener('offline', onOffline);
  doc?.addEventListener('visibilitychange', onVisibility);

  open();
  if (hidden()) parkLater(); // opened in a background tab
  const graceTimer = setTimeout(() => (connecting.value = false), FIRST_CONNECT_GRACE_MS);

  return {
    connected,
    stale,
    attempts,
    connecting,
    parked,
    get connectionId() {
      return connectionId;
    },
    send,
    reconnectNow,
    close() {
      closedForGood = true;
      clearTimeout(graceTimer);
      clearTimeout(retryTimer);
      clearTimeout(probeTimer);
      clearTimeout(parkTimer);
      clearInterval(tickTimer);
      win?.removeEventListener('online', wake);
      win?.removeEventListener('offline', onOffline);
      doc?.removeEventListener('visibilitychange', onVisibility);
      drop();
    },
  };
}
