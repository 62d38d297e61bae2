/**
 * Found by the browser tests: in a FAMILY cart every line says who added it ("Added by Asha"), but
 * the bill split by phone called Asha "Guest 1" when a table-mate had placed the order, because the
 * split only knew the names on orders a phone had placed itself. A phone that identified at the
 * table is named by that name on the split, whoever placed the order.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { guestCode } from '../../../functions/core/guest-name.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';

let t: TestStack;

beforeAll(async () => {
  t = await startTestStack();
});

afterAll(() => t?.stop());

it('names an identified phone on the by-device split even when another phone placed the order', async () => {
  const table = await t.openTable('T-6', 'FAMILY');
  const asha = await t.joinTable(table.tableId, table.pin);
  const ravi = await t.joinTable(table.tableId, table.pin);
  expect((await t.api.post('/api/customers/identify', { name: 'Asha', phone: '9876543210' }, { token: asha.sessionToken })).status).toBe(200);

  const added = await t.addToCart(asha, 'Dal Makhani');
  expect(added.lines[0]).toMatchObject({ addedByDeviceId: asha.deviceId, addedByName: 'Asha' });
  const cart = await t.addToCart(ravi, 'Masala Chai', 2);
  const placed = await t.placeOrder(ravi, { cartVersion: cart.version });
  expect(placed.status).toBe(201);

  for (const asker of [asha, ravi]) {
    const split = await t.api.get<{ shares: { deviceId: string; label: string; name?: string; isYou?: boolean }[] }>('/api/bill/split?by=device', { token: asker.sessionToken });
    expect(split.status).toBe(200);
    const byDevice = new Map(split.body.shares.map((share) => [share.deviceId, share]));
    expect(byDevice.get(asha.deviceId)).toMatchObject({ label: 'Asha', name: 'Asha' });
    expect(byDevice.get(ravi.deviceId)).toMatchObject({ label: `Guest ${guestCode(ravi.deviceId)}` });
    expect(byDevice.get(ravi.deviceId)!.name).toBeUndefined();
  }

  // The waiter's session bill names the phones the same way.
  const { token } = await t.loginAs('WAITER');
  const staffBill = await t.api.get<{ devices: { deviceId: string; label: string }[] }>(`/api/staff/sessions/${table.sessionId}/bill`, { token });
  expect(staffBill.body.devices.find((share) => share.deviceId === asha.deviceId)).toMatchObject({ label: 'Asha' });
});
