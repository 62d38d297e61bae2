/**
 * How long a silence makes each app's socket ping, and how long a silence it takes for a dead
 * socket. A ping is two billed WebSocket messages, one Lambda invocation and one DynamoDB write, so
 * each app pays only for the alarm its screen needs, and only when nothing else proved the socket
 * live: any message received (a push) counts, so a socket pings only after a whole heartbeat without
 * hearing anything (web/shared/ws.ts; bench/cost.ts models how often that happens):
 *
 * - guest: a phone shows its own table's cart and dishes, and is put down and picked up. It pings
 *   just often enough that API Gateway's 10-minute idle timeout never closes the socket (8 min: a
 *   hidden tab's timers may run up to a minute late under Chrome's intensive throttling), and it
 *   resyncs whenever it may have missed something: on every reconnect, when the page becomes
 *   visible again and when the device comes back online (web/shared/ws.ts).
 * - kitchen: a tablet on the wall that must beep when it stops being live: a short heartbeat and a
 *   stale alarm after 45 s of silence. One tablet's ping is answered to every kitchen socket of the
 *   restaurant (functions/gateway/kitchen-beat.ts), so the others hear it and do not ping.
 * - staff: a console that shows a live floor with a "Live / Offline" mark and a stale banner, which
 *   matter only while someone can see them: the kitchen's heartbeat while the page is visible; hidden
 *   for a minute (a waiter's phone in a pocket, a back tab) it closes its socket, so it hears, pings
 *   and costs nothing, and it reconnects and reloads the floor when it is visible again (web/shared/ws.ts).
 *   The minute keeps a quick glance elsewhere from costing a reconnect.
 */
export interface HeartbeatProfile {
  /** Ping after this long without hearing anything, while the page is visible. */
  heartbeatMs: number;
  /** Silence (not even a pong) longer than this while visible: the socket is dead. */
  staleAfterMs: number;
  /** The same while the page is hidden (defaults to the visible figures). */
  hiddenHeartbeatMs?: number;
  hiddenStaleAfterMs?: number;
  /** Hidden this long, the socket is closed until the page is visible again (then it reconnects and resyncs). */
  hiddenCloseAfterMs?: number;
}

const MINUTE = 60_000;
/** Under API Gateway's 10-minute idle timeout with a minute to spare for throttled timers. */
export const LONG_HEARTBEAT_MS = 8 * MINUTE;
/** A long heartbeat's pong is a little late at worst: one heartbeat plus a minute of silence is a dead socket. */
const LONG_STALE_AFTER_MS = LONG_HEARTBEAT_MS + MINUTE;
const SHORT_HEARTBEAT_MS = 30_000;
const SHORT_STALE_AFTER_MS = 45_000;

export const HEARTBEATS = {
  guest: { heartbeatMs: LONG_HEARTBEAT_MS, staleAfterMs: LONG_STALE_AFTER_MS },
  kitchen: { heartbeatMs: SHORT_HEARTBEAT_MS, staleAfterMs: SHORT_STALE_AFTER_MS },
  staff: {
    heartbeatMs: SHORT_HEARTBEAT_MS,
    staleAfterMs: SHORT_STALE_AFTER_MS,
    hiddenHeartbeatMs: LONG_HEARTBEAT_MS,
    hiddenStaleAfterMs: LONG_STALE_AFTER_MS,
    hiddenCloseAfterMs: MINUTE,
  },
} as const satisfies Record<'guest' | 'kitchen' | 'staff', HeartbeatProfile>;

/** How often the socket checks its silence (a ping goes at the first check after a heartbeat of silence). */
export const HEARTBEAT_CHECK_MS = 5_000;

/**
 * After a wake-up (page visible again, back online) an open socket may be dead without the browser
 * knowing: the resync it sends must be answered within this long, or the socket is replaced.
 */
export const WAKE_PROBE_MS = 8_000;
