/**
 * POST /api/customers/identify over the local runtime: one customer per (restaurant, phone),
 * a visit counted once per table session, the customer attached to the device, logout.
 */
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collections } from '../../functions/data/mongo.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

let t: TestStack;

beforeAll(async () => {
  t = await startTestStack();
});
afterAll(() => t?.stop());

const identify = (token: string, body: unknown) => t.api.post('/api/customers/identify', body, { token });

async function customerByPhone(phoneNumber: string) {
  const { customers } = await collections();
  return customers.findOne({ restaurantId: 'demo', phoneNumber });
}

describe('POST /api/customers/identify', () => {
  it('creates the customer (visitCount 1, loggedin) and attaches it to this device', async () => {
    const table = await t.openTable('T-2');
    const guest = await t.joinTable(table.tableId, table.pin);
    const response = await identify(guest.sessionToken, { name: '  Rajesh Kumar  ', phone: '9876543210' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      name: 'Rajesh Kumar',
      phoneNumber: '9876543210',
      visitCount: 1,
      favorites: [],
      loginStatus: 'loggedin',
    });
    expect(response.body.firstVisit).toBe(response.body.lastVisit);

    const stored = await customerByPhone('9876543210');
    expect(stored).toMatchObject({ restaurantId: 'demo', name: 'Rajesh Kumar', visitCount: 1, loginStatus: 'loggedin' });
    expect(stored!.visitSessionIds.map(String)).toEqual([table.sessionId]);

    const me = await t.api.get('/api/sessions/me', { token: guest.sessionToken });
    expect(me.body.device).toMatchObject({ deviceId: guest.deviceId, customerId: response.body.customerId, customerName: 'Rajesh Kumar' });

    const { auditLog } = await collections();
    const entry = await auditLog.findOne({ action: 'CUSTOMER_IDENTIFIED', sessionId: new ObjectId(table.sessionId) });
    expect(entry).toMatchObject({ outcome: 'success', actor: { kind: 'guest', deviceId: guest.deviceId } });
    expect(JSON.stringify(entry)).not.toContain('9876543210');
  });

  it('counts a visit once per table session, however often and from however many phones', async () => {
    const table = await t.openTable('T-3');
    const a = await t.joinTable(table.tableId, table.pin);
    const b = await t.joinTable(table.tableId, table.pin);
    const responses = await Promise.all([
      identify(a.sessionToken, { name: 'Priya', phone: '9123456780' }),
      identify(b.sessionToken, { name: 'Priya', phone: '9123456780' }),
      identify(a.sessionToken, { name: 'Priya S', phone: '9123456780' }),
    ]);
    for (const response of responses) expect(response.status).toBe(200);
    const stored = await customerByPhone('9123456780');
    expect(stored!.visitCount).toBe(1);
    const { customers } = await collections();
    expect(await customers.countDocuments({ restaurantId: 'demo', phoneNumber: '9123456780' })).toBe(1);

    // The next visit (a new table session) counts again, and keeps the first visit date.
    await t.closeTable(table.sessionId);
    const next = await t.openTable('T-3');
    const c = await t.joinTable(next.tableId, next.pin);
    const again = await identify(c.sessionToken, { name: 'Priya', phone: '9123456780' });
    expect(again.body.visitCount).toBe(2);
    expect(again.body.firstVisit).toBe(stored!.firstVisit.toISOString());
    expect(new Date(again.body.lastVisit).getTime()).toBeGreaterThan(stored!.lastVisit.getTime());
  });

  it('validates name (1-60 characters after trimming) and phone (exactly 10 digits), rejecting unknown fields', async () => {
    const table = await t.openTable('T-4');
    const guest = await t.joinTable(table.tableId, table.pin);
    for (const body of [
      { name: 'Asha', phone: '987654321' },
      { name: 'Asha', phone: '98765432101' },
      { name: 'Asha', phone: '98765-4321' },
      { name: 'Asha', phone: { $ne: '' } },
      { name: '   ', phone: '9876543210' },
      { name: 'x'.repeat(61), phone: '9876543210' },
      { name: 'Asha', phone: '9876543210', visitCount: 100 },
      { phone: '9876543210' },
    ]) {
      const response = await identify(guest.sessionToken, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect((await identify(guest.sessionToken, { name: 'x'.repeat(60), phone: '9000000001' })).status).toBe(200);
  });

  it('needs a guest token: 401 without one, 403 with a staff token', async () => {
    expect((await t.api.post('/api/customers/identify', { name: 'A', phone: '9000000002' })).status).toBe(401);
    const staff = await identify((await t.loginAs('WAITER')).token, { name: 'A', phone: '9000000002' });
    expect(staff.status).toBe(403);
  });
});

describe('guest logout', () => {
  it('sets the customer loggedout and revokes the token; identifying again logs in', async () => {
    const table = await t.openTable('T-5');
    const guest = await t.joinTable(table.tableId, table.pin);
    await identify(guest.sessionToken, { name: 'Meera', phone: '9988776655' });
    expect((await t.api.post('/api/sessions/logout', undefined, { token: guest.sessionToken })).status).toBe(204);
    expect((await customerByPhone('9988776655'))!.loginStatus).toBe('loggedout');
    expect((await t.api.get('/api/sessions/me', { token: guest.sessionToken })).status).toBe(401);

    const back = await t.joinTable(table.tableId, table.pin, guest.deviceId);
    const response = await identify(back.sessionToken, { name: 'Meera', phone: '9988776655' });
    expect(response.body).toMatchObject({ loginStatus: 'loggedin', visitCount: 1 });
  });
});
