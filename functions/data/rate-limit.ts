/**
 * Rate limits on DynamoDB (the `rateLimits` table), correct under concurrency.
 *
 * Sliding-window failure counters (data/sliding-window.ts): for limits where only failures may count and
 * where attempts that arrive together must not stand in each other's way (6 friends entering the
 * table's PIN at the same moment, tablets signing in together). The guarded check runs first; then
 * EVERY attempt makes one atomic update on the subject's window: it adds 1 for a failure, 0 for a
 * success (the same request, so both cost the same and take the same time). The total returned
 * places the attempt in one order with all the others: a failure is reported as such only when it
 * is among the first `limit`, a success is honoured only when fewer than `limit` failures come
 * before it; every other attempt gets the same refusal, whatever its check said. So however many
 * attempts run at once, the caller learns the outcome of at most `limit` failures in any window
 * (plus a success that comes before them), exactly as if they had been made one by one, and
 * successes never wait for one another. The window slides: there is no boundary at which twice
 * the limit gets through.
 *
 * Lockouts: one item per subject with the number of blocks so far and the time the current one ends,
 * for the "each further block doubles" rule. dynalite has no TTL and DynamoDB's TTL deletion lags,
 * so every read checks `expiresAt` itself.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo, nowEpochSeconds, tableName } from '../data/dynamo.ts';
import { addToWindow, readWindow } from '../data/sliding-window.ts';

export interface WindowLimit {
  /** What is limited, e.g. `pin-session`, `pin-ip`, `login`. */
  scope: string;
  /** Whom it is limited for, e.g. a session id, an IP address, a username. */
  subject: string;
  limit: number;
  windowSeconds: number;
}

const isConditionFailure = (error: unknown): boolean =>
  (error as { name?: string } | undefined)?.name === 'ConditionalCheckFailedException';

/** An explicit `now` (epoch seconds) is used as given; without one, the current millisecond. */
const nowMsOf = (now: number | undefined): number => (now === undefined ? Date.now() : now * 1000);

/**
 * Failures counted so far in the window, read without counting anything: lets a caller
 * refuse cheaply, before costly work (a scrypt verification), once the limit is already reached.
 * countAttempt still decides; this only saves work.
 */
export async function failuresSoFar(limit: WindowLimit, now?: number): Promise<AttemptCount> {
  const window = await readWindow(limit, nowMsOf(now));
  return {
    failures: window.total,
    limit: limit.limit,
    withinLimit: window.total < limit.limit,
    retryAfterSeconds: window.retryAfterSeconds(limit.limit),
  };
}

export interface AttemptCount {
  /** Failures counted in the window, including this attempt when it failed. */
  failures: number;
  limit: number;
  /** The attempt's outcome may be told: a failure among the first `limit`, a success before them. */
  withinLimit: boolean;
  /** Seconds until enough failures have left the window for another attempt to be told. */
  retryAfterSeconds: number;
}

/**
 * Counts one checked attempt in the window with one atomic update (see the file comment): a failure
 * adds 1, a success adds 0, and the returned failure count says whether the outcome may be told.
 */
export async function countAttempt(limit: WindowLimit, failed: boolean, now?: number): Promise<AttemptCount> {
  const window = await addToWindow(limit, failed ? 1 : 0, nowMsOf(now));
  const failures = window.total;
  return {
    failures,
    limit: limit.limit,
    withinLimit: failed ? failures <= limit.limit : failures < limit.limit,
    retryAfterSeconds: window.retryAfterSeconds(limit.limit),
  };
}

export interface Lockout {
  /** Blocks so far (the current one included). */
  blocks: number;
  /** Epoch seconds when the current block ends. */
  lockedUntil: number;
}

const lockoutKey = (scope: string, subject: string): string => `${scope}#${subject}#lockout`;

/** The subject's lockout record, or undefined when there is none (or it has expired). */
export async function readLockout(scope: string, subject: string, now = nowEpochSeconds()): Promise<Lockout | undefined> {
  const { Item } = await dynamo().send(
    new GetCommand({ TableName: tableName('rateLimits'), Key: { key: lockoutKey(scope, subject) }, ConsistentRead: true }),
  );
  if (!Item || typeof Item.expiresAt !== 'number' || Item.expiresAt <= now) return undefined;
  return { blocks: Number(Item.blocks ?? 0), lockedUntil: Number(Item.lockedUntil ?? 0) };
}

export const isLocked = (lockout: Lockout | undefined, now = nowEpochSeconds()): boolean =>
  lockout !== undefined && lockout.lockedUntil > now;

/**
 * Starts the next block for a subject, exactly once however many refused callers race here:
 * an optimistic update conditioned on the block count that was read. Returns the lockout in force
 * afterwards (this caller's, or the one a concurrent caller started).
 *
 * @param durationOf length of block n (n ≥ 1), seconds
 * @param memorySeconds how long the block count is remembered after a block ends (for doubling)
 */
export async function startLockout(
  scope: string,
  subject: string,
  durationOf: (blockNumber: number) => number,
  memorySeconds: number,
  now = nowEpochSeconds(),
): Promise<Lockout> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await readLockout(scope, subject, now);
    if (current && isLocked(current, now)) return current;
    const blocks = (current?.blocks ?? 0) + 1;
    const lockedUntil = now + durationOf(blocks);
    try {
      await dynamo().send(
        new UpdateCommand({
          TableName: tableName('rateLimits'),
          Key: { key: lockoutKey(scope, subject) },
          UpdateExpression: 'SET blocks = :blocks, lockedUntil = :until, expiresAt = :expiresAt',
          // Whoever read the same block count first wins; an expired record counts as none.
          ConditionExpression: current
            ? 'blocks = :previous AND lockedUntil <= :now'
            : 'attribute_not_exists(#key) OR expiresAt <= :now',
          ExpressionAttributeNames: current ? undefined : { '#key': 'key' },
          ExpressionAttributeValues: {
            ':blocks': blocks,
            ':until': lockedUntil,
            ':expiresAt': lockedUntil + memorySeconds,
            ':now': now,
            ...(current ? { ':previous': current.blocks } : {}),
          },
        }),
      );
      return { blocks, lockedUntil };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // Someone else started (or changed) the block meanwhile: read again.
    }
  }
  const settled = await readLockout(scope, subject, now);
  if (settled) return settled;
  throw new Error('Could not record a lockout');
}
