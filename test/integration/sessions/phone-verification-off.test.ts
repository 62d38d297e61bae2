/**
 * A restaurant that switched phone verification off (PHONE_VERIFICATION=off when its document is
 * first created, or phoneVerification: 'off' in it): identify records the name and number on the
 * session's orders, sends no code, and nothing is ever linked.
 */
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.ts';

let t: TestStack;
beforeAll(async () => {
  // Identify sends no code here, so no code-sending limit stands in front of the phone's general write rate.
  t = await startTestStack({ env: { PHONE_VERIFICATION: 'off', RATE_DINER_WRITES_TOKEN: '8/60' } });
});
afterAll(() => t?.stop());

it('records the name and number, sends no code and never links a customer', async () => {
  expect(await t.collection('restaurants').findOne({ _id: 'demo' as unknown as ObjectId })).toMatchObject({ phoneVerification: 'off' });
  const table = await t.openTable('T-2');
  const guest = await t.joinTable(table.code, table.pin);
  const response = await t.api.post('/api/customers/identify', { name: 'Asha', phone: '9876543210' }, { token: guest.sessionToken });
  expect(response.status).toBe(200);
  expect(response.body).toEqual({ name: 'Asha', verification: 'off' });
  const { messages } = (await (await fetch(`${t.baseUrl}/__local/sms`)).json()) as { messages: unknown[] };
  expect(messages).toEqual([]);
  expect((await t.api.post('/api/customers/verify', { code: '123456' }, { token: guest.sessionToken })).body.error.code).toBe('CODE_INVALID');
  expect(await t.collection('customers').countDocuments({ phoneNumber: '9876543210' })).toBe(0);
  const cart = await t.addToCart(guest, 'Masala Chai');
  const order = await t.orderCart(guest, cart.version);
  const stored = await t.collection('digital_menu_customer_orders').findOne({ _id: new ObjectId(order.orderId) });
  expect(stored).toMatchObject({ customerName: 'Asha', customerPhone: '9876543210' });
  expect(stored!.customerId).toBeUndefined();
});

it('identify counts against the phone’s general per-token write rate (8 a minute here): past it 429 with Retry-After, other phones carry on', async () => {
  const table = await t.openTable('T-3');
  const prober = await t.joinTable(table.code, table.pin);
  const neighbour = await t.joinTable(table.code, table.pin);
  const identify = (token: string, i: number) => t.api.post('/api/customers/identify', { name: 'Probe', phone: `98000000${String(i).padStart(2, '0')}` }, { token });
  for (let i = 0; i < 8; i++) expect((await identify(prober.sessionToken, i)).status).toBe(200);
  const refused = await identify(prober.sessionToken, 8);
  expect(refused.status).toBe(429);
  expect(refused.body.error.code).toBe('RATE_LIMITED');
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  // The refused probe changed nothing: the token still carries the last number it was allowed to record.
  const session = await t.collection('table_sessions').findOne({ _id: new ObjectId(table.sessionId) });
  const entry = session!.customerTokens.find((token: { deviceId: string }) => token.deviceId === prober.deviceId);
  expect(entry.customerPhone).toBe('9800000007');
  expect((await identify(neighbour.sessionToken, 20)).status).toBe(200);
});
