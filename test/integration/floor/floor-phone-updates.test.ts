/**
 * Found by the browser tests: the staff console's floor view showed "Phones: 0" for a table where two
 * phones had joined (and named themselves), because nothing told the staff sockets. A join, an
 * identify and a guest logout change what GET /api/staff/tables shows, so each pushes `table.updated`;
 * so does a wrong PIN the guard counts (the floor shows the table's wrong PINs and lockout).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.ts';

let t: TestStack;

beforeAll(async () => {
  t = await startTestStack();
});

afterAll(() => t?.stop());

async function sessionOn(tableId: string) {
  const { token } = await t.loginAs('WAITER');
  const { body } = await t.api.get<{ tables: { tableId: string; session: { lockout?: { attempts: number; limit: number } } | null }[] }>('/api/staff/tables', { token });
  return body.tables.find((table) => table.tableId === tableId)!.session!;
}

async function phonesOn(tableId: string): Promise<{ deviceId: string; customerName?: string }[]> {
  const { token } = await t.loginAs('WAITER');
  const { body } = await t.api.get<{ tables: { tableId: string; session: { devices: { deviceId: string; customerName?: string }[] } | null }[] }>('/api/staff/tables', { token });
  return body.tables.find((table) => table.tableId === tableId)!.session!.devices;
}

it('staff sockets hear table.updated when a phone joins, identifies and leaves', async () => {
  const { token } = await t.loginAs('WAITER');
  const table = await t.openTable('T-5');
  const staff = await t.connectWs({ token, channel: 'staff' });
  const updateAfter = (mark: number) => staff.waitFor((m) => m.type === 'table.updated' && m.tableId === table.tableId && staff.messages.indexOf(m) >= mark);

  let mark = staff.messages.length;
  const guest = await t.joinTable(table.tableId, table.pin);
  await updateAfter(mark);
  expect(await phonesOn(table.tableId)).toEqual([expect.objectContaining({ deviceId: guest.deviceId })]);

  mark = staff.messages.length;
  expect((await t.api.post('/api/customers/identify', { name: 'Asha', phone: '9876543210' }, { token: guest.sessionToken })).status).toBe(200);
  await updateAfter(mark);
  expect(await phonesOn(table.tableId)).toEqual([expect.objectContaining({ deviceId: guest.deviceId, customerName: 'Asha' })]);

  mark = staff.messages.length;
  expect((await t.api.post('/api/sessions/logout', undefined, { token: guest.sessionToken })).status).toBe(204);
  await updateAfter(mark);
  expect(await phonesOn(table.tableId)).toEqual([]);

  // Nothing a staff socket receives carries a PIN or a guest token.
  expect(JSON.stringify(staff.messages)).not.toContain(`"${table.pin}"`);
  expect(JSON.stringify(staff.messages)).not.toContain(guest.sessionToken);
});

it('staff sockets hear table.updated when a wrong PIN is counted, and the floor shows it', async () => {
  const { token } = await t.loginAs('WAITER');
  const table = await t.openTable('T-6');
  const staff = await t.connectWs({ token, channel: 'staff' });
  const mark = staff.messages.length;
  const wrong = String((Number(table.pin) + 1) % 10_000).padStart(4, '0');

  const refused = await t.api.post<{ error: { code: string } }>('/api/sessions/join', { table: table.code, pin: wrong });
  expect([refused.status, refused.body.error.code]).toEqual([401, 'PIN_INVALID']);
  const update = await staff.waitFor((m) => m.type === 'table.updated' && m.tableId === table.tableId && staff.messages.indexOf(m) >= mark);
  // The very payload the guard sent before it went through the effects pipeline.
  expect(update).toEqual({ type: 'table.updated', tableId: table.tableId });
  expect((await sessionOn(table.tableId)).lockout).toMatchObject({ attempts: 1 });
  expect(JSON.stringify(staff.messages)).not.toContain(`"${table.pin}"`);
});
