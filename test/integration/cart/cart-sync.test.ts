/**
 * Live cart sync over the local runtime: real HTTP, real WebSockets, the real driver.
 * FAMILY: one cart per table, every phone sees every change. INDIVIDUAL: one cart per phone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type JoinedGuest, type TestStack } from '../../support/stack.ts';
import type { TestWs } from '../../support/ws.ts';

let t: TestStack;

beforeAll(async () => {
  t = await startTestStack();
});
afterAll(() => t?.stop());

async function phone(tableId: string, pin: string): Promise<{ guest: JoinedGuest; socket: TestWs }> {
  const guest = await t.joinTable(tableId, pin);
  const socket = await t.connectWs({ token: guest.sessionToken });
  return { guest, socket };
}

const cartUpdate = (version: number) => (m: any) => m.type === 'cart.updated' && m.cart.version === version;
const getCart = (guest: JoinedGuest) => t.api.get('/api/cart', { token: guest.sessionToken });
const add = (guest: JoinedGuest, body: unknown) => t.api.post('/api/cart/items', body, { token: guest.sessionToken });
const patch = (guest: JoinedGuest, lineId: string, body: unknown) =>
  t.api.request('PATCH', `/api/cart/items/${lineId}`, body, { token: guest.sessionToken });
const remove = (guest: JoinedGuest, lineId: string) => t.api.request('DELETE', `/api/cart/items/${lineId}`, undefined, { token: guest.sessionToken });

describe('FAMILY mode: one cart shared live by three phones', () => {
  it('pushes every change to every phone of the table, with who added each line', async () => {
    const table = await t.openTable('T-2', 'FAMILY');
    const [a, b, c] = [await phone(table.tableId, table.pin), await phone(table.tableId, table.pin), await phone(table.tableId, table.pin)];
    const identify = await t.api.post('/api/customers/identify', { name: 'Priya', phone: '9876543210' }, { token: a.guest.sessionToken });
    expect(identify.status).toBe(200);

    const empty = await getCart(b.guest);
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({ version: 0, lines: [], subtotal: 0, tax: 0, total: 0, unavailableLineIds: [] });

    // A adds a full Paneer Tikka, more spicy: priced from the menu.
    const paneer = await t.dish('Paneer Tikka');
    const full = paneer.modifierGroups[0].options.find((o) => o.id === 'full')!;
    const added = await add(a.guest, { menuItemId: paneer.id, quantity: 2, modifierOptionIds: ['full'], spiceLevel: 'more-spicy', notes: 'extra onions' });
    expect(added.status).toBe(200);
    const lineTotal = (paneer.price + full.price) * 2;
    const tax = Math.floor((lineTotal * 500 + 5000) / 10000);
    expect(added.body).toMatchObject({
      version: 1,
      subtotal: lineTotal,
      tax,
      total: lineTotal + tax,
      unavailableLineIds: [],
      lines: [
        {
          menuItemId: paneer.id,
          name: 'Paneer Tikka',
          unitPrice: paneer.price,
          quantity: 2,
          modifiers: [{ groupId: 'portion', optionId: 'full', name: 'Full', price: full.price }],
          spiceLevel: 'more-spicy',
          notes: 'extra onions',
          addedByDeviceId: a.guest.deviceId,
          addedByName: 'Priya',
          lineTotal,
        },
      ],
    });
    const lineId = added.body.lines[0].lineId;
    for (const { socket } of [a, b, c]) {
      const pushed = await socket.waitFor(cartUpdate(1));
      expect(pushed.cart).toEqual(added.body);
    }

    // B changes the quantity; C removes; A and the others follow.
    const changed = await patch(b.guest, lineId, { quantity: 3, expectedVersion: 1 });
    expect(changed.status).toBe(200);
    expect(changed.body.version).toBe(2);
    expect(changed.body.lines[0]).toMatchObject({ quantity: 3, addedByDeviceId: a.guest.deviceId, lineTotal: (paneer.price + full.price) * 3 });
    for (const { socket } of [a, b, c]) expect((await socket.waitFor(cartUpdate(2))).cart).toEqual(changed.body);

    const naan = await t.dish('Butter Naan');
    const second = await add(c.guest, { menuItemId: naan.id, quantity: 4, modifierOptionIds: ['garlic'] });
    expect(second.status).toBe(200);
    expect(second.body.lines.map((l: any) => l.addedByDeviceId)).toEqual([a.guest.deviceId, c.guest.deviceId]);
    expect(second.body.lines[1].addedByName).toBeNull();
    for (const { socket } of [a, b, c]) await socket.waitFor(cartUpdate(3));

    const removed = await remove(c.guest, lineId);
    expect(removed.status).toBe(200);
    expect(removed.body.version).toBe(4);
    expect(removed.body.lines.map((l: any) => l.name)).toEqual(['Butter Naan']);
    for (const { socket } of [a, b, c]) expect((await socket.waitFor(cartUpdate(4))).cart).toEqual(removed.body);

    // Every phone reads the same cart.
    for (const { guest } of [a, b, c]) expect((await getCart(guest)).body).toEqual(removed.body);

    // Clearing empties it for everyone; clearing again changes nothing.
    const cleared = await t.api.request('DELETE', '/api/cart', undefined, { token: b.guest.sessionToken });
    expect(cleared.body).toMatchObject({ version: 5, lines: [], subtotal: 0, tax: 0, total: 0 });
    for (const { socket } of [a, b, c]) await socket.waitFor(cartUpdate(5));
    const again = await t.api.request('DELETE', '/api/cart', undefined, { token: b.guest.sessionToken });
    expect(again.body.version).toBe(5);
  });

  it('refuses a PATCH against a stale version with 409 CART_CHANGED and the current cart', async () => {
    const table = await t.openTable('T-3', 'FAMILY');
    const [a, b] = [await phone(table.tableId, table.pin), await phone(table.tableId, table.pin)];
    const samosa = await t.dish('Vegetable Samosa');
    const first = await add(a.guest, { menuItemId: samosa.id, quantity: 1 });
    const lineId = first.body.lines[0].lineId;
    await add(b.guest, { menuItemId: samosa.id, quantity: 2 }); // version 2: A's view (1) is stale
    await b.socket.waitFor(cartUpdate(2));
    const heardByB = () => b.socket.messages.filter((m: any) => m.type === 'cart.updated').length;
    const heardBefore = heardByB();

    const stale = await patch(a.guest, lineId, { quantity: 5, expectedVersion: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('CART_CHANGED');
    // A refused change pushes nothing (the sockets' lookup ran alongside the update; its answer is dropped).
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(heardByB()).toBe(heardBefore);
    const current = (await getCart(a.guest)).body;
    expect(current.version).toBe(2);
    expect(stale.body.error.details.cart).toEqual(current);
    expect(current.lines[0].quantity).toBe(1);

    const fresh = await patch(a.guest, lineId, { quantity: 5, notes: 'well done', expectedVersion: 2 });
    expect(fresh.status).toBe(200);
    expect(fresh.body.lines[0]).toMatchObject({ quantity: 5, notes: 'well done' });
    const clearedNotes = await patch(a.guest, lineId, { notes: '' });
    expect(clearedNotes.body.lines[0].notes).toBeNull();
    expect(clearedNotes.body.version).toBe(4);
    await b.socket.waitFor(cartUpdate(4));
  });

  it('loses nothing when twenty phones add at once', async () => {
    const table = await t.openTable('T-4', 'FAMILY');
    const guests: JoinedGuest[] = [];
    for (let i = 0; i < 20; i++) guests.push(await t.joinTable(table.tableId, table.pin));
    const chai = await t.dish('Masala Chai');
    const responses = await Promise.all(guests.map((guest, i) => add(guest, { menuItemId: chai.id, quantity: 1, notes: `cup ${i}` })));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    // Each add saw a distinct version: the updates were serialized by the database, not lost.
    expect(responses.map((r) => r.body.version).sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const cart = (await getCart(guests[0])).body;
    expect(cart.version).toBe(20);
    expect(cart.lines).toHaveLength(20);
    expect(new Set(cart.lines.map((l: any) => l.lineId)).size).toBe(20);
    expect(new Set(cart.lines.map((l: any) => l.addedByDeviceId))).toEqual(new Set(guests.map((g) => g.deviceId)));
    expect(cart.lines.map((l: any) => l.notes).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `cup ${i}`).sort());
    expect(cart.subtotal).toBe(20 * chai.price);
  });

  it('makes a reconnected phone whole with {"action":"sync"}', async () => {
    const table = await t.openTable('T-5', 'FAMILY');
    const a = await phone(table.tableId, table.pin);
    const b = await t.joinTable(table.tableId, table.pin);
    const lassi = await t.dish('Mango Lassi');
    await add(a.guest, { menuItemId: lassi.id, quantity: 2 });
    // B was offline while A added; it connects and asks for the state.
    const socket = await t.connectWs({ token: b.sessionToken });
    socket.send({ action: 'sync' });
    const synced = await socket.waitFor((m) => m.type === 'sync');
    expect(synced.channel).toBe('GUEST');
    expect(synced.cart).toEqual((await getCart(b)).body);
    expect(synced.cart.version).toBe(1);
  });
});

describe("the changing phone's own socket", () => {
  /** The id the server gives a socket in its sync reply (what the diner app sends back on cart calls). */
  async function connectionIdOf(socket: TestWs): Promise<string> {
    socket.send({ action: 'sync' });
    const synced = await socket.waitFor((m) => m.type === 'sync');
    expect(synced.connectionId).toMatch(/^[A-Za-z0-9+/=_-]{1,128}$/);
    return synced.connectionId;
  }
  const naming = (guest: JoinedGuest, connectionId: string) => ({ token: guest.sessionToken, headers: { 'x-plato-connection-id': connectionId } });

  it('is skipped when the request names it: the HTTP answer carries the cart, the other phones get the push', async () => {
    const table = await t.openTable('T-9', 'FAMILY');
    const [a, b] = [await phone(table.tableId, table.pin), await phone(table.tableId, table.pin)];
    const aSocket = await connectionIdOf(a.socket);
    const roti = await t.dish('Tandoori Roti');

    const added = await t.api.post('/api/cart/items', { menuItemId: roti.id, quantity: 1 }, naming(a.guest, aSocket));
    expect(added.status).toBe(200);
    expect((await b.socket.waitFor(cartUpdate(1))).cart).toEqual(added.body);

    // B's change reaches A on the same socket after anything sent to it for version 1.
    const changed = await t.api.request('PATCH', `/api/cart/items/${added.body.lines[0].lineId}`, { quantity: 2 }, { token: b.guest.sessionToken });
    expect((await a.socket.waitFor(cartUpdate(2))).cart).toEqual(changed.body);
    expect(a.socket.messages.filter(cartUpdate(1))).toEqual([]);
  });

  it('cannot be used to silence another phone: a borrowed id of another device is ignored', async () => {
    const table = await t.openTable('T-10', 'FAMILY');
    const [a, b] = [await phone(table.tableId, table.pin), await phone(table.tableId, table.pin)];
    const aSocket = await connectionIdOf(a.socket);
    const lassi = await t.dish('Mango Lassi');
    // B names A's socket: A is still told about B's change.
    const added = await t.api.post('/api/cart/items', { menuItemId: lassi.id, quantity: 1 }, naming(b.guest, aSocket));
    expect(added.status).toBe(200);
    expect((await a.socket.waitFor(cartUpdate(1))).cart).toEqual(added.body);
    expect((await b.socket.waitFor(cartUpdate(1))).cart).toEqual(added.body);
  });

  it("skips only the named tab: the same phone's other tab still follows (INDIVIDUAL)", async () => {
    const table = await t.openTable('T-11', 'INDIVIDUAL');
    const guest = await t.joinTable(table.tableId, table.pin);
    const [named, other] = [await t.connectWs({ token: guest.sessionToken }), await t.connectWs({ token: guest.sessionToken })];
    const namedId = await connectionIdOf(named);
    const roti = await t.dish('Tandoori Roti');
    const added = await t.api.post('/api/cart/items', { menuItemId: roti.id, quantity: 2 }, naming(guest, namedId));
    expect((await other.waitFor(cartUpdate(1))).cart).toEqual(added.body);
    // A change without the header reaches both tabs; the named tab never saw version 1.
    const cleared = await t.api.request('DELETE', '/api/cart', undefined, { token: guest.sessionToken });
    expect(cleared.body.version).toBe(2);
    await named.waitFor(cartUpdate(2));
    expect(named.messages.filter(cartUpdate(1))).toEqual([]);
  });
});

describe('INDIVIDUAL mode: each phone its own cart', () => {
  it('keeps carts apart: pushes reach only the owner, other lines are not found, and nothing changes', async () => {
    const table = await t.openTable('T-6', 'INDIVIDUAL');
    const [a, b] = [await phone(table.tableId, table.pin), await phone(table.tableId, table.pin)];
    const aSecond = await t.connectWs({ token: a.guest.sessionToken }); // A's second tab

    const biryani = await t.dish('Chicken Dum Biryani');
    const mine = await add(a.guest, { menuItemId: biryani.id, quantity: 1, modifierOptionIds: ['raita'] });
    expect(mine.status).toBe(200);
    expect(mine.body.version).toBe(1);
    await a.socket.waitFor(cartUpdate(1));
    await aSecond.waitFor(cartUpdate(1));

    const lime = await t.dish('Fresh Lime Soda');
    const theirs = await add(b.guest, { menuItemId: lime.id, quantity: 2, modifierOptionIds: ['salted'] });
    expect(theirs.body).toMatchObject({ version: 1, lines: [{ name: 'Fresh Lime Soda', addedByDeviceId: b.guest.deviceId }] });
    const bPush = await b.socket.waitFor(cartUpdate(1));
    expect(bPush.cart.lines.map((l: any) => l.name)).toEqual(['Fresh Lime Soda']);
    // B's socket never saw A's cart, and A's sockets never saw B's.
    expect(b.socket.messages.filter((m) => m.type === 'cart.updated')).toHaveLength(1);
    await a.socket.waitFor(() => false, 200).catch(() => undefined);
    expect(a.socket.messages.filter((m) => m.type === 'cart.updated').map((m) => m.cart.lines[0].name)).toEqual(['Chicken Dum Biryani']);

    expect((await getCart(a.guest)).body).toEqual(mine.body);
    expect((await getCart(b.guest)).body).toEqual(theirs.body);

    // B tries A's line: not found, and A's cart has not moved.
    const aLine = mine.body.lines[0].lineId;
    for (const attempt of [patch(b.guest, aLine, { quantity: 9 }), remove(b.guest, aLine), patch(b.guest, aLine, { quantity: 9, expectedVersion: 1 })]) {
      const response = await attempt;
      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe('NOT_FOUND');
    }
    expect((await getCart(a.guest)).body).toEqual(mine.body);
    expect((await getCart(b.guest)).body.version).toBe(1);

    // Sync gives each phone its own cart.
    b.socket.send({ action: 'sync' });
    expect((await b.socket.waitFor((m) => m.type === 'sync')).cart).toEqual(theirs.body);
  });

  it('live-syncs two tabs of the same phone and answers sync with that phone’s cart', async () => {
    const table = await t.openTable('T-7', 'INDIVIDUAL');
    const guest = await t.joinTable(table.tableId, table.pin);
    const tabs = [await t.connectWs({ token: guest.sessionToken }), await t.connectWs({ token: guest.sessionToken })];
    const roti = await t.dish('Tandoori Roti');
    const added = await add(guest, { menuItemId: roti.id, quantity: 6 });
    for (const tab of tabs) expect((await tab.waitFor(cartUpdate(1))).cart).toEqual(added.body);
    const changed = await patch(guest, added.body.lines[0].lineId, { quantity: 8 });
    for (const tab of tabs) expect((await tab.waitFor(cartUpdate(2))).cart).toEqual(changed.body);
  });
});
