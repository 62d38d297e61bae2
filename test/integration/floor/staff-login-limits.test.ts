/**
 * Staff sign-in limits that never lock the rightful user out of a known device: failures count per
 * username and per network, but a browser holding a device cookie signed for that username (set on
 * a successful sign-in) is counted on its own budget, so an attacker failing sign-ins for that
 * username, from anywhere, cannot refuse it. Guessing across usernames from one network is stopped
 * by the network's failure budget.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestStack, TEST_PASSWORD, type TestStack } from '../../support/stack.ts';
import { rawClient, type RawClient } from '../../security/helpers.ts';

let t: TestStack;
const clients: RawClient[] = [];

beforeAll(async () => {
  t = await startTestStack({
    env: { COOKIE_SECURE: 'true', LOGIN_MAX_FAILURES: '5', LOGIN_IP_MAX_FAILURES: '8', LOGIN_DEVICE_MAX_FAILURES: '3' },
  });
});
afterAll(async () => {
  for (const client of clients) client.close();
  await t?.stop();
});

const from = (address: string): RawClient => {
  const client = rawClient(t.baseUrl, { localAddress: address, maxSockets: 4 });
  clients.push(client);
  return client;
};

const login = (client: RawClient, username: string, password: string, cookie?: string) =>
  client.send({
    method: 'POST',
    path: '/api/staff/login',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({ username, password }),
  });

const deviceCookieOf = (setCookies: string | string[] | undefined): string => {
  const found = [setCookies ?? []].flat().find((c) => c.startsWith('__Host-plato_device='));
  expect(found).toBeDefined();
  expect(found).toMatch(/HttpOnly/);
  expect(found).toMatch(/; Secure/);
  return found!.split(';')[0];
};

it('a device that signed in before is not refused after an attacker used up the username’s failures', async () => {
  const tablet = from('127.0.0.31');
  const first = await login(tablet, 'kitchen', TEST_PASSWORD);
  expect(first.status).toBe(200);
  const device = deviceCookieOf(first.headers['set-cookie']);

  const attacker = from('127.0.0.32');
  for (let i = 0; i < 5; i++) expect((await login(attacker, 'kitchen', `wrong-${i}`)).status).toBe(401);
  const refused = await login(attacker, 'kitchen', TEST_PASSWORD);
  expect(refused.status).toBe(429);
  expect((refused.json as any).error.code).toBe('RATE_LIMITED');
  expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  // The same network without the cookie is refused too: the username's budget is spent.
  expect((await login(tablet, 'kitchen', TEST_PASSWORD)).status).toBe(429);

  // The known device signs in.
  expect((await login(tablet, 'kitchen', TEST_PASSWORD, device)).status).toBe(200);
  // A cookie signed for another username is no pass for this one.
  expect((await login(tablet, 'waiter', TEST_PASSWORD, device)).status).toBe(200);
  expect((await login(attacker, 'kitchen', TEST_PASSWORD, device.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')))).status).toBe(429);
});

it('a known device has its own small budget: a stolen cookie gets only a few guesses', async () => {
  const tablet = from('127.0.0.33');
  const device = deviceCookieOf((await login(tablet, 'manager', TEST_PASSWORD)).headers['set-cookie']);
  for (let i = 0; i < 3; i++) expect((await login(tablet, 'manager', `wrong-${i}`, device)).status).toBe(401);
  expect((await login(tablet, 'manager', TEST_PASSWORD, device)).status).toBe(429);
});

it('guessing across usernames from one network is stopped after that network’s 8 failures; another network is not', async () => {
  const guesser = from('127.0.0.34');
  const statuses: number[] = [];
  for (let i = 0; i < 12; i++) statuses.push((await login(guesser, `user-${i}`, 'password-guess')).status);
  expect(statuses.slice(0, 8)).toEqual(Array(8).fill(401));
  expect(statuses.slice(8)).toEqual(Array(4).fill(429));
  expect((await login(guesser, 'admin', TEST_PASSWORD)).status).toBe(429);
  expect((await login(from('127.0.0.35'), 'admin', TEST_PASSWORD)).status).toBe(200);
});
