/**
 * Lockouts that never lock out the rightful user: the network's PIN counter counts only guesses
 * that were evaluated, not those the table's own limit refused (pin-lockout-table.test.ts: the
 * locked table itself).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.ts';

let t: TestStack;
beforeAll(async () => {
  t = await startTestStack({ env: { PIN_MAX_ATTEMPTS: '5', PIN_IP_MAX_ATTEMPTS: '8' } });
});
afterAll(() => t?.stop());

const wrongPin = (pin: string, k = 1): string => String((Number(pin) + k) % 10_000).padStart(4, '0');
const join = (table: string, pin: string, token?: string) => t.api.post('/api/sessions/join', { table, pin }, { token });

describe('PIN lockouts and the rightful guest', () => {
  it('counts on the network only the guesses the table evaluated', async () => {
    const locked = await t.freshTable('T-2');
    // 40 wrong PINs at once on one table: the table answers 5 of them, refuses the rest.
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => join(locked.code, wrongPin(locked.pin, 1 + i))));
    expect(answers.filter((a) => a.status === 401)).toHaveLength(5);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(35);
    // The network has used 5 of its 8: a guest at another table on the same Wi-Fi still gets in,
    // and 3 more wrong guesses are answered before the network is refused.
    const other = await t.freshTable('T-3');
    expect((await join(other.code, other.pin)).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await join(other.code, wrongPin(other.pin, 1 + i))).status).toBe(401);
    const refused = await join(other.code, other.pin);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('PIN_BLOCKED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

