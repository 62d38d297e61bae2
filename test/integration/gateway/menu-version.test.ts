/**
 * The `sync` reply's menu version (functions/data/menu-store.ts menuVersion: GET /api/menu's ETag) over the local runtime: a
 * guest's phone reloads the menu on a resync only when it changed (web/diner/live.ts), so the
 * version must stay put while nothing a guest sees changed, and move with every change that does.
 */
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMongoServer, type MongoServerHandle } from '../../../local/mongo/index.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import type { TestWs } from '../../support/ws.ts';

let mongo: MongoServerHandle;
let t: TestStack;
let manager: string;
let socket: TestWs;
let guestToken: string;

beforeAll(async () => {
  // Its own server, to count the commands a sync sends. One container per group: a container keeps the
  // version it last computed, so two syncs served by two containers would each read the dishes once.
  mongo = await startMongoServer({ ttlSweepMs: 0 });
  t = await startTestStack({ mongoUri: mongo.uri, containers: { maxPerGroup: 1 } });
  manager = (await t.loginAs('MANAGER')).token;
  const table = await t.openTable('T-4', 'FAMILY');
  const guest = await t.joinTable(table.tableId, table.pin);
  guestToken = guest.sessionToken;
  socket = await t.connectWs({ token: guestToken });
}, 180_000);
afterAll(async () => {
  await socket?.close();
  await t?.stop();
  await mongo?.stop();
});

async function versionNow(on: TestWs = socket): Promise<string> {
  const seen = on.messages.length;
  on.send({ action: 'sync' });
  const reply = await on.waitFor((m) => m.type === 'sync' && on.messages.indexOf(m) >= seen);
  expect(typeof reply.menuVersion).toBe('string');
  return reply.menuVersion;
}

const patchDish = async (id: string, body: unknown) =>
  expect((await t.api.request('PATCH', `/api/staff/menu/items/${id}`, body, { token: manager })).status).toBe(200);

describe('the menu version in the sync reply', () => {
  it('stays the same while nothing on the menu changes, a cart change included', async () => {
    const first = await versionNow();
    expect(await versionNow()).toBe(first);
    const dish = await t.dish('Tandoori Roti');
    expect((await t.api.post('/api/cart/items', { menuItemId: dish.id, quantity: 1 }, { token: guestToken })).status).toBe(200);
    expect(await versionNow()).toBe(first);
  });

  it('moves with a dish sold out and back, a price, the category names and a deleted dish', async () => {
    const dishes = await t.menuItems();
    const dish = dishes.find((d) => d.name === 'Masala Chai')!;
    let last = await versionNow();
    const moved = async () => {
      const now = await versionNow();
      expect(now).not.toBe(last);
      last = now;
    };
    await patchDish(dish.id, { isAvailable: false });
    await moved();
    await patchDish(dish.id, { isAvailable: true });
    await moved();
    await patchDish(dish.id, { price: dish.price + 100 });
    await moved();
    const names = (await t.api.get('/api/staff/menu/names', { token: manager })).body;
    const renamed = names.names.map((entry: any) => (entry.kind === 'category' ? { ...entry, translations: { ...entry.translations, hi: `${entry.name} (hi)` } } : entry));
    expect((await t.api.request('PUT', '/api/staff/menu/names', { languages: names.languages, names: renamed }, { token: manager })).status).toBe(200);
    await moved();
    expect((await t.api.request('DELETE', `/api/staff/menu/items/${dish.id}`, undefined, { token: manager })).status).toBe(204);
    await moved();
    expect(await versionNow()).toBe(last);
  });

  it('is answered from the settings and the dishes\' stamp while nothing changed: no dish read, no menu built', async () => {
    // A phone with an empty cart: its cart reads no dish.
    const table = await t.openTable('T-5', 'FAMILY');
    const phone = await t.connectWs({ token: (await t.joinTable(table.tableId, table.pin)).sessionToken });
    const first = await versionNow(phone);
    const dishCommands = () => Object.entries(mongo.counters.namespaces).find(([ns]) => ns.endsWith('.menuItems'))?.[1] ?? {};
    mongo.counters.reset();
    expect(await versionNow(phone)).toBe(first);
    expect(dishCommands()).toEqual({ aggregate: 1 });
  });

  it('GET /api/menu is served from the kept menu while nothing changed (no dish read), and is new after a change', async () => {
    const first = await t.api.get('/api/menu');
    expect(first.status).toBe(200);
    const dishCommands = () => Object.entries(mongo.counters.namespaces).find(([ns]) => ns.endsWith('.menuItems'))?.[1] ?? {};
    mongo.counters.reset();
    const again = await t.api.get('/api/menu');
    expect(dishCommands()).toEqual({ aggregate: 1 });
    expect(again.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(again.body).toEqual(first.body);
    const unchanged = await t.api.request('GET', '/api/menu', undefined, { headers: { 'if-none-match': first.headers.get('etag')! } });
    expect(unchanged.status).toBe(304);

    const dish = await t.dish('Tandoori Roti');
    await patchDish(dish.id, { price: dish.price + 50 });
    const after = await t.api.get('/api/menu');
    expect(after.headers.get('etag')).not.toBe(first.headers.get('etag'));
    const priced = (after.body as { categories: { items: { id: string; price: number }[] }[] }).categories.flatMap((c) => c.items).find((i) => i.id === dish.id);
    expect(priced?.price).toBe(dish.price + 50);
  });

  it('moves with dishes written straight into MongoDB by another writer (updatedAt moved, as the POS layout documents it), and a dish removed', async () => {
    const menuItems = t.collection('menuItems');
    let last = await versionNow();
    const moved = async () => {
      const now = await versionNow();
      expect(now).not.toBe(last);
      last = now;
    };
    const chai = await menuItems.findOne({ name: 'Tandoori Roti' });
    await menuItems.updateOne({ _id: chai!._id }, { $set: { description: 'Straight from the POS', updatedAt: new Date() } });
    await moved();
    const copy = { ...chai!, _id: new ObjectId(), name: 'POS Roti', updatedAt: new Date(), createdAt: new Date() };
    await menuItems.insertOne(copy);
    await moved();
    await menuItems.deleteOne({ _id: copy._id });
    await moved();
  });
});
