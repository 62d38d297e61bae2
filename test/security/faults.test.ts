/**
 * Faults: MongoDB commands failing or connections closing mid-operation (mongod's own `failCommand`
 * fail point, on the embedded server), DynamoDB throttling (DynamoDB's own throttling answer, given
 * on the wire by a proxy in front of dynalite: test/support/dynamo-faults.ts), a request outliving its Lambda deadline, and sockets
 * vanishing in the middle of a push.
 *
 * The answer to a fault is a clear 503 with Retry-After (or a 409), never a 500; nothing is half
 * written; the client's retry succeeds exactly once; nothing is lost or duplicated (counted in the store).
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ObjectId } from 'mongodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDynamoFaults, type DynamoFaults, type ThrottleRule } from '../support/dynamo-faults.ts';
import { startTestStack, TEST_PASSWORD, type JoinedGuest, type OpenedTable, type TestStack } from '../support/stack.ts';
import type { ApiResponse } from '../support/http.ts';
import { refusedWith } from '../support/ws.ts';
import { expectEnvelope } from './helpers.ts';

let t: TestStack;
let faults: DynamoFaults;
let dish: { id: string; name: string };

beforeAll(async () => {
  faults = await startDynamoFaults();
  t = await startTestStack({ env: { DYNAMODB_ENDPOINT: faults.url } });
  dish = (await t.menuItems()).find((i) => i.isAvailable)!;
});

afterEach(async () => {
  await failPoint('off');
});

afterAll(async () => {
  await t?.stop();
  await faults?.stop();
});

// ---------------------------------------------------------------- helpers

type FailData = { failCommands: string[]; errorCode?: number; closeConnection?: boolean; blockConnection?: boolean; blockTimeMS?: number; errorLabels?: string[] };

/** Arms mongod's failCommand for the functions' client only (appName "plato"). */
async function failPoint(mode: 'off' | 'alwaysOn' | { times: number }, data?: FailData) {
  return (await t.mongoClient()).db('admin').command({ configureFailPoint: 'failCommand', mode, ...(data ? { data: { appName: 'plato', ...data } } : {}) });
}

const orders = () => t.collection('digital_menu_customer_orders');
const carts = () => t.collection('carts');

function expectUnavailable(response: ApiResponse): void {
  expectEnvelope(response, 503, 'SERVICE_UNAVAILABLE');
  expect(Number(response.headers.get('retry-after')), 'Retry-After').toBeGreaterThanOrEqual(1);
}

async function seated(tableNumber: string, mode: 'FAMILY' | 'INDIVIDUAL' = 'FAMILY'): Promise<{ table: OpenedTable; guest: JoinedGuest }> {
  const table = await t.freshTable(tableNumber, mode);
  return { table, guest: await t.joinTable(table.tableId, table.pin) };
}

const addDish = (guest: JoinedGuest, quantity = 1) => t.api.post('/api/cart/items', { menuItemId: dish.id, quantity }, { token: guest.sessionToken });
const addedVersion = async (guest: JoinedGuest, quantity = 1): Promise<number> => (await t.addToCart(guest, dish.name, quantity)).version;

/** The functions' SDK clients try a throttled call this many times (maxAttempts in functions/data/dynamo.ts). */
const SDK_ATTEMPTS = 3;

/** Throttles the matching DynamoDB requests (every one while armed, or `times`) until restored. */
const throttle = (rule: ThrottleRule) => faults.throttle(rule);

async function connectionIds(): Promise<string[]> {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: faults.endpoint, region: process.env.AWS_REGION }));
  try {
    const { Items = [] } = await client.send(new ScanCommand({ TableName: process.env.CONNECTIONS_TABLE }));
    return Items.map((item) => item.connectionId as string);
  } finally {
    client.destroy();
  }
}

// ---------------------------------------------------------------- MongoDB faults

describe('MongoDB failing mid-operation', () => {
  it('opening a table while inserts fail: 503, no session; the retry opens exactly one', async () => {
    const tableId = await t.tableId('T-7');
    await t.collection('table_sessions').updateMany({ tableId: new ObjectId(tableId), status: 'OPEN' }, { $set: { status: 'CLOSED', closedAt: new Date() } });
    const waiter = (await t.loginAs('WAITER')).token;
    // ShutdownInProgress twice: the driver's one retryable-write retry fails too.
    await failPoint({ times: 2 }, { failCommands: ['insert'], errorCode: 91 });
    const failed = await t.api.post(`/api/staff/tables/${tableId}/sessions`, { mode: 'FAMILY' }, { token: waiter });
    expectUnavailable(failed);
    expect(await t.collection('table_sessions').countDocuments({ tableId: new ObjectId(tableId), status: 'OPEN' })).toBe(0);

    const retry = await t.api.post(`/api/staff/tables/${tableId}/sessions`, { mode: 'FAMILY' }, { token: waiter });
    expect(retry.status, JSON.stringify(retry.body)).toBe(201);
    const again = await t.api.post(`/api/staff/tables/${tableId}/sessions`, { mode: 'FAMILY' }, { token: waiter });
    expectEnvelope(again, 409, 'SESSION_ALREADY_OPEN');
    expect(await t.collection('table_sessions').countDocuments({ tableId: new ObjectId(tableId), status: 'OPEN' })).toBe(1);
  });

  it('adding to the cart while the connection closes on every attempt: 503, cart unchanged; the retry adds exactly one line', async () => {
    const { table, guest } = await seated('T-8');
    const sessionId = new ObjectId(table.sessionId);
    await addedVersion(guest);
    const before = await carts().findOne({ sessionId });
    await failPoint({ times: 2 }, { failCommands: ['update', 'findAndModify'], closeConnection: true });
    const failed = await addDish(guest, 2);
    expectUnavailable(failed);
    expect(await carts().findOne({ sessionId })).toEqual(before);

    const retry = await addDish(guest, 2);
    expect(retry.status, JSON.stringify(retry.body)).toBe(200);
    const after = await carts().findOne({ sessionId });
    expect(after!.lines).toHaveLength(before!.lines.length + 1);
    expect(after!.version).toBe(before!.version + 1);
  });

  it('reading the cart while the connection closes twice: 503 with Retry-After, then the cart', async () => {
    const { guest } = await seated('T-8');
    await addedVersion(guest);
    // The driver retries a read once; the second close is the answer.
    await failPoint({ times: 2 }, { failCommands: ['find', 'aggregate'], closeConnection: true });
    expectUnavailable(await t.api.get('/api/cart', { token: guest.sessionToken }));
    const retry = await t.api.get('/api/cart', { token: guest.sessionToken });
    expect(retry.status).toBe(200);
    expect(retry.body.lines).toHaveLength(1);
  });

  for (const fault of [
    { name: 'the connection closing at the order insert', data: { failCommands: ['insert'], closeConnection: true } },
    { name: 'a primary stepping down at the order insert', data: { failCommands: ['insert'], errorCode: 189 } },
    { name: 'ShutdownInProgress at every read in the transaction', data: { failCommands: ['find', 'aggregate'], errorCode: 91 }, times: 4 },
    { name: 'the connection closing at commit', data: { failCommands: ['commitTransaction'], closeConnection: true } },
  ] satisfies { name: string; data: FailData; times?: number }[]) {
    it(`placing an order with ${fault.name}: 503 or the order; the retry yields exactly one order`, async () => {
      const { table, guest } = await seated('T-10', 'INDIVIDUAL');
      const sessionId = new ObjectId(table.sessionId);
      const version = await addedVersion(guest, 2);
      const key = randomUUID();
      await failPoint({ times: fault.times ?? 1 }, fault.data);
      const first = await t.placeOrder(guest, { cartVersion: version }, key);
      await failPoint('off');
      if (first.status !== 201) {
        expectUnavailable(first);
        expect(await orders().countDocuments({ sessionId })).toBe(0);
        expect((await carts().findOne({ sessionId }))!.lines).toHaveLength(1);
      }
      // The phone retries with the same key until it has an answer; IN_PROGRESS (409 + Retry-After) means wait.
      let retry = await t.placeOrder(guest, { cartVersion: version }, key);
      for (let i = 0; retry.status === 409 && retry.body.error.code === 'IN_PROGRESS' && i < 20; i++) {
        expect(Number(retry.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        await new Promise((resolve) => setTimeout(resolve, 250));
        retry = await t.placeOrder(guest, { cartVersion: version }, key);
      }
      expect(retry.status, JSON.stringify(retry.body)).toBe(201);
      if (first.status === 201) expect(retry.body.orderId).toBe(first.body.orderId);
      expect(await orders().countDocuments({ sessionId })).toBe(1);
      expect((await carts().findOne({ sessionId }))!.lines).toEqual([]);
      const order = await orders().findOne({ sessionId });
      expect(order!.items.map((i: { quantity: number }) => i.quantity)).toEqual([2]);
    });
  }

  it('a kitchen status change while writes fail: 503, status unchanged; the retry moves it exactly one step', async () => {
    const { guest } = await seated('T-10', 'FAMILY');
    const placed = await t.placeOrder(guest, { cartVersion: await addedVersion(guest) }, randomUUID());
    expect(placed.status).toBe(201);
    const kitchen = (await t.loginAs('KITCHEN')).token;
    const path = `/api/kitchen/orders/${placed.body.orderId}/items/0`;
    await failPoint({ times: 2 }, { failCommands: ['findAndModify', 'update'], errorCode: 91 });
    expectUnavailable(await t.api.request('PATCH', path, { status: 'COOKING', from: 'NEW' }, { token: kitchen }));
    expect((await orders().findOne({ _id: new ObjectId(placed.body.orderId as string) }))!.items[0].itemStatus).toBe('NEW');

    const retry = await t.api.request('PATCH', path, { status: 'COOKING', from: 'NEW' }, { token: kitchen });
    expect(retry.status, JSON.stringify(retry.body)).toBe(200);
    const replay = await t.api.request('PATCH', path, { status: 'COOKING', from: 'NEW' }, { token: kitchen });
    expectEnvelope(replay, 409);
    expect((await orders().findOne({ _id: new ObjectId(placed.body.orderId as string) }))!.items[0].itemStatus).toBe('COOKING');
  });

  it('joining while the session update fails: 503 and no token; the retry joins; the failure cost no PIN attempt', async () => {
    const table = await t.freshTable('T-11', 'FAMILY');
    const sessionId = new ObjectId(table.sessionId);
    await failPoint({ times: 2 }, { failCommands: ['update', 'findAndModify'], closeConnection: true });
    const failed = await t.api.post('/api/sessions/join', { table: table.code, pin: table.pin });
    expectUnavailable(failed);
    expect(failed.cookies).toEqual([]);
    expect((await t.collection('table_sessions').findOne({ _id: sessionId }))!.customerTokens).toEqual([]);

    const retry = await t.api.post('/api/sessions/join', { table: table.code, pin: table.pin });
    expect(retry.status, JSON.stringify(retry.body)).toBe(200);
    expect((await t.collection('table_sessions').findOne({ _id: sessionId }))!.customerTokens).toHaveLength(1);
    // Only wrong PINs count: the next wrong guess has 4 attempts left, as if the outage never happened.
    const wrong = await t.api.post('/api/sessions/join', { table: table.code, pin: table.pin === '0000' ? '0001' : '0000' });
    expectEnvelope(wrong, 401, 'PIN_INVALID');
    expect(wrong.body.error.details.attemptsLeft).toBe(4);
  });

  it('a request that outlives its Lambda deadline (a hung MongoDB): 503 with Retry-After, not 500', async () => {
    const { guest } = await seated('T-12');
    // The functions' default timeout is 10 s; the read blocks for longer.
    await failPoint({ times: 1 }, { failCommands: ['find', 'aggregate'], blockConnection: true, blockTimeMS: 10_500 });
    const response = await t.api.get('/api/cart', { token: guest.sessionToken });
    expectUnavailable(response);
    await new Promise((resolve) => setTimeout(resolve, 700)); // the blocked read finishes
    expect((await t.api.get('/api/cart', { token: guest.sessionToken })).status).toBe(200);
  }, 30_000);
});

// ---------------------------------------------------------------- DynamoDB throttling

describe('DynamoDB throttling (on the wire)', () => {
  it('the PIN rate-limit counter throttled: join answers 503 with Retry-After and issues nothing; the retry joins', async () => {
    const table = await t.freshTable('T-9', 'FAMILY');
    const stub = throttle({ operation: 'UpdateItem', table: process.env.RATE_LIMITS_TABLE });
    let failed: ApiResponse;
    try {
      failed = await t.api.post('/api/sessions/join', { table: table.code, pin: table.pin });
    } finally {
      stub.restore();
    }
    expect(stub.hits).toHaveLength(SDK_ATTEMPTS); // the SDK's retries were throttled too
    expectUnavailable(failed);
    expect(failed.cookies).toEqual([]);
    expect((await t.collection('table_sessions').findOne({ _id: new ObjectId(table.sessionId) }))!.customerTokens).toEqual([]);
    const retry = await t.api.post('/api/sessions/join', { table: table.code, pin: table.pin });
    expect(retry.status).toBe(200);
  });

  it('the rate-limit table throttled while a table is locked: a guess is still refused 429, from the lockout its session shows', async () => {
    const table = await t.freshTable('T-9', 'FAMILY');
    const wrongPin = (k: number) => String((Number(table.pin) + k) % 10_000).padStart(4, '0');
    for (let k = 1; k <= 5; k++) expect((await t.api.post('/api/sessions/join', { table: table.code, pin: wrongPin(k) })).status).toBe(401);
    // The lockout is a GetItem (rate-limit.ts readLockout); the request limiter's counter (an UpdateItem) is not throttled.
    const stub = throttle({ operation: 'GetItem', table: process.env.RATE_LIMITS_TABLE });
    let refused: ApiResponse;
    try {
      refused = await t.api.post('/api/sessions/join', { table: table.code, pin: table.pin });
    } finally {
      stub.restore();
    }
    // The lockout was not read from DynamoDB: a brute force against a locked table costs one read fewer per guess.
    expect(stub.hits).toEqual([]);
    expectEnvelope(refused, 429, 'PIN_BLOCKED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(14 * 60);
    expect(await t.collection('audit_log').countDocuments({ action: 'PIN_ATTEMPT', outcome: 'blocked', sessionId: new ObjectId(table.sessionId) })).toBe(1);
  });

  it('the connections table throttled on $connect: the handshake is refused with 503 (not 500); the retry connects', async () => {
    const { guest } = await seated('T-6', 'FAMILY');
    const stub = throttle({ operation: 'PutItem', table: process.env.CONNECTIONS_TABLE });
    let status: number;
    try {
      status = await refusedWith(t.wsUrl, { token: guest.sessionToken });
    } finally {
      stub.restore();
    }
    expect(stub.hits).toHaveLength(SDK_ATTEMPTS); // the SDK's retries were throttled too
    expect(status).toBe(503);
    const socket = await t.connectWs({ token: guest.sessionToken });
    expect(socket).toBeDefined();
  });

  it('the login limiter throttled: 503, no token; the retry signs in', async () => {
    const stub = throttle({ table: process.env.RATE_LIMITS_TABLE });
    let failed: ApiResponse;
    try {
      failed = await t.api.post('/api/staff/login', { username: 'waiter', password: 'plato-test-password-1' });
    } finally {
      stub.restore();
    }
    expect(stub.hits).toHaveLength(SDK_ATTEMPTS); // the SDK's retries were throttled too
    expectUnavailable(failed);
    expect(failed.cookies).toEqual([]);
    expect((await t.api.post('/api/staff/login', { username: 'waiter', password: 'plato-test-password-1' })).status).toBe(200);
  });

  it('the idempotency table throttled: 503, no order; the retry with the same key places exactly one', async () => {
    const { table, guest } = await seated('T-5', 'FAMILY');
    const sessionId = new ObjectId(table.sessionId);
    const version = await addedVersion(guest, 3);
    const key = randomUUID();
    const stub = throttle({ table: process.env.IDEMPOTENCY_TABLE });
    let failed: ApiResponse;
    try {
      failed = await t.placeOrder(guest, { cartVersion: version }, key);
    } finally {
      stub.restore();
    }
    expect(stub.hits).toHaveLength(SDK_ATTEMPTS); // the SDK's retries were throttled too
    expectUnavailable(failed);
    expect(await orders().countDocuments({ sessionId })).toBe(0);
    expect((await carts().findOne({ sessionId }))!.lines).toHaveLength(1);

    const retry = await t.placeOrder(guest, { cartVersion: version }, key);
    expect(retry.status, JSON.stringify(retry.body)).toBe(201);
    const again = await t.placeOrder(guest, { cartVersion: version }, key);
    expect(again.status).toBe(201);
    expect(again.body.orderId).toBe(retry.body.orderId);
    expect(await orders().countDocuments({ sessionId })).toBe(1);
  });

  it('the socket lookup throttled after commit: the order still answers 201, exactly once; the screens resync', async () => {
    const { table, guest } = await seated('T-4', 'FAMILY');
    const sessionId = new ObjectId(table.sessionId);
    const version = await addedVersion(guest);
    const stub = throttle({ operation: 'Query', table: process.env.CONNECTIONS_TABLE });
    let placed: ApiResponse;
    try {
      placed = await t.placeOrder(guest, { cartVersion: version }, randomUUID());
    } finally {
      stub.restore();
    }
    expect(stub.hits.length).toBeGreaterThan(0);
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(await orders().countDocuments({ sessionId })).toBe(1);
    const board = await t.api.get('/api/kitchen/orders', { token: (await t.loginAs('KITCHEN')).token });
    expect(board.body.orders.map((o: { orderId: string }) => o.orderId)).toContain(placed.body.orderId);
  });
});

// ---------------------------------------------------------------- sockets vanishing

describe('sockets vanishing in the middle of a push', () => {
  it('a kitchen tablet dropping while an order is placed: the order commits once, the others get it, no record is left', async () => {
    const kitchenToken = (await t.loginAs('KITCHEN')).token;
    // Another tablet's own sign-in: one sign-in holds at most 5 sockets (the oldest would be closed).
    const otherTablet = await t.api.post('/api/staff/login', { username: 'kitchen', password: TEST_PASSWORD });
    const staying = await t.connectWs({ token: otherTablet.body.token, channel: 'kitchen' });
    const leaving = await Promise.all(Array.from({ length: 5 }, () => t.connectWs({ token: kitchenToken, channel: 'kitchen' })));
    const { table, guest } = await seated('T-3', 'FAMILY');
    const phone = await t.connectWs({ token: guest.sessionToken });
    const version = await addedVersion(guest);
    const idsBefore = await connectionIds();

    // The tablets vanish (no close frame) while the order is being placed and pushed.
    const [placed] = await Promise.all([t.placeOrder(guest, { cartVersion: version }, randomUUID()), ...leaving.map(async (s) => s.ws.terminate())]);
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    await staying.waitFor((m) => m.type === 'order.created' && m.ticket?.orderId === placed.body.orderId);
    await phone.waitFor((m) => m.type === 'order.updated');
    expect(await orders().countDocuments({ sessionId: new ObjectId(table.sessionId) })).toBe(1);

    // Whether $disconnect or the push's 410 got there first, every vanished socket's record is gone.
    await expect.poll(async () => (await connectionIds()).length, { timeout: 5_000 }).toBe(idsBefore.length - leaving.length);
  });

  it('a record whose socket is already gone (410 on push) is deleted by the push, and the order is not affected', async () => {
    const kitchenToken = (await t.loginAs('KITCHEN')).token;
    const kitchen = await t.connectWs({ token: kitchenToken, channel: 'kitchen' });
    const { table, guest } = await seated('T-2', 'FAMILY');
    // Records left behind by sockets that vanished without $disconnect (a crashed gateway, a lost event).
    const client = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: faults.endpoint, region: process.env.AWS_REGION }));
    const expiresAt = Math.floor(Date.now() / 1000) + 3600;
    const ghosts = [
      { connectionId: 'GhostKitchen1=', restaurantId: 'demo', channel: 'KITCHEN', audience: 'demo#KITCHEN', role: 'KITCHEN', connectedAt: Date.now(), expiresAt },
      {
        connectionId: 'GhostGuest001=',
        restaurantId: 'demo',
        channel: 'GUEST',
        audience: 'demo#GUEST',
        role: 'GUEST',
        sessionId: table.sessionId,
        sessionKey: `demo#${table.sessionId}`,
        deviceId: guest.deviceId,
        connectedAt: Date.now(),
        expiresAt,
      },
    ];
    try {
      for (const item of ghosts) await client.send(new PutCommand({ TableName: process.env.CONNECTIONS_TABLE, Item: item }));
      expect(await connectionIds()).toEqual(expect.arrayContaining(ghosts.map((g) => g.connectionId)));

      const placed = await t.placeOrder(guest, { cartVersion: await addedVersion(guest) }, randomUUID());
      expect(placed.status, JSON.stringify(placed.body)).toBe(201);
      await kitchen.waitFor((m) => m.type === 'order.created' && m.ticket?.orderId === placed.body.orderId);
      await expect.poll(async () => (await connectionIds()).filter((id) => id.startsWith('Ghost')), { timeout: 5_000 }).toEqual([]);
      expect(await orders().countDocuments({ sessionId: new ObjectId(table.sessionId) })).toBe(1);
    } finally {
      client.destroy();
    }
  });
});
