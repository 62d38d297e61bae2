/**
 * The per-IP PIN limit (50 failed attempts per hour by default; 8 here so the test stays small):
 * it spans tables, only failures count, and once reached even the right PIN is refused unevaluated.
 */
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { collections } from '../../../functions/data/mongo.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';

let t: TestStack;

beforeAll(async () => {
  t = await startTestStack({ env: { PIN_IP_MAX_ATTEMPTS: '8', PIN_MAX_ATTEMPTS: '5' } });
});
afterAll(() => t?.stop());

const wrongPin = (pin: string): string => String((Number(pin) + 1) % 10_000).padStart(4, '0');
const join = (table: string, pin: string) => t.api.post('/api/sessions/join', { table, pin });

it('refuses with 429 PIN_BLOCKED after 8 failures from one IP across tables, with Retry-After up to an hour', async () => {
  const a = await t.openTable('T-2');
  const b = await t.openTable('T-3');
  const c = await t.openTable('T-4');

  // Successful joins are given back: 20 of them leave the IP's whole budget.
  for (let i = 0; i < 20; i++) expect((await join(c.code, c.pin)).status).toBe(200);

  for (let i = 0; i < 4; i++) expect((await join(a.code, wrongPin(a.pin))).status).toBe(401);
  for (let i = 0; i < 4; i++) expect((await join(b.code, wrongPin(b.pin))).status).toBe(401);

  // Table C's own counter is untouched, but the IP has used its 8 attempts.
  const refused = await join(c.code, c.pin);
  expect(refused.status).toBe(429);
  expect(refused.body.error.code).toBe('PIN_BLOCKED');
  const retryAfter = Number(refused.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThan(0);
  // The sliding window counts the last hour plus at most one slice of it (a tenth).
  expect(retryAfter).toBeLessThanOrEqual(3600 * 1.1);

  const { auditLog } = await collections();
  const blocked = await auditLog.findOne({ action: 'PIN_ATTEMPT', outcome: 'blocked', sessionId: new ObjectId(c.sessionId) });
  expect(blocked?.details).toMatchObject({ reason: 'IP_LIMIT' });
  expect(blocked?.ip).toBe('127.0.0.1');
});
