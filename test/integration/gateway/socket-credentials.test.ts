/**
 * Sockets follow their credentials: logout, a re-join that replaces the device's token and a staff
 * sign-out close the sockets opened with the ended credential; every action re-checks it; one
 * credential holds at most N sockets (the oldest is closed); a socket past its message rate is told
 * RATE_LIMITED (close code 1008 in the message) and closed.
 */
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestStack, TEST_PASSWORD, USERNAME_OF, type TestStack } from '../../support/stack.ts';
import { refusedWith } from '../../support/ws.ts';

let t: TestStack;

beforeAll(async () => {
  t = await startTestStack({
    env: { WS_MAX_SOCKETS_PER_GUEST: '3', WS_MAX_SOCKETS_PER_STAFF: '2', RATE_WS_MESSAGES: '6/30' },
  });
});
afterAll(() => t?.stop());

const isOpen = (socket: { ws: { readyState: number; OPEN: number } }) => socket.ws.readyState === socket.ws.OPEN;

it('guest logout closes that token’s sockets and leaves the other phones’ open', async () => {
  const table = await t.openTable('T-2');
  const leaving = await t.joinTable(table.tableId, table.pin);
  const staying = await t.joinTable(table.tableId, table.pin);
  const leavingSocket = await t.connectWs({ token: leaving.sessionToken });
  const stayingSocket = await t.connectWs({ token: staying.sessionToken });

  expect((await t.api.post('/api/sessions/logout', undefined, { token: leaving.sessionToken })).status).toBe(204);
  await leavingSocket.closed;
  await t.addToCart(staying, 'Masala Chai');
  await stayingSocket.waitFor((m) => m.type === 'cart.updated');
  expect(leavingSocket.messages.filter((m) => m.type === 'cart.updated')).toEqual([]);
  expect(isOpen(stayingSocket)).toBe(true);
});

it('a re-join that replaces the device’s token closes the old token’s socket; the new one listens', async () => {
  const table = await t.openTable('T-3');
  const first = await t.joinTable(table.tableId, table.pin, 'phone-sockets-01');
  const oldSocket = await t.connectWs({ token: first.sessionToken });
  const again = await t.joinTable(table.tableId, table.pin, 'phone-sockets-01', first.sessionToken);
  await oldSocket.closed;
  const newSocket = await t.connectWs({ token: again.sessionToken });
  newSocket.send({ action: 'sync' });
  expect((await newSocket.waitFor((m) => m.type === 'sync')).cart).toBeDefined();
});

it('sync and ping re-check the credential: a token revoked behind the socket’s back gets TOKEN_EXPIRED and is closed', async () => {
  const table = await t.openTable('T-4');
  const guest = await t.joinTable(table.tableId, table.pin);
  const socket = await t.connectWs({ token: guest.sessionToken });
  socket.send({ action: 'ping' });
  await socket.waitFor((m) => m.type === 'pong');
  // Revoked without any socket being closed (as a crashed request might leave it).
  await t.collection('table_sessions').updateOne(
    { _id: new ObjectId(table.sessionId) },
    { $set: { 'customerTokens.$[all].revokedAt': new Date() } },
    { arrayFilters: [{ 'all.deviceId': guest.deviceId }] },
  );
  socket.send({ action: 'sync' });
  const refused = await socket.waitFor((m) => m.type === 'error');
  expect(refused.error.code).toBe('TOKEN_EXPIRED');
  expect(socket.messages.filter((m) => m.type === 'sync')).toEqual([]);
  await socket.closed;
});

it('one guest token holds at most 3 sockets: a fourth closes the oldest', async () => {
  const table = await t.openTable('T-5');
  const guest = await t.joinTable(table.tableId, table.pin);
  const sockets = [];
  for (let i = 0; i < 3; i++) sockets.push(await t.connectWs({ token: guest.sessionToken }));
  const fourth = await t.connectWs({ token: guest.sessionToken });
  await sockets[0].closed;
  expect([sockets[1], sockets[2], fourth].map(isOpen)).toEqual([true, true, true]);
  fourth.send({ action: 'ping' });
  await fourth.waitFor((m) => m.type === 'pong');
});

it('staff sign-out revokes that sign-in at once and closes its sockets; the user’s other sign-in carries on', async () => {
  const signIn = async () => {
    const answer = await t.api.post('/api/staff/login', { username: USERNAME_OF.KITCHEN, password: TEST_PASSWORD });
    expect(answer.status).toBe(200);
    return answer.body.token as string;
  };
  const leaving = await signIn();
  const staying = await signIn();
  const leavingSocket = await t.connectWs({ token: leaving, channel: 'kitchen' });
  const stayingSocket = await t.connectWs({ token: staying, channel: 'kitchen' });

  const out = await t.api.post('/api/staff/logout', undefined, { token: leaving });
  expect(out.status).toBe(204);
  expect(out.cookies.some((c) => /^plato_staff=;/.test(c) || /^__Host-plato_staff=;/.test(c))).toBe(true);
  await leavingSocket.closed;
  expect((await t.api.get('/api/kitchen/orders', { token: leaving })).status).toBe(401);
  expect(await refusedWith(t.wsUrl, { token: leaving, channel: 'kitchen' })).toBe(401);

  expect((await t.api.get('/api/kitchen/orders', { token: staying })).status).toBe(200);
  stayingSocket.send({ action: 'ping' });
  await stayingSocket.waitFor((m) => m.type === 'pong');

  // Signing out again, or with a dead token, still clears the cookie.
  expect((await t.api.post('/api/staff/logout', undefined, { token: leaving })).status).toBe(204);
  expect((await t.api.post('/api/staff/logout', undefined, { token: 'not.a.jwt' })).status).toBe(204);
});

it('one staff sign-in holds at most 2 sockets here: a third closes the oldest', async () => {
  const { token } = await t.loginAs('WAITER');
  const a = await t.connectWs({ token, channel: 'staff' });
  const b = await t.connectWs({ token, channel: 'staff' });
  const c = await t.connectWs({ token, channel: 'staff' });
  await a.closed;
  expect([b, c].map(isOpen)).toEqual([true, true]);
});

it('a socket past its message rate gets RATE_LIMITED with close code 1008 and is closed; other sockets carry on', async () => {
  const table = await t.openTable('T-6');
  const guest = await t.joinTable(table.tableId, table.pin);
  const flooding = await t.connectWs({ token: guest.sessionToken });
  const calm = await t.connectWs({ token: guest.sessionToken });
  for (let i = 0; i < 40; i++) flooding.send({ action: 'ping' });
  const refused = await flooding.waitFor((m) => m.type === 'error');
  expect(refused).toMatchObject({ error: { code: 'RATE_LIMITED' }, closeCode: 1008 });
  expect(refused.error.retryAfterSeconds).toBeGreaterThan(0);
  await flooding.closed;
  expect(flooding.messages.filter((m) => m.type === 'pong').length).toBeLessThanOrEqual(6);
  calm.send({ action: 'ping' });
  await calm.waitFor((m) => m.type === 'pong');
});
