/**
 * Placement when the store fails: a failure injected at commit (the `failCommand` fail point on
 * commitTransaction, as on a real MongoDB) leaves no order and the cart intact, and the phone's
 * retry with the same key places the order exactly once.
 */
import { randomUUID } from 'node:crypto';
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.ts';

let t: TestStack;

beforeAll(async () => {
  t = await startTestStack();
});
afterAll(async () => {
  await failCommand('off').catch(() => undefined);
  await t?.stop();
});

/**
 * Fails the functions' (appName "plato") next commands of these names. Answers mongod's reply, whose
 * `count` (times the fail point has acted, ever) tells two calls apart.
 */
async function failCommand(mode: 'off' | 'alwaysOn' | { times: number }, data?: { failCommands: string[]; errorCode?: number; errorLabels?: string[] }) {
  return (await (await t.mongoClient()).db('admin').command({ configureFailPoint: 'failCommand', mode, ...(data ? { data: { appName: 'plato', ...data } } : {}) })) as {
    count: number;
  };
}

const placedEntries = (sessionId: ObjectId) => t.collection('audit_log').countDocuments({ sessionId, action: 'ORDER_PLACED' });

describe('a failure at commit', () => {
  it('leaves no order and the cart intact; the retry with the same key places it exactly once', async () => {
    const admin = (await t.mongoClient()).db('admin');
    const { transactionLifetimeLimitSeconds: lifetime } = await admin.command({ getParameter: 1, transactionLifetimeLimitSeconds: 1 });
    // A commit refused by the fail point leaves the transaction open on the server (as mongod does)
    // until killSessions or its lifetime ends; a short lifetime keeps the test quick without either.
    await admin.command({ setParameter: 1, transactionLifetimeLimitSeconds: 1 });
    try {
      const table = await t.freshTable('T-3', 'FAMILY');
      const guest = await t.joinTable(table.tableId, table.pin);
      await t.addToCart(guest, 'Lamb Rogan Josh');
      const cart = await t.addToCart(guest, 'Tandoori Roti', 3);
      const sessionId = new ObjectId(table.sessionId);
      const cartBefore = await t.collection('carts').findOne({ sessionId });
      const key = randomUUID();

      await failCommand({ times: 1 }, { failCommands: ['commitTransaction'], errorCode: 8 });
      const failed = await t.placeOrder(guest, { cartVersion: cart.version }, key);
      expect(failed.status).toBe(503);
      expect(failed.body.error.code).toBe('SERVICE_UNAVAILABLE');
      expect(failed.headers.get('retry-after')).toBe('1');
      expect(await t.collection('digital_menu_customer_orders').countDocuments({ sessionId })).toBe(0);
      expect(await t.collection('carts').findOne({ sessionId })).toEqual(cartBefore);
      expect(await t.collection('audit_log').countDocuments({ sessionId, action: 'ORDER_PLACED' })).toBe(0);

      const retry = await t.placeOrder(guest, { cartVersion: cart.version }, key);
      expect(retry.status).toBe(201);
      expect(retry.body.items.map((i: { menuItemName: string }) => i.menuItemName)).toEqual(['Lamb Rogan Josh', 'Tandoori Roti']);
      const again = await t.placeOrder(guest, { cartVersion: cart.version }, key);
      expect(again.status).toBe(201);
      expect(again.body.orderId).toBe(retry.body.orderId);
      expect(await t.collection('digital_menu_customer_orders').countDocuments({ sessionId })).toBe(1);
      expect((await t.collection('carts').findOne({ sessionId }))!).toMatchObject({ version: cart.version + 1, lines: [] });
    } finally {
      await failCommand('off');
      await admin.command({ setParameter: 1, transactionLifetimeLimitSeconds: lifetime });
    }
  });

  it('a transient error at commit is retried by the driver inside the same request: still exactly one order', async () => {
    const table = await t.freshTable('T-5', 'INDIVIDUAL');
    const guest = await t.joinTable(table.tableId, table.pin);
    const cart = await t.addToCart(guest, 'Malai Broccoli', 2);
    const sessionId = new ObjectId(table.sessionId);
    // An unknown commit result (e.g. a failover): the driver retries the commit, which is idempotent.
    await failCommand({ times: 1 }, { failCommands: ['commitTransaction'], errorCode: 91, errorLabels: ['RetryableWriteError'] });
    try {
      const placed = await t.placeOrder(guest, { cartVersion: cart.version }, randomUUID());
      expect(placed.status).toBe(201);
      expect(await t.collection('digital_menu_customer_orders').countDocuments({ sessionId })).toBe(1);
    } finally {
      await failCommand('off');
    }
  });

  it('a write conflict on the order and its audit entry (one bulkWrite) is retried by withTransaction: one order, one entry', async () => {
    const table = await t.freshTable('T-7', 'FAMILY');
    const guest = await t.joinTable(table.tableId, table.pin);
    const cart = await t.addToCart(guest, 'Masala Chai', 2);
    const sessionId = new ObjectId(table.sessionId);
    // The driver reports a server error of a client bulk write wrapped, without its labels: the
    // placement must still let withTransaction see TransientTransactionError and run again.
    const armed = await failCommand({ times: 1 }, { failCommands: ['bulkWrite'], errorCode: 112, errorLabels: ['TransientTransactionError'] });
    try {
      const placed = await t.placeOrder(guest, { cartVersion: cart.version }, randomUUID());
      expect(placed.status).toBe(201);
      expect((await failCommand('off')).count - armed.count).toBe(1); // the conflict did happen
      expect(await t.collection('digital_menu_customer_orders').countDocuments({ sessionId })).toBe(1);
      expect(await placedEntries(sessionId)).toBe(1);
    } finally {
      await failCommand('off');
    }
  });

  it('DynamoDB unavailable: 503 with Retry-After and nothing written', async () => {
    const table = await t.freshTable('T-6', 'INDIVIDUAL');
    const guest = await t.joinTable(table.tableId, table.pin);
    const cart = await t.addToCart(guest, 'Masala Chai');
    const sessionId = new ObjectId(table.sessionId);
    // The idempotency table disappears for the length of one request (a real outage dynalite can produce).
    const saved = process.env.IDEMPOTENCY_TABLE;
    expect(saved).toBeTruthy();
    const { DynamoDBClient, DeleteTableCommand, CreateTableCommand, DescribeTableCommand } = await import('@aws-sdk/client-dynamodb');
    const dynamo = new DynamoDBClient({ endpoint: t.stack.dynamoEndpoint, region: process.env.AWS_REGION });
    const description = (await dynamo.send(new DescribeTableCommand({ TableName: saved }))).Table!;
    await dynamo.send(new DeleteTableCommand({ TableName: saved }));
    try {
      const response = await t.placeOrder(guest, { cartVersion: cart.version }, randomUUID());
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBeTruthy();
      expect(await t.collection('digital_menu_customer_orders').countDocuments({ sessionId })).toBe(0);
    } finally {
      await dynamo.send(
        new CreateTableCommand({
          TableName: saved,
          AttributeDefinitions: description.AttributeDefinitions,
          KeySchema: description.KeySchema,
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      dynamo.destroy();
    }
    const retry = await t.placeOrder(guest, { cartVersion: cart.version }, randomUUID());
    expect(retry.status).toBe(201);
  });
});

// Last in the file: it leaves this runtime's functions writing with one insert per document.
describe('a server that reports MongoDB 8.0 but refuses bulkWrite (e.g. mid-upgrade)', () => {
  it('places the order anyway, then stops trying bulkWrite: order and entry by one insert each', async () => {
    const table = await t.freshTable('T-8', 'INDIVIDUAL');
    const guest = await t.joinTable(table.tableId, table.pin);
    const sessionId = new ObjectId(table.sessionId);
    const armed = await failCommand('alwaysOn', { failCommands: ['bulkWrite'], errorCode: 59 });
    try {
      const first = await t.placeOrder(guest, { cartVersion: (await t.addToCart(guest, 'Masala Chai')).version }, randomUUID());
      expect(first.status).toBe(201);
      const afterFirst = await failCommand('alwaysOn', { failCommands: ['bulkWrite'], errorCode: 59 });
      expect(afterFirst.count - armed.count).toBe(1); // refused once, then the transaction ran again with inserts
      const second = await t.placeOrder(guest, { cartVersion: (await t.addToCart(guest, 'Mango Lassi')).version }, randomUUID());
      expect(second.status).toBe(201);
      expect((await failCommand('off')).count - afterFirst.count).toBe(0); // not tried again
      expect(await t.collection('digital_menu_customer_orders').countDocuments({ sessionId })).toBe(2);
      expect(await placedEntries(sessionId)).toBe(2);
    } finally {
      await failCommand('off');
    }
  });
});
