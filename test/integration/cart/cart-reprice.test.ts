/**
 * A guest never orders at a price the cart did not show. When a manager renames or reprices a dish
 * (or one of its options), every open cart holding it takes the new name and prices at once, with a
 * new version and a `cart.updated` push; and an order placed against a cart that still shows the old
 * price is refused with 409 CART_CHANGED and the repriced cart, nothing written.
 */
import { randomUUID } from 'node:crypto';
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type JoinedGuest, type TestStack } from '../../support/stack.ts';
import type { TestWs } from '../../support/ws.ts';

let t: TestStack;
let manager: string;

beforeAll(async () => {
  t = await startTestStack();
  manager = (await t.loginAs('MANAGER')).token;
});
afterAll(() => t?.stop());

async function phone(tableId: string, pin: string): Promise<{ guest: JoinedGuest; socket: TestWs }> {
  const guest = await t.joinTable(tableId, pin);
  return { guest, socket: await t.connectWs({ token: guest.sessionToken }) };
}
const editDish = (id: string, patch: unknown) => t.api.request('PATCH', `/api/staff/menu/items/${id}`, patch, { token: manager });
const cartAt = (version: number) => (m: any) => m.type === 'cart.updated' && m.cart.version === version;
const taxOf = (subtotal: number) => Math.floor((subtotal * 500 + 5000) / 10000);

describe('a dish repriced or renamed while it sits in open carts', () => {
  it('reprices every line of it live, leaves the other lines alone, and the totals follow', async () => {
    const table = await t.freshTable('T-2', 'FAMILY');
    const [a, b] = [await phone(table.tableId, table.pin), await phone(table.tableId, table.pin)];
    const lassi = await t.dish('Mango Lassi');
    const roti = await t.dish('Tandoori Roti');
    await t.addToCart(a.guest, 'Mango Lassi', 2);
    const before = await t.addToCart(b.guest, 'Tandoori Roti', 3);

    const newPrice = lassi.price + 2000;
    expect((await editDish(lassi.id, { price: newPrice, name: 'Alphonso Mango Lassi' })).status).toBe(200);
    for (const { socket } of [a, b]) {
      const { cart } = await socket.waitFor(cartAt(before.version + 1));
      expect(cart.lines.map((line: any) => [line.name, line.unitPrice, line.lineTotal])).toEqual([
        ['Alphonso Mango Lassi', newPrice, newPrice * 2],
        ['Tandoori Roti', roti.price, roti.price * 3],
      ]);
      const subtotal = newPrice * 2 + roti.price * 3;
      expect(cart).toMatchObject({ subtotal, tax: taxOf(subtotal), total: subtotal + taxOf(subtotal), unavailableLineIds: [] });
    }
  });

  it("reprices a chosen option's line when the option's price changes", async () => {
    const table = await t.freshTable('T-3', 'INDIVIDUAL');
    const { guest, socket } = await phone(table.tableId, table.pin);
    const paneer = await t.dish('Paneer Tikka');
    const added = await t.api.post('/api/cart/items', { menuItemId: paneer.id, quantity: 1, modifierOptionIds: ['full'] }, { token: guest.sessionToken });
    expect(added.status).toBe(200);
    const groups = paneer.modifierGroups.map((group) => ({
      ...group,
      options: group.options.map((option) => (option.id === 'full' ? { ...option, price: option.price + 500 } : option)),
    }));
    const full = groups[0].options.find((option) => option.id === 'full')!;
    expect((await editDish(paneer.id, { modifierGroups: groups })).status).toBe(200);
    const { cart } = await socket.waitFor(cartAt(added.body.version + 1));
    expect(cart.lines[0].modifiers).toEqual([{ groupId: groups[0].groupId, optionId: 'full', name: full.name, price: full.price }]);
    expect(cart.lines[0].lineTotal).toBe(paneer.price + full.price);
  });

  it('leaves carts alone when an edit changes nothing they show', async () => {
    const table = await t.freshTable('T-4', 'INDIVIDUAL');
    const { guest, socket } = await phone(table.tableId, table.pin);
    const chai = await t.dish('Masala Chai');
    const cart = await t.addToCart(guest, 'Masala Chai');
    expect((await editDish(chai.id, { description: 'Spiced tea, brewed with milk.', price: chai.price })).status).toBe(200);
    await socket.waitFor((m) => m.type === 'menu.updated');
    expect((await t.api.get('/api/cart', { token: guest.sessionToken })).body.version).toBe(cart.version);
  });
});

describe('ordering from a cart that still shows an old price', () => {
  it('is refused with the repriced cart and nothing written; ordering again charges what the cart shows', async () => {
    const table = await t.freshTable('T-5', 'FAMILY');
    const [a, b] = [await phone(table.tableId, table.pin), await phone(table.tableId, table.pin)];
    const jamun = await t.dish('Gulab Jamun');
    const cart = await t.addToCart(a.guest, 'Gulab Jamun', 2);
    const sessionId = new ObjectId(table.sessionId);
    // The cart as a phone could hold it between a price edit and its refresh: the old price, same version.
    await t.collection('carts').updateOne({ sessionId }, { $set: { 'lines.0.unitPrice': jamun.price - 1000 } });

    const refused = await t.placeOrder(a.guest, { cartVersion: cart.version }, randomUUID());
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'CART_CHANGED', details: { reason: 'prices_changed', lineIds: [cart.lines[0].lineId] } });
    const repriced = refused.body.error.details.cart;
    expect(repriced).toMatchObject({ version: cart.version + 1, subtotal: jamun.price * 2 });
    expect(await t.collection('digital_menu_customer_orders').countDocuments({ sessionId })).toBe(0);
    expect((await b.socket.waitFor(cartAt(cart.version + 1))).cart).toEqual(repriced);

    const placed = await t.placeOrder(a.guest, { cartVersion: repriced.version }, randomUUID());
    expect(placed.status).toBe(201);
    expect(placed.body.subtotal).toBe(repriced.subtotal);
  });
});
