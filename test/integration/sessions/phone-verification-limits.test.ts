/**
 * One-time codes are limited per network as well as per number and per phone
 * (sessions/phone-verification.ts): codes sent per network an hour (PHONE_CODES_PER_IP, 4 here), and
 * wrong codes per phone's token (10 an hour) across the codes it asked for, after which even a right
 * code is refused. The per-number and per-code limits are in sessions-customers.test.ts.
 * Networks are loopback source addresses (127.0.0.x), as the gateway sees them.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rawClient, type RawClient } from '../../security/helpers.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';

let t: TestStack;
const clients: RawClient[] = [];

beforeAll(async () => {
  t = await startTestStack({ env: { PHONE_CODES_PER_IP: '4' } });
});
afterAll(async () => {
  clients.forEach((client) => client.close());
  await t?.stop();
});

const from = (address: string): RawClient => {
  const client = rawClient(t.baseUrl, { localAddress: address, maxSockets: 4 });
  clients.push(client);
  return client;
};

const post = (client: RawClient, path: string, token: string, body: unknown) =>
  client.send({ method: 'POST', path, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });

async function codeSentTo(phone: string): Promise<string> {
  const { messages } = (await (await fetch(`${t.baseUrl}/__local/sms`)).json()) as { messages: { to: string; text: string }[] };
  const last = messages.filter((m) => m.to === `+91${phone}`).at(-1);
  if (!last) throw new Error(`no code sent to ${phone}`);
  return /\b(\d{6})\b/.exec(last.text)![1];
}

it('sends at most 4 codes an hour to guests on one network; another network still gets its code', async () => {
  const table = await t.openTable('T-2');
  const network = from('127.0.0.60');
  const statuses: number[] = [];
  for (let i = 0; i < 5; i++) {
    const guest = await t.joinTable(table.code, table.pin);
    statuses.push((await post(network, '/api/customers/identify', guest.sessionToken, { name: 'Guest', phone: `91000600${String(i).padStart(2, '0')}` })).status);
  }
  expect(statuses).toEqual([200, 200, 200, 200, 429]);
  const elsewhere = await t.joinTable(table.code, table.pin);
  expect((await post(from('127.0.0.61'), '/api/customers/identify', elsewhere.sessionToken, { name: 'Guest', phone: '9100061000' })).status).toBe(200);
});

it('after 10 wrong codes from one phone, across the codes it asked for, even a right code is refused (429)', async () => {
  const table = await t.openTable('T-3');
  const guest = await t.joinTable(table.code, table.pin);
  const network = from('127.0.0.62');
  const wrongAll = async (phone: string) => {
    expect((await post(network, '/api/customers/identify', guest.sessionToken, { name: 'Guest', phone })).status).toBe(200);
    const right = await codeSentTo(phone);
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
    for (let i = 0; i < 5; i++) expect((await post(network, '/api/customers/verify', guest.sessionToken, { code: wrong })).json.error.code).toBe('CODE_INVALID');
  };
  await wrongAll('9100062001');
  await wrongAll('9100062002');

  expect((await post(network, '/api/customers/identify', guest.sessionToken, { name: 'Guest', phone: '9100062003' })).status).toBe(200);
  const refused = await post(network, '/api/customers/verify', guest.sessionToken, { code: await codeSentTo('9100062003') });
  expect(refused.status).toBe(429);
  expect(refused.json.error.code).toBe('RATE_LIMITED');
  expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  expect(await t.collection('customers').countDocuments({ phoneNumber: '9100062003' })).toBe(0);
});
