/**
 * The POS contract (seed 002): `digital_menu_customer_orders` and `customers` read exactly as the
 * POS team documented them — field names, types, units, status values, UTC dates — after the flows
 * that write them (identify, order, kitchen, payment, cancellation, logout, a second visit). Plato's
 * own extra fields are allowed; a documented field with another name, type or unit fails.
 *
 * Money: the documented fields are major units (rupees) rounded to the currency's minor digits, the
 * exact minor units go alongside (POS_MONEY_UNIT=minor: pos-contract-minor.test.ts).
 */
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startTestStack, type JoinedGuest, type TestStack } from '../../support/stack.ts';

const utcDate = z.date().refine((date) => !Number.isNaN(date.getTime()), 'a valid Date');
/** A number with at most `digits` decimals (rupees to the paisa). */
const major = (digits: number) => z.number().nonnegative().refine((n) => Math.abs(n * 10 ** digits - Math.round(n * 10 ** digits)) < 1e-6, `at most ${digits} decimals`);
const rupees = major(2);

/** Seed 002's order document, field by field (optional fields as documented). */
const DocumentedItem = z.object({
  menuItemId: z.string(),
  menuItemName: z.string(),
  quantity: z.number().int().positive(),
  price: rupees,
  total: rupees,
  spiceLevel: z.enum(['no-spicy', 'less-spicy', 'regular', 'more-spicy']).optional(),
  notes: z.string().optional(),
});
const DocumentedOrder = z.object({
  _id: z.instanceof(ObjectId),
  customerId: z.instanceof(ObjectId).optional(),
  customerName: z.string().optional(),
  customerPhone: z.string().regex(/^\d{10}$/).optional(),
  items: z.array(DocumentedItem).min(1),
  subtotal: rupees,
  tax: rupees,
  total: rupees,
  status: z.enum(['pending', 'confirmed', 'preparing', 'completed', 'cancelled']),
  paymentStatus: z.enum(['pending', 'paid', 'failed']),
  paymentMethod: z.string().optional(),
  tableNumber: z.string().optional(),
  floorNumber: z.string().optional(),
  orderDate: utcDate,
  createdAt: utcDate,
  updatedAt: utcDate,
});
const DocumentedCustomer = z.object({
  _id: z.instanceof(ObjectId),
  name: z.string(),
  phoneNumber: z.string().regex(/^\d{10}$/),
  visitCount: z.number().int().nonnegative(),
  favorites: z.array(z.string()),
  firstVisit: utcDate,
  lastVisit: utcDate,
  loginStatus: z.enum(['loggedin', 'loggedout']),
  createdAt: utcDate,
  updatedAt: utcDate,
});

type Doc = Record<string, any>;

/** The units, beyond the types: every documented amount is its minor amount in rupees, and they add up. */
function expectRupeesMatchPaise(order: Doc): void {
  for (const item of order.items) {
    expect(item.priceMinor).toSatisfy(Number.isSafeInteger);
    expect(item.price).toBe(item.priceMinor / 100);
    expect(item.total).toBe(item.totalMinor / 100);
    expect(item.totalMinor).toBe(item.priceMinor * item.quantity);
  }
  const { subtotal, tax, total } = order.amountsMinor;
  expect({ subtotal: order.subtotal, tax: order.tax, total: order.total }).toEqual({ subtotal: subtotal / 100, tax: tax / 100, total: total / 100 });
  expect(subtotal).toBe(order.items.reduce((sum: number, item: Doc) => sum + item.totalMinor, 0));
  expect(total).toBe(subtotal + tax);
}

/** The number verified with its one-time code: only then is a customer found or created. */
async function identify(t: TestStack, guest: JoinedGuest, name: string, phone: string) {
  await t.identifyVerified(guest, name, phone);
}

describe('the POS contract, POS_MONEY_UNIT=major (the default)', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack();
  });
  afterAll(() => t?.stop());

  it('orders read as documented, in rupees to the paisa, through kitchen, payment and cancellation', async () => {
    const manager = (await t.loginAs('MANAGER')).token;
    const chai = await t.dish('Masala Chai');
    // ₹14.95: a price whose rupees have paise.
    expect((await t.api.request('PATCH', `/api/staff/menu/items/${chai.id}`, { price: 1495 }, { token: manager })).status).toBe(200);

    const table = await t.freshTable('T-6');
    const guest = await t.joinTable(table.tableId, table.pin);
    await identify(t, guest, 'Rajesh Kumar', '9876543210');
    await t.addToCart(guest, 'Masala Chai', 3, { notes: 'less sugar' });
    const cart = await t.addToCart(guest, 'Dal Makhani', 1, { spiceLevel: 'regular' });
    const served = await t.orderCart(guest, cart.version);
    const again = await t.addToCart(guest, 'Masala Chai', 1);
    const cancelled = await t.orderCart(guest, again.version);

    const kitchen = (await t.loginAs('KITCHEN')).token;
    for (let index = 0; index < served.items.length; index++) {
      for (const status of ['COOKING', 'READY', 'SERVED']) {
        expect((await t.api.request('PATCH', `/api/kitchen/orders/${served.orderId}/items/${index}`, { status }, { token: kitchen })).status).toBe(200);
      }
    }
    expect((await t.api.post(`/api/staff/orders/${served.orderId}/payment`, { method: 'UPI', status: 'paid' }, { token: manager })).status).toBe(200);
    expect((await t.api.post(`/api/staff/orders/${cancelled.orderId}/cancel`, { reason: 'guest left' }, { token: manager })).status).toBe(200);

    const stored = await t.collection('digital_menu_customer_orders').find({ sessionId: new ObjectId(table.sessionId) }, { sort: { orderDate: 1 } }).toArray();
    expect(stored).toHaveLength(2);
    for (const order of stored) {
      DocumentedOrder.parse(order);
      expectRupeesMatchPaise(order);
      expect(order.orderDate.getTime()).toBeLessThanOrEqual(order.updatedAt.getTime());
    }
    const [first, second] = stored;
    const chaiLine = first.items.find((item: Doc) => item.menuItemName === 'Masala Chai');
    expect(chaiLine).toMatchObject({ quantity: 3, price: 14.95, total: 44.85, priceMinor: 1495, totalMinor: 4485, notes: 'less sugar' });
    expect(first).toMatchObject({
      customerName: 'Rajesh Kumar',
      customerPhone: '9876543210',
      status: 'completed',
      paymentStatus: 'paid',
      paymentMethod: 'UPI',
      tableNumber: 'T-6',
      floorNumber: table.floor,
    });
    expect(second).toMatchObject({ status: 'cancelled', paymentStatus: 'pending', subtotal: 14.95 });

    // What the apps show is computed from the minor units: the bill agrees to the paisa.
    const bill = await t.api.get(`/api/staff/sessions/${table.sessionId}/bill`, { token: manager });
    expect(bill.body).toMatchObject({ total: first.amountsMinor.total, paid: first.amountsMinor.total, due: 0 });
  });

  it('customers read as documented; loginStatus goes loggedin → loggedout → loggedin; a visit counts once per table session', async () => {
    const customers = t.collection('customers');
    const table = await t.freshTable('T-7');
    const phone = await t.joinTable(table.tableId, table.pin);
    await identify(t, phone, 'Priya Sharma', '9123456789');
    const created = await customers.findOne({ phoneNumber: '9123456789' });
    DocumentedCustomer.parse(created);
    expect(created).toMatchObject({ name: 'Priya Sharma', visitCount: 1, favorites: [], loginStatus: 'loggedin' });
    expect(created!.firstVisit.getTime()).toBe(created!.lastVisit.getTime());

    expect((await t.api.post('/api/sessions/logout', undefined, { token: phone.sessionToken })).status).toBe(204);
    const out = await customers.findOne({ phoneNumber: '9123456789' });
    DocumentedCustomer.parse(out);
    expect(out!.loginStatus).toBe('loggedout');

    // Same table session: logged in again, not a second visit.
    const rejoined = await t.joinTable(table.tableId, table.pin);
    await identify(t, rejoined, 'Priya Sharma', '9123456789');
    expect(await customers.findOne({ phoneNumber: '9123456789' })).toMatchObject({ loginStatus: 'loggedin', visitCount: 1 });

    // Another visit: counted, lastVisit moves, firstVisit stays.
    const next = await t.freshTable('T-7');
    const back = await t.joinTable(next.tableId, next.pin);
    await identify(t, back, 'Priya Sharma', '9123456789');
    const returning = await customers.findOne({ phoneNumber: '9123456789' });
    DocumentedCustomer.parse(returning);
    expect(returning).toMatchObject({ visitCount: 2, loginStatus: 'loggedin' });
    expect(returning!.firstVisit.getTime()).toBe(created!.firstVisit.getTime());
    expect(returning!.lastVisit.getTime()).toBeGreaterThan(created!.lastVisit.getTime());

    // Starring a dish writes its menu item id into `favorites` (an array of strings), as documented.
    const dish = (await t.menuItems()).find((item) => item.isAvailable)!;
    expect((await t.api.request('PUT', `/api/customers/favorites/${dish.id}`, undefined, { token: back.sessionToken })).status).toBe(200);
    const starred = await customers.findOne({ phoneNumber: '9123456789' });
    DocumentedCustomer.parse(starred);
    expect(starred!.favorites).toEqual([dish.id]);
  });
});
