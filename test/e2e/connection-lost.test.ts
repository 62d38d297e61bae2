/**
 * A phone loses its connection while the kitchen works on its order: the page says so (never silently
 * stale), and when the connection comes back it catches up on what it missed without a reload.
 */
import { describe, expect, it } from 'vitest';
import { shot } from './support/browser.ts';
import { DinerPage } from './support/diner.ts';
import { useE2eWorld } from './support/harness.ts';

const world = useE2eWorld();

describe('a lost connection', () => {
  it('shows the phone is offline, then catches up on the kitchen’s changes when it is back', async () => {
    const { t } = world;
    const table = await t.freshTable('T-12', 'FAMILY');
    const phone = await world.device('phone');
    const diner = new DinerPage(phone.page);
    await diner.open(table.code);
    await diner.join(table.pin);
    await diner.addDish('Mango Sticky Rice');
    await diner.tab('Cart');
    await diner.placeButton.click();
    const order = diner.orderCards.first();
    await expect.poll(() => diner.itemStatus(order, 'Mango Sticky Rice').textContent()).toBe('Received');

    // Offline: the page says so.
    await phone.context.setOffline(true);
    const offline = phone.page.getByText('Connection lost — reconnecting…');
    await offline.waitFor();
    await shot(phone.page, 'diner-offline');

    // Meanwhile the kitchen cooks the dish.
    const { token } = await t.loginAs('KITCHEN');
    const { body } = await t.api.get<{ orders: { orderId: string }[] }>('/api/kitchen/orders', { token });
    const orderId = body.orders[0].orderId;
    for (const status of ['COOKING', 'READY']) {
      expect((await t.api.request('PATCH', `/api/kitchen/orders/${orderId}/items/0`, { status }, { token })).status).toBe(200);
    }
    expect(await diner.itemStatus(order, 'Mango Sticky Rice').textContent()).toBe('Received');

    // Back online: the socket reconnects, resyncs, and the missed READY shows; the banner goes.
    await phone.context.setOffline(false);
    await expect.poll(() => diner.itemStatus(order, 'Mango Sticky Rice').textContent(), { timeout: 20_000 }).toBe('Ready');
    await offline.waitFor({ state: 'detached' });
  });
});
