/**
 * The menu in the guest's language (#19 item 5), through the local runtime: dishes, categories,
 * stations and floors carry translations in the restaurant's languages; managers edit them (dish
 * texts on the dish, the shared names and the set of languages on /api/staff/menu/names); the menu
 * serves them for the phone to pick with a fallback; orders keep the default-language name the POS
 * reads, plus the dish's other names for the kitchen.
 */
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderDoc, RestaurantDoc } from '../../../functions/data/documents.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';

let t: TestStack;
let manager: string;
let waiter: string;

beforeAll(async () => {
  t = await startTestStack();
  manager = (await t.loginAs('MANAGER')).token;
  waiter = (await t.loginAs('WAITER')).token;
});
afterAll(() => t?.stop());

const menu = async () => (await t.api.get('/api/menu')).body;
const dishIn = async (name: string) => (await menu()).categories.flatMap((c: any) => c.items).find((i: any) => i.name === name);
const patchDish = (id: string, body: unknown, token = manager) => t.api.request('PATCH', `/api/staff/menu/items/${id}`, body, { token });
const putNames = (body: unknown, token = manager) => t.api.request('PUT', '/api/staff/menu/names', body, { token });
const getNames = (token = waiter) => t.api.request('GET', '/api/staff/menu/names', undefined, { token });

describe('the menu carries its languages', () => {
  it('serves dish texts, option and group names and category names in Hindi beside the default English', async () => {
    const body = await menu();
    expect(body.restaurant).toMatchObject({ languages: ['en', 'hi'], defaultLanguage: 'en' });
    expect(body.categories.map((c: any) => [c.name, c.translations?.hi])).toContainEqual(['From the Tandoor', 'तंदूर से']);
    const tikka = await dishIn('Paneer Tikka');
    expect(tikka.name).toBe('Paneer Tikka');
    expect(tikka.translations.hi).toMatchObject({ name: 'पनीर टिक्का', groups: { portion: 'पोर्शन' }, options: { half: 'हाफ़', full: 'फ़ुल' } });
  });
});

describe('managers translate a dish', () => {
  it('saves the Hindi texts, refuses a language the restaurant does not offer, an unknown option, and a waiter', async () => {
    const fries = await dishIn('Crispy Corn Pepper Salt');
    const hi = { name: 'कुरकुरा मक्का', description: 'काली मिर्च और नमक के साथ।' };
    const saved = await patchDish(fries.id, { translations: { hi } });
    expect(saved.status).toBe(200);
    expect(saved.body.translations).toEqual({ hi });
    expect((await dishIn('Crispy Corn Pepper Salt')).translations).toEqual({ hi });

    const before = await t.collection('menuItems').findOne({ _id: new ObjectId(fries.id) });
    const tamil = await patchDish(fries.id, { translations: { ta: { name: 'சோளம்' } } });
    expect(tamil.status).toBe(400);
    expect(tamil.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ code: 'unknown_language' })] });
    const english = await patchDish(fries.id, { translations: { en: { name: 'Corn' } } });
    expect(english.body.error.details[0].code).toBe('unknown_language');
    const naan = await dishIn('Butter Naan');
    const option = await patchDish(naan.id, { translations: { hi: { options: { onion: 'प्याज़' } } } });
    expect(option.status).toBe(400);
    expect(option.body.error.details[0]).toMatchObject({ code: 'unknown_option', path: 'body.translations.hi.options.onion' });
    expect((await patchDish(fries.id, { translations: { HI: { name: 'x' } } })).status).toBe(400);
    expect((await patchDish(fries.id, { translations: { hi: { name: 'x', price: 1 } } })).status).toBe(400);
    // Nothing was written by the refused requests.
    expect(await t.collection('menuItems').findOne({ _id: new ObjectId(fries.id) })).toEqual(before);

    const byWaiter = await patchDish(fries.id, { translations: { hi: { name: 'x' } } }, waiter);
    expect(byWaiter.status).toBe(403);
  });
});

describe('the languages and the shared names', () => {
  it('lists every category, station and floor with its translations', async () => {
    const answer = await getNames();
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ languages: ['en', 'hi'], defaultLanguage: 'en' });
    expect(answer.body.names).toEqual(
      expect.arrayContaining([
        { kind: 'category', name: 'Curries', translations: { hi: 'करी' } },
        { kind: 'station', name: 'TANDOOR', translations: { hi: 'तंदूर' } },
        { kind: 'floor', name: 'Ground Floor', translations: { hi: 'भूतल' } },
      ]),
    );
  });

  it('lets a manager add a language and translate names into it; the menu and the kitchen show them', async () => {
    const { body: current } = await getNames();
    const names = current.names.map((entry: any) =>
      entry.kind === 'category' && entry.name === 'Curries' ? { ...entry, translations: { ...entry.translations, ta: 'கறி' } } : entry,
    );
    const table = await t.freshTable('T-4', 'FAMILY');
    const phone = await t.connectWs({ token: (await t.joinTable(table.tableId, table.pin)).sessionToken });
    const saved = await putNames({ languages: ['en', 'hi', 'ta'], names });
    expect(saved.status).toBe(200);
    expect(saved.body.languages).toEqual(['en', 'hi', 'ta']);
    // A guest's phone is told to load the menu again (its dishes are unchanged).
    expect(await phone.waitFor((m) => m.type === 'menu.updated')).toEqual({ type: 'menu.updated', items: [], names: true });
    const body = await menu();
    expect(body.restaurant.languages).toEqual(['en', 'hi', 'ta']);
    expect(body.categories.find((c: any) => c.name === 'Curries').translations).toEqual({ hi: 'करी', ta: 'கறி' });
    // A dish may now be translated into Tamil too.
    const dal = await dishIn('Dal Makhani');
    expect((await patchDish(dal.id, { translations: { ...dal.translations, ta: { name: 'தால் மக்கனி' } } })).status).toBe(200);

    const kitchen = await t.api.request('GET', '/api/kitchen/orders', undefined, { token: (await t.loginAs('KITCHEN')).token });
    expect(kitchen.body.stationNames.TANDOOR).toEqual({ hi: 'तंदूर' });
  });

  it('refuses dropping the default language, a translation outside the languages, repeats, and waiters', async () => {
    const restaurants = t.collection<RestaurantDoc>('restaurants');
    const before = await restaurants.findOne({});
    const names = [{ kind: 'floor', name: 'Ground Floor', translations: { hi: 'भूतल' } }];
    const noDefault = await putNames({ languages: ['hi'], names });
    expect(noDefault.status).toBe(400);
    expect(noDefault.body.error.details[0].code).toBe('default_language_missing');
    const outside = await putNames({ languages: ['en'], names });
    expect(outside.body.error.details[0]).toMatchObject({ code: 'unknown_language', path: 'body.names.0.translations.hi' });
    expect((await putNames({ languages: ['en', 'hi'], names: [...names, ...names] })).body.error.details[0].code).toBe('repeated_name');
    expect((await putNames({ languages: ['en', 'en'], names: [] })).status).toBe(400);
    expect((await putNames({ languages: ['en', 'Hindi'], names: [] })).status).toBe(400);
    expect((await putNames({ languages: ['en', 'hi'], names: [{ kind: 'dish', name: 'x', translations: {} }] })).status).toBe(400);
    expect((await putNames({ languages: ['en', 'hi'], names }, waiter)).status).toBe(403);
    expect(await restaurants.findOne({})).toEqual(before);
  });
});

describe('orders', () => {
  it('store the default-language name the POS reads, and the dish’s other names for the kitchen', async () => {
    const table = await t.freshTable('T-5', 'FAMILY');
    const guest = await t.joinTable(table.tableId, table.pin);
    const cart = await t.addToCart(guest, 'Paneer Tikka', 1, { modifierOptionIds: ['half'] });
    const placed = await t.orderCart(guest, cart.version);
    const orders = t.collection<OrderDoc>(process.env.COLLECTION_ORDERS || 'digital_menu_customer_orders');
    const order = (await orders.findOne({ _id: new ObjectId(placed.orderId) }))!;
    expect(order.items[0].menuItemName).toBe('Paneer Tikka');
    expect(order.items[0].modifiers[0].name).toBe('Half');
    expect(order.items[0].nameTranslations).toEqual({ hi: 'पनीर टिक्का' });
    expect(order.items[0].modifierTranslations).toEqual({ half: { hi: 'हाफ़' } });

    const kitchen = await t.api.request('GET', '/api/kitchen/orders', undefined, { token: (await t.loginAs('KITCHEN')).token });
    const ticket = kitchen.body.orders.find((o: any) => o.orderId === placed.orderId);
    expect(ticket.items[0]).toMatchObject({ name: 'Paneer Tikka', nameTranslations: { hi: 'पनीर टिक्का' }, modifiers: ['Half'], modifierTranslations: [{ hi: 'हाफ़' }] });
    expect(kitchen.body.floorNames['Ground Floor']).toEqual({ hi: 'भूतल' });
  });
});
