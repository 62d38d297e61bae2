/**
 * A locked table never locks out the rightful user: a phone that holds a live token of the session
 * gets in with the right PIN while the table is locked, strangers are told a waiter can give a new
 * PIN, and the staff floor shows the table's wrong PINs and lockout until a new PIN lifts it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.ts';

let s: TestStack;
beforeAll(async () => {
  s = await startTestStack({ env: { PIN_MAX_ATTEMPTS: '5' } });
});
afterAll(() => s?.stop());

const wrongPin = (pin: string, k = 1): string => String((Number(pin) + k) % 10_000).padStart(4, '0');

describe('a locked table', () => {
  const post = (table: string, pin: string, token?: string, deviceId?: string) =>
    s.api.post('/api/sessions/join', { table, pin, ...(deviceId ? { deviceId } : {}) }, { token });

  it('never refuses the right PIN of a phone that already holds a live token of the session', async () => {
    const table = await s.freshTable('T-4');
    const seated = await s.joinTable(table.code, table.pin, 'seated-phone-0001');
    for (let i = 0; i < 5; i++) expect((await post(table.code, wrongPin(table.pin, 1 + i))).status).toBe(401);
    // Locked: a stranger's right PIN is refused, and told a waiter can give a new PIN.
    const stranger = await post(table.code, table.pin);
    expect(stranger.status).toBe(429);
    expect(stranger.body.error.message).toMatch(/waiter/i);
    // The phone already at the table re-joins with its token (the browser's cookie) and the right PIN.
    const rejoin = await post(table.code, table.pin, seated.sessionToken, seated.deviceId);
    expect(rejoin.status).toBe(200);
    expect(rejoin.body.deviceId).toBe(seated.deviceId);
    // A token is no licence to guess: its wrong PIN is still refused.
    expect((await post(table.code, wrongPin(table.pin, 7), rejoin.body.sessionToken)).status).toBe(429);
    // A token of another session proves nothing here.
    const elsewhere = await s.freshTable('T-5');
    const visitor = await s.joinTable(elsewhere.code, elsewhere.pin);
    expect((await post(table.code, table.pin, visitor.sessionToken)).status).toBe(429);
  });

  it('shows its wrong PINs and lockout on the staff floor until a new PIN lifts it', async () => {
    const waiter = (await s.loginAs('WAITER')).token;
    const floorSession = async (tableId: string) => {
      const { body } = await s.api.get('/api/staff/tables', { token: waiter });
      return (body.tables as { tableId: string; session: any }[]).find((each) => each.tableId === tableId)!.session;
    };
    const table = await s.freshTable('T-6');
    expect((await floorSession(table.tableId)).lockout).toBeUndefined();
    for (let i = 0; i < 3; i++) await post(table.code, wrongPin(table.pin, 1 + i));
    const counting = (await floorSession(table.tableId)).lockout;
    expect(counting).toEqual({ attempts: 3, limit: 5 });
    // Shown for as long as the guesses count (the window), not the second it once was.
    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect((await floorSession(table.tableId)).lockout).toEqual({ attempts: 3, limit: 5 });

    for (let i = 3; i < 5; i++) await post(table.code, wrongPin(table.pin, 1 + i));
    const locked = (await floorSession(table.tableId)).lockout;
    expect(locked).toMatchObject({ attempts: 5, limit: 5 });
    const until = new Date(locked.lockedUntil).getTime();
    expect(until).toBeGreaterThan(Date.now() + 14 * 60_000);
    expect(until).toBeLessThanOrEqual(Date.now() + 15 * 60_000 + 1000);

    // One tap on "New PIN": the lockout is gone and the new PIN works.
    const renewed = await s.api.post(`/api/staff/sessions/${table.sessionId}/pin`, {}, { token: waiter });
    expect(renewed.status).toBe(200);
    expect((await floorSession(table.tableId)).lockout).toBeUndefined();
    expect((await post(table.code, renewed.body.pin)).status).toBe(200);
  });
});
