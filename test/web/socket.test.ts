/**
 * The apps' socket client (web/shared/ws.ts) with each app's heartbeat profile (web/shared/heartbeat.ts):
 * how often it pings, when it calls a socket dead, and that it resyncs on reconnect, on becoming
 * visible and on coming back online. A fake WebSocket stands in for the browser's (the server side is
 * covered by the integration tests); time is vitest's fake clock.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HEARTBEATS, LONG_HEARTBEAT_MS, WAKE_PROBE_MS, type HeartbeatProfile } from '../../web/shared/heartbeat.ts';
import { connectSocket, FIRST_CONNECT_GRACE_MS, type LiveSocket } from '../../web/shared/ws.ts';

const MINUTE = 60_000;

class FakeSocket {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: { action: string }[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.readyState = 3;
  }
  accept() {
    this.readyState = 1;
    this.onopen?.();
  }
  /** The server answers: a pong, or any push. */
  receive(message: object) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  /** The server closed it (or the network did, and the browser noticed). */
  lost() {
    this.readyState = 3;
    this.onclose?.();
  }
  pings() {
    return this.sent.filter((m) => m.action === 'ping').length;
  }
}

class FakeDocument extends EventTarget {
  visibilityState: 'visible' | 'hidden' = 'visible';
  show(state: 'visible' | 'hidden') {
    this.visibilityState = state;
    this.dispatchEvent(new Event('visibilitychange'));
  }
}

let window: EventTarget;
let document: FakeDocument;
let live: LiveSocket | undefined;
const latest = () => FakeSocket.all[FakeSocket.all.length - 1];

function open(heartbeat: HeartbeatProfile, answerPings = true) {
  const resyncs: boolean[] = [];
  live = connectSocket({
    url: 'ws://plato.test/ws',
    heartbeat,
    onMessage: () => undefined,
    onResync: (reconnected) => resyncs.push(reconnected),
    WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
    random: () => 0,
    environment: { window, document },
  });
  latest().accept();
  if (answerPings) answerEverything(latest());
  return { socket: latest(), resyncs };
}

/** A live server answers every ping (and the guest's sync) at once. */
function answerEverything(socket: FakeSocket) {
  const send = socket.send.bind(socket);
  socket.send = (data: string) => {
    send(data);
    const { action } = JSON.parse(data);
    socket.receive(action === 'ping' ? { type: 'pong' } : { type: action });
  };
}

beforeEach(() => {
  vi.useFakeTimers();
  FakeSocket.all = [];
  window = new EventTarget();
  document = new FakeDocument();
});
afterEach(() => {
  live?.close();
  live = undefined;
  vi.useRealTimers();
});

describe('heartbeat profiles', () => {
  it('keeps every profile under API Gateway’s 10-minute idle timeout, guests at no more than 9 minutes', () => {
    for (const profile of Object.values(HEARTBEATS) as HeartbeatProfile[]) {
      expect(Math.max(profile.heartbeatMs, profile.hiddenHeartbeatMs ?? 0)).toBeLessThanOrEqual(9 * MINUTE);
      expect(profile.staleAfterMs).toBeGreaterThan(profile.heartbeatMs);
      if (profile.hiddenHeartbeatMs) expect(profile.hiddenStaleAfterMs!).toBeGreaterThan(profile.hiddenHeartbeatMs);
    }
    expect(HEARTBEATS.guest.heartbeatMs).toBe(LONG_HEARTBEAT_MS);
    expect(HEARTBEATS.guest.heartbeatMs).toBeGreaterThanOrEqual(5 * MINUTE);
    expect(HEARTBEATS.kitchen.heartbeatMs).toBeLessThanOrEqual(30_000);
  });

  it('a guest phone pings once per long heartbeat: 7 pings in an hour, not 120', () => {
    const { socket } = open(HEARTBEATS.guest);
    vi.advanceTimersByTime(60 * MINUTE);
    expect(socket.pings()).toBe(Math.floor(60 / 8));
    expect(live!.stale.value).toBe(false);
    expect(FakeSocket.all).toHaveLength(1);
  });

  it('a kitchen tablet pings every 30 s and raises the stale alarm after 45 s of silence', () => {
    const { socket } = open(HEARTBEATS.kitchen, false);
    vi.advanceTimersByTime(30_000);
    expect(socket.pings()).toBe(1);
    expect(live!.stale.value).toBe(false);
    vi.advanceTimersByTime(20_000); // 50 s without a pong
    expect(live!.stale.value).toBe(true);
    expect(live!.connected.value).toBe(false);
  });

  it('a staff console pings every 30 s while visible, not at all hidden, and closes its socket after a minute hidden', () => {
    const { socket } = open(HEARTBEATS.staff);
    vi.advanceTimersByTime(5 * MINUTE);
    expect(socket.pings()).toBe(10);
    document.show('hidden');
    vi.advanceTimersByTime(MINUTE - 1);
    expect(socket.readyState).toBe(1);
    vi.advanceTimersByTime(1);
    expect(socket.readyState).toBe(3);
    expect(live!.parked.value).toBe(true);
    expect(live!.connected.value).toBe(false);
    vi.advanceTimersByTime(60 * MINUTE);
    expect(socket.pings()).toBe(10);
    expect(FakeSocket.all).toHaveLength(1); // no reconnect while nobody can see it
  });

  it('a hidden staff console with a dead socket is not called stale within its hidden minute', () => {
    open(HEARTBEATS.staff, false);
    document.show('hidden');
    vi.advanceTimersByTime(MINUTE - 1);
    expect(live!.stale.value).toBe(false);
  });
});

describe('a staff console hidden for a minute', () => {
  it('closes its socket, stays closed while hidden (online events included), and reconnects and resyncs when visible again', () => {
    const { socket, resyncs } = open(HEARTBEATS.staff);
    document.show('hidden');
    vi.advanceTimersByTime(MINUTE);
    expect(socket.readyState).toBe(3);
    window.dispatchEvent(new Event('online'));
    vi.advanceTimersByTime(30 * MINUTE);
    expect(FakeSocket.all).toHaveLength(1);
    expect(resyncs).toEqual([false]);
    document.show('visible');
    expect(live!.parked.value).toBe(false);
    expect(FakeSocket.all).toHaveLength(2);
    answerEverything(latest());
    latest().accept();
    expect(live!.connected.value).toBe(true);
    expect(resyncs).toEqual([false, true]);
    vi.advanceTimersByTime(5 * MINUTE);
    expect(FakeSocket.all).toHaveLength(2);
    expect(latest().pings()).toBe(10); // live again, with the visible heartbeat
  });

  it('keeps its socket through a glance away shorter than a minute, each hidden spell counted afresh', () => {
    const { socket, resyncs } = open(HEARTBEATS.staff);
    document.show('hidden');
    vi.advanceTimersByTime(50_000);
    document.show('visible');
    document.show('hidden');
    vi.advanceTimersByTime(50_000);
    document.show('visible');
    expect(socket.readyState).toBe(1);
    expect(FakeSocket.all).toHaveLength(1);
    expect(resyncs).toEqual([false, true, true]); // a wake over the open socket, as before
  });

  it('parks when opened in a hidden tab', () => {
    document.visibilityState = 'hidden';
    const { socket } = open(HEARTBEATS.staff);
    vi.advanceTimersByTime(MINUTE);
    expect(socket.readyState).toBe(3);
    document.show('visible');
    expect(FakeSocket.all).toHaveLength(2);
  });

  it('is the staff profile’s alone: a guest phone and a kitchen tablet keep their sockets while hidden', () => {
    for (const profile of [HEARTBEATS.guest, HEARTBEATS.kitchen]) {
      const { socket } = open(profile);
      document.show('hidden');
      vi.advanceTimersByTime(10 * MINUTE);
      expect(socket.readyState).toBe(1);
      expect(live!.parked.value).toBe(false);
      live!.close();
      document.show('visible');
    }
  });
});

describe('a ping only after silence', () => {
  /** The server pushes something every `everyMs` for `forMs`. */
  const pushEvery = (socket: FakeSocket, everyMs: number, forMs: number) => {
    for (let at = everyMs; at <= forMs; at += everyMs) {
      vi.advanceTimersByTime(everyMs);
      socket.receive({ type: 'kitchen.ticket' });
    }
  };

  it('a kitchen tablet hearing a push every 20 s never pings and is never stale', () => {
    const { socket } = open(HEARTBEATS.kitchen, false);
    pushEvery(socket, 20_000, 10 * MINUTE);
    expect(socket.pings()).toBe(0);
    expect(live!.stale.value).toBe(false);
    expect(FakeSocket.all).toHaveLength(1);
  });

  it('a kitchen tablet pings after 30 s of silence, counted from the last push, not the last ping', () => {
    const { socket } = open(HEARTBEATS.kitchen);
    vi.advanceTimersByTime(20_000);
    socket.receive({ type: 'kitchen.ticket' });
    vi.advanceTimersByTime(25_000); // 45 s since the open, 25 s since the push
    expect(socket.pings()).toBe(0);
    vi.advanceTimersByTime(5_000); // 30 s of silence
    expect(socket.pings()).toBe(1);
    vi.advanceTimersByTime(60_000); // answered: one more ping per 30 s of silence
    expect(socket.pings()).toBe(3);
  });

  it('keeps the stale alarm: silence longer than 45 s after a push raises it, even with pushes before', () => {
    const { socket } = open(HEARTBEATS.kitchen, false);
    pushEvery(socket, 10_000, 60_000);
    vi.advanceTimersByTime(45_000); // 45 s of silence: one unanswered ping, not stale yet
    expect(socket.pings()).toBe(1);
    expect(live!.stale.value).toBe(false);
    vi.advanceTimersByTime(5_000); // 50 s
    expect(socket.pings()).toBe(1); // one ping per silence, no more
    expect(live!.stale.value).toBe(true);
    expect(live!.connected.value).toBe(false);
  });

  it('a guest phone hearing its table every few minutes does not ping; left alone, once per 8 min', () => {
    const { socket } = open(HEARTBEATS.guest);
    pushEvery(socket, 5 * MINUTE, 30 * MINUTE);
    expect(socket.pings()).toBe(0);
    vi.advanceTimersByTime(30 * MINUTE);
    expect(socket.pings()).toBe(Math.floor(30 / 8));
    expect(live!.stale.value).toBe(false);
  });

  it('a staff console hearing the floor pings neither visible nor in its hidden minute', () => {
    const { socket } = open(HEARTBEATS.staff, false);
    pushEvery(socket, 25_000, 5 * MINUTE);
    document.show('hidden');
    pushEvery(socket, 25_000, 50_000);
    expect(socket.pings()).toBe(0);
    expect(live!.stale.value).toBe(false);
  });

  it('learns its connection id from a sync reply and forgets it when the socket is replaced', () => {
    const { socket } = open(HEARTBEATS.kitchen);
    expect(live!.connectionId).toBeUndefined();
    socket.receive({ type: 'sync', connectionId: 'abc=', serverTime: '' });
    expect(live!.connectionId).toBe('abc=');
    socket.lost();
    expect(live!.connectionId).toBeUndefined();
  });
});

describe('resync', () => {
  it('resyncs on the first open and on every reconnect', () => {
    const { socket, resyncs } = open(HEARTBEATS.guest);
    expect(resyncs).toEqual([false]);
    socket.lost();
    expect(live!.connected.value).toBe(false);
    vi.advanceTimersByTime(250);
    latest().accept();
    expect(resyncs).toEqual([false, true]);
  });

  it('resyncs an open socket when the page becomes visible again, and not when it is hidden', () => {
    const { resyncs } = open(HEARTBEATS.guest);
    document.show('hidden');
    vi.advanceTimersByTime(30 * MINUTE);
    expect(resyncs).toEqual([false]);
    document.show('visible');
    expect(resyncs).toEqual([false, true]);
    vi.advanceTimersByTime(WAKE_PROBE_MS + 1);
    expect(FakeSocket.all).toHaveLength(1); // it answered: kept
  });

  it('resyncs an open socket when the device comes back online', () => {
    const { resyncs } = open(HEARTBEATS.guest);
    window.dispatchEvent(new Event('online'));
    expect(resyncs).toEqual([false, true]);
  });

  it('pings on wake when the app resyncs over HTTP, and replaces a socket that does not answer', () => {
    const { socket, resyncs } = open(HEARTBEATS.guest, false);
    vi.advanceTimersByTime(2 * MINUTE);
    document.show('hidden');
    document.show('visible');
    expect(resyncs).toEqual([false, true]);
    expect(socket.pings()).toBe(1);
    vi.advanceTimersByTime(WAKE_PROBE_MS - 1);
    expect(FakeSocket.all).toHaveLength(1);
    vi.advanceTimersByTime(2);
    // Dead without the browser knowing: replaced at once, and the new socket resyncs again.
    expect(FakeSocket.all).toHaveLength(2);
    expect(socket.readyState).toBe(3);
    latest().accept();
    expect(resyncs).toEqual([false, true, true]);
  });

  it('does not ping on wake when the app’s resync already went over the socket (the diner’s sync)', () => {
    const sockets: LiveSocket[] = [];
    live = connectSocket({
      url: 'ws://plato.test/ws',
      heartbeat: HEARTBEATS.guest,
      onMessage: () => undefined,
      onResync: () => sockets[0]?.send({ action: 'sync' }),
      WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
      environment: { window, document },
    });
    sockets.push(live);
    latest().accept();
    vi.advanceTimersByTime(MINUTE);
    window.dispatchEvent(new Event('online'));
    expect(latest().sent.map((m) => m.action)).toEqual(['sync', 'sync']);
  });

  it('reconnects at once, skipping the backoff, when a dropped socket’s page becomes visible', () => {
    const { socket, resyncs } = open(HEARTBEATS.guest);
    window.dispatchEvent(new Event('offline'));
    expect(socket.readyState).toBe(3);
    expect(FakeSocket.all).toHaveLength(1);
    document.show('hidden');
    document.show('visible');
    expect(FakeSocket.all).toHaveLength(2);
    latest().accept();
    expect(resyncs).toEqual([false, true]);
  });

  it('stops listening once closed', () => {
    const { resyncs } = open(HEARTBEATS.guest);
    live!.close();
    window.dispatchEvent(new Event('online'));
    document.show('visible');
    vi.advanceTimersByTime(60 * MINUTE);
    expect(resyncs).toEqual([false]);
    expect(FakeSocket.all).toHaveLength(1);
  });
});

describe('the first connection', () => {
  const start = () =>
    (live = connectSocket({ url: 'ws://plato.test/ws', heartbeat: HEARTBEATS.kitchen, onMessage: () => undefined, WebSocketImpl: FakeSocket as unknown as typeof WebSocket, random: () => 0, environment: { window, document } }));

  it('is "connecting" (stale, but nothing lost) until it opens; a later drop is down, not connecting', () => {
    const socket = start();
    expect([socket.stale.value, socket.connecting.value]).toEqual([true, true]);
    latest().accept();
    expect([socket.stale.value, socket.connecting.value]).toEqual([false, false]);
    latest().lost();
    expect([socket.stale.value, socket.connecting.value]).toEqual([true, false]);
  });

  it('is down, not connecting, once its first attempt fails or outlasts the grace', () => {
    const failed = start();
    latest().lost();
    expect(failed.connecting.value).toBe(false);
    failed.close();
    const hanging = start();
    vi.advanceTimersByTime(FIRST_CONNECT_GRACE_MS - 1);
    expect(hanging.connecting.value).toBe(true);
    vi.advanceTimersByTime(1);
    expect([hanging.stale.value, hanging.connecting.value]).toEqual([true, false]);
  });
});
