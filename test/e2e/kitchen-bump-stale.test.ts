/**
 * The kitchen never loses a dish (issue 19, items 1 and 2), in the browser:
 * - Bump on a ticket with dishes still to cook asks first and says how many; bumped anyway, those
 *   dishes stay in "Still to cook" and are flagged in "Recently bumped", and the waiter's table
 *   panel shows the order as bumped with dishes not cooked.
 * - A disconnected board never claims to be empty: it keeps the last known tickets, greyed, under
 *   "may be out of date", and the header keeps its height when the Disconnected pill shows.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../support/stack.ts';
import { shot } from './support/browser.ts';
import { useE2eWorld } from './support/harness.ts';
import { KitchenPage } from './support/kitchen.ts';
import { placeOrderAt, setItemStatus } from './support/orders.ts';
import { StaffPage } from './support/staff.ts';

const world = useE2eWorld();

const barHeight = (page: Page) => page.locator('.k-bar').evaluate((el) => Math.round(el.getBoundingClientRect().height));

describe('the kitchen never loses a dish', () => {
  it('Bump with dishes still to cook asks first; bumped anyway, they stay counted, flagged, and shown to the waiter', async () => {
    const { t } = world;
    // The first evening's repro: 4 dishes; one served then undone to READY, one READY, two lines still NEW.
    const orderId = await placeOrderAt(t, 'T-2', [{ name: 'Seekh Kebab' }, { name: 'Masala Chai' }, { name: 'Vegetable Samosa', quantity: 2 }, { name: 'Mango Lassi' }]);
    await setItemStatus(t, orderId, 0, 'SERVED');
    const { token } = await t.loginAs('KITCHEN');
    expect((await t.api.request('PATCH', `/api/kitchen/orders/${orderId}/items/0`, { status: 'READY' }, { token })).status).toBe(200);
    await setItemStatus(t, orderId, 1, 'READY');

    const tablet = await world.device('tablet');
    const kitchen = new KitchenPage(tablet.page);
    await kitchen.open('kitchen', TEST_PASSWORD);
    const ticket = kitchen.ticket(orderId);
    await ticket.waitFor();

    // Bump asks, and says how many dishes are not cooked (2 samosas + 1 lassi).
    await tablet.page.getByTestId(`bump-${orderId}`).click();
    const ask = tablet.page.getByTestId('bump-confirm');
    await ask.waitFor();
    expect(await ask.innerText()).toContain('Dishes on this ticket not cooked yet: 3');
    expect(await ask.innerText()).toContain('2× Vegetable Samosa — New');
    await shot(tablet.page, 'kitchen-bump-confirm');
    await tablet.page.getByTestId('bump-keep').click();
    await ask.waitFor({ state: 'detached' });
    await ticket.waitFor(); // kept on the screen

    await tablet.page.getByTestId(`bump-${orderId}`).click();
    await tablet.page.getByTestId('bump-anyway').click();
    await ticket.waitFor({ state: 'detached' });

    // Still to cook: the bumped ticket's dishes are counted, not "Nothing left to cook".
    const allDay = tablet.page.getByTestId('all-day');
    await allDay.getByTestId('all-day-FRYER-Vegetable Samosa').waitFor();
    await allDay.getByTestId('all-day-BAR-Mango Lassi').waitFor();
    expect(await allDay.innerText()).not.toContain('Nothing left to cook');
    expect(await tablet.page.locator('.k-empty').innerText()).toContain('Bumped tickets still have dishes to cook: 3');
    await shot(tablet.page, 'kitchen-bumped-still-to-cook');

    await tablet.page.getByRole('button', { name: 'Recall', exact: true }).click();
    expect(await tablet.page.getByTestId(`unfinished-${orderId}`).innerText()).toBe('Not cooked: 3');
    await shot(tablet.page, 'kitchen-recall-unfinished');

    // The waiter's panel shows it too.
    const desktop = await world.device('desktop');
    const staff = new StaffPage(desktop.page);
    await staff.open('waiter', TEST_PASSWORD);
    await staff.table('T-2').click();
    const badge = staff.panel.locator(`[data-order-id="${orderId}"]`).getByTestId('bumped-unfinished');
    expect(await badge.innerText()).toBe('Bumped by the kitchen, not cooked: 3');
    await badge.scrollIntoViewIfNeeded();
    await shot(desktop.page, 'staff-order-bumped-unfinished');

    // Recalled, cooked and served: the badge goes.
    await tablet.page.getByTestId(`recall-${orderId}`).click();
    await ticket.waitFor();
    for (const index of [0, 1]) expect((await t.api.request('PATCH', `/api/kitchen/orders/${orderId}/items/${index}`, { status: 'SERVED' }, { token })).status).toBe(200);
    for (const index of [2, 3]) await setItemStatus(t, orderId, index, 'SERVED');
    await badge.waitFor({ state: 'detached' });
    expect([...tablet.errors, ...desktop.errors]).toEqual([]);
  });

  it('a disconnected board keeps its last tickets greyed with "may be out of date", and its header does not grow', async () => {
    const { t } = world;
    const orderId = await placeOrderAt(t, 'T-4', [{ name: 'Seekh Kebab', quantity: 2 }]);
    const tablet = await world.device('tablet');
    const kitchen = new KitchenPage(tablet.page);
    await kitchen.open('kitchen', TEST_PASSWORD);
    await kitchen.ticket(orderId).waitFor();
    for (const language of ['en', 'hi'] as const) {
      if (language === 'hi') {
        await tablet.page.evaluate(() => localStorage.setItem('plato.lang', JSON.stringify('hi')));
        await tablet.page.reload();
        await tablet.page.locator('[data-testid="connection-state"][data-live="true"]').waitFor();
        await kitchen.ticket(orderId).waitFor();
      }
      // The widest header: sound not enabled yet.
      await tablet.page.getByTestId('enable-sound').waitFor();
      const liveHeight = await barHeight(tablet.page);

      await tablet.context.setOffline(true);
      await tablet.page.locator('[data-testid="connection-state"][data-live="false"]').waitFor({ timeout: 20_000 });
      await tablet.page.getByTestId('stale-note').waitFor();
      expect(await tablet.page.locator('main.k-grid').getAttribute('data-stale')).toBe('true');
      await kitchen.ticket(orderId).waitFor(); // the last known ticket is still there
      expect(await tablet.page.locator('.k-empty').count()).toBe(0);
      if (language === 'en') expect(await tablet.page.getByTestId('stale-note').innerText()).toContain('may be out of date');
      expect(await barHeight(tablet.page)).toBe(liveHeight);
      await shot(tablet.page, language === 'en' ? 'kitchen-disconnected-stale' : 'kitchen-disconnected-stale-hindi');

      await tablet.context.setOffline(false);
      await tablet.page.locator('[data-testid="connection-state"][data-live="true"]').waitFor({ timeout: 30_000 });
      await tablet.page.getByTestId('stale-note').waitFor({ state: 'detached' });
    }
  });
});
