/**
 * The guests' data retention runs on its schedule, with no day close: the local runtime runs the
 * route table's scheduled task on a timer as EventBridge does in AWS (lib/task-schedules.ts), in the
 * staff-admin function's container. The retention period is the restaurant's (here 30 days).
 */
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ORDERS_COLLECTION, orderDoc } from '../../support/order-docs.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';

let t: TestStack;

beforeAll(async () => {
  t = await startTestStack({ schedules: { everyMs: 300, firstRunMs: 100 }, env: { GUEST_DATA_RETENTION_DAYS: '30' } });
});
afterAll(() => t?.stop());

const DAY = 86_400_000;

it('anonymises names and phones on orders past the retention period without anyone closing a day; amounts and recent orders stay', async () => {
  const orders = t.collection(ORDERS_COLLECTION);
  const base = { amountsMinor: { subtotal: 100, tax: 5, total: 105 }, status: 'completed' as const };
  const old = orderDoc({ ...base, idempotencyKey: 'scheduled-retention-old', customerName: 'Old Guest', customerPhone: '9111111112', orderDate: new Date(Date.now() - 31 * DAY) });
  const recent = orderDoc({ ...base, idempotencyKey: 'scheduled-retention-recent', customerName: 'Recent Guest', customerPhone: '9111111113', orderDate: new Date(Date.now() - 29 * DAY) });
  const otherRestaurant = orderDoc({ ...old, _id: new ObjectId(), restaurantId: 'elsewhere', idempotencyKey: 'scheduled-retention-other' });
  const runsBefore = t.stack.schedules!.runs.get('retention.anonymiseGuestData') ?? 0;
  await orders.insertMany([old, recent, otherRestaurant]);

  // Two completed runs after the insert: the second at the latest saw the old order.
  await expect.poll(() => t.stack.schedules!.runs.get('retention.anonymiseGuestData') ?? 0, { timeout: 20_000, interval: 100 }).toBeGreaterThanOrEqual(runsBefore + 2);
  const after = await orders.findOne({ _id: old._id });
  expect(after).not.toHaveProperty('customerName');
  expect(after).not.toHaveProperty('customerPhone');
  expect(after!.amountsMinor).toEqual({ subtotal: 100, tax: 5, total: 105 });
  expect(await orders.findOne({ _id: recent._id })).toMatchObject({ customerName: 'Recent Guest', customerPhone: '9111111113' });
  // Scoped by restaurantId: another restaurant's orders are its own stack's business.
  expect(await orders.findOne({ _id: otherRestaurant._id })).toMatchObject({ customerName: 'Old Guest' });
  expect(await t.collection('day_closes').countDocuments({})).toBe(0);
  const audit = await t.collection('audit_log').findOne({ action: 'GUEST_DATA_ANONYMISED' });
  expect(audit).toMatchObject({ restaurantId: 'demo', outcome: 'success', actor: { kind: 'system', id: 'retention' }, details: { anonymisedOrders: 1 } });
  expect(JSON.stringify(audit)).not.toContain('9111111112');
});
