/**
 * Joins arriving at the same moment on one table: a table of friends entering the right PIN together
 * all get in, while wrong guesses stay limited to 5 answered per table session and window.
 *
 * What the design guarantees (functions/data/rate-limit.ts `countAttempt`): every attempt is
 * placed in one order by an atomic DynamoDB ADD on the table's failure counter (1 for a wrong PIN, 0
 * for a right one). A wrong PIN is answered PIN_INVALID only when it is among the first 5 failures;
 * a right PIN is let in exactly when fewer than 5 failures come before it; everything else gets 429
 * PIN_BLOCKED. So right PINs never hold each other up (no waiting, no limit on how many join at
 * once), at most 5 wrong PINs are ever answered per window, and a right PIN is refused only because
 * 5 wrong PINs came before it (the table is locked) — mixed with fewer than 5 wrong ones, every right
 * PIN gets in; mixed with more, those placed before the 5th wrong one get in and the rest meet the lockout.
 */
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collections } from '../../../functions/data/mongo.ts';
import type { ApiResponse } from '../../support/http.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';

let t: TestStack;

beforeAll(async () => {
  // Every request here comes from 127.0.0.1; the per-IP limit has its own file.
  t = await startTestStack({ env: { PIN_IP_MAX_ATTEMPTS: '100000' } });
});
afterAll(() => t?.stop());

const wrongPin = (pin: string): string => String((Number(pin) + 1) % 10_000).padStart(4, '0');
const deviceIds = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}-phone-${String(i).padStart(2, '0')}-xxxxxxxx`);
const join = (table: string, pin: string, deviceId?: string): Promise<ApiResponse> =>
  t.api.post('/api/sessions/join', { table, pin, ...(deviceId ? { deviceId } : {}) });

/** Devices holding a live (unrevoked) token in the session, from MongoDB itself. */
async function liveDevices(sessionId: string): Promise<string[]> {
  const { tableSessions } = await collections();
  const session = await tableSessions.findOne({ _id: new ObjectId(sessionId) });
  return (session?.customerTokens ?? []).filter((token) => !token.revokedAt).map((token) => token.deviceId);
}

async function pinAttempts(sessionId: string) {
  const { auditLog } = await collections();
  return auditLog.find({ action: 'PIN_ATTEMPT', sessionId: new ObjectId(sessionId) }).toArray();
}

describe('parallel joins on one table', () => {
  it('20 phones entering the right PIN at the same moment all get in, each as its own device', async () => {
    const table = await t.openTable('T-2');
    const devices = deviceIds('twenty', 20);
    const responses = await Promise.all(devices.map((deviceId) => join(table.code, table.pin, deviceId)));

    expect(responses.map((response) => response.status)).toEqual(devices.map(() => 200));
    expect(responses.map((response) => response.body.deviceId)).toEqual(devices);
    expect(new Set(responses.map((response) => response.body.sessionToken)).size).toBe(20);
    expect((await liveDevices(table.sessionId)).sort()).toEqual([...devices].sort());
    // Every one of them works.
    for (const response of responses) {
      expect((await t.api.get('/api/sessions/me', { token: response.body.sessionToken })).status).toBe(200);
    }
    // Right PINs are not failures: the table still has all 5 attempts.
    const wrong = await join(table.code, wrongPin(table.pin));
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.details.attemptsLeft).toBe(4);
  });

  it('with 4 wrong PINs already counted, 10 phones with the right PIN at once still all get in', async () => {
    const table = await t.openTable('T-3');
    for (let i = 0; i < 4; i++) expect((await join(table.code, wrongPin(table.pin))).status).toBe(401);

    const devices = deviceIds('four-wrong', 10);
    const responses = await Promise.all(devices.map((deviceId) => join(table.code, table.pin, deviceId)));
    expect(responses.map((response) => response.status)).toEqual(devices.map(() => 200));
    expect((await liveDevices(table.sessionId)).sort()).toEqual([...devices].sort());

    // The fifth wrong PIN is still the last one allowed.
    const last = await join(table.code, wrongPin(table.pin));
    expect(last.status).toBe(401);
    expect(last.body.error.details.attemptsLeft).toBe(0);
    expect((await join(table.code, table.pin)).status).toBe(429);
  });

  it('10 right PINs mixed with 4 wrong ones at once: all 10 get in, the 4 are PIN_INVALID, the table is not locked', async () => {
    const table = await t.openTable('T-4');
    const devices = deviceIds('mix-4', 10);
    const requests = [
      ...devices.map((deviceId) => join(table.code, table.pin, deviceId)),
      ...Array.from({ length: 4 }, () => join(table.code, wrongPin(table.pin))),
    ];
    const responses = await Promise.all(requests);
    const right = responses.slice(0, 10);
    const wrong = responses.slice(10);
    expect(right.map((response) => response.status)).toEqual(devices.map(() => 200));
    expect(wrong.map((response) => `${response.status} ${response.body.error.code}`)).toEqual(Array(4).fill('401 PIN_INVALID'));
    expect(wrong.map((response) => response.body.error.details.attemptsLeft).sort()).toEqual([1, 2, 3, 4]);
    expect((await liveDevices(table.sessionId)).sort()).toEqual([...devices].sort());
    expect((await join(table.code, table.pin, 'after-the-burst-xxxxxxxx')).status).toBe(200);
  });

  it('10 right PINs mixed with 30 wrong ones at once: exactly 5 wrong answered; a right PIN is refused only after the 5th wrong one', async () => {
    const table = await t.openTable('T-5');
    const devices = deviceIds('mix-30', 10);
    const requests = [
      ...devices.map((deviceId) => join(table.code, table.pin, deviceId)),
      ...Array.from({ length: 30 }, (_, i) => join(table.code, wrongPin(table.pin), `guesser-${String(i).padStart(2, '0')}-xxxxxxxx`)),
    ];
    const responses = await Promise.all(requests);
    const right = responses.slice(0, 10);
    const wrong = responses.slice(10);

    // Exactly 5 wrong PINs answered as wrong; the others get the same refusal as a locked table.
    const wrongCodes = wrong.map((response) => `${response.status} ${response.body.error.code}`);
    expect(wrongCodes.filter((code) => code === '401 PIN_INVALID')).toHaveLength(5);
    expect(wrongCodes.filter((code) => code === '429 PIN_BLOCKED')).toHaveLength(25);

    // A right PIN either got in or met the lockout; it is never called wrong.
    for (const response of right) expect([200, 429]).toContain(response.status);
    const admitted = devices.filter((_, i) => right[i]!.status === 200);
    const refused = devices.filter((_, i) => right[i]!.status === 429);
    expect((await liveDevices(table.sessionId)).sort()).toEqual(admitted.sort());

    // Refused right PINs were refused because the table had its 5 wrong PINs, per the audit log.
    const entries = await pinAttempts(table.sessionId);
    for (const deviceId of refused) {
      const entry = entries.find((candidate) => candidate.actor.deviceId === deviceId);
      expect(entry?.outcome).toBe('blocked');
      expect(['LOCKED_OUT', 'SESSION_LIMIT']).toContain(entry?.details?.reason);
    }
    expect(entries.filter((entry) => entry.outcome === 'failure')).toHaveLength(5);
    expect(entries.filter((entry) => entry.outcome === 'success').map((entry) => entry.details?.deviceId).sort()).toEqual(admitted.sort());

    // Afterwards the table is locked for everyone.
    expect((await join(table.code, table.pin)).status).toBe(429);
  });
});
