/**
 * Menu changes reach the guests live: `menu.updated` to every guest socket of the restaurant, and
 * `cart.updated` (with the line in unavailableLineIds) to the phones whose open cart holds the dish.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type JoinedGuest, type TestStack } from '../../support/stack.ts';
import type { TestWs } from '../../support/ws.ts';

let t: TestStack;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await startTestStack();
  for (const item of await t.menuItems()) ids[item.name] = item.id;
});
afterAll(() => t?.stop());

async function phone(tableId: string, pin: string): Promise<{ guest: JoinedGuest; socket: TestWs }> {
  const guest = await t.joinTable(tableId, pin);
  const socket = await t.connectWs({ token: guest.sessionToken });
  return { guest, socket };
}
const add = (guest: JoinedGuest, body: unknown) => t.api.post('/api/cart/items', body, { token: guest.sessionToken });
const cartOf = async (guest: JoinedGuest) => (await t.api.get('/api/cart', { token: guest.sessionToken })).body;
const menuUpdate = (id: string, check: (item: any) => boolean) => (m: any) =>
  m.type === 'menu.updated' && m.items.some((item: any) => item.id === id && check(item));

describe('sold out, back in stock, deleted', () => {
  it('flags the line in every open cart holding the dish, live, and clears it when the dish is back', async () => {
    const familyTable = await t.openTable('T-11', 'FAMILY');
    const [a, b] = [await phone(familyTable.tableId, familyTable.pin), await phone(familyTable.tableId, familyTable.pin)];
    const soloTable = await t.openTable('T-12', 'INDIVIDUAL');
    const [solo, bystander] = [await phone(soloTable.tableId, soloTable.pin), await phone(soloTable.tableId, soloTable.pin)];

    const dal = ids['Dal Makhani'];
    const familyCart = await add(a.guest, { menuItemId: dal, quantity: 1 });
    await add(b.guest, { menuItemId: ids['Tandoori Roti'], quantity: 4 });
    const soloCart = await add(solo.guest, { menuItemId: dal, quantity: 2 });
    await add(bystander.guest, { menuItemId: ids['Masala Chai'], quantity: 1 });
    const familyDalLine = familyCart.body.lines[0].lineId;
    const soloDalLine = soloCart.body.lines[0].lineId;

    // The waiter marks Dal Makhani sold out.
    const { token } = await t.loginAs('WAITER');
    const soldOut = await t.api.request('PATCH', `/api/staff/menu/items/${dal}`, { isAvailable: false }, { token });
    expect(soldOut.status).toBe(200);

    // Every guest socket hears about the menu.
    for (const { socket } of [a, b, solo, bystander]) {
      const update = await socket.waitFor(menuUpdate(dal, (item) => item.isAvailable === false));
      expect(update.items).toEqual([expect.objectContaining({ id: dal, name: 'Dal Makhani', isAvailable: false, deleted: false, category: 'Curries' })]);
    }
    // The carts holding it get a new version with the line flagged, pushed to their phones.
    for (const { socket } of [a, b]) {
      const pushed = await socket.waitFor((m) => m.type === 'cart.updated' && m.cart.unavailableLineIds.includes(familyDalLine));
      expect(pushed.cart.version).toBe(3);
      expect(pushed.cart.unavailableLineIds).toEqual([familyDalLine]); // the roti stays orderable
    }
    const soloPush = await solo.socket.waitFor((m) => m.type === 'cart.updated' && m.cart.unavailableLineIds.includes(soloDalLine));
    expect(soloPush.cart.version).toBe(2);
    expect(await cartOf(a.guest)).toMatchObject({ version: 3, unavailableLineIds: [familyDalLine] });
    expect(await cartOf(solo.guest)).toMatchObject({ version: 2, unavailableLineIds: [soloDalLine] });
    // The bystander's cart has no dal: untouched, and no cart push reached it.
    expect(await cartOf(bystander.guest)).toMatchObject({ version: 1, unavailableLineIds: [] });
    expect(bystander.socket.messages.filter((m) => m.type === 'cart.updated').map((m) => m.cart.version)).toEqual([1]);

    // Nobody can add it meanwhile.
    const refused = await add(b.guest, { menuItemId: dal, quantity: 1 });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('ITEM_UNAVAILABLE');

    // Back in stock: the flag clears live.
    expect((await t.api.request('PATCH', `/api/staff/menu/items/${dal}`, { isAvailable: true }, { token })).status).toBe(200);
    for (const { socket } of [a, b]) {
      const cleared = await socket.waitFor((m) => m.type === 'cart.updated' && m.cart.version === 4);
      expect(cleared.cart.unavailableLineIds).toEqual([]);
    }
    await solo.socket.waitFor((m) => m.type === 'cart.updated' && m.cart.version === 3 && m.cart.unavailableLineIds.length === 0);
    await a.socket.waitFor(menuUpdate(dal, (item) => item.isAvailable === true));
  });

  it('flags the line when a manager deletes the dish, and tells every guest it is gone', async () => {
    const table = await t.openTable('T-6', 'FAMILY');
    const a = await phone(table.tableId, table.pin);
    const gulab = ids['Gulab Jamun'];
    const cart = await add(a.guest, { menuItemId: gulab, quantity: 2, modifierOptionIds: ['ice-cream'] });
    const { token } = await t.loginAs('MANAGER');
    expect((await t.api.request('DELETE', `/api/staff/menu/items/${gulab}`, undefined, { token })).status).toBe(204);
    await a.socket.waitFor(menuUpdate(gulab, (item) => item.deleted === true));
    const pushed = await a.socket.waitFor((m) => m.type === 'cart.updated' && m.cart.version === 2);
    expect(pushed.cart.unavailableLineIds).toEqual([cart.body.lines[0].lineId]);
    // The line keeps what the guest chose; the guest removes it.
    expect(pushed.cart.lines[0]).toMatchObject({ name: 'Gulab Jamun', quantity: 2 });
    const removed = await t.api.request('DELETE', `/api/cart/items/${cart.body.lines[0].lineId}`, undefined, { token: a.guest.sessionToken });
    expect(removed.body).toMatchObject({ version: 3, lines: [], unavailableLineIds: [] });
  });

  it('pushes menu.updated for a manager’s price edit, and the carts holding the dish show the new price', async () => {
    const table = await t.openTable('T-7', 'FAMILY');
    const a = await phone(table.tableId, table.pin);
    const lime = ids['Fresh Lime Soda'];
    await add(a.guest, { menuItemId: lime, quantity: 1, modifierOptionIds: ['sweet'] });
    const { token } = await t.loginAs('MANAGER');
    expect((await t.api.request('PATCH', `/api/staff/menu/items/${lime}`, { price: 12_000 }, { token })).status).toBe(200);
    await a.socket.waitFor(menuUpdate(lime, (item) => item.price === 12_000));
    // The cart is repriced (cart-reprice.test.ts covers the details): a new version at the new price.
    const pushed = await a.socket.waitFor((m) => m.type === 'cart.updated' && m.cart.version === 2);
    expect(pushed.cart.lines[0].unitPrice).toBe(12_000);
    expect(await cartOf(a.guest)).toMatchObject({ version: 2, unavailableLineIds: [] });
  });
});

describe('names', () => {
  it('pushes menu.updated with `names` when a manager renames a category, and the menu then carries the new name', async () => {
    const table = await t.openTable('T-9', 'FAMILY');
    const a = await phone(table.tableId, table.pin);
    const { token } = await t.loginAs('MANAGER');
    const current = (await t.api.get('/api/staff/menu/names', { token })).body;
    const names = [...current.names.filter((n: any) => !(n.kind === 'category' && n.name === 'Curries')), { kind: 'category', name: 'Curries', translations: { hi: 'तरी वाले व्यंजन' } }];
    expect((await t.api.request('PUT', '/api/staff/menu/names', { languages: current.languages, names }, { token })).status).toBe(200);
    const pushed = await a.socket.waitFor((m) => m.type === 'menu.updated' && m.names === true);
    expect(pushed.items).toEqual([]);
    const menu = (await t.api.get('/api/menu')).body;
    expect(menu.categories.find((c: any) => c.name === 'Curries').translations).toEqual({ hi: 'तरी वाले व्यंजन' });
  });
});
