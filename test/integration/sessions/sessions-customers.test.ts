/**
 * POST /api/customers/identify and /verify over the local runtime: a number is recorded on the
 * session's orders at once but links a customer only once the one-time code sent to it is entered
 * (read here from the local runtime's outbox, GET /__local/sms); one customer per (restaurant,
 * phone), a visit counted once per table session, sends and checks rate-limited, logout.
 */
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collections } from '../../../functions/data/mongo.ts';
import { startTestStack, type JoinedGuest, type TestStack } from '../../support/stack.ts';

let t: TestStack;

beforeAll(async () => {
  t = await startTestStack();
});
afterAll(() => t?.stop());

const identify = (token: string, body: unknown) => t.api.post('/api/customers/identify', body, { token });
const verify = (token: string, code: string) => t.api.post('/api/customers/verify', { code }, { token });

/** The last one-time code the local runtime "texted" to a 10-digit number. */
async function codeSentTo(phone: string): Promise<string> {
  const { messages } = (await (await fetch(`${t.baseUrl}/__local/sms`)).json()) as { messages: { to: string; text: string }[] };
  const last = messages.filter((m) => m.to === `+91${phone}`).at(-1);
  if (!last) throw new Error(`no code sent to ${phone}`);
  return /\b(\d{6})\b/.exec(last.text)![1];
}
const sentCount = async (phone: string) =>
  ((await (await fetch(`${t.baseUrl}/__local/sms`)).json()) as { messages: { to: string }[] }).messages.filter((m) => m.to === `+91${phone}`).length;

/** identify, then verify with the code the number received; fails the test unless both answer 200. */
async function identifyVerified(guest: JoinedGuest, name: string, phone: string) {
  const asked = await identify(guest.sessionToken, { name, phone });
  expect(asked.status, JSON.stringify(asked.body)).toBe(200);
  const verified = await verify(guest.sessionToken, await codeSentTo(phone));
  expect(verified.status, JSON.stringify(verified.body)).toBe(200);
  return verified;
}

async function customerByPhone(phoneNumber: string) {
  const { customers } = await collections();
  return customers.findOne({ restaurantId: 'demo', phoneNumber });
}

describe('an unverified number', () => {
  it('is recorded on the orders but never reveals, links or changes an existing customer', async () => {
    const { customers } = await collections();
    const visit = new Date('2026-01-02T03:04:05Z');
    await customers.insertOne({
      _id: new ObjectId(), restaurantId: 'demo', name: 'Original Owner', phoneNumber: '9000012345', visitCount: 7, favorites: ['Dal Makhani'],
      firstVisit: visit, lastVisit: visit, visitSessionIds: [], loginStatus: 'loggedout', createdAt: visit, updatedAt: visit,
    });
    const before = await customerByPhone('9000012345');

    const table = await t.openTable('T-7');
    const prankster = await t.joinTable(table.code, table.pin);
    const response = await identify(prankster.sessionToken, { name: 'Prankster', phone: '9000012345' });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ name: 'Prankster', verification: 'sent' });
    // The same answer as for a number nobody has used.
    const fresh = await identify((await t.joinTable(table.code, table.pin)).sessionToken, { name: 'Prankster', phone: '9000054321' });
    expect(Object.keys(fresh.body).sort()).toEqual(Object.keys(response.body).sort());

    expect(await customerByPhone('9000012345')).toEqual(before);
    expect(await customerByPhone('9000054321')).toBeNull();
    const me = await t.api.get('/api/sessions/me', { token: prankster.sessionToken });
    expect(me.body.device.customerId).toBeUndefined();
    expect(me.body.device.customerName).toBe('Prankster');

    const cart = await t.addToCart(prankster, 'Masala Chai');
    const order = await t.orderCart(prankster, cart.version);
    const stored = await t.collection('digital_menu_customer_orders').findOne({ _id: new ObjectId(order.orderId) });
    expect(stored).toMatchObject({ customerName: 'Prankster', customerPhone: '9000012345' });
    expect(stored!.customerId).toBeUndefined();

    // A wrong code links nothing either.
    const right = await codeSentTo('9000012345');
    const wrong = await verify(prankster.sessionToken, right === '000000' ? '000001' : '000000');
    expect(wrong.status).toBe(422);
    expect(wrong.body.error).toMatchObject({ code: 'CODE_INVALID', details: { attemptsLeft: 4 } });
    expect(await customerByPhone('9000012345')).toEqual(before);
  });

  it('stops taking codes after 5 wrong ones, even the right one', async () => {
    const table = await t.openTable('T-8');
    const guest = await t.joinTable(table.code, table.pin);
    expect((await identify(guest.sessionToken, { name: 'Guesser', phone: '9000020001' })).status).toBe(200);
    const right = await codeSentTo('9000020001');
    const wrongCode = right === '111111' ? '222222' : '111111';
    for (let i = 0; i < 5; i++) expect((await verify(guest.sessionToken, wrongCode)).status).toBe(422);
    expect((await verify(guest.sessionToken, right)).body.error.code).toBe('CODE_INVALID');
    expect(await customerByPhone('9000020001')).toBeNull();
  });

  it('limits the codes sent per number and per phone: 429 RATE_LIMITED with Retry-After', async () => {
    const table = await t.openTable('T-9');
    const [a, b] = [await t.joinTable(table.code, table.pin), await t.joinTable(table.code, table.pin)];
    for (let i = 0; i < 3; i++) expect((await identify(a.sessionToken, { name: 'A', phone: '9000030001' })).status).toBe(200);
    const perNumber = await identify(b.sessionToken, { name: 'B', phone: '9000030001' });
    expect(perNumber.status).toBe(429);
    expect(perNumber.body.error.code).toBe('RATE_LIMITED');
    expect(Number(perNumber.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await sentCount('9000030001')).toBe(3);
    // One phone probing numbers: 5 codes an hour.
    for (let i = 0; i < 4; i++) expect((await identify(b.sessionToken, { name: 'B', phone: `900003010${i}` })).status).toBe(200);
    expect((await identify(b.sessionToken, { name: 'B', phone: '9000030199' })).status).toBe(429);
    expect(await sentCount('9000030199')).toBe(0);
  });
});

describe('a verified number', () => {
  it('creates the customer (visitCount 1, loggedin) and attaches it to this device', async () => {
    const table = await t.openTable('T-2');
    const guest = await t.joinTable(table.code, table.pin);
    const response = await identifyVerified(guest, '  Rajesh Kumar  ', '9876543210');
    expect(response.body).toMatchObject({ name: 'Rajesh Kumar', phoneNumber: '9876543210', visitCount: 1, favorites: [], loginStatus: 'loggedin' });
    expect(response.body.firstVisit).toBe(response.body.lastVisit);

    const stored = await customerByPhone('9876543210');
    expect(stored).toMatchObject({ restaurantId: 'demo', name: 'Rajesh Kumar', visitCount: 1, loginStatus: 'loggedin' });
    expect(stored!.visitSessionIds.map(String)).toEqual([table.sessionId]);

    const me = await t.api.get('/api/sessions/me', { token: guest.sessionToken });
    expect(me.body.device).toMatchObject({ deviceId: guest.deviceId, customerId: response.body.customerId, customerName: 'Rajesh Kumar' });

    const { auditLog } = await collections();
    const entry = await auditLog.findOne({ action: 'PHONE_VERIFIED', sessionId: new ObjectId(table.sessionId) });
    expect(entry).toMatchObject({ outcome: 'success', actor: { kind: 'guest', deviceId: guest.deviceId } });
    expect(JSON.stringify(entry)).not.toContain('9876543210');
    // A code works once.
    expect((await verify(guest.sessionToken, await codeSentTo('9876543210'))).status).toBe(422);
  });

  it('counts a visit once per table session, however many phones verify', async () => {
    const table = await t.openTable('T-3');
    const a = await t.joinTable(table.code, table.pin);
    const b = await t.joinTable(table.code, table.pin);
    await identifyVerified(a, 'Priya', '9123456780');
    await identifyVerified(b, 'Priya', '9123456780');
    const stored = await customerByPhone('9123456780');
    expect(stored!.visitCount).toBe(1);

    await t.closeTable(table.sessionId);
    const next = await t.openTable('T-3');
    const c = await t.joinTable(next.code, next.pin);
    const again = await identifyVerified(c, 'Priya', '9123456780');
    expect(again.body.visitCount).toBe(2);
    expect(again.body.firstVisit).toBe(stored!.firstVisit.toISOString());
  });

  it('validates name, phone and code, rejecting unknown fields', async () => {
    const table = await t.openTable('T-4');
    const guest = await t.joinTable(table.code, table.pin);
    for (const body of [
      { name: 'Asha', phone: '987654321' },
      { name: 'Asha', phone: '98765-4321' },
      { name: 'Asha', phone: { $ne: '' } },
      { name: '   ', phone: '9876543210' },
      { name: 'x'.repeat(61), phone: '9876543210' },
      { name: 'Asha', phone: '9876543210', visitCount: 100 },
    ]) {
      const response = await identify(guest.sessionToken, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION_FAILED');
    }
    for (const code of ['12345', '1234567', 'abcdef', 123456]) {
      expect((await t.api.post('/api/customers/verify', { code }, { token: guest.sessionToken })).status).toBe(400);
    }
    expect((await verify(guest.sessionToken, '123456')).body.error.code).toBe('CODE_INVALID'); // no code was asked for
    expect((await t.api.post('/api/customers/verify', { code: '123456' })).status).toBe(401);
    expect((await t.api.post('/api/customers/verify', { code: '123456' }, { token: (await t.loginAs('WAITER')).token })).status).toBe(403);
  });
});

describe('guest logout', () => {
  it('sets the customer loggedout and revokes the token', async () => {
    const table = await t.openTable('T-5');
    const guest = await t.joinTable(table.code, table.pin);
    await identifyVerified(guest, 'Meera', '9988776655');
    expect((await t.api.post('/api/sessions/logout', undefined, { token: guest.sessionToken })).status).toBe(204);
    expect((await customerByPhone('9988776655'))!.loginStatus).toBe('loggedout');
    expect((await t.api.get('/api/sessions/me', { token: guest.sessionToken })).status).toBe(401);
  });
});
