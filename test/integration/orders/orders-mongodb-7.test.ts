/**
 * Placement on MongoDB 7.0, which has no client bulkWrite: the order and its ORDER_PLACED entry are
 * written by one insert each, still inside the one transaction (on 8.0 one bulkWrite writes both;
 * orders.test.ts and orders-failures.test.ts cover that path).
 */
import { randomUUID } from 'node:crypto';
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMongoServer, type MongoServerHandle } from '../../../local/mongo/index.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';

let mongo: MongoServerHandle;
let t: TestStack;

beforeAll(async () => {
  mongo = await startMongoServer({ serverVersion: '7.0', ttlSweepMs: 0 });
  t = await startTestStack({ mongoUri: mongo.uri });
});
afterAll(async () => {
  await t?.stop();
  await mongo?.stop();
});

const ORDERS = 'digital_menu_customer_orders';

describe('order placement on MongoDB 7.0', () => {
  it('writes the order and its audit entry with two inserts in the transaction, never a bulkWrite', async () => {
    const table = await t.freshTable('T-2', 'FAMILY');
    const guest = await t.joinTable(table.tableId, table.pin);
    const cart = await t.addToCart(guest, 'Masala Chai', 2);
    const before = { bulkWrite: mongo.counters.commands.bulkWrite ?? 0, insert: mongo.counters.commands.insert ?? 0 };

    const placed = await t.placeOrder(guest, { cartVersion: cart.version }, randomUUID());
    expect(placed.status).toBe(201);
    expect(mongo.counters.commands.bulkWrite ?? 0).toBe(before.bulkWrite);
    expect((mongo.counters.commands.insert ?? 0) - before.insert).toBe(2);
    const orderId = new ObjectId(placed.body.orderId);
    expect(await t.collection(ORDERS).countDocuments({ _id: orderId })).toBe(1);
    expect(await t.collection('audit_log').findOne({ action: 'ORDER_PLACED', orderId })).toMatchObject({ outcome: 'success', sessionId: new ObjectId(table.sessionId) });
  });

  it('a failed commit leaves neither the order nor its entry, and the retry places it once', async () => {
    const table = await t.freshTable('T-3', 'INDIVIDUAL');
    const guest = await t.joinTable(table.tableId, table.pin);
    const cart = await t.addToCart(guest, 'Mango Lassi');
    const sessionId = new ObjectId(table.sessionId);
    const key = randomUUID();
    const admin = (await t.mongoClient()).db('admin');
    await admin.command({ configureFailPoint: 'failCommand', mode: { times: 1 }, data: { appName: 'plato', failCommands: ['commitTransaction'], errorCode: 8 } });
    try {
      expect((await t.placeOrder(guest, { cartVersion: cart.version }, key)).status).toBe(503);
      expect(await t.collection(ORDERS).countDocuments({ sessionId })).toBe(0);
      expect(await t.collection('audit_log').countDocuments({ sessionId, action: 'ORDER_PLACED' })).toBe(0);
    } finally {
      await admin.command({ configureFailPoint: 'failCommand', mode: 'off' });
    }
    const retry = await t.placeOrder(guest, { cartVersion: cart.version }, key);
    expect(retry.status).toBe(201);
    expect(await t.collection(ORDERS).countDocuments({ sessionId })).toBe(1);
    expect(await t.collection('audit_log').countDocuments({ sessionId, action: 'ORDER_PLACED' })).toBe(1);
  });
});
