/**
 * Sliding-window counters on DynamoDB (the `rateLimits` table), one atomic update per count.
 *
 * A window of W is split into SLICES slices; one item per `<scope>#<subject>#<W>` holds a count per
 * slice (attributes `s<sliceIndex>`). A count is one `ADD s<current> :n` that returns the whole item,
 * and the total is the sum of the current slice and the SLICES slices before it: a span that always
 * covers the last W (and at most W/SLICES more). So, unlike fixed windows, which let twice a limit
 * through across a boundary, no interval of length W ever holds more than the limit; the price is
 * being stricter by at most one slice. The same update drops slices that have left the window; a
 * leftover from a long gap is ignored when summing and removed by a second update when seen (or,
 * for an item counted after every long silence, once `staleCleanupAt` of them have gathered).
 *
 * The returned total places each count in one order with all the others (DynamoDB applies updates
 * to an item one at a time), so however many callers race, at most `limit` are told "within".
 * dynalite has no TTL and DynamoDB's TTL deletion lags: stale slices are ignored, not trusted.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo, tableName } from './dynamo.ts';
import type { TableKey } from '../tables.ts';

/** Slices per window: the limit is enforced over W to W·(1 + 1/SLICES). */
export const SLICES = 10;

export interface SlidingWindow {
  /** What is limited, e.g. `pin-ip`, `login-ip`, `connect-ip`, `ws-messages`. */
  scope: string;
  /** Whom it is limited for, e.g. an IP address, a username, a connection id. */
  subject: string;
  windowSeconds: number;
}

export interface WindowTotal {
  /** Counted in the window, this count included. */
  total: number;
  /** Seconds until the total would drop below `limit` (at least 1). */
  retryAfterSeconds(limit: number): number;
}

const sliceMs = (window: SlidingWindow): number => Math.max(1, Math.floor((window.windowSeconds * 1000) / SLICES));
const itemKey = (window: SlidingWindow): string => `${window.scope}#${window.subject}#${window.windowSeconds}`;
const sliceName = (index: number): string => `s${index}`;

function totalOf(item: Record<string, unknown> | undefined, window: SlidingWindow, nowMs: number): WindowTotal & { stale: string[] } {
  const width = sliceMs(window);
  const current = Math.floor(nowMs / width);
  const counted: { index: number; count: number }[] = [];
  const stale: string[] = [];
  for (const [name, value] of Object.entries(item ?? {})) {
    if (!isSliceAttribute(name)) continue;
    const index = Number(name.slice(1));
    if (index >= current - SLICES && index <= current) counted.push({ index, count: Number(value) });
    else if (index < current - 2 * SLICES) stale.push(name);
  }
  counted.sort((a, b) => a.index - b.index);
  const total = counted.reduce((sum, slice) => sum + slice.count, 0);
  return {
    total,
    stale,
    retryAfterSeconds(limit: number) {
      // Oldest slices leave first: the moment enough of them have left for the total to fall below the limit.
      let remaining = total;
      for (const slice of counted) {
        if (remaining < limit) break;
        remaining -= slice.count;
        const leavesAt = (slice.index + SLICES + 1) * width;
        if (remaining < limit) return Math.max(1, Math.ceil((leavesAt - nowMs) / 1000));
      }
      return remaining < limit ? 1 : Math.max(1, Math.ceil(window.windowSeconds + width / 1000));
    },
  };
}

/** Adds `amount` (0 counts nothing but still reads the total in the same atomic step) and returns the window's total. */
export async function addToWindow(window: SlidingWindow, amount: number, nowMs = Date.now()): Promise<WindowTotal> {
  const expiresAt = Math.ceil((nowMs + (SLICES + 1) * sliceMs(window)) / 1000);
  const counted = await addToItemWindow({ table: 'rateLimits', key: { key: itemKey(window) }, set: { expiresAt } }, window, amount, nowMs);
  return counted!.total;
}

/**
 * Where a window's slices live: its own `rateLimits` item, or another item that carries them beside its
 * own attributes (a socket's message rate lives on its connection record, so one update both counts the
 * message and proves the record still exists: `condition`).
 */
export interface WindowItem {
  table: TableKey;
  key: Record<string, unknown>;
  /** Attributes set in the same update (the rateLimits item's expiresAt). */
  set?: Record<string, unknown>;
  /** Only update an item matching this; otherwise nothing is counted and the result is undefined. */
  condition?: { expression: string; names?: Record<string, string>; values?: Record<string, unknown> };
  /**
   * Remove leftover slices once this many have gathered (default 1: as soon as one is seen). An item
   * counted mostly after long silences (a socket's heartbeat) would otherwise pay a second write per
   * count; the leftovers are ignored when summing, so waiting only costs a few bytes of item.
   */
  staleCleanupAt?: number;
}

/** addToWindow on any item: the total, and the item as it is after the update; undefined when `condition` failed. */
export async function addToItemWindow(
  item: WindowItem,
  window: SlidingWindow,
  amount: number,
  nowMs = Date.now(),
): Promise<{ total: WindowTotal; attributes: Record<string, unknown> } | undefined> {
  const width = sliceMs(window);
  const current = Math.floor(nowMs / width);
  const names: Record<string, string> = { '#current': sliceName(current), ...item.condition?.names };
  const values: Record<string, unknown> = { ':amount': amount, ...item.condition?.values };
  const removed: string[] = [];
  for (let index = current - 2 * SLICES; index < current - SLICES; index++) {
    names[`#old${removed.length}`] = sliceName(index);
    removed.push(`#old${removed.length}`);
  }
  const sets = Object.entries(item.set ?? {}).map(([name, value], i) => {
    names[`#set${i}`] = name;
    values[`:set${i}`] = value;
    return `#set${i} = :set${i}`;
  });
  let attributes: Record<string, unknown>;
  try {
    const result = await dynamo().send(
      new UpdateCommand({
        TableName: tableName(item.table),
        Key: item.key,
        UpdateExpression: `ADD #current :amount ${sets.length ? `SET ${sets.join(', ')} ` : ''}REMOVE ${removed.join(', ')}`,
        ...(item.condition ? { ConditionExpression: item.condition.expression } : {}),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }),
    );
    attributes = result.Attributes ?? {};
  } catch (error) {
    if (item.condition && (error as { name?: string }).name === 'ConditionalCheckFailedException') return undefined;
    throw error;
  }
  const total = totalOf(attributes, window, nowMs);
  if (total.stale.length > 0 && total.stale.length >= (item.staleCleanupAt ?? 1)) {
    // Left by a gap longer than two windows, and harmless if this cleanup fails.
    await dynamo()
      .send(
        new UpdateCommand({
          TableName: tableName(item.table),
          Key: item.key,
          UpdateExpression: `REMOVE ${total.stale.map((_, i) => `#s${i}`).join(', ')}`,
          ExpressionAttributeNames: Object.fromEntries(total.stale.map((name, i) => [`#s${i}`, name])),
        }),
      )
      .catch(() => undefined);
  }
  return { total, attributes };
}

/** Whether an attribute is one of a window's slices (to strip them from an item that carries them). */
export const isSliceAttribute = (name: string): boolean => /^s\d+$/.test(name);

/** The window's total without counting anything (a strongly consistent read). */
export async function readWindow(window: SlidingWindow, nowMs = Date.now()): Promise<WindowTotal> {
  const { Item } = await dynamo().send(
    new GetCommand({ TableName: tableName('rateLimits'), Key: { key: itemKey(window) }, ConsistentRead: true }),
  );
  return totalOf(Item, window, nowMs);
}
