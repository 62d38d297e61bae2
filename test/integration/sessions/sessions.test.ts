/**
 * Table sessions over the local runtime: opening a table, the floor view, guests joining with the
 * PIN, resuming after a reload, re-joining, regenerating the PIN, guest logout, closing (with the
 * unpaid-orders rule) and the audit trail. Limits: sessions-limits / sessions-ip-limit; token
 * expiry: sessions-expiry; sockets: sessions-realtime.
 */
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collections } from '../../../functions/data/mongo.ts';
import { orderDoc } from '../../support/order-docs.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';

let t: TestStack;

beforeAll(async () => {
  t = await startTestStack({ env: { PIN_IP_MAX_ATTEMPTS: '100000', COOKIE_SECURE: 'true' } });
});
afterAll(() => t?.stop());

const wrongPin = (pin: string): string => String((Number(pin) + 1) % 10_000).padStart(4, '0');
const join = (body: unknown) => t.api.post('/api/sessions/join', body);
const me = (token: string) => t.api.get('/api/sessions/me', { token });
const waiterToken = async () => (await t.loginAs('WAITER')).token;

async function auditOf(sessionId: string) {
  const { auditLog } = await collections();
  return auditLog.find({ restaurantId: 'demo', sessionId: new ObjectId(sessionId) }).sort({ time: 1 }).toArray();
}

describe('POST /api/staff/tables/{tableId}/sessions', () => {
  it('opens a table with a random 4-digit PIN (201) that is stored only as a keyed hash', async () => {
    const tableId = await t.tableId('T-2');
    const response = await t.api.post(`/api/staff/tables/${tableId}/sessions`, { mode: 'INDIVIDUAL' }, { token: await waiterToken() });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ mode: 'INDIVIDUAL', table: { tableId, number: 'T-2', floor: 'Ground Floor' } });
    expect(response.body.sessionId).toMatch(/^[a-f0-9]{24}$/);
    expect(response.body.pin).toMatch(/^\d{4}$/);

    const { tableSessions } = await collections();
    const stored = await tableSessions.findOne({ _id: new ObjectId(response.body.sessionId) });
    expect(stored).toMatchObject({ restaurantId: 'demo', status: 'OPEN', mode: 'INDIVIDUAL', pinVersion: 1, tableNumber: 'T-2' });
    expect(stored!.pinHash).toMatch(/^hmac-sha256\$v1\$/);
    expect(JSON.stringify(stored)).not.toContain(`"${response.body.pin}"`);
    expect(stored!.openedBy.username).toBe('waiter');
  });

  it('409 SESSION_ALREADY_OPEN for a table that is open (one open session per table)', async () => {
    const table = await t.openTable('T-3');
    const again = await t.api.post(`/api/staff/tables/${table.tableId}/sessions`, { mode: 'FAMILY' }, { token: await waiterToken() });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('SESSION_ALREADY_OPEN');
    // Even in parallel only one wins.
    const free = await t.tableId('T-10');
    const token = await waiterToken();
    const racing = await Promise.all(
      Array.from({ length: 8 }, () => t.api.post(`/api/staff/tables/${free}/sessions`, { mode: 'FAMILY' }, { token })),
    );
    expect(racing.filter((r) => r.status === 201)).toHaveLength(1);
    expect(racing.filter((r) => r.status === 409)).toHaveLength(7);
  });

  it('404 for an unknown table; 400 for a bad id, a bad mode or an unknown field', async () => {
    const token = await waiterToken();
    const unknown = await t.api.post(`/api/staff/tables/${new ObjectId().toHexString()}/sessions`, { mode: 'FAMILY' }, { token });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
    const badId = await t.api.post('/api/staff/tables/T-4/sessions', { mode: 'FAMILY' }, { token });
    expect(badId.status).toBe(400);
    expect(badId.body.error.details[0].path).toBe('path.tableId');
    const tableId = await t.tableId('T-4');
    const badMode = await t.api.post(`/api/staff/tables/${tableId}/sessions`, { mode: 'PARTY' }, { token });
    expect(badMode.status).toBe(400);
    expect(badMode.body.error.details[0].path).toBe('body.mode');
    const extra = await t.api.post(`/api/staff/tables/${tableId}/sessions`, { mode: 'FAMILY', pin: '1234' }, { token });
    expect(extra.status).toBe(400);
  });

  it('needs WAITER or above: 401 without a token, 403 for KITCHEN and for a guest token', async () => {
    const tableId = await t.tableId('T-4');
    const none = await t.api.post(`/api/staff/tables/${tableId}/sessions`, { mode: 'FAMILY' });
    expect(none.status).toBe(401);
    const kitchen = await t.api.post(`/api/staff/tables/${tableId}/sessions`, { mode: 'FAMILY' }, { token: (await t.loginAs('KITCHEN')).token });
    expect(kitchen.status).toBe(403);
    const open = await t.openTable('T-11');
    const guest = await t.joinTable(open.tableId, open.pin);
    const asGuest = await t.api.post(`/api/staff/tables/${tableId}/sessions`, { mode: 'FAMILY' }, { token: guest.sessionToken });
    expect(asGuest.status).toBe(403);
  });
});

describe('GET /api/staff/tables and /api/staff/qr-codes', () => {
  it('lists every table with its open session and joined devices, never a PIN or hash', async () => {
    const table = await t.openTable('T-5', 'INDIVIDUAL');
    const guest = await t.joinTable(table.tableId, table.pin, 'device-floor-view-1');
    const response = await t.api.get('/api/staff/tables', { token: await waiterToken() });
    expect(response.status).toBe(200);
    expect(response.body.tables).toHaveLength(12);
    const row = response.body.tables.find((r: { number: string }) => r.number === 'T-5');
    expect(row).toMatchObject({ tableId: table.tableId, floor: 'Ground Floor', session: { sessionId: table.sessionId, mode: 'INDIVIDUAL', status: 'OPEN' } });
    expect(row.session.devices.map((d: { deviceId: string }) => d.deviceId)).toEqual([guest.deviceId]);
    expect(response.body.tables.find((r: { number: string }) => r.number === 'T-12').session).toBeNull();
    const text = JSON.stringify(response.body);
    expect(text).not.toContain('pin');
    expect(text).not.toContain('Hash');
    expect(text).not.toContain(guest.sessionToken);
  });

  it('serves an SVG QR code per table for its diner link, grouped by floor', async () => {
    const response = await t.api.get('/api/staff/qr-codes', { token: await waiterToken() });
    expect(response.status).toBe(200);
    expect(response.body.origin).toBe(t.baseUrl);
    expect(response.body.floors.map((f: { floor: string }) => f.floor)).toEqual(['Ground Floor', 'First Floor']);
    const first = response.body.floors[0].tables[0];
    expect(first.number).toBe('T-1');
    expect(first.url).toBe(`${t.baseUrl}/?table=${await t.tableCode(first.tableId)}`);
    expect(first.svg).toMatch(/^<svg[^>]*viewBox/);
    expect(response.body.floors.flatMap((f: { tables: unknown[] }) => f.tables)).toHaveLength(12);
    expect((await t.api.get('/api/staff/qr-codes', { token: (await t.loginAs('KITCHEN')).token })).status).toBe(403);
  });
});

describe('POST /api/sessions/join and GET /api/sessions/me', () => {
  it('joins with the PIN: a token for this device, an HttpOnly SameSite=Strict cookie, and resume via me', async () => {
    const table = await t.openTable('T-6', 'FAMILY');
    const response = await join({ table: table.code, pin: table.pin });
    expect(response.status).toBe(200);
    const body = response.body;
    expect(body).toMatchObject({ sessionId: table.sessionId, mode: 'FAMILY', table: { number: 'T-6', floor: 'Ground Floor' } });
    expect(body.sessionToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.deviceId).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    const ttl = new Date(body.expiresAt).getTime() - Date.now();
    expect(ttl).toBeGreaterThan(8 * 3600 * 1000 - 60_000);
    expect(ttl).toBeLessThanOrEqual(8 * 3600 * 1000);
    const cookie = response.cookies.find((c) => c.startsWith('__Host-plato_guest='))!;
    expect(cookie).toContain(`__Host-plato_guest=${body.sessionToken}`);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/Path=\//);

    // Only the hash is stored.
    const { tableSessions } = await collections();
    const stored = await tableSessions.findOne({ _id: new ObjectId(table.sessionId) });
    expect(JSON.stringify(stored)).not.toContain(body.sessionToken);
    expect(stored!.customerTokens).toHaveLength(1);
    expect(stored!.customerTokens[0]).toMatchObject({ deviceId: body.deviceId });

    // A reloaded phone resumes with its cookie (browsers) or bearer token (other clients).
    for (const credentials of [{ cookie: `__Host-plato_guest=${body.sessionToken}` }, { token: body.sessionToken }]) {
      const resumed = await t.api.get('/api/sessions/me', credentials);
      expect(resumed.status).toBe(200);
      expect(resumed.body).toMatchObject({
        session: { sessionId: table.sessionId, mode: 'FAMILY', status: 'OPEN' },
        table: { tableId: table.tableId, number: 'T-6', floor: 'Ground Floor' },
        device: { deviceId: body.deviceId },
      });
      expect(resumed.body).toHaveProperty('cart');
      expect(resumed.body).toHaveProperty('orders');
    }
  });

  it('resumes after a reload with the table’s shared cart and orders (FAMILY), on this phone and on one that joins later', async () => {
    const table = await t.freshTable('T-11', 'FAMILY');
    const a = await t.joinTable(table.tableId, table.pin);
    const samosa = await t.dish('Vegetable Samosa');
    await t.addToCart(a, 'Vegetable Samosa', 2);

    // The same phone after a reload, and a second phone joining later, both resume with that cart.
    const b = await t.joinTable(table.tableId, table.pin);
    for (const guest of [a, b]) {
      const resumed = await me(guest.sessionToken);
      expect(resumed.status).toBe(200);
      expect(resumed.body.cart.version).toBe(1);
      expect(resumed.body.cart.lines).toHaveLength(1);
      expect(resumed.body.cart.lines[0]).toMatchObject({ menuItemId: samosa.id, quantity: 2 });
      expect(resumed.body.orders).toEqual([]);
    }

    // After ordering, a reload shows the order (and the emptied cart) on every phone at the table.
    const placed = await t.placeOrder(b, { cartVersion: 1 });
    expect(placed.status).toBe(201);
    for (const guest of [a, b]) {
      const resumed = await me(guest.sessionToken);
      expect(resumed.body.orders).toHaveLength(1);
      expect(resumed.body.orders[0]).toMatchObject({ orderId: placed.body.orderId });
      expect(resumed.body.cart.lines).toEqual([]);
    }
    await t.closeTable(table.sessionId, 'MANAGER'); // the order is unpaid
  });

  it('keeps a client-provided deviceId; re-joining with it (and its token) replaces (revokes) that device’s old token', async () => {
    const table = await t.openTable('T-7');
    const first = await t.joinTable(table.tableId, table.pin, 'phone-of-asha-01');
    expect(first.deviceId).toBe('phone-of-asha-01');
    const other = await t.joinTable(table.tableId, table.pin, 'phone-of-ravi-02');
    const second = await t.joinTable(table.tableId, table.pin, 'phone-of-asha-01', first.sessionToken);
    expect(second.deviceId).toBe('phone-of-asha-01');
    expect(second.sessionToken).not.toBe(first.sessionToken);
    // The browser presents its token as the cookie, which works the same way.
    const viaCookie = await t.api.post(
      '/api/sessions/join',
      { table: table.code, pin: table.pin, deviceId: 'phone-of-ravi-02' },
      { cookie: `__Host-plato_guest=${other.sessionToken}` },
    );
    expect(viaCookie.body.deviceId).toBe('phone-of-ravi-02');
    expect((await me(other.sessionToken)).status).toBe(401);
    const ravi = viaCookie.body.sessionToken;

    const old = await me(first.sessionToken);
    expect(old.status).toBe(401);
    expect(old.body.error.code).toBe('TOKEN_EXPIRED');
    expect((await me(second.sessionToken)).status).toBe(200);
    expect((await me(ravi)).status).toBe(200);
  });

  it('a table-mate who knows another phone’s deviceId cannot take it over: they get a new deviceId', async () => {
    const table = await t.freshTable('T-9');
    const victim = await t.joinTable(table.tableId, table.pin, 'phone-of-victim-01');
    const impostor = await t.joinTable(table.tableId, table.pin, 'phone-of-victim-01');
    expect(impostor.deviceId).not.toBe('phone-of-victim-01');
    const victimMe = await me(victim.sessionToken);
    expect(victimMe.status).toBe(200);
    expect(victimMe.body.device.deviceId).toBe('phone-of-victim-01');
    // Presenting someone else's (or no valid) token does not help either.
    const withOwnToken = await t.joinTable(table.tableId, table.pin, 'phone-of-victim-01', impostor.sessionToken);
    expect(withOwnToken.deviceId).not.toBe('phone-of-victim-01');
    expect((await me(victim.sessionToken)).status).toBe(200);
  });

  it('401 PIN_INVALID with attemptsLeft for a wrong PIN; 404 NO_OPEN_SESSION for a table that is not open', async () => {
    const table = await t.openTable('T-8');
    const wrong = await join({ table: table.code, pin: wrongPin(table.pin) });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toMatchObject({ code: 'PIN_INVALID', details: { attemptsLeft: 4 } });
    expect(wrong.cookies).toEqual([]);

    const closedTable = await t.tableCode(await t.tableId('T-12'));
    const notOpen = await join({ table: closedTable, pin: '1234' });
    expect(notOpen.status).toBe(404);
    expect(notOpen.body.error.code).toBe('NO_OPEN_SESSION');
    const unknown = await join({ table: new ObjectId().toHexString(), pin: '1234' });
    expect(unknown.status).toBe(404);
  });

  it('rejects operator injection, malformed and unknown fields with 400 VALIDATION_FAILED (never a query)', async () => {
    const table = await t.freshTable('T-9');
    const cases: unknown[] = [
      { table: table.code, pin: { $ne: '' } },
      { table: { $gt: '' }, pin: table.pin },
      { table: table.code, pin: 1234 },
      { table: table.code, pin: '12345' },
      { table: table.code, pin: '12a4' },
      { table: table.code },
      { table: table.code, pin: table.pin, deviceId: 'bad device id!' },
      { table: table.code, pin: table.pin, admin: true },
      [table.code, table.pin],
    ];
    for (const body of cases) {
      const response = await join(body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION_FAILED');
    }
    const injection = await join({ table: table.code, pin: { $ne: '' } });
    expect(injection.body.error.details[0].path).toBe('body.pin');
    // None of them was counted as an attempt.
    expect((await join({ table: table.code, pin: wrongPin(table.pin) })).body.error.details.attemptsLeft).toBe(4);
    // Content type and origin checks (CSRF defence) apply to join as well.
    const text = await t.api.post('/api/sessions/join', undefined, {
      rawBody: JSON.stringify({ table: table.code, pin: table.pin }),
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.status).toBe(415);
    const foreign = await t.api.post('/api/sessions/join', { table: table.code, pin: table.pin }, { headers: { origin: 'https://evil.example' } });
    expect(foreign.status).toBe(403);
  });

  it('me needs a valid guest token: 401 without, for garbage, and for a staff JWT 403', async () => {
    const none = await t.api.get('/api/sessions/me');
    expect(none.status).toBe(401);
    const garbage = await me('x'.repeat(43));
    expect(garbage.status).toBe(401);
    expect(garbage.body.error.code).toBe('TOKEN_INVALID');
    const staff = await me(await waiterToken());
    expect(staff.status).toBe(403);
  });
});

describe('POST /api/staff/sessions/{sessionId}/pin', () => {
  it('gives a new PIN: the old one stops working, tokens already issued stay valid', async () => {
    const table = await t.freshTable('T-10', 'FAMILY');
    const guest = await t.joinTable(table.tableId, table.pin);
    const response = await t.api.post(`/api/staff/sessions/${table.sessionId}/pin`, undefined, { token: await waiterToken() });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ sessionId: table.sessionId });
    const newPin: string = response.body.pin;
    expect(newPin).toMatch(/^\d{4}$/);

    if (newPin !== table.pin) {
      const old = await join({ table: table.code, pin: table.pin });
      expect(old.status).toBe(401);
      expect(old.body.error.code).toBe('PIN_INVALID');
    }
    expect((await join({ table: table.code, pin: newPin })).status).toBe(200);
    expect((await me(guest.sessionToken)).status).toBe(200);

    const { tableSessions } = await collections();
    expect((await tableSessions.findOne({ _id: new ObjectId(table.sessionId) }))!.pinVersion).toBe(2);
    const entries = await auditOf(table.sessionId);
    expect(entries.find((e) => e.action === 'PIN_REGENERATED')).toMatchObject({ outcome: 'success', actor: { kind: 'staff', username: 'waiter' } });
  });

  it('404 for an unknown session, 409 SESSION_CLOSED for a closed one, 403 for KITCHEN', async () => {
    const token = await waiterToken();
    const unknown = await t.api.post(`/api/staff/sessions/${new ObjectId().toHexString()}/pin`, undefined, { token });
    expect(unknown.status).toBe(404);
    const table = await t.freshTable('T-12');
    expect((await t.api.post(`/api/staff/sessions/${table.sessionId}/pin`, undefined, { token: (await t.loginAs('KITCHEN')).token })).status).toBe(403);
    await t.closeTable(table.sessionId);
    const closed = await t.api.post(`/api/staff/sessions/${table.sessionId}/pin`, undefined, { token });
    expect(closed.status).toBe(409);
    expect(closed.body.error.code).toBe('SESSION_CLOSED');
  });
});

describe('POST /api/staff/sessions/{sessionId}/close', () => {
  it('closes the table: every guest token is revoked, joining answers 404, the table can open again', async () => {
    const table = await t.freshTable('T-2');
    const a = await t.joinTable(table.tableId, table.pin);
    const b = await t.joinTable(table.tableId, table.pin);
    const response = await t.api.post(`/api/staff/sessions/${table.sessionId}/close`, undefined, { token: await waiterToken() });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ sessionId: table.sessionId, status: 'CLOSED' });

    for (const guest of [a, b]) {
      const after = await me(guest.sessionToken);
      expect(after.status).toBe(401);
      expect(after.body.error.code).toBe('TOKEN_EXPIRED');
    }
    const { tableSessions } = await collections();
    const stored = await tableSessions.findOne({ _id: new ObjectId(table.sessionId) });
    expect(stored).toMatchObject({ status: 'CLOSED', closedBy: { username: 'waiter' } });
    expect(stored!.customerTokens.every((entry) => entry.revokedAt instanceof Date)).toBe(true);

    const rejoin = await join({ table: table.code, pin: table.pin });
    expect(rejoin.status).toBe(404);
    expect(rejoin.body.error.code).toBe('NO_OPEN_SESSION');
    const again = await t.api.post(`/api/staff/sessions/${table.sessionId}/close`, undefined, { token: await waiterToken() });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('SESSION_CLOSED');
    const reopened = await t.openTable('T-2');
    expect(reopened.sessionId).not.toBe(table.sessionId);
  });

  it('a table with unpaid orders needs a MANAGER to close: 403 for a waiter (audited), 200 for a manager', async () => {
    const table = await t.freshTable('T-4');
    const { orders } = await collections();
    // An order as the orders service stores it (seed-002 shape): placed, not paid.
    await orders.insertOne(
      orderDoc({
        sessionId: new ObjectId(table.sessionId),
        tableId: new ObjectId(table.tableId),
        deviceId: 'device-unpaid-01',
        amountsMinor: { subtotal: 10000, tax: 500, total: 10500 },
        status: 'completed',
        paymentStatus: 'pending',
        paymentMethod: '',
        tableNumber: 'T-4',
      }),
    );
    const byWaiter = await t.api.post(`/api/staff/sessions/${table.sessionId}/close`, undefined, { token: await waiterToken() });
    expect(byWaiter.status).toBe(403);
    expect(byWaiter.body.error.code).toBe('FORBIDDEN');
    expect(byWaiter.body.error.message).toMatch(/unpaid/);
    const refusal = (await auditOf(table.sessionId)).find((e) => e.action === 'SESSION_CLOSED');
    expect(refusal).toMatchObject({ outcome: 'failure', details: { reason: 'UNPAID_ORDERS', unpaidOrders: 1 } });

    const byManager = await t.api.post(`/api/staff/sessions/${table.sessionId}/close`, undefined, { token: (await t.loginAs('MANAGER')).token });
    expect(byManager.status).toBe(200);
  });

  it('a waiter may close a table whose orders are all paid or cancelled', async () => {
    const table = await t.freshTable('T-11');
    const { orders } = await collections();
    const base = {
      sessionId: new ObjectId(table.sessionId),
      tableId: new ObjectId(table.tableId),
      deviceId: 'device-paid-01',
      amountsMinor: { subtotal: 100, tax: 5, total: 105 },
      tableNumber: 'T-11',
      floorNumber: 'First Floor',
    };
    await orders.insertMany([
      orderDoc({ ...base, orderNumber: 'A-002', status: 'completed', paymentStatus: 'paid' }),
      orderDoc({ ...base, orderNumber: 'A-003', status: 'cancelled', paymentStatus: 'pending' }),
    ]);
    expect((await t.api.post(`/api/staff/sessions/${table.sessionId}/close`, undefined, { token: await waiterToken() })).status).toBe(200);
  });
});

describe('POST /api/sessions/logout', () => {
  it('revokes only this device’s token and clears the cookie', async () => {
    const table = await t.freshTable('T-12');
    const a = await t.joinTable(table.tableId, table.pin);
    const b = await t.joinTable(table.tableId, table.pin);
    const out = await t.api.post('/api/sessions/logout', undefined, { token: a.sessionToken });
    expect(out.status).toBe(204);
    expect(out.cookies.find((c) => c.startsWith('__Host-plato_guest='))).toMatch(/Max-Age=0/);
    expect((await me(a.sessionToken)).status).toBe(401);
    expect((await me(b.sessionToken)).status).toBe(200);
    expect((await t.api.post('/api/sessions/logout', undefined, { token: a.sessionToken })).status).toBe(401);
  });
});

describe('audit log', () => {
  it('records open, every PIN attempt, regeneration and close with actor, ip, userAgent, outcome and a 90-day expiry', async () => {
    const table = await t.freshTable('T-12');
    await join({ table: table.code, pin: wrongPin(table.pin) });
    const guest = await t.joinTable(table.tableId, table.pin, 'audited-device-01');
    await t.api.post(`/api/staff/sessions/${table.sessionId}/pin`, undefined, { token: await waiterToken() });
    await t.closeTable(table.sessionId);

    const entries = await auditOf(table.sessionId);
    expect(entries.map((e) => `${e.action}:${e.outcome}`)).toEqual([
      'SESSION_OPENED:success',
      'PIN_ATTEMPT:failure',
      'PIN_ATTEMPT:success',
      'PIN_REGENERATED:success',
      'SESSION_CLOSED:success',
    ]);
    for (const entry of entries) {
      expect(entry).toMatchObject({ restaurantId: 'demo', tableId: new ObjectId(table.tableId), ip: '127.0.0.1', userAgent: 'plato-test/1.0' });
      const days = (entry.expiresAt.getTime() - entry.time.getTime()) / (24 * 3600 * 1000);
      expect(days).toBe(90);
    }
    expect(entries[0].actor).toMatchObject({ kind: 'staff', username: 'waiter' });
    expect(entries[1]).toMatchObject({ actor: { kind: 'anonymous' }, details: { reason: 'PIN_INVALID', attemptsLeft: 4 } });
    expect(entries[2]).toMatchObject({ actor: { kind: 'anonymous', deviceId: 'audited-device-01' } });
    const text = JSON.stringify(entries);
    expect(text).not.toContain(guest.sessionToken);
    expect(text).not.toMatch(/"pin"/i);
    expect(text).not.toContain('pinHash');
  });

  it('records a join attempt on a table with no open session', async () => {
    const tableId = await t.tableId('T-12');
    await join({ table: await t.tableCode(tableId), pin: '0000' });
    const { auditLog } = await collections();
    const entry = await auditLog.find({ action: 'PIN_ATTEMPT', tableId: new ObjectId(tableId) }).sort({ time: -1 }).limit(1).next();
    expect(entry).toMatchObject({ outcome: 'failure', details: { reason: 'NO_OPEN_SESSION' } });
  });
});
