/**
 * The restaurant's POS shares Plato's MongoDB database. Plato writes only to its own collections:
 * this test seeds POS collections (`orders`, `pos_bills`) with documents in many BSON types, runs
 * every flow that writes (join, identify, cart, placement, waiter confirm and reject, kitchen item
 * status, bump and recall, manager cancel, payments, close), and proves the POS collections
 * byte-identical afterwards: every document's BSON bytes, the counts, the indexes and the
 * collection options.
 */
import { BSON, Binary, Decimal128, Double, Int32, Long, ObjectId, Timestamp } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.ts';

const POS_COLLECTIONS = ['orders', 'pos_bills'] as const;

let t: TestStack;

beforeAll(async () => {
  t = await startTestStack();
});
afterAll(() => t?.stop());

/** What a POS might have stored: its own shapes, ids and types, some fields named like Plato's. */
function posDocuments(collection: string) {
  const docs = [];
  for (let i = 0; i < 25; i++) {
    docs.push({
      _id: i % 5 === 0 ? `${collection.toUpperCase()}-${1000 + i}` : new ObjectId(),
      restaurantId: i % 2 ? 'demo' : 'pos-branch-2',
      orderNumber: String(i + 1).padStart(3, '0'),
      status: ['open', 'KOT', 'settled', 'void', 'pending'][i % 5],
      tableNumber: `T-${(i % 12) + 1}`,
      sessionId: new ObjectId(),
      ...(i % 3 === 0 ? {} : { idempotencyKey: `pos-${i}` }),
      items: [
        { sku: `SKU-${i}`, qty: new Int32(i + 1), rate: Decimal128.fromString(`${120 + i}.50`), gst: new Double(5) },
        { sku: 'NAAN', qty: new Int32(2), rate: Decimal128.fromString('70.00'), modifiers: [] },
      ],
      amount: Long.fromString(`${90000000000 + i}`),
      paid: i % 4 === 0,
      createdAt: new Date(Date.UTC(2025, 10, 14, 11, 30, i)),
      opTime: new Timestamp({ t: 1_700_000_000 + i, i: 1 }),
      raw: new Binary(Buffer.from(`receipt-${i}`)),
      note: i % 7 === 0 ? null : `note ${i} — ₹ ✓`,
      nested: { a: { b: { c: [1, 'two', { three: 3 }] } } },
    });
  }
  return docs;
}

interface Snapshot {
  count: number;
  /** Every document's exact BSON bytes, in natural order, hex. */
  bytes: string[];
  indexes: unknown[];
  options: unknown;
}

async function snapshot(name: string): Promise<Snapshot> {
  const raw = t.collection(name);
  const docs = await raw.find({}, { raw: true } as never).toArray();
  const [info] = await (await t.db()).listCollections({ name }).toArray();
  return {
    count: await raw.countDocuments({}),
    bytes: (docs as unknown as Uint8Array[]).map((buffer) => Buffer.from(buffer).toString('hex')),
    indexes: await raw.listIndexes().toArray(),
    options: (info as { options?: unknown } | undefined)?.options,
  };
}

const staff = async (role: 'WAITER' | 'MANAGER' | 'KITCHEN', method: string, path: string, body?: unknown) => {
  const response = await t.api.request(method, path, body, { token: (await t.loginAs(role)).token });
  expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBeLessThan(300);
  return response.body;
};

async function setApproval(mode: 'auto' | 'waiter') {
  await t.collection('restaurants').updateOne({ _id: 'demo' as never }, { $set: { orderApproval: mode } });
  // Settings are cached per container for 60 s: new containers (as after a deploy) read the change.
  await t.stack.containers!.recycle();
}

describe('POS isolation', () => {
  it('leaves the POS collections byte-identical after every Plato flow', async () => {
    for (const name of POS_COLLECTIONS) {
      await t.collection(name).insertMany(posDocuments(name) as never[]);
      await t.collection(name).createIndex({ restaurantId: 1, orderNumber: 1 }, { name: 'pos_order_no' });
    }
    await t.collection('orders').createIndex({ idempotencyKey: 1 }, { name: 'pos_idem', unique: true, sparse: true });
    const before = Object.fromEntries(await Promise.all(POS_COLLECTIONS.map(async (name) => [name, await snapshot(name)] as const)));
    expect(before.orders.count).toBe(25);
    expect(before.pos_bills.bytes).toHaveLength(25);

    // Join, identify, cart changes.
    const table = await t.freshTable('T-9', 'FAMILY');
    const [a, b] = [await t.joinTable(table.tableId, table.pin), await t.joinTable(table.tableId, table.pin)];
    expect((await t.api.post('/api/customers/identify', { name: 'Kavya', phone: '9898989898' }, { token: a.sessionToken })).status).toBe(200);
    const lines = await t.addToCart(a, 'Seekh Kebab', 2);
    expect((await t.api.request('PATCH', `/api/cart/items/${lines.lines[0].lineId}`, { quantity: 3 }, { token: b.sessionToken })).status).toBe(200);
    const extra = await t.addToCart(b, 'Mango Lassi');
    expect((await t.api.request('DELETE', `/api/cart/items/${extra.lines[1].lineId}`, undefined, { token: a.sessionToken })).status).toBe(200);

    // Auto placement, then the kitchen works the ticket.
    const cart = await t.addToCart(b, 'Tandoori Roti', 4);
    const first = await t.orderCart(a, cart.version);
    await staff('KITCHEN', 'PATCH', `/api/kitchen/orders/${first.orderId}/items/0`, { status: 'COOKING' });
    await staff('KITCHEN', 'PATCH', `/api/kitchen/orders/${first.orderId}/items/0`, { status: 'READY' });
    await staff('KITCHEN', 'POST', `/api/kitchen/orders/${first.orderId}/bump`);
    await staff('KITCHEN', 'POST', `/api/kitchen/orders/${first.orderId}/recall`);

    // Waiter approval: one confirmed, one rejected (dishes back to the cart), one cancelled by a manager.
    await setApproval('waiter');
    try {
      const second = await t.orderCart(b, (await t.addToCart(b, 'Dal Makhani')).version);
      expect(second.status).toBe('pending');
      await staff('WAITER', 'POST', `/api/staff/orders/${second.orderId}/confirm`);
      const third = await t.orderCart(a, (await t.addToCart(a, 'Gulab Jamun', 2)).version);
      await staff('WAITER', 'POST', `/api/staff/orders/${third.orderId}/reject`, { reason: 'Out of syrup' });
      const fourth = await t.orderCart(a, (await t.api.get('/api/cart', { token: a.sessionToken })).body.version);
      await staff('MANAGER', 'POST', `/api/staff/orders/${fourth.orderId}/cancel`, { reason: 'Guest changed mind' });
    } finally {
      await setApproval('auto');
    }

    // Bill, split, payments, close.
    expect((await t.api.get('/api/bill/split?by=device', { token: a.sessionToken })).status).toBe(200);
    await staff('WAITER', 'POST', `/api/staff/orders/${first.orderId}/payment`, { method: 'UPI', status: 'paid' });
    await staff('WAITER', 'GET', `/api/staff/sessions/${table.sessionId}/bill`);
    await staff('WAITER', 'POST', `/api/staff/sessions/${table.sessionId}/payment`, { method: 'CASH', status: 'paid' });
    await t.closeTable(table.sessionId);

    // Plato did write: into its own collection.
    expect(await t.collection('digital_menu_customer_orders').countDocuments({ sessionId: new ObjectId(table.sessionId) })).toBe(4);

    for (const name of POS_COLLECTIONS) {
      const after = await snapshot(name);
      expect(after.count, name).toBe(before[name].count);
      expect(after.indexes, name).toEqual(before[name].indexes);
      expect(after.options, name).toEqual(before[name].options);
      // Byte for byte, document by document (a diff here names the first changed document).
      expect(after.bytes, name).toEqual(before[name].bytes);
    }
    // And the bytes decode to what was seeded (the snapshot really captured the documents).
    const decoded = BSON.deserialize(Buffer.from(before.orders.bytes[1], 'hex'), { promoteValues: false });
    expect(decoded.items[0].rate).toBeInstanceOf(Decimal128);
  });
});
