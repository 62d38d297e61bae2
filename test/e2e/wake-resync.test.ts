/**
 * A guest's phone pings only every few minutes (web/shared/heartbeat.ts), so a socket that silently
 * lost pushes while the phone slept is not noticed by the heartbeat: the page resyncs when it
 * becomes visible again and when the device comes back online. Here the phone's socket goes
 * through a relay that drops every push while the phone "sleeps" (a socket that looks open but
 * missed what the kitchen did); waking up must show the kitchen's change without a reconnect.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DinerPage } from './support/diner.ts';
import { useE2eWorld } from './support/harness.ts';

const world = useE2eWorld();

/** Relays the page's /ws through the test; while `asleep`, the server's messages are dropped. Counts the `sync` replies passed on. */
async function relaySocket(page: Page): Promise<{ asleep: boolean; opened: number; syncs: number }> {
  const relay = { asleep: false, opened: 0, syncs: 0 };
  await page.routeWebSocket(/\/ws/, (ws) => {
    relay.opened++;
    const server = ws.connectToServer();
    server.onMessage((message) => {
      if (relay.asleep) return;
      if (String(message).includes('"type":"sync"')) relay.syncs++;
      ws.send(message);
    });
    ws.onMessage((message) => server.send(message));
  });
  return relay;
}

const setVisibility = (page: Page, state: 'visible' | 'hidden') =>
  page.evaluate((value) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => value });
    document.dispatchEvent(new Event('visibilitychange'));
  }, state);

describe('a guest phone that slept', () => {
  it('catches up on the kitchen’s changes when it becomes visible again, and when it comes back online', async () => {
    const { t } = world;
    const table = await t.freshTable('T-11', 'FAMILY');
    const phone = await world.device('phone');
    const relay = await relaySocket(phone.page);
    const diner = new DinerPage(phone.page);
    await diner.open(table.code);
    await diner.join(table.pin);
    await diner.addDish('Mango Sticky Rice');
    await diner.tab('Cart');
    await diner.placeButton.click();
    const order = diner.orderCards.first();
    await expect.poll(() => diner.itemStatus(order, 'Mango Sticky Rice').textContent()).toBe('Received');

    const { token } = await t.loginAs('KITCHEN');
    const { body } = await t.api.get<{ orders: { orderId: string }[] }>('/api/kitchen/orders', { token });
    const orderId = body.orders[0].orderId;
    const kitchenSets = async (status: string) =>
      expect((await t.api.request('PATCH', `/api/kitchen/orders/${orderId}/items/0`, { status }, { token })).status).toBe(200);

    // Asleep: the kitchen starts cooking, the push is lost, the socket still looks open.
    await setVisibility(phone.page, 'hidden');
    relay.asleep = true;
    await kitchenSets('COOKING');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await diner.itemStatus(order, 'Mango Sticky Rice').textContent()).toBe('Received');

    // Visible again: it resyncs over the same socket.
    relay.asleep = false;
    await setVisibility(phone.page, 'visible');
    await expect.poll(() => diner.itemStatus(order, 'Mango Sticky Rice').textContent(), { timeout: 5_000 }).toBe('Cooking');

    // Another lost push, then the device says it is online again: resynced the same way.
    relay.asleep = true;
    await kitchenSets('READY');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await diner.itemStatus(order, 'Mango Sticky Rice').textContent()).toBe('Cooking');
    relay.asleep = false;
    await phone.page.evaluate(() => window.dispatchEvent(new Event('online')));
    await expect.poll(() => diner.itemStatus(order, 'Mango Sticky Rice').textContent(), { timeout: 5_000 }).toBe('Ready');
    expect(relay.opened).toBe(1); // caught up without a reconnect
  });
});

/** Counts the page's own calls for the menu (fetch, whether or not the browser's cache answers them). */
async function countMenuLoads(page: Page): Promise<() => Promise<number>> {
  await page.addInitScript(() => {
    const original = window.fetch.bind(window);
    const counted = window as unknown as { menuLoads: number };
    counted.menuLoads = 0;
    window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (new URL(url, location.href).pathname === '/api/menu') counted.menuLoads++;
      return original(input, init);
    };
  });
  return () => page.evaluate(() => (window as unknown as { menuLoads: number }).menuLoads);
}

describe('a guest phone’s menu on a resync', () => {
  it('is not loaded again when the sync reply’s menu version is unchanged, and is when the menu changed meanwhile', async () => {
    const { t } = world;
    const table = await t.freshTable('T-12', 'FAMILY');
    const phone = await world.device('phone');
    const relay = await relaySocket(phone.page);
    const menuLoads = await countMenuLoads(phone.page);
    const diner = new DinerPage(phone.page);
    await diner.open(table.code);
    await diner.join(table.pin);
    const dish = phone.page.locator('li.menu-item').filter({ has: phone.page.getByRole('heading', { name: 'Mango Sticky Rice' }) });
    await dish.waitFor();
    await expect.poll(() => relay.syncs, { timeout: 10_000 }).toBe(1);
    const loadedAtStart = await menuLoads();
    expect(loadedAtStart).toBeGreaterThanOrEqual(1);

    // Put down and picked up, nothing changed: a sync, no menu.
    const wake = async () => {
      const syncs = relay.syncs;
      await setVisibility(phone.page, 'hidden');
      await setVisibility(phone.page, 'visible');
      await expect.poll(() => relay.syncs, { timeout: 10_000 }).toBe(syncs + 1);
    };
    await wake();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await menuLoads()).toBe(loadedAtStart);

    // Asleep while a waiter marks the dish sold out (the push is lost): waking loads the menu again.
    const manager = (await t.loginAs('MANAGER')).token;
    const { id } = await t.dish('Mango Sticky Rice');
    const setAvailable = async (isAvailable: boolean) =>
      expect((await t.api.request('PATCH', `/api/staff/menu/items/${id}`, { isAvailable }, { token: manager })).status).toBe(200);
    await setVisibility(phone.page, 'hidden');
    relay.asleep = true;
    await setAvailable(false);
    await new Promise((resolve) => setTimeout(resolve, 500));
    relay.asleep = false;
    const syncs = relay.syncs;
    await setVisibility(phone.page, 'visible');
    await expect.poll(() => relay.syncs, { timeout: 10_000 }).toBe(syncs + 1);
    await expect.poll(menuLoads, { timeout: 10_000 }).toBe(loadedAtStart + 1);
    await dish.getByText('Sold out').waitFor();

    // Its version is now the one shown: the next wake loads nothing.
    await wake();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await menuLoads()).toBe(loadedAtStart + 1);
    expect(relay.opened).toBe(1);
    await setAvailable(true);
    expect(phone.errors).toEqual([]);
  });
});
