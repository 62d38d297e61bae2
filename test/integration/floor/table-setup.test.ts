/**
 * A manager's tables: adding one (numbered uniquely, trimmed and in any case, with a QR code from the
 * start), renaming or moving it, and removing it (never while it is being served). Waiters cannot; a
 * table of another restaurant is not found; every other console's floor is told; each change is audited.
 */
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.ts';

let t: TestStack;
beforeAll(async () => {
  t = await startTestStack();
});
afterAll(() => t?.stop());

type Role = 'WAITER' | 'MANAGER' | 'KITCHEN' | 'ADMIN';
const token = async (role: Role) => (await t.loginAs(role)).token;
const create = async (body: unknown, role: Role = 'MANAGER') => t.api.post('/api/staff/tables', body, { token: await token(role) });
const change = async (tableId: string, body: unknown, role: Role = 'MANAGER') => t.api.request('PATCH', `/api/staff/tables/${tableId}`, body, { token: await token(role) });
const remove = async (tableId: string, role: Role = 'MANAGER') => t.api.request('DELETE', `/api/staff/tables/${tableId}`, undefined, { token: await token(role) });
const floor = async () => (await t.api.get('/api/staff/tables', { token: await token('WAITER') })).body.tables as { tableId: string; number: string; floor: string; session: unknown }[];
const qrNumbers = async () => {
  const sheet = await t.api.get('/api/staff/qr-codes', { token: await token('WAITER') });
  return (sheet.body.floors as { floor: string; tables: { number: string }[] }[]).flatMap((f) => f.tables.map((card) => `${f.floor}/${card.number}`));
};

describe('adding a table', () => {
  it('answers it as the floor lists it, last in floor order, with a QR code from the start, and audits it', async () => {
    const staff = await t.connectWs({ token: await token('WAITER'), channel: 'staff' });
    const created = await create({ number: '  P-1 ', floor: ' Terrace ' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ tableId: expect.stringMatching(/^[0-9a-f]{24}$/), number: 'P-1', floor: 'Terrace', session: null });
    const { tableId } = created.body;
    expect((await floor()).at(-1)).toEqual(created.body);
    expect(await qrNumbers()).toContain('Terrace/P-1');
    const code = await t.tableCode(tableId);
    expect(code).toMatch(/^[A-Za-z0-9_-]{22}$/);
    // The other consoles reload their floor.
    await staff.waitFor((m) => m.type === 'table.updated' && m.tableId === tableId);
    await staff.close();
    const entry = await t.collection('audit_log').findOne({ action: 'TABLE_CREATED', tableId: new ObjectId(tableId) });
    expect(entry).toMatchObject({ outcome: 'success', details: { number: 'P-1', floor: 'Terrace' }, actor: { kind: 'staff', username: 'manager' } });
    // It can be opened and joined by its code like any other.
    const opened = await t.openTable('P-1');
    expect((await t.joinTable(code, opened.pin)).sessionId).toBe(opened.sessionId);
    await t.closeTable(opened.sessionId, 'MANAGER');
  });

  it('refuses a number already used, trimmed and in any case, with 409 TABLE_EXISTS', async () => {
    for (const number of ['T-1', ' t-1', 'T-1  ']) {
      const answer = await create({ number, floor: 'Ground Floor' });
      expect(answer.status).toBe(409);
      expect(answer.body.error.code).toBe('TABLE_EXISTS');
    }
    expect((await floor()).filter((table) => table.number.toLowerCase() === 't-1')).toHaveLength(1);
  });

  it('lets only one of two consoles adding the same number in different case at once succeed (unique index)', async () => {
    for (let round = 0; round < 3; round++) {
      const answers = await Promise.all([create({ number: `Q-${round}`, floor: 'Ground Floor' }), create({ number: `q-${round}`, floor: 'Ground Floor' })]);
      expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409]);
      expect(answers.find((answer) => answer.status === 409)!.body.error.code).toBe('TABLE_EXISTS');
    }
    const stored = await t.collection('tables').find({ numberKey: { $in: ['q-0', 'q-1', 'q-2'] } }).toArray();
    expect(stored).toHaveLength(3);
    // The index itself, whichever request passed the store's check first.
    const restaurantId = stored[0].restaurantId;
    await expect(
      t.collection('tables').insertOne({ restaurantId, number: 'Q-0 ', numberKey: 'q-0', floor: 'Ground Floor', sortOrder: 99, createdAt: new Date(), updatedAt: new Date() }),
    ).rejects.toThrow(/E11000|duplicate key/);
  });

  it('refuses a bad body with 400 VALIDATION_FAILED', async () => {
    const bodies = [{}, { number: 'X-1' }, { floor: 'Ground Floor' }, { number: '   ', floor: 'Ground Floor' }, { number: 'X-1', floor: '' }, { number: 'X'.repeat(21), floor: 'Ground Floor' }, { number: 'X-1', floor: 'F'.repeat(41) }, { number: 7, floor: 'Ground Floor' }, { number: 'X-1', floor: 'Ground Floor', sortOrder: 1 }];
    for (const body of bodies) {
      const answer = await create(body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect((await floor()).some((table) => table.number === 'X-1')).toBe(false);
  });

  it('is a manager\'s: a waiter or the kitchen gets 403, an admin may', async () => {
    for (const role of ['WAITER', 'KITCHEN'] as const) {
      const answer = await create({ number: 'W-1', floor: 'Ground Floor' }, role);
      expect(answer.status).toBe(403);
      expect(answer.body.error.code).toBe('FORBIDDEN');
    }
    expect((await create({ number: 'A-1', floor: 'Ground Floor' }, 'ADMIN')).status).toBe(201);
  });
});

describe('changing a table', () => {
  it('renames and moves it, keeping its code; a used number is 409', async () => {
    const { tableId } = (await create({ number: 'C-1', floor: 'Ground Floor' })).body;
    const code = await t.tableCode(tableId);
    const renamed = await change(tableId, { number: 'C-2', floor: 'First Floor' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toEqual({ tableId, number: 'C-2', floor: 'First Floor', session: null });
    expect(await t.tableCode(tableId)).toBe(code);
    // Its own number in another case is not "taken".
    expect((await change(tableId, { number: 'c-2' })).body.number).toBe('c-2');
    const taken = await change(tableId, { number: 't-2' });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('TABLE_EXISTS');
    const entry = await t.collection('audit_log').findOne({ action: 'TABLE_UPDATED', tableId: new ObjectId(tableId) });
    expect(entry?.details).toEqual({ number: { from: 'C-1', to: 'C-2' }, floor: { from: 'Ground Floor', to: 'First Floor' } });
    const empty = await change(tableId, {});
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('VALIDATION_FAILED');
    expect((await change(tableId, { number: 'C-3' }, 'WAITER')).status).toBe(403);
  });

  it('renames a table being served: the floor shows it with its session, and its next orders carry the new number', async () => {
    const { tableId } = (await create({ number: 'S-1', floor: 'Ground Floor' })).body;
    const opened = await t.openTable('S-1');
    const guest = await t.joinTable(opened.code, opened.pin);
    const first = await t.orderCart(guest, (await t.addToCart(guest, (await t.menuItems())[0].name)).version);
    const renamed = await change(tableId, { number: 'S-2', floor: 'First Floor' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ tableId, number: 'S-2', floor: 'First Floor', session: { sessionId: opened.sessionId } });
    const second = await t.orderCart(guest, (await t.addToCart(guest, (await t.menuItems())[0].name)).version);
    const orders = t.collection('digital_menu_customer_orders');
    expect((await orders.findOne({ _id: new ObjectId(first.orderId) }))?.tableNumber).toBe('S-1');
    expect((await orders.findOne({ _id: new ObjectId(second.orderId) }))?.tableNumber).toBe('S-2');
    await t.closeTable(opened.sessionId, 'MANAGER');
  });

  it('answers 404 for an unknown table or another restaurant\'s', async () => {
    const other = new ObjectId();
    await t.collection('tables').insertOne({ _id: other, restaurantId: 'another-restaurant', number: 'O-1', floor: 'Ground Floor', sortOrder: 1, createdAt: new Date(), updatedAt: new Date() });
    for (const tableId of [other.toHexString(), new ObjectId().toHexString()]) {
      const changed = await change(tableId, { number: 'O-2' });
      expect(changed.status).toBe(404);
      expect(changed.body.error.code).toBe('NOT_FOUND');
      const removed = await remove(tableId);
      expect(removed.status).toBe(404);
      expect(removed.body.error.code).toBe('NOT_FOUND');
    }
    expect(await t.collection('tables').findOne({ _id: other })).toMatchObject({ number: 'O-1' });
    expect((await change('not-an-id', { number: 'O-2' })).status).toBe(400);
  });
});

describe('removing a table', () => {
  it('refuses while it is being served (409 TABLE_IN_USE), then removes it once closed; its orders keep its number', async () => {
    const { tableId } = (await create({ number: 'R-1', floor: 'Ground Floor' })).body;
    const opened = await t.openTable('R-1');
    const guest = await t.joinTable(opened.code, opened.pin);
    const cart = await t.addToCart(guest, (await t.menuItems())[0].name);
    const order = await t.orderCart(guest, cart.version);

    const refused = await remove(tableId);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('TABLE_IN_USE');
    expect((await floor()).some((table) => table.tableId === tableId)).toBe(true);
    expect((await remove(tableId, 'WAITER')).status).toBe(403);

    await t.closeTable(opened.sessionId, 'MANAGER');
    const removed = await remove(tableId);
    expect(removed.status).toBe(204);
    expect((await floor()).some((table) => table.tableId === tableId)).toBe(false);
    expect((await qrNumbers()).some((entry) => entry.endsWith('/R-1'))).toBe(false);
    expect((await remove(tableId)).status).toBe(404);
    // History reads the same: the order and the session keep their own copy of the table's number.
    const orders = await t.api.get('/api/staff/orders', { token: await token('WAITER') });
    expect(orders.status).toBe(200);
    expect((orders.body.orders as { orderId: string; tableNumber: string }[]).find((o) => o.orderId === order.orderId)?.tableNumber).toBe('R-1');
    const report = await t.api.get('/api/staff/reports/tables', { token: await token('MANAGER') });
    expect(report.status).toBe(200);
    const entry = await t.collection('audit_log').findOne({ action: 'TABLE_REMOVED', tableId: new ObjectId(tableId) });
    expect(entry).toMatchObject({ outcome: 'success', details: { number: 'R-1', floor: 'Ground Floor' } });
    // Its number is free again.
    expect((await create({ number: 'R-1', floor: 'Ground Floor' })).status).toBe(201);
  });

  it('never leaves a session open on a removed table when a waiter opens it at the same moment', async () => {
    const [waiter, manager] = [await token('WAITER'), await token('MANAGER')];
    for (let round = 0; round < 8; round++) {
      const { tableId } = (await create({ number: `Z-${round}`, floor: 'Ground Floor' })).body;
      const [opened, removed] = await Promise.all([
        t.api.post(`/api/staff/tables/${tableId}/sessions`, { mode: 'FAMILY' }, { token: waiter }),
        t.api.request('DELETE', `/api/staff/tables/${tableId}`, undefined, { token: manager }),
      ]);
      const table = await t.collection('tables').findOne({ _id: new ObjectId(tableId) });
      const open = await t.collection('table_sessions').countDocuments({ tableId: new ObjectId(tableId), status: 'OPEN' });
      expect([opened.status, removed.status], JSON.stringify([opened.body, removed.body])).not.toEqual([201, 204]);
      expect([201, 404]).toContain(opened.status);
      expect([204, 409]).toContain(removed.status);
      expect(open).toBe(opened.status === 201 ? 1 : 0);
      expect(Boolean(table)).toBe(removed.status !== 204);
    }
  });
});
