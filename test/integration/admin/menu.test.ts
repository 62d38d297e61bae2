/** GET /api/menu (public, ETag/304) and staff menu editing with its role rules. */
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.ts';

let t: TestStack;

beforeAll(async () => {
  t = await startTestStack();
});
afterAll(() => t?.stop());

const menuItems = () => t.collection('menuItems');
const getMenu = (headers: Record<string, string> = {}) => t.api.get('/api/menu', { headers });
const allItems = (menu: any) => menu.categories.flatMap((c: any) => c.items);
const itemNamed = async (name: string) => allItems((await getMenu()).body).find((i: any) => i.name === name);
const patchItem = (id: string, body: unknown, token?: string) => t.api.request('PATCH', `/api/staff/menu/items/${id}`, body, { token });

const newDish = {
  name: 'Malabar Parotta',
  description: 'Flaky layered flatbread from Kerala.',
  price: 6_500,
  category: 'Rice & Breads',
  isVeg: true,
  station: 'TANDOOR',
  modifierGroups: [{ groupId: 'count', name: 'Pieces', min: 1, max: 1, options: [{ id: 'one', name: 'One', price: 0 }, { id: 'two', name: 'Two', price: 6_000 }] }],
  spiceLevels: [],
  sortOrder: 23,
};

describe('GET /api/menu', () => {
  it('serves the menu grouped by category, public and cacheable', async () => {
    const response = await getMenu();
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=30, stale-while-revalidate=60');
    expect(response.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(response.body.restaurant).toEqual({ name: 'Plato Demo Kitchen', currency: 'INR', taxRate: 5, taxRateBps: 500, timeZone: 'Asia/Kolkata', languages: ['en', 'hi'], defaultLanguage: 'en' });
    expect(response.body.categories.map((c: any) => c.name)).toEqual([
      'Starters',
      'From the Tandoor',
      'Curries',
      'Wok & Noodles',
      'Rice & Breads',
      'Desserts & Drinks',
    ]);
    expect(allItems(response.body)).toHaveLength(30);
    const naan = allItems(response.body).find((i: any) => i.name === 'Butter Naan');
    expect(naan).toEqual({
      id: expect.stringMatching(/^[a-f0-9]{24}$/),
      name: 'Butter Naan',
      description: expect.any(String),
      price: 7_000,
      isVeg: true,
      image: '',
      // The seed's drawn photo (local/demo-photos.ts), resized at the menu's two widths.
      photo: { path: expect.stringMatching(/^\/media\/menu\/demo\/[a-f0-9]{24}\/[a-f0-9]{32}$/), width: 480, height: 480 },
      isAvailable: true,
      station: 'TANDOOR',
      modifierGroups: [
        {
          groupId: 'style',
          name: 'Style',
          min: 1,
          max: 1,
          options: [
            { id: 'plain', name: 'Plain', price: 0 },
            { id: 'garlic', name: 'Garlic', price: 2_000 },
            { id: 'cheese', name: 'Cheese', price: 5_000 },
          ],
        },
      ],
      spiceLevels: [],
      translations: {
        hi: { name: 'बटर नान', description: 'तंदूर का ख़मीरी नान, मक्खन लगा हुआ।', groups: { style: 'स्टाइल' }, options: { plain: 'सादा', garlic: 'लहसुन', cheese: 'चीज़' } },
      },
    });
    // Never the internals.
    expect(JSON.stringify(response.body)).not.toMatch(/restaurantId|createdAt|deletedAt|_id/);
  });

  it('answers 304 with no body when If-None-Match carries the current ETag', async () => {
    const first = await getMenu();
    const etag = first.headers.get('etag')!;
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const again = await getMenu({ 'if-none-match': ifNoneMatch });
      expect(again.status).toBe(304);
      expect(again.body).toBeUndefined();
      expect(again.headers.get('etag')).toBe(etag);
      expect(again.headers.get('cache-control')).toBe('public, max-age=30, stale-while-revalidate=60');
    }
    expect((await getMenu({ 'if-none-match': '"stale"' })).status).toBe(200);
  });

  it('changes the ETag when the menu changes, and back when the change is undone', async () => {
    const before = await getMenu();
    const chai = allItems(before.body).find((i: any) => i.name === 'Masala Chai');
    const { token } = await t.loginAs('WAITER');
    expect((await patchItem(chai.id, { isAvailable: false }, token)).status).toBe(200);
    const during = await getMenu({ 'if-none-match': before.headers.get('etag')! });
    expect(during.status).toBe(200);
    expect(during.headers.get('etag')).not.toBe(before.headers.get('etag'));
    expect(allItems(during.body).find((i: any) => i.name === 'Masala Chai').isAvailable).toBe(false);
    expect((await patchItem(chai.id, { isAvailable: true }, token)).status).toBe(200);
    expect((await getMenu()).headers.get('etag')).toBe(before.headers.get('etag'));
  });
});

describe('staff menu editing', () => {
  it('lets a WAITER mark a dish sold out and back, and nothing else', async () => {
    const { token } = await t.loginAs('WAITER');
    const lassi = await itemNamed('Mango Lassi');
    const soldOut = await patchItem(lassi.id, { isAvailable: false }, token);
    expect(soldOut.status).toBe(200);
    expect(soldOut.body).toMatchObject({ id: lassi.id, isAvailable: false, category: 'Desserts & Drinks', deleted: false });
    const entry = await t.collection('audit_log').findOne({ action: 'MENU_ITEM_SOLD_OUT', 'details.menuItemId': lassi.id });
    expect(entry).toMatchObject({ restaurantId: 'demo', outcome: 'success', actor: { kind: 'staff', username: 'waiter' }, details: { name: 'Mango Lassi', fields: ['isAvailable'] } });

    const priceChange = await patchItem(lassi.id, { price: 1 }, token);
    expect(priceChange.status).toBe(403);
    expect(priceChange.body.error).toMatchObject({ code: 'FORBIDDEN', details: { fields: ['price'], requiredRole: 'MANAGER' } });
    const sneaky = await patchItem(lassi.id, { isAvailable: true, name: 'Cheap Lassi' }, token);
    expect(sneaky.status).toBe(403);
    const stored = await menuItems().findOne({ _id: new ObjectId(lassi.id) });
    expect(stored).toMatchObject({ price: lassi.price, name: 'Mango Lassi', isAvailable: false });

    expect((await t.api.post('/api/staff/menu/items', newDish, { token })).status).toBe(403);
    expect((await t.api.request('DELETE', `/api/staff/menu/items/${lassi.id}`, undefined, { token })).status).toBe(403);
    expect((await patchItem(lassi.id, { isAvailable: true }, token)).status).toBe(200);
  });

  it('refuses KITCHEN, guests and anonymous callers', async () => {
    const lassi = await itemNamed('Mango Lassi');
    const kitchen = await t.loginAs('KITCHEN');
    expect((await patchItem(lassi.id, { isAvailable: false }, kitchen.token)).status).toBe(403);
    expect((await patchItem(lassi.id, { isAvailable: false })).status).toBe(401);
    const table = await t.openTable('T-10', 'FAMILY');
    const guest = await t.joinTable(table.tableId, table.pin);
    expect((await patchItem(lassi.id, { isAvailable: false }, guest.sessionToken)).status).toBe(403);
    expect((await itemNamed('Mango Lassi')).isAvailable).toBe(true);
  });

  it('lets a MANAGER create, edit and delete a dish', async () => {
    const { token } = await t.loginAs('MANAGER');
    const created = await t.api.post('/api/staff/menu/items', newDish, { token });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...newDish, id: expect.stringMatching(/^[a-f0-9]{24}$/), image: '', isAvailable: true, deleted: false });
    const id = created.body.id;
    const menu = (await getMenu()).body;
    const breads = menu.categories.find((c: any) => c.name === 'Rice & Breads');
    expect(breads.items.map((i: any) => i.name)).toContain('Malabar Parotta');

    const edited = await patchItem(id, { price: 7_000, description: 'Layered and flaky.', spiceLevels: ['regular'] }, token);
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ price: 7_000, description: 'Layered and flaky.', spiceLevels: ['regular'] });
    expect(await itemNamed('Malabar Parotta')).toMatchObject({ price: 7_000 });

    const deleted = await t.api.request('DELETE', `/api/staff/menu/items/${id}`, undefined, { token });
    expect(deleted.status).toBe(204);
    expect(await itemNamed('Malabar Parotta')).toBeUndefined();
    const stored = await menuItems().findOne({ _id: new ObjectId(id) });
    expect(stored?.deletedAt).toBeInstanceOf(Date); // soft delete: orders naming it still resolve it
    expect((await patchItem(id, { price: 1 }, token)).status).toBe(404);
    expect((await t.api.request('DELETE', `/api/staff/menu/items/${id}`, undefined, { token })).status).toBe(404);
    expect((await patchItem(new ObjectId().toHexString(), { isAvailable: false }, token)).status).toBe(404);
  });

  it('validates what a manager sends', async () => {
    const { token } = await t.loginAs('MANAGER');
    const bad = async (body: unknown, path: string) => {
      const response = await t.api.post('/api/staff/menu/items', body, { token });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION_FAILED');
      expect(response.body.error.details.map((d: any) => d.path).join(' ')).toContain(path);
    };
    await bad({ ...newDish, price: 65.5 }, 'body.price');
    await bad({ ...newDish, price: -1 }, 'body.price');
    await bad({ ...newDish, name: '' }, 'body.name');
    await bad({ ...newDish, station: 'MOON' }, 'body.station'); // not one of the restaurant's stations
    await bad({ ...newDish, image: 'javascript:alert(1)' }, 'body.image');
    await bad({ ...newDish, spiceLevels: ['volcanic'] }, 'body.spiceLevels');
    await bad({ ...newDish, restaurantId: 'other' }, 'body');
    await bad({ ...newDish, modifierGroups: [{ ...newDish.modifierGroups[0], min: 2, max: 1 }] }, 'body.modifierGroups.0.max');
    await bad(
      { ...newDish, modifierGroups: [newDish.modifierGroups[0], { ...newDish.modifierGroups[0], groupId: 'again' }] },
      'body.modifierGroups.1.options.0.id',
    );
    const empty = await patchItem((await itemNamed('Masala Chai')).id, {}, token);
    expect(empty.status).toBe(400);
    expect(await menuItems().countDocuments({ name: 'Malabar Parotta', deletedAt: { $exists: false } })).toBe(0);
  });
});
