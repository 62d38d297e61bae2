/**
 * What one socket message costs in DynamoDB (#18, the heartbeat bill): a ping is one conditional
 * update of the socket's record (its message rate and its credential together), no read. Counted on
 * the wire by a proxy in front of dynalite; the functions run in their containers as in every test.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCountedDynamo } from '../../../bench/lib/bench-stack.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';

let t: TestStack;
let counted: Awaited<ReturnType<typeof startCountedDynamo>>;

beforeAll(async () => {
  counted = await startCountedDynamo();
  t = await startTestStack({ env: { DYNAMODB_ENDPOINT: counted.proxy.url, RATE_WS_MESSAGES: '3/30' } });
});
afterAll(async () => {
  await t?.stop();
  await counted?.stop();
});

it('a ping makes one DynamoDB call: an UpdateItem that counts the message and proves the socket’s record', async () => {
  const table = await t.openTable('T-2');
  const guest = await t.joinTable(table.tableId, table.pin);
  const socket = await t.connectWs({ token: guest.sessionToken });
  counted.proxy.reset();
  socket.send({ action: 'ping' });
  await socket.waitFor((m) => m.type === 'pong');
  expect(counted.proxy.counts).toEqual({ UpdateItem: 1 });
});

it('the rate kept on the record still refuses past the limit, and a removed record still ends the socket', async () => {
  const table = await t.openTable('T-3');
  const guest = await t.joinTable(table.tableId, table.pin);
  const flooding = await t.connectWs({ token: guest.sessionToken });
  for (let i = 0; i < 10; i++) flooding.send({ action: 'ping' });
  expect(await flooding.waitFor((m) => m.type === 'error')).toMatchObject({ error: { code: 'RATE_LIMITED' }, closeCode: 1008 });
  expect(flooding.messages.filter((m) => m.type === 'pong').length).toBeLessThanOrEqual(3);

  const ended = await t.connectWs({ token: guest.sessionToken });
  expect((await t.api.post('/api/sessions/logout', undefined, { token: guest.sessionToken })).status).toBe(204);
  ended.send({ action: 'ping' });
  await ended.closed;
  expect(ended.messages.filter((m) => m.type === 'pong')).toEqual([]);
});

it('a kitchen tablet’s ping is the kitchen’s heartbeat: every kitchen socket gets the pong, once in 10 s; guests get none', async () => {
  const [first, second] = [await t.loginAs('KITCHEN'), await t.loginAs('KITCHEN')];
  const pinging = await t.connectWs({ token: first.token, channel: 'kitchen' });
  const station = await t.connectWs({ token: first.token, channel: 'kitchen', station: 'TANDOOR' });
  const other = await t.connectWs({ token: second.token, channel: 'kitchen' });
  const table = await t.openTable('T-4');
  const phone = await t.connectWs({ token: (await t.joinTable(table.tableId, table.pin)).sessionToken });
  const pongs = (socket: { messages: { type: string }[] }) => socket.messages.filter((m) => m.type === 'pong').length;

  counted.proxy.reset();
  pinging.send({ action: 'ping' });
  await Promise.all([pinging, station, other].map((socket) => socket.waitFor((m) => m.type === 'pong')));
  // The admission, the beat's claim, and the kitchen's sockets.
  expect(counted.proxy.counts).toEqual({ UpdateItem: 2, Query: 1 });

  // Another tablet's ping right after (their silences ended together): its own pong only.
  other.send({ action: 'ping' });
  await other.waitFor(() => pongs(other) === 2);
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect([pongs(pinging), pongs(station), pongs(other), pongs(phone)]).toEqual([1, 1, 2, 0]);
});
