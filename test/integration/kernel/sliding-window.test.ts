/**
 * Sliding-window counters (functions/data/sliding-window.ts) on the local stack's DynamoDB:
 * no interval as long as the window ever holds more than the limit (fixed windows let twice the
 * limit through across their boundary), Retry-After says when the next one is allowed, and
 * concurrent counts are placed in one order.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo, tableName } from '../../../functions/data/dynamo.ts';
import { addToItemWindow, addToWindow, isSliceAttribute, SLICES } from '../../../functions/data/sliding-window.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';

let t: TestStack;

beforeAll(async () => {
  t = await startTestStack();
});
afterAll(() => t?.stop());

const LIMIT = 10;
const WINDOW_S = 60;

it('a burst just before a fixed-window boundary and another just after: the second is refused', async () => {
  const window = { scope: 'test-boundary', subject: 'client-1', windowSeconds: WINDOW_S };
  const boundary = Math.ceil(Date.now() / (WINDOW_S * 1000)) * WINDOW_S * 1000 + WINDOW_S * 1000;
  const before = boundary - 500;
  for (let i = 0; i < LIMIT; i++) expect((await addToWindow(window, 1, before)).total).toBe(i + 1);
  // A fixed window starting at `boundary` would hold none of them.
  const after = await addToWindow(window, 1, boundary + 500);
  expect(after.total).toBeGreaterThan(LIMIT);
  const retry = after.retryAfterSeconds(LIMIT);
  expect(retry).toBeGreaterThan(WINDOW_S - 2);
  expect(retry).toBeLessThanOrEqual(WINDOW_S + WINDOW_S / SLICES);
  // Once Retry-After has passed, the burst has left the window.
  expect((await addToWindow(window, 0, boundary + 500 + retry * 1000)).total).toBeLessThan(LIMIT);
});

it('the total counts the last window, not older slices, and never less than what happened in it', async () => {
  const window = { scope: 'test-slide', subject: 'client-2', windowSeconds: WINDOW_S };
  const start = Date.now();
  const sent: number[] = [];
  for (let second = 0; second < 3 * WINDOW_S; second += 3) {
    sent.push(second);
    const total = (await addToWindow(window, 1, start + second * 1000)).total;
    const inLastWindow = sent.filter((s) => s > second - WINDOW_S).length;
    // At most one extra slice (6 s: two counts at this pace) beyond the last window is counted.
    expect(total).toBeGreaterThanOrEqual(inLastWindow);
    expect(total).toBeLessThanOrEqual(inLastWindow + 2);
  }
});

it('30 concurrent counts: each total is distinct, so exactly 10 are within a limit of 10', async () => {
  const window = { scope: 'test-concurrent', subject: 'client-3', windowSeconds: WINDOW_S };
  const now = Date.now();
  const totals = (await Promise.all(Array.from({ length: 30 }, () => addToWindow(window, 1, now)))).map((w) => w.total);
  expect(new Set(totals).size).toBe(30);
  expect(totals.filter((total) => total <= LIMIT)).toHaveLength(LIMIT);
});

it('leftovers of long silences are removed at once by default, or once `staleCleanupAt` of them gather', async () => {
  const window = { scope: 'test-gaps', subject: 'socket-1', windowSeconds: 10 };
  const slicesOf = async (key: string) => {
    const { Item } = await dynamo().send(new GetCommand({ TableName: tableName('rateLimits'), Key: { key } }));
    return Object.keys(Item ?? {}).filter(isSliceAttribute).length;
  };
  const start = Date.now();
  // A count every 30 s (a heartbeat after silence): each leaves the previous one's slice stale.
  for (const [key, staleCleanupAt] of [['gaps-default', undefined], ['gaps-batched', 5]] as const) {
    const kept: number[] = [];
    for (let n = 0; n < 8; n++) {
      const counted = await addToItemWindow({ table: 'rateLimits', key: { key }, staleCleanupAt }, window, 1, start + n * 30_000);
      expect(counted!.total.total).toBe(1); // leftovers never count
      kept.push(await slicesOf(key));
    }
    if (staleCleanupAt === undefined) expect(kept).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    else expect(kept).toEqual([1, 2, 3, 4, 5, 1, 2, 3]);
  }
});
