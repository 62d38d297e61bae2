/**
 * A restaurant that switched phone verification off (PHONE_VERIFICATION=off when its document is
 * first created, or phoneVerification: 'off' in it): identify records the name and number on the
 * session's orders, sends no code, and nothing is ever linked.
 */
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.ts';

let t: TestStack;
beforeAll(async () => {
  t = await startTestStack({ env: { PHONE_VERIFICATION: 'off' } });
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
