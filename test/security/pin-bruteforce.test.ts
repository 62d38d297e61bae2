/**
 * PIN brute force, with the default limits (5 failed attempts per table session per 15 minutes,
 * 50 per IP per hour):
 *  - every other 4-digit PIN (9,999 guesses) fired at one table at once, then the right one: at most
 *    5 are evaluated (a PIN_INVALID answer or a PIN_ATTEMPT audit entry with outcome failure/success);
 *    all the rest, the right PIN included, are 429 PIN_BLOCKED with Retry-After;
 *  - wrong guesses at 20 tables from one IP: at most 50 evaluated in the hour, then that IP is
 *    refused even with a right PIN, while another IP still gets in.
 * The gateway takes the source IP from the socket: each scenario binds its requests to its own
 * loopback address (127.0.0.x), so the scenarios do not share an IP counter.
 */
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type OpenedTable, type TestStack } from '../support/stack.ts';
import { expectEnvelope, rawClient, type RawResponse } from './helpers.ts';
import { mapLimit } from '../support/concurrency.ts';

let t: TestStack;

beforeAll(async () => {
  t = await startTestStack({ env: { PIN_MAX_ATTEMPTS: '5', PIN_WINDOW_MINUTES: '15', PIN_IP_MAX_ATTEMPTS: '50', PIN_IP_WINDOW_MINUTES: '60' } });
});

afterAll(() => t?.stop());

const join = (client: ReturnType<typeof rawClient>, table: string, pin: string) =>
  client.send({ method: 'POST', path: '/api/sessions/join', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ table, pin }) });

const isEvaluated = (r: RawResponse) => r.status === 200 || r.json?.error?.code === 'PIN_INVALID';

function expectBlocked(r: RawResponse): void {
  expectEnvelope(r, 429, 'PIN_BLOCKED');
  expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
}

const allPins = () => Array.from({ length: 10_000 }, (_, i) => String(i).padStart(4, '0'));

function shuffled<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

const evaluatedAudits = (filter: Record<string, unknown>) =>
  t.collection('audit_log').countDocuments({ action: 'PIN_ATTEMPT', outcome: { $in: ['failure', 'success'] }, ...filter });

describe('PIN brute force', () => {
  it('10,000 guesses at one table within the window: at most 5 evaluated, the right PIN among the refused', async () => {
    const table = await t.freshTable('T-6', 'FAMILY');
    const attacker = rawClient(t.baseUrl, { localAddress: '127.0.0.21', maxSockets: 16 });
    try {
      const wrong = shuffled(allPins().filter((pin) => pin !== table.pin));
      const started = performance.now();
      const answers = await mapLimit(wrong, 16, (pin) => join(attacker, table.code, pin));
      const last = await join(attacker, table.code, table.pin); // the 10,000th guess: the right PIN
      const seconds = (performance.now() - started) / 1000;
      console.log(`[pin-bruteforce] 10,000 guesses at one table in ${seconds.toFixed(1)} s (${Math.round(10_000 / seconds)}/s)`);

      const all = [...answers, last];
      expect(all).toHaveLength(10_000);
      expect(all.filter((r) => r.status >= 500)).toEqual([]);
      const evaluated = all.filter(isEvaluated);
      expect(evaluated.length).toBeLessThanOrEqual(5);
      expect(evaluated.length).toBe(5); // the limit is reached, not just respected by refusing everything
      for (const r of evaluated) expectEnvelope(r, 401, 'PIN_INVALID');
      for (const r of all.filter((r) => !isEvaluated(r))) expectBlocked(r);
      expectBlocked(last);
      expect(all.some((r) => r.status === 200)).toBe(false);

      const sessionId = new ObjectId(table.sessionId);
      expect(await evaluatedAudits({ sessionId })).toBe(5);
      // Every attempt is audited (issue 4), the refused ones as blocked.
      expect(await t.collection('audit_log').countDocuments({ action: 'PIN_ATTEMPT', sessionId })).toBe(10_000);
      const session = await t.collection('table_sessions').findOne({ _id: sessionId });
      expect(session!.customerTokens).toEqual([]);
    } finally {
      attacker.close();
    }
  }, 360_000); // 10,000 requests through the Lambda-like containers: ~170 s on a loaded 2-core machine

  it('20 tables from one IP: at most 50 evaluated in the hour; then that IP is refused, another is not', async () => {
    // The seed has 12 tables; the other 8 are added directly (as a restaurant's setup would).
    const now = new Date();
    await t.collection('tables').insertMany(
      Array.from({ length: 8 }, (_, i) => ({ _id: new ObjectId(), restaurantId: 'demo', number: `B-${i + 1}`, floor: 'Brute Force Floor', sortOrder: 100 + i, createdAt: now, updatedAt: now })),
    );
    // The QR sheet gives tables added by hand their codes.
    expect((await t.api.get('/api/staff/qr-codes', { token: (await t.loginAs('WAITER')).token })).status).toBe(200);
    const numbers = [...Array.from({ length: 12 }, (_, i) => `T-${i + 1}`), ...Array.from({ length: 8 }, (_, i) => `B-${i + 1}`)];
    const tables: OpenedTable[] = [];
    for (const number of numbers) tables.push(await t.freshTable(number, 'FAMILY'));
    expect(new Set(tables.map((table) => table.sessionId)).size).toBe(20);

    const attacker = rawClient(t.baseUrl, { localAddress: '127.0.0.22', maxSockets: 32 });
    const neighbour = rawClient(t.baseUrl, { localAddress: '127.0.0.23', maxSockets: 2 });
    try {
      // 6 wrong guesses per table (120 in all; the per-table limits alone would let 100 through).
      const guesses = tables.flatMap((table) =>
        Array.from({ length: 6 }, (_, i) => ({ table, pin: String((Number(table.pin) + 1 + i * 1_111) % 10_000).padStart(4, '0') })),
      );
      expect(guesses.every((g) => g.pin !== g.table.pin)).toBe(true);
      const order = shuffled(guesses);
      const answers = await mapLimit(order, 32, (g) => join(attacker, g.table.code, g.pin));
      expect(answers.filter((r) => r.status >= 500)).toEqual([]);
      const evaluated = answers.filter(isEvaluated);
      // The network counts only the guesses a table let through (evaluated), never one a table's own
      // limit refused: so exactly its 50 are answered, and the network limit stopped the rest.
      expect(evaluated.length).toBe(50);
      for (const r of answers.filter((r) => !isEvaluated(r))) expectBlocked(r);
      expect(await evaluatedAudits({ ip: '127.0.0.22' })).toBe(evaluated.length);
      const evaluatedPerTable = new Map<string, number>();
      answers.forEach((r, i) => {
        if (isEvaluated(r)) evaluatedPerTable.set(order[i].table.sessionId, (evaluatedPerTable.get(order[i].table.sessionId) ?? 0) + 1);
      });
      expect(Math.max(...evaluatedPerTable.values())).toBeLessThanOrEqual(5);

      // That IP is now refused even with a right PIN, at a table that is not itself locked.
      const open = tables.find((table) => (evaluatedPerTable.get(table.sessionId) ?? 0) < 5)!;
      expect(open).toBeDefined();
      expectBlocked(await join(attacker, open.code, open.pin));
      expect(await evaluatedAudits({ ip: '127.0.0.22' })).toBe(evaluated.length);

      // The block is this IP's: a guest on another network joins that table with its PIN.
      const neighbourJoin = await join(neighbour, open.code, open.pin);
      expect(neighbourJoin.status, neighbourJoin.text).toBe(200);
    } finally {
      attacker.close();
      neighbour.close();
    }
  }, 120_000);
});

