/**
 * The `sync` reply's menu version (functions/data/menu-store.ts menuVersion: GET /api/menu's ETag) over the local runtime: a
 * guest's phone reloads the menu on a resync only when it changed (web/diner/live.ts), so the
 * version must stay put while nothing a guest sees changed, and move with every change that does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import type { TestWs } from '../../support/ws.ts';

let t: TestStack;
let manager: string;
let socket: TestWs;
let guestToken: string;

beforeAll(async () => {
  t = await startTestStack();
  manager = (await t.loginAs('MANAGER')).token;
  const table = await t.openTable('T-4', 'FAMILY');
  const guest = await t.joinTable(table.tableId, table.pin);
  guestToken = guest.sessionToken;
  socket = await t.connectWs({ token: guestToken });
}, 180_000);
afterAll(async () => {
  await socket?.close();
  await t?.stop();
});

async function versionNow(): Promise<string> {
  const seen = socket.messages.length;
  socket.send({ action: 'sync' });
  const reply = await socket.waitFor((m) => m.type === 'sync' && socket.messages.indexOf(m) >= seen);
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
});
