/**
 * The guard in front of a table's PIN (used by joinTableSession), and what the staff console sees
 * of it.
 *
 * Order of the checks:
 *  1. a phone that already holds a live token of this session is never refused: its right PIN gets
 *     in whatever the lockout and the counters say (a wrong one is counted like anyone's);
 *  2. a lockout of this table session (each block doubles: 15, 30, 60 … min, capped at 4 h): the PIN
 *     is not even looked at. A lockout the session document already shows (copied there when it
 *     started, lifted only by a new PIN) refuses without a DynamoDB read: under a brute force almost
 *     every guess is refused here, so each costs one read fewer; otherwise DynamoDB's record decides;
 *  3. the network's counter is read: a network already at its limit is refused before anything is
 *     counted anywhere;
 *  4. the PIN is checked and counted on the table session's counter (5 failures per 15 minutes by
 *     default), then — only when the table's counter lets its outcome be told — on the network's
 *     (50 per hour by default). So the network counts only evaluated guesses: guesses the table
 *     already refused never use up the allowance of the next guest on the same Wi-Fi.
 * Each count is one atomic DynamoDB ADD, 1 for a wrong PIN and 0 for a right one (rate-limit.ts
 * `countAttempt`): however many guesses arrive at once, at most 5 wrong PINs per window are
 * answered, and friends entering the right PIN together all get in.
 *
 * Every evaluated wrong PIN and every lockout is copied onto the session document (`pinLockout`),
 * so the staff floor shows "3 wrong PINs" or "locked until 14:32" with a one-tap new PIN, without
 * a DynamoDB read per table.
 */
import { DomainError } from '../core/errors.ts';
import { rateLimitNetwork } from '../core/network.ts';
import { attemptsLeft, lockoutSeconds } from '../core/pin.ts';
import type { AuditDoc, PinLockoutView, TableSessionDoc } from '../data/documents.ts';
import { setPinLockout } from '../data/sessions-store.ts';
import { nowEpochSeconds } from '../data/dynamo.ts';
import { config } from '../platform/config.ts';
import { afterCommit } from '../effects.ts';
import { countAttempt, failuresSoFar, isLocked, readLockout, startLockout } from '../data/rate-limit.ts';

type Attempt = (outcome: AuditDoc['outcome'], details: Record<string, unknown>) => Promise<void>;

export function pinBlocked(retryAfterSeconds: number, message = 'Too many wrong PINs; ask your waiter for a new PIN, or try again later'): DomainError {
  const seconds = Math.max(1, retryAfterSeconds);
  return new DomainError('PIN_BLOCKED', message, { retryAfterSeconds: seconds, details: { retryAfterSeconds: seconds } });
}

export interface GuardedPin {
  /** With `pinLockout` (at least its pinVersion and lockedUntil) when the caller read it. */
  session: Pick<TableSessionDoc, '_id' | 'tableId' | 'pinVersion' | 'pinLockout'>;
  correct: boolean;
  /** The caller presented a live token of this very session. */
  holdsLiveToken: boolean;
  ip?: string;
  attempt: Attempt;
}

/** Runs the guard; returns when the (right) PIN may be let in, throws the refusal otherwise. */
export async function guardPin({ session, correct, holdsLiveToken, ip, attempt }: GuardedPin): Promise<void> {
  const { limits } = config();
  const now = nowEpochSeconds();
  const subject = `${session._id.toHexString()}.${session.pinVersion}`;
  const trusted = holdsLiveToken && correct;

  // Decided without the PIN (a phone holding a live token takes the full path below), so right and
  // wrong PINs still cannot be told apart by timing.
  const shown = holdsLiveToken ? undefined : shownLockoutUntil(session, now);
  if (shown !== undefined) {
    await attempt('blocked', { reason: 'LOCKED_OUT', lockedUntil: new Date(shown * 1000) });
    throw pinBlocked(shown - now);
  }

  const ipLimit = { scope: 'pin-ip', subject: rateLimitNetwork(ip ?? ''), limit: limits.pinAttemptsPerIp, windowSeconds: limits.pinIpWindowSeconds };
  const ipRefused = (retryAfterSeconds: number) => pinBlocked(retryAfterSeconds, 'Too many PIN attempts from this network; try again later');
  // Checks 2 and 3 read side by side (two reads, one round trip; neither counts anything), then are
  // applied in order.
  const [lockout, sofar] = await Promise.all([readLockout('pin-lockout', subject, now), trusted ? undefined : failuresSoFar(ipLimit, now)]);
  if (!trusted && lockout && isLocked(lockout, now)) {
    await attempt('blocked', { reason: 'LOCKED_OUT', lockedUntil: new Date(lockout.lockedUntil * 1000) });
    throw pinBlocked(lockout.lockedUntil - now);
  }
  if (sofar && !sofar.withinLimit) {
    await attempt('blocked', { reason: 'IP_LIMIT' });
    throw ipRefused(sofar.retryAfterSeconds);
  }

  const lockoutPolicy = { baseSeconds: limits.pinSessionWindowSeconds, maxSeconds: limits.pinMaxLockoutSeconds };
  const block = async () => {
    const started = await startLockout('pin-lockout', subject, (n) => lockoutSeconds(n, lockoutPolicy), limits.pinMaxLockoutSeconds, now);
    await showLockout(session, { lockedUntil: new Date(started.lockedUntil * 1000) });
    return started;
  };
  const table = await countAttempt(
    { scope: 'pin-session', subject, limit: limits.pinAttemptsPerSession, windowSeconds: limits.pinSessionWindowSeconds },
    !correct,
    now,
  );
  if (trusted) return;
  if (!table.withinLimit) {
    const started = await block();
    await attempt('blocked', { reason: 'SESSION_LIMIT', lockedUntil: new Date(started.lockedUntil * 1000) });
    throw pinBlocked(started.lockedUntil - now);
  }

  // Only now, with the table letting the outcome be told, does the guess count for the network.
  const network = await countAttempt(ipLimit, !correct, now);
  if (!network.withinLimit) {
    await attempt('blocked', { reason: 'IP_LIMIT' });
    throw ipRefused(network.retryAfterSeconds);
  }
  if (correct) return;

  const left = attemptsLeft(table.failures, table.limit);
  // Shown to staff until this guess leaves the window (retryAfterSeconds is 1 s below the limit: the
  // floor would have shown "3 of 5 wrong PINs" for one second).
  await showLockout(session, { failures: table.failures, limit: table.limit, windowEndsAt: new Date((now + limits.pinSessionWindowSeconds) * 1000) });
  if (left === 0) await block();
  await attempt('failure', { reason: 'PIN_INVALID', attemptsLeft: left });
  throw new DomainError('PIN_INVALID', left === 0 ? 'Wrong PIN; no attempts left for now. A waiter can give you a new PIN' : 'Wrong PIN', {
    details: { attemptsLeft: left },
  });
}

/** The end (epoch seconds) of the lockout the session document shows for its current PIN, if one is in force. */
function shownLockoutUntil(session: Pick<TableSessionDoc, 'pinVersion' | 'pinLockout'>, now: number): number | undefined {
  const guard = session.pinLockout;
  if (!guard?.lockedUntil || guard.pinVersion !== session.pinVersion) return undefined;
  const until = Math.ceil(new Date(guard.lockedUntil).getTime() / 1000);
  return until > now ? until : undefined;
}

/** Copies the table's wrong PINs or lockout onto its session for the staff floor, and tells the staff (through the effects pipeline). */
async function showLockout(
  session: Pick<TableSessionDoc, '_id' | 'tableId' | 'pinVersion'>,
  change: { failures: number; limit: number; windowEndsAt: Date } | { lockedUntil: Date },
): Promise<void> {
  const { restaurantId } = config();
  await setPinLockout(restaurantId, session, change);
  await afterCommit([{ type: 'PinGuardChanged', restaurantId, tableId: session.tableId, sessionId: session._id }]);
}

/** What the floor shows of a session's PIN guard: wrong PINs in the current window, or a lockout in force. */
export function lockoutView(session: Pick<TableSessionDoc, 'pinVersion' | 'pinLockout'>, now = Date.now()): PinLockoutView | undefined {
  const guard = session.pinLockout;
  if (!guard || guard.pinVersion !== session.pinVersion) return undefined;
  const locked = guard.lockedUntil && new Date(guard.lockedUntil).getTime() > now;
  const counting = guard.windowEndsAt && new Date(guard.windowEndsAt).getTime() > now && (guard.failures ?? 0) > 0;
  if (!locked && !counting) return undefined;
  return {
    attempts: counting || locked ? guard.failures ?? 0 : 0,
    limit: guard.limit ?? config().limits.pinAttemptsPerSession,
    ...(locked ? { lockedUntil: guard.lockedUntil } : {}),
  };
}

