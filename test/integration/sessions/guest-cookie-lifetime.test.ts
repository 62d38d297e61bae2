/**
 * Found by the browser tests: the guest cookie's Max-Age was rounded down, so a phone's cookie died
 * up to a second before its token did. A phone re-entering the PIN in that second presented no
 * token while the server still saw its deviceId as live, gave it a new deviceId, and the phone lost
 * its INDIVIDUAL cart. The cookie must live at least as long as the token it carries.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.ts';

let t: TestStack;

beforeAll(async () => {
  t = await startTestStack();
});

afterAll(() => t?.stop());

function maxAgeOf(setCookie: string): number {
  const match = /(?:^|;\s*)Max-Age=(\d+)/i.exec(setCookie);
  if (!match) throw new Error(`No Max-Age in ${setCookie}`);
  return Number(match[1]);
}

it('the guest cookie does not expire before the guest token', async () => {
  const table = await t.openTable('T-12', 'INDIVIDUAL');
  for (let i = 0; i < 3; i++) {
    const response = await t.api.post<{ expiresAt: string }>('/api/sessions/join', { table: table.code, pin: table.pin });
    const receivedAt = Date.now();
    expect(response.status).toBe(200);
    const cookie = response.cookies.find((c) => c.startsWith('plato_guest='));
    expect(cookie).toBeDefined();
    // The browser starts the Max-Age clock when it receives the answer.
    expect(receivedAt + maxAgeOf(cookie!) * 1000).toBeGreaterThanOrEqual(Date.parse(response.body.expiresAt));
  }
});
