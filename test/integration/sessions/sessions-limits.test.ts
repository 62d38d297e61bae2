/**
 * PIN attempt limits over the local runtime: 5 wrong PINs per table session per 15 minutes, then
 * 429 PIN_BLOCKED with a doubling lockout; 100 parallel wrong guesses evaluate at most 5;
 * regenerating the PIN starts the table afresh. (The per-IP limit has its own file.)
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamo, tableName } from '../../../functions/data/dynamo.ts';
import { collections } from '../../../functions/data/mongo.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';

let t: TestStack;

beforeAll(async () => {
  // The per-IP limit (every request here comes from 127.0.0.1) is tested in sessions-ip-limit.test.ts.
  t = await startTestStack({ env: { PIN_IP_MAX_ATTEMPTS: '100000' } });
});
afterAll(() => t?.stop());

/** A 4-digit PIN that is not `pin`. */
const wrongPin = (pin: string): string => String((Number(pin) + 1) % 10_000).padStart(4, '0');

const join = (table: string, pin: string) => t.api.post('/api/sessions/join', { table, pin });

async function pinAttempts(sessionId: string) {
  const { auditLog } = await collections();
  return auditLog.find({ restaurantId: 'demo', action: 'PIN_ATTEMPT', sessionId: new ObjectId(sessionId) }).sort({ time: 1 }).toArray();
}

const lockoutKey = (sessionId: string, pinVersion: number) => `pin-lockout#${sessionId}.${pinVersion}#lockout`;

/**
 * Moves the current lockout into the past, as if its time had run out: in DynamoDB, and on the
 * session, whose copy (for the staff floor) also refuses guesses while it shows a lockout.
 */
async function expireLockout(sessionId: string, pinVersion = 1): Promise<void> {
  const past = Math.floor(Date.now() / 1000) - 1;
  await dynamo().send(
    new UpdateCommand({
      TableName: tableName('rateLimits'),
      Key: { key: lockoutKey(sessionId, pinVersion) },
      UpdateExpression: 'SET lockedUntil = :past',
      ExpressionAttributeValues: { ':past': past },
    }),
  );
  await t.collection('table_sessions').updateOne(
    { _id: new ObjectId(sessionId), 'pinLockout.lockedUntil': { $exists: true } },
    { $set: { 'pinLockout.lockedUntil': new Date(past * 1000) } },
  );
}

describe('per table session', () => {
  it('counts down attemptsLeft, then blocks with 429 PIN_BLOCKED and Retry-After, even for the right PIN', async () => {
    const table = await t.openTable('T-2');
    const bad = wrongPin(table.pin);
    const left: number[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await join(table.code, bad);
      expect(response.status).toBe(401);
      expect(response.body.error.code).toBe('PIN_INVALID');
      left.push(response.body.error.details.attemptsLeft);
    }
    expect(left).toEqual([4, 3, 2, 1, 0]);

    const blocked = await join(table.code, bad);
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('PIN_BLOCKED');
    const retryAfter = Number(blocked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);

    // The right PIN is not even compared while the table is locked.
    const rightButBlocked = await join(table.code, table.pin);
    expect(rightButBlocked.status).toBe(429);
    expect(rightButBlocked.body.error.code).toBe('PIN_BLOCKED');

    const outcomes = (await pinAttempts(table.sessionId)).map((entry) => entry.outcome);
    expect(outcomes).toEqual(['failure', 'failure', 'failure', 'failure', 'failure', 'blocked', 'blocked']);
  });

  it('evaluates at most 5 of 100 parallel wrong guesses: exactly 5 PIN_INVALID, 95 PIN_BLOCKED', async () => {
    const table = await t.openTable('T-4');
    const bad = wrongPin(table.pin);
    const responses = await Promise.all(Array.from({ length: 100 }, () => join(table.code, bad)));
    const codes = responses.map((response) => `${response.status} ${response.body.error.code}`);
    expect(codes.filter((code) => code === '401 PIN_INVALID')).toHaveLength(5);
    expect(codes.filter((code) => code === '429 PIN_BLOCKED')).toHaveLength(95);
    for (const response of responses.filter((r) => r.status === 429)) expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);

    // The audit log agrees: 5 evaluated (failure), 95 refused before evaluation (blocked).
    const entries = await pinAttempts(table.sessionId);
    expect(entries.filter((entry) => entry.outcome === 'failure')).toHaveLength(5);
    expect(entries.filter((entry) => entry.outcome === 'blocked')).toHaveLength(95);
    // One lockout for the whole burst: the first block (15 minutes), not several stacked ones.
    const { Item } = await dynamo().send(
      new GetCommand({ TableName: tableName('rateLimits'), Key: { key: lockoutKey(table.sessionId, 1) }, ConsistentRead: true }),
    );
    expect(Item?.blocks).toBe(1);
  });

  it('doubles each further lockout of the same table session (15, 30, 60 min) and caps it at 4 hours', async () => {
    const table = await t.openTable('T-5');
    const bad = wrongPin(table.pin);
    for (let i = 0; i < 5; i++) expect((await join(table.code, bad)).status).toBe(401);
    const first = await join(table.code, bad);
    expect(first.status).toBe(429);
    expect(Number(first.headers.get('retry-after'))).toBeGreaterThan(14 * 60);
    expect(Number(first.headers.get('retry-after'))).toBeLessThanOrEqual(15 * 60);

    const retryAfters: number[] = [];
    for (let block = 2; block <= 4; block++) {
      await expireLockout(table.sessionId);
      // The window's 5 attempts are used up, so the next guess starts the next, longer block.
      const response = await join(table.code, bad);
      expect(response.status).toBe(429);
      retryAfters.push(Number(response.headers.get('retry-after')));
    }
    expect(retryAfters[0]).toBeGreaterThan(29 * 60);
    expect(retryAfters[0]).toBeLessThanOrEqual(30 * 60);
    expect(retryAfters[1]).toBeGreaterThan(59 * 60);
    expect(retryAfters[1]).toBeLessThanOrEqual(60 * 60);
    expect(retryAfters[2]).toBeGreaterThan(119 * 60);
    expect(retryAfters[2]).toBeLessThanOrEqual(120 * 60);

    for (let block = 5; block <= 7; block++) {
      await expireLockout(table.sessionId);
      const response = await join(table.code, bad);
      expect(response.status).toBe(429);
      expect(Number(response.headers.get('retry-after'))).toBeLessThanOrEqual(4 * 3600);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(4 * 3600 - 60);
    }
  });

  it('regenerating the PIN resets the counter and the lockout; the old PIN stops working', async () => {
    const table = await t.openTable('T-6');
    const bad = wrongPin(table.pin);
    for (let i = 0; i < 5; i++) await join(table.code, bad);
    expect((await join(table.code, table.pin)).status).toBe(429);

    const { token } = await t.loginAs('WAITER');
    const regenerated = await t.api.post(`/api/staff/sessions/${table.sessionId}/pin`, undefined, { token });
    expect(regenerated.status).toBe(200);
    const newPin: string = regenerated.body.pin;
    expect(newPin).toMatch(/^\d{4}$/);

    if (newPin !== table.pin) {
      const old = await join(table.code, table.pin);
      expect(old.status).toBe(401);
      expect(old.body.error.code).toBe('PIN_INVALID');
      expect(old.body.error.details.attemptsLeft).toBe(4); // a fresh count for the new PIN
    }
    const joined = await join(table.code, newPin);
    expect(joined.status).toBe(200);
  });

  it('a successful join gives its attempt back: only failures count', async () => {
    const table = await t.openTable('T-7');
    for (let i = 0; i < 8; i++) expect((await join(table.code, table.pin)).status).toBe(200);
    const response = await join(table.code, wrongPin(table.pin));
    expect(response.status).toBe(401);
    expect(response.body.error.details.attemptsLeft).toBe(4);
  });

  it('the limit is per table session: another table is not affected', async () => {
    const locked = await t.openTable('T-8');
    for (let i = 0; i < 6; i++) await join(locked.code, wrongPin(locked.pin));
    expect((await join(locked.code, locked.pin)).status).toBe(429);
    const other = await t.openTable('T-9');
    expect((await join(other.code, other.pin)).status).toBe(200);
  });
});
