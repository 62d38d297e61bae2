/**
 * Order placement over the local runtime: real HTTP, real WebSockets, the real MongoDB driver against
 * the embedded server, Powertools idempotency against dynalite.
 */
import { randomUUID } from 'node:crypto';
import { DeleteItemCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.ts';

let t: TestStack;

beforeAll(async () => {
  t = await startTestStack();
});
afterAll(() => t?.stop());

const orders = () => t.collection('digital_menu_customer_orders');

describe('placing an order', () => {
  it('turns the cart into a confirmed order, empties the cart and tells the table and the kitchen', async () => {
    const table = await t.freshTable('T-4', 'FAMILY');
    const [a, b] = [await t.joinTable(table.tableId, table.pin), await t.joinTable(table.tableId, table.pin)];
    const kitchen = await t.connectWs({ token: (await t.loginAs('KITCHEN')).token, channel: 'kitchen' });
    const phoneB = await t.connectWs({ token: b.sessionToken });
    await t.identifyVerified(a, 'Ravi', '9812345678');

    await t.addToCart(a, 'Dal Makhani', 2, { spiceLevel: 'regular', notes: 'less butter' });
    const cart = await t.addToCart(b, 'Masala Chai', 3);
    const key = randomUUID();
    const placed = await t.placeOrder(a, { cartVersion: cart.version }, key);
    expect(placed.status).toBe(201);
    const order = placed.body;
    const dal = await t.dish('Dal Makhani');
    const chai = await t.dish('Masala Chai');
    const subtotal = dal.price * 2 + chai.price * 3;
    const tax = Math.floor((subtotal * 500 + 5000) / 10000);
    expect(order).toMatchObject({
      orderNumber: expect.stringMatching(/^\d{3,}$/),
      status: 'confirmed',
      paymentStatus: 'pending',
      subtotal,
      tax,
      total: subtotal + tax,
      tableNumber: 'T-4',
      items: [
        { index: 0, menuItemName: 'Dal Makhani', quantity: 2, price: dal.price, total: dal.price * 2, spiceLevel: 'regular', notes: 'less butter', station: 'GRILL', itemStatus: 'NEW', addedByDeviceId: a.deviceId },
        { index: 1, menuItemName: 'Masala Chai', quantity: 3, price: chai.price, total: chai.price * 3, station: 'BAR', itemStatus: 'NEW', addedByDeviceId: b.deviceId },
      ],
    });
    expect(new Date(order.orderDate).toISOString()).toBe(order.orderDate);

    // Stored in the seed-002 shape with Plato's fields; dates are UTC Date values.
    const stored = await orders().findOne({ _id: new ObjectId(order.orderId) });
    expect(stored).toMatchObject({
      restaurantId: 'demo',
      sessionId: new ObjectId(table.sessionId),
      tableId: new ObjectId(table.tableId),
      deviceId: a.deviceId,
      idempotencyKey: `${table.sessionId}:${key}`,
      customerName: 'Ravi',
      customerPhone: '9812345678',
      customerId: expect.any(ObjectId),
      status: 'confirmed',
      paymentStatus: 'pending',
      paymentMethod: '',
      tableNumber: 'T-4',
      floorNumber: table.floor,
      // The documented fields in rupees (POS_MONEY_UNIT defaults to major), exact paise alongside.
      subtotal: subtotal / 100,
      tax: tax / 100,
      total: (subtotal + tax) / 100,
      amountsMinor: { subtotal, tax, total: subtotal + tax },
    });
    expect(stored!.items[0]).toMatchObject({ price: dal.price / 100, total: (dal.price * 2) / 100, priceMinor: dal.price, totalMinor: dal.price * 2 });
    expect(stored!.orderDate).toBeInstanceOf(Date);
    expect(stored!.confirmedAt).toBeInstanceOf(Date);

    // The cart is empty, one version on.
    const after = await t.api.get('/api/cart', { token: b.sessionToken });
    expect(after.body).toMatchObject({ version: cart.version + 1, lines: [], total: 0 });

    // The other phone hears about the order and the emptied cart.
    const updated = await phoneB.waitFor((m) => m.type === 'order.updated' && m.order.orderId === order.orderId);
    expect(updated.order).toEqual(order);
    await phoneB.waitFor((m) => m.type === 'cart.updated' && m.cart.version === cart.version + 1 && m.cart.lines.length === 0);

    // The kitchen gets a ticket without prices or the customer.
    const created = await kitchen.waitFor((m) => m.type === 'order.created' && m.ticket.orderId === order.orderId);
    expect(created.ticket).toMatchObject({ orderNumber: order.orderNumber, table: { number: 'T-4' }, items: [{ name: 'Dal Makhani', quantity: 2 }, { name: 'Masala Chai', quantity: 3 }] });
    const raw = JSON.stringify(created);
    for (const forbidden of ['price', 'total', 'subtotal', 'tax', 'Ravi', '9812345678', 'customer']) expect(raw).not.toContain(forbidden);

    // Both phones list it.
    const listed = await t.api.get('/api/orders', { token: b.sessionToken });
    expect(listed.body.orders.map((o: { orderId: string }) => o.orderId)).toEqual([order.orderId]);

    const audit = await t.collection('audit_log').findOne({ action: 'ORDER_PLACED', orderId: new ObjectId(order.orderId) });
    expect(audit).toMatchObject({ outcome: 'success', actor: { kind: 'guest', deviceId: a.deviceId }, sessionId: new ObjectId(table.sessionId) });
    expect(JSON.stringify(audit)).not.toContain('9812345678');
  });

  it('needs a UUID Idempotency-Key', async () => {
    const table = await t.freshTable('T-5', 'INDIVIDUAL');
    const guest = await t.joinTable(table.tableId, table.pin);
    const cart = await t.addToCart(guest, 'Masala Chai');
    for (const key of [null, '', 'not-a-uuid', '12345', `${randomUUID()}x`] as const) {
      const response = await t.placeOrder(guest, { cartVersion: cart.version }, key);
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    }
    const bad = await t.placeOrder(guest, { cartVersion: 'one' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    const extra = await t.placeOrder(guest, { cartVersion: cart.version, total: 1 });
    expect(extra.status).toBe(400);
    expect(await orders().countDocuments({ sessionId: new ObjectId(table.sessionId) })).toBe(0);
  });

  it('answers a retry with the first response, and a reused key with another body with 422', async () => {
    const table = await t.freshTable('T-6', 'INDIVIDUAL');
    const guest = await t.joinTable(table.tableId, table.pin);
    const cart = await t.addToCart(guest, 'Mango Lassi', 2);
    const key = randomUUID();
    const first = await t.placeOrder(guest, { cartVersion: cart.version }, key);
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();

    const again = await t.placeOrder(guest, { cartVersion: cart.version }, key);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);

    const reused = await t.placeOrder(guest, { cartVersion: cart.version, paymentMethod: 'UPI' }, key);
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');

    expect(await orders().countDocuments({ sessionId: new ObjectId(table.sessionId) })).toBe(1);
    expect(await t.collection('audit_log').countDocuments({ action: 'ORDER_REPLAYED', orderId: new ObjectId(first.body.orderId) })).toBe(1);
  });

  it('50 concurrent identical requests place one order and give 50 consistent answers', async () => {
    const table = await t.freshTable('T-7', 'FAMILY');
    const guest = await t.joinTable(table.tableId, table.pin);
    await t.addToCart(guest, 'Seekh Kebab', 2);
    const cart = await t.addToCart(guest, 'Tandoori Roti', 4);
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 50 }, () => t.placeOrder(guest, { cartVersion: cart.version }, key)));

    expect(await orders().countDocuments({ sessionId: new ObjectId(table.sessionId) })).toBe(1);
    const stored = await orders().findOne({ sessionId: new ObjectId(table.sessionId) });
    const orderId = stored!._id.toHexString();
    for (const answer of answers) {
      if (answer.status === 201) {
        expect(answer.body.orderId).toBe(orderId);
      } else {
        expect(answer.status).toBe(409);
        expect(answer.body.error.code).toBe('IN_PROGRESS');
        expect(answer.headers.get('retry-after')).toBe('1');
      }
    }
    const placedAnswers = answers.filter((a) => a.status === 201);
    expect(placedAnswers.length).toBeGreaterThanOrEqual(1);
    // Every 201 is the same answer, byte for byte (the first attempt's, replayed).
    expect(new Set(placedAnswers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    // Every phone that was told "in progress" gets the same order on retry.
    const retries = await Promise.all(answers.filter((a) => a.status === 409).map(() => t.placeOrder(guest, { cartVersion: cart.version }, key)));
    for (const retry of retries) {
      expect(retry.status).toBe(201);
      expect(retry.body.orderId).toBe(orderId);
    }
    expect(await orders().countDocuments({ sessionId: new ObjectId(table.sessionId) })).toBe(1);
    expect(await t.collection('audit_log').countDocuments({ action: 'ORDER_PLACED', sessionId: new ObjectId(table.sessionId) })).toBe(1);
  });

  it('two FAMILY phones ordering the same cart together: one order and one 409 CART_CHANGED', async () => {
    const table = await t.freshTable('T-8', 'FAMILY');
    const [a, b] = [await t.joinTable(table.tableId, table.pin), await t.joinTable(table.tableId, table.pin)];
    await t.addToCart(a, 'Butter Chicken', 1, { modifierOptionIds: ['cream'] });
    const cart = await t.addToCart(b, 'Tandoori Roti', 2);
    const [ra, rb] = await Promise.all([t.placeOrder(a, { cartVersion: cart.version }), t.placeOrder(b, { cartVersion: cart.version })]);
    const statuses = [ra.status, rb.status].sort();
    expect(statuses).toEqual([201, 409]);
    const refused = ra.status === 409 ? ra : rb;
    expect(refused.body.error.code).toBe('CART_CHANGED');
    expect(refused.body.error.details.cart).toMatchObject({ version: cart.version + 1, lines: [] });
    expect(await orders().countDocuments({ sessionId: new ObjectId(table.sessionId) })).toBe(1);
    const placed = ra.status === 201 ? ra.body : rb.body;
    expect(placed.items).toHaveLength(2);
    expect(placed.items[0].modifiers).toEqual([{ groupId: 'extras', optionId: 'cream', name: 'Extra cream', price: expect.any(Number) }]);
  });

  it('refuses an item sold out between cart and order with 409, writing nothing', async () => {
    const table = await t.freshTable('T-9', 'INDIVIDUAL');
    const guest = await t.joinTable(table.tableId, table.pin);
    await t.addToCart(guest, 'Prawn Tempura');
    const cart = await t.addToCart(guest, 'Steamed Jasmine Rice');
    const prawn = await t.dish('Prawn Tempura');
    const sessionId = new ObjectId(table.sessionId);
    const lineId = (await t.collection('carts').findOne({ sessionId }))!.lines.find((l: { menuItemId: string }) => l.menuItemId === prawn.id).lineId;
    const { token } = await t.loginAs('WAITER');
    const countBefore = await orders().countDocuments({});
    try {
      // In the instant between the menu write and the open carts being flagged: the cart is still
      // at the phone's version, the menu says sold out.
      await t.collection('menuItems').updateOne({ _id: new ObjectId(prawn.id) }, { $set: { isAvailable: false } });
      const before = await t.collection('carts').findOne({ sessionId });
      const racing = await t.placeOrder(guest, { cartVersion: cart.version });
      expect(racing.status).toBe(409);
      expect(racing.body.error.code).toBe('ITEM_UNAVAILABLE');
      expect(racing.body.error.details.lineIds).toEqual([lineId]);
      expect(racing.body.error.details.lines).toEqual([{ lineId, menuItemId: prawn.id, name: 'Prawn Tempura', reason: 'sold_out' }]);
      expect(await orders().countDocuments({})).toBe(countBefore);
      expect(await t.collection('carts').findOne({ sessionId })).toEqual(before);

      // Through the staff API the open carts are flagged (a new version): the phone's stale version
      // is 409 CART_CHANGED with the flagged cart, and ordering at the new version is still refused.
      await t.collection('menuItems').updateOne({ _id: new ObjectId(prawn.id) }, { $set: { isAvailable: true } });
      const soldOut = await t.api.request('PATCH', `/api/staff/menu/items/${prawn.id}`, { isAvailable: false }, { token });
      expect(soldOut.status).toBe(200);
      const stale = await t.placeOrder(guest, { cartVersion: cart.version });
      expect(stale.status).toBe(409);
      expect(stale.body.error.code).toBe('CART_CHANGED');
      expect(stale.body.error.details.cart.unavailableLineIds).toEqual([lineId]);
      const current = await t.placeOrder(guest, { cartVersion: stale.body.error.details.cart.version });
      expect(current.status).toBe(409);
      expect(current.body.error.code).toBe('ITEM_UNAVAILABLE');
      expect(await orders().countDocuments({})).toBe(countBefore);
      expect((await t.collection('carts').findOne({ sessionId }))!.lines).toHaveLength(2);
    } finally {
      await t.api.request('PATCH', `/api/staff/menu/items/${prawn.id}`, { isAvailable: true }, { token });
    }
  });

  it('an empty cart is 422 and nothing is written', async () => {
    const table = await t.freshTable('T-10', 'INDIVIDUAL');
    const guest = await t.joinTable(table.tableId, table.pin);
    const response = await t.placeOrder(guest, { cartVersion: 0 });
    expect(response.status).toBe(422);
    expect(await orders().countDocuments({ sessionId: new ObjectId(table.sessionId) })).toBe(0);
  });

  it('a retry whose idempotency record expired finds the order already placed (the orders index guard)', async () => {
    const table = await t.freshTable('T-11', 'INDIVIDUAL');
    const guest = await t.joinTable(table.tableId, table.pin);
    const cart = await t.addToCart(guest, 'Gulab Jamun', 2);
    const key = randomUUID();
    const first = await t.placeOrder(guest, { cartVersion: cart.version }, key);
    expect(first.status).toBe(201);

    // Drop the DynamoDB record, as its 24 h expiry would.
    const dynamo = new DynamoDBClient({ endpoint: t.stack.dynamoEndpoint, region: process.env.AWS_REGION });
    const tableName = process.env.IDEMPOTENCY_TABLE!;
    const items = await dynamo.send(new ScanCommand({ TableName: tableName }));
    expect(items.Items!.length).toBeGreaterThan(0);
    for (const item of items.Items!) await dynamo.send(new DeleteItemCommand({ TableName: tableName, Key: { id: item.id } }));
    dynamo.destroy();

    const retry = await t.placeOrder(guest, { cartVersion: cart.version }, key);
    expect(retry.status).toBe(201);
    expect(retry.body.orderId).toBe(first.body.orderId);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await orders().countDocuments({ sessionId: new ObjectId(table.sessionId) })).toBe(1);
  });
});

describe('INDIVIDUAL mode', () => {
  it("each phone orders from its own cart and sees only its own orders; pushes reach only that phone", async () => {
    const table = await t.freshTable('T-12', 'INDIVIDUAL');
    const [a, b] = [await t.joinTable(table.tableId, table.pin), await t.joinTable(table.tableId, table.pin)];
    const phoneB = await t.connectWs({ token: b.sessionToken });
    const phoneA = await t.connectWs({ token: a.sessionToken });
    const cartA = await t.addToCart(a, 'Chicken Pad Thai');
    await t.addToCart(b, 'Mango Sticky Rice');
    const placed = await t.placeOrder(a, { cartVersion: cartA.version });
    expect(placed.status).toBe(201);
    await phoneA.waitFor((m) => m.type === 'order.updated' && m.order.orderId === placed.body.orderId);

    expect((await t.api.get('/api/orders', { token: a.sessionToken })).body.orders).toHaveLength(1);
    expect((await t.api.get('/api/orders', { token: b.sessionToken })).body.orders).toHaveLength(0);
    // B's cart is untouched.
    expect((await t.api.get('/api/cart', { token: b.sessionToken })).body.lines).toHaveLength(1);
    // Give a stray push time to arrive before asserting it did not.
    phoneB.send({ action: 'ping' });
    await phoneB.waitFor((m) => m.type === 'pong');
    expect(phoneB.messages.some((m) => m.type === 'order.updated')).toBe(false);

    // A reconnecting phone gets its orders in the sync answer.
    phoneA.send({ action: 'sync' });
    const sync = await phoneA.waitFor((m) => m.type === 'sync' && Array.isArray(m.orders));
    expect(sync.orders.map((o: { orderId: string }) => o.orderId)).toEqual([placed.body.orderId]);
  });
});
