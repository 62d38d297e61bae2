/**
 * Unguessable table links: a QR code carries the table's random 128-bit code, never its database id;
 * a manager can give a table a new code (its printed card then stops working); links printed before
 * codes existed (the table's id) keep working until then; and an unknown code answers exactly like
 * a table that is not open, so a link says nothing about which tables exist or are open.
 */
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.ts';

let t: TestStack;
beforeAll(async () => {
  t = await startTestStack();
});
afterAll(() => t?.stop());

const join = (table: string, pin: string) => t.api.post('/api/sessions/join', { table, pin });
const wrongPin = (pin: string): string => String((Number(pin) + 1) % 10_000).padStart(4, '0');
const tables = () => t.collection('tables');
const token = async (role: 'WAITER' | 'MANAGER' | 'KITCHEN') => (await t.loginAs(role)).token;
const rotate = async (tableId: string, role: 'WAITER' | 'MANAGER' | 'KITCHEN' = 'MANAGER') =>
  t.api.post(`/api/staff/tables/${tableId}/code`, {}, { token: await token(role) });

/** Turns a seeded table into one from before codes: no code, its id link never retired. */
async function legacyTable(number: string): Promise<string> {
  const tableId = await t.tableId(number);
  await tables().updateOne({ _id: new ObjectId(tableId) }, { $unset: { code: '', idLinkRetired: '' } });
  return tableId;
}

describe('table codes', () => {
  it('prints 128-bit random codes on the QR sheet, never the table id', async () => {
    const sheet = await t.api.get('/api/staff/qr-codes', { token: await token('WAITER') });
    expect(sheet.status).toBe(200);
    const cards = (sheet.body.floors as { tables: { tableId: string; url: string }[] }[]).flatMap((floor) => floor.tables);
    const codes = cards.map((card) => new URL(card.url).searchParams.get('table')!);
    for (const [i, code] of codes.entries()) {
      expect(code).toMatch(/^[A-Za-z0-9_-]{22}$/); // 16 bytes, base64url
      expect(Buffer.from(code, 'base64url')).toHaveLength(16);
      expect(cards[i].url).not.toContain(cards[i].tableId);
    }
    expect(new Set(codes).size).toBe(codes.length);
    // Tables created together have consecutive ids, but nothing in common between their codes.
    expect(new Set(codes.map((code) => code.slice(0, 4))).size).toBeGreaterThan(codes.length / 2);
  });

  it('answers an unknown code, a free table, a retired code and a retired id link alike', async () => {
    const open = await t.openTable('T-6');
    const free = await t.tableCode(await t.tableId('T-12'));
    const rotatedAway = await t.tableCode(await t.tableId('T-11'));
    expect((await rotate(await t.tableId('T-11'))).status).toBe(200);

    const answers = await Promise.all([
      join('AAAAAAAAAAAAAAAAAAAAAA', '1234'), // well-formed, unknown
      join(free, '1234'),
      join(rotatedAway, '1234'),
      join(open.tableId, wrongPin(open.pin)), // the id of an open table: its link was never printed
      join(new ObjectId().toHexString(), '1234'),
    ]);
    for (const answer of answers) {
      expect(answer.status).toBe(404);
      expect(answer.body).toEqual(answers[0].body);
      expect(answer.headers.get('retry-after')).toBeNull();
    }
    expect(answers[0].body.error.code).toBe('NO_OPEN_SESSION');
    // The open table's own code is the only way in.
    expect((await join(open.code, wrongPin(open.pin))).status).toBe(401);
    expect((await join(open.code, open.pin)).status).toBe(200);
  });

  it('keeps a link printed before codes working until the table gets a new code', async () => {
    const tableId = await legacyTable('T-7');
    // Setup (and the QR sheet) give such a table a code; its old id link keeps working.
    expect((await t.api.get('/api/staff/qr-codes', { token: await token('WAITER') })).status).toBe(200);
    const code = await t.tableCode(tableId);
    const opened = await t.openTable('T-7');
    const byId = await join(tableId, opened.pin);
    expect(byId.status).toBe(200);
    expect((await join(code, opened.pin)).status).toBe(200);

    const rotated = await rotate(tableId);
    expect(rotated.status).toBe(200);
    const newCode = new URL(rotated.body.url).searchParams.get('table')!;
    expect(newCode).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(newCode).not.toBe(code);
    expect(rotated.body).toMatchObject({ tableId, number: 'T-7' });
    expect(rotated.body.svg).toMatch(/^<svg/);

    expect((await join(tableId, opened.pin)).status).toBe(404);
    expect((await join(code, opened.pin)).status).toBe(404);
    expect((await join(newCode, opened.pin)).status).toBe(200);
    // The phone that joined by the old link stays at the table.
    expect((await t.api.get('/api/sessions/me', { token: byId.body.sessionToken })).status).toBe(200);
    const entry = await t.collection('audit_log').findOne({ action: 'TABLE_CODE_ROTATED', tableId: new ObjectId(tableId) });
    expect(entry).toMatchObject({ outcome: 'success', actor: { kind: 'staff', username: 'manager' } });
    expect(JSON.stringify(entry)).not.toContain(newCode);
  });

  it('lets only a manager give a table a new code', async () => {
    const tableId = await t.tableId('T-10');
    const before = await t.tableCode(tableId);
    for (const role of ['WAITER', 'KITCHEN'] as const) {
      const refused = await rotate(tableId, role);
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('FORBIDDEN');
    }
    expect(await t.tableCode(tableId)).toBe(before);
    const unknown = await rotate(new ObjectId().toHexString());
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
  });

  it('GET /api/tables/{link} looks a code up as join does, and tells nothing about an id link', async () => {
    const open = await t.openTable('T-5');
    const status = (link: string) => t.api.get(`/api/tables/${link}`);
    expect((await status(open.code)).body).toEqual({ table: { number: 'T-5', floor: open.floor }, state: 'open' });
    // The id of an open table, of a table whose id link still works, a retired one and no table at all:
    // one answer, so one old card cannot be used to list the tables or watch which are open.
    const legacy = await legacyTable('T-4');
    const ids = [open.tableId, legacy, new ObjectId().toHexString()];
    for (const id of ids) {
      const answer = await status(id);
      expect(answer.status, id).toBe(200);
      expect(answer.body, id).toEqual({ state: 'idLink' });
    }
    // A retired code is unknown, like one that never existed (codes cannot be listed: 128 random bits).
    const before = await t.tableCode(await t.tableId('T-3'));
    expect((await rotate(await t.tableId('T-3'))).status).toBe(200);
    for (const code of [before, 'AAAAAAAAAAAAAAAAAAAAAA']) {
      const answer = await status(code);
      expect(answer.status, code).toBe(404);
      expect(answer.body.error.code).toBe('NOT_FOUND');
    }
    expect((await status(await t.tableCode(await t.tableId('T-3')))).body).toMatchObject({ table: { number: 'T-3' } });
    for (const bad of ['T-1', 'A'.repeat(23), 'ABCDEF0123456789ABCDEF01']) expect((await status(bad)).status, bad).toBe(400);
  });

  it('refuses a malformed table link with 400 VALIDATION_FAILED', async () => {
    for (const table of ['', 'T-1', 'short', 'A'.repeat(23), 'ABCDEF0123456789ABCDEF01', { $ne: '' }]) {
      const response = await t.api.post('/api/sessions/join', { table, pin: '1234' });
      expect(response.status, JSON.stringify(table)).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION_FAILED');
    }
  });
});
