/** Guest token expiry (GUEST_TOKEN_TTL_SECONDS=2 here; 8 hours by default): HTTP and sockets. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { refusedWith } from '../../support/ws.ts';

let t: TestStack;
const TTL_SECONDS = 2;

beforeAll(async () => {
  t = await startTestStack({ env: { GUEST_TOKEN_TTL_SECONDS: String(TTL_SECONDS) } });
});
afterAll(() => t?.stop());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it('a token works until it expires, then answers 401 TOKEN_EXPIRED and cannot open a socket; re-joining works', async () => {
  const table = await t.openTable('T-2');
  const response = await t.api.post('/api/sessions/join', { table: table.code, pin: table.pin });
  expect(response.status).toBe(200);
  const guest = response.body;
  const ttl = new Date(guest.expiresAt).getTime() - Date.now();
  expect(ttl).toBeGreaterThan(0);
  expect(ttl).toBeLessThanOrEqual(TTL_SECONDS * 1000);
  expect(response.cookies.find((c) => c.startsWith('plato_guest='))).toMatch(new RegExp(`Max-Age=(${TTL_SECONDS}|${TTL_SECONDS - 1})(;|$)`));

  expect((await t.api.get('/api/sessions/me', { token: guest.sessionToken })).status).toBe(200);
  const socket = await t.connectWs({ token: guest.sessionToken });
  await socket.close();

  await sleep(TTL_SECONDS * 1000 + 300);
  const expired = await t.api.get('/api/sessions/me', { token: guest.sessionToken });
  expect(expired.status).toBe(401);
  expect(expired.body.error.code).toBe('TOKEN_EXPIRED');
  expect(await refusedWith(t.wsUrl, { token: guest.sessionToken })).toBe(401);

  // The phone asks for the PIN again and carries on with the same device id.
  const again = await t.joinTable(table.tableId, table.pin, guest.deviceId);
  expect(again.deviceId).toBe(guest.deviceId);
  expect((await t.api.get('/api/sessions/me', { token: again.sessionToken })).status).toBe(200);
});

it('a socket lives no longer than its token: after expiry a ping gets TOKEN_EXPIRED and the socket is closed, and no push reaches it', async () => {
  const table = await t.openTable('T-3');
  const leaving = await t.joinTable(table.tableId, table.pin);
  const socket = await t.connectWs({ token: leaving.sessionToken });
  socket.send({ action: 'ping' });
  await socket.waitFor((m) => m.type === 'pong');

  await sleep(TTL_SECONDS * 1000 + 300);
  // Another phone's change to the shared cart: the expired socket hears nothing of it.
  const staying = await t.joinTable(table.tableId, table.pin);
  await t.addToCart(staying, 'Masala Chai');
  socket.send({ action: 'ping' });
  const refused = await socket.waitFor((m) => m.type === 'error');
  expect(refused.error.code).toBe('TOKEN_EXPIRED');
  await socket.closed;
  expect(socket.messages.filter((m) => m.type === 'cart.updated' || m.type === 'pong').length).toBe(1);
});
