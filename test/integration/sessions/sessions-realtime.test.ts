/**
 * Sessions and sockets: closing a table tells every guest socket `session.closed` and disconnects
 * it; the old token can no longer open a socket; staff floor views hear `table.updated`.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { refusedWith } from '../../support/ws.ts';

let t: TestStack;

beforeAll(async () => {
  t = await startTestStack();
});
afterAll(() => t?.stop());

it('on close, guest sockets receive session.closed, are disconnected, and the old token is refused (401)', async () => {
  const table = await t.openTable('T-3', 'INDIVIDUAL');
  const a = await t.joinTable(table.tableId, table.pin);
  const b = await t.joinTable(table.tableId, table.pin);
  const socketA = await t.connectWs({ token: a.sessionToken });
  const socketB = await t.connectWs({ cookie: `plato_guest=${b.sessionToken}` });
  // A guest at another table must not hear about this table.
  const other = await t.openTable('T-4');
  const bystander = await t.connectWs({ token: (await t.joinTable(other.tableId, other.pin)).sessionToken });

  await t.closeTable(table.sessionId);

  for (const socket of [socketA, socketB]) {
    await socket.waitFor((m) => m.type === 'session.closed' && m.sessionId === table.sessionId);
    await socket.closed; // the server closed it
  }
  for (const token of [a.sessionToken, b.sessionToken]) {
    expect(await refusedWith(t.wsUrl, { token })).toBe(401);
    expect(await refusedWith(t.wsUrl, { cookie: `plato_guest=${token}` })).toBe(401);
  }
  expect(bystander.messages.filter((m) => m.type === 'session.closed')).toEqual([]);
  expect(bystander.ws.readyState).toBe(bystander.ws.OPEN);
});

it('closing a table closes every socket of that table (a phone’s second socket too) and no other: the kitchen, staff and other tables stay', async () => {
  const table = await t.openTable('T-7');
  const phone = await t.joinTable(table.tableId, table.pin);
  const tableSockets = [
    await t.connectWs({ token: phone.sessionToken }),
    await t.connectWs({ token: phone.sessionToken }),
    await t.connectWs({ token: (await t.joinTable(table.tableId, table.pin)).sessionToken }),
  ];
  const other = await t.openTable('T-8');
  const otherGuest = await t.joinTable(other.tableId, other.pin);
  const staying = [
    await t.connectWs({ token: otherGuest.sessionToken }),
    await t.connectWs({ token: (await t.loginAs('KITCHEN')).token, channel: 'kitchen' }),
    await t.connectWs({ token: (await t.loginAs('WAITER')).token, channel: 'staff' }),
  ];

  await t.closeTable(table.sessionId);
  for (const socket of tableSockets) {
    const close = await Promise.race([socket.closed, new Promise((resolve) => setTimeout(() => resolve('still open'), 5_000))]);
    expect(close, 'every socket of the closed table is closed').not.toBe('still open');
  }
  for (const socket of staying) {
    socket.send({ action: 'ping' });
    await socket.waitFor((m) => m.type === 'pong');
    expect(socket.ws.readyState).toBe(socket.ws.OPEN);
  }
  await t.closeTable(other.sessionId);
});

it('a logged-out or re-joined device cannot open a socket with its old token', async () => {
  const table = await t.openTable('T-5');
  const first = await t.joinTable(table.tableId, table.pin, 'phone-realtime-01');
  await t.joinTable(table.tableId, table.pin, 'phone-realtime-01', first.sessionToken);
  expect(await refusedWith(t.wsUrl, { token: first.sessionToken })).toBe(401);

  const leaving = await t.joinTable(table.tableId, table.pin);
  expect((await t.api.post('/api/sessions/logout', undefined, { token: leaving.sessionToken })).status).toBe(204);
  expect(await refusedWith(t.wsUrl, { token: leaving.sessionToken })).toBe(401);
});

it('staff sockets hear table.updated when a table opens and closes', async () => {
  const { token } = await t.loginAs('WAITER');
  const staff = await t.connectWs({ token, channel: 'staff' });
  const table = await t.openTable('T-6');
  await staff.waitFor((m) => m.type === 'table.updated' && m.tableId === table.tableId);
  const before = staff.messages.length;
  await t.closeTable(table.sessionId);
  await staff.waitFor((m) => m.type === 'table.updated' && m.tableId === table.tableId && staff.messages.indexOf(m) >= before);
  // Nothing a staff socket receives carries a PIN.
  expect(JSON.stringify(staff.messages)).not.toContain(`"${table.pin}"`);
});
