/**
 * The diner's core flow passes axe-core's WCAG 2.1 A/AA rules (labels, names, roles, colour
 * contrast, ...) on every screen a guest goes through, at 360×640, in English and in Hindi; so does
 * the shared staff sign-in, on the kitchen's dark page and the staff console's light one; so does the
 * kitchen board full of tickets (every item status, modifiers, spice levels, notes) on its 1280×800
 * tablet, in English and in Hindi, where every station chip and header control must also be on
 * screen and tappable.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../support/stack.ts';
import { axeViolations, notTappableInView, shot } from './support/browser.ts';
import { DinerPage } from './support/diner.ts';
import { useE2eWorld } from './support/harness.ts';
import { KitchenPage } from './support/kitchen.ts';
import { placeOrderAt, setItemStatus } from './support/orders.ts';

const world = useE2eWorld();

/** Violations on the current screen, named so a failure says which screen. */
async function audit(page: Page, screen: string, scope?: string): Promise<string[]> {
  return (await axeViolations(page, scope)).map((v) => `${screen}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.slice(0, 3).join(', ')}`);
}

/**
 * Every station chip of the demo restaurant and every kitchen header control (named in the page's
 * language) on screen at once, with a large touch target: what is wrong, if anything.
 */
async function headerProblems(page: Page, names: { allDay: string; recall: string; signOut: string }): Promise<string[]> {
  const controls = [
    ...['ALL', 'GRILL', 'FRYER', 'TANDOOR', 'BAR', 'COLD', 'WOK'].map((station) => page.getByTestId(`station-${station}`)),
    page.getByTestId('enable-sound'),
    page.getByRole('button', { name: names.allDay }),
    page.getByRole('button', { name: names.recall, exact: true }),
    page.getByRole('button', { name: names.signOut }),
  ];
  const problems: string[] = [];
  for (const control of controls) problems.push(await notTappableInView(control, 48));
  return problems.filter(Boolean);
}

describe('accessibility', () => {
  it('every screen of the core flow passes WCAG 2.1 AA checks', async () => {
    const table = await world.t.freshTable('T-8', 'FAMILY');
    const phone = await world.device('phone');
    const diner = new DinerPage(phone.page);
    const { page } = phone;
    const found: string[] = [];

    await diner.open(table.code);
    found.push(...(await audit(page, 'PIN')));
    await diner.typePin(String((Number(table.pin) + 1) % 10_000).padStart(4, '0'));
    await page.getByText(/^Wrong PIN\./).waitFor();
    found.push(...(await audit(page, 'PIN error')));
    await diner.typePin(table.pin);
    await page.getByRole('heading', { name: 'Tell us who you are (optional)' }).waitFor();
    found.push(...(await audit(page, 'identify')));
    await page.getByRole('button', { name: 'Skip', exact: true }).click();
    await page.getByRole('searchbox', { name: 'Search the menu' }).waitFor();
    found.push(...(await audit(page, 'menu')));

    await page.getByRole('button', { name: 'Add Butter Naan', exact: true }).click();
    await page.getByRole('dialog', { name: 'Butter Naan' }).waitFor();
    found.push(...(await audit(page, 'item sheet', 'dialog[open]')));
    await page.getByRole('dialog', { name: 'Butter Naan' }).getByRole('button', { name: /^Add to cart/ }).click();
    await page.getByRole('dialog', { name: 'Butter Naan' }).waitFor({ state: 'hidden' });

    await diner.tab('Cart');
    await diner.placeButton.waitFor();
    found.push(...(await audit(page, 'cart')));
    await diner.placeButton.click();
    await diner.orderCards.first().waitFor();
    found.push(...(await audit(page, 'orders')));
    await diner.tab('Bill');
    await page.getByRole('link', { name: /^Pay .* with UPI$/ }).waitFor();
    found.push(...(await audit(page, 'bill')));
    await page.getByText('Equally').click();
    await page.locator('ul.shares > li').first().waitFor();
    found.push(...(await audit(page, 'bill split')));

    await page.getByRole('button', { name: 'हिन्दी', exact: true }).click();
    await page.getByRole('navigation').getByText('मेन्यू').waitFor();
    found.push(...(await audit(page, 'bill (Hindi)')));
    await page.getByRole('navigation').getByText('मेन्यू').click();
    found.push(...(await audit(page, 'menu (Hindi)')));

    expect(found).toEqual([]);
  });

  it('the staff sign-in of the kitchen display and of the staff console passes too (readable on the kitchen’s dark page)', async () => {
    const tablet = await world.device('tablet');
    const found: string[] = [];
    for (const path of ['/kitchen', '/staff']) {
      await tablet.page.goto(path);
      await tablet.page.getByLabel('Username').waitFor();
      found.push(...(await audit(tablet.page, `sign-in at ${path}`)));
    }
    // A tablet kept in Hindi: the page says it is Hindi (screen readers pick the voice by it), and its "English" switch is readable too.
    await tablet.page.evaluate(() => localStorage.setItem('plato.lang', JSON.stringify('hi')));
    for (const path of ['/kitchen', '/staff']) {
      await tablet.page.goto(path);
      await tablet.page.getByRole('button', { name: 'English', exact: true }).waitFor();
      const pageLang = await tablet.page.evaluate(() => document.documentElement.lang);
      if (pageLang !== 'hi') found.push(`Hindi sign-in at ${path}: <html lang="${pageLang}">`);
      found.push(...(await audit(tablet.page, `Hindi sign-in at ${path}`)));
    }
    expect(found).toEqual([]);
  });

  it('the kitchen board with tickets passes, and shows every station and control at 1280×800', async () => {
    const { t } = world;
    const first = await placeOrderAt(t, 'T-10', [
      { name: 'Butter Chicken', options: ['Extra gravy'] },
      { name: 'Butter Naan', quantity: 3, options: ['Garlic'] },
      { name: 'Dal Makhani' },
      { name: 'Masala Chai', quantity: 2 },
    ]);
    await placeOrderAt(t, 'T-11', [
      { name: 'Paneer Tikka', options: ['Full'], spiceLevel: 'more-spicy' },
      { name: 'Chicken Dum Biryani', spiceLevel: 'less-spicy', notes: 'No onions please, allergy' },
      { name: 'Vegetable Hakka Noodles', options: ['Add egg'] },
    ]);
    await setItemStatus(t, first, 0, 'COOKING');
    await setItemStatus(t, first, 1, 'READY');
    await setItemStatus(t, first, 2, 'SERVED');

    const tablet = await world.device('tablet');
    const kitchen = new KitchenPage(tablet.page);
    await kitchen.open('kitchen', TEST_PASSWORD);
    await expect.poll(() => tablet.page.locator('article[data-testid^="ticket-"]').count()).toBeGreaterThanOrEqual(2);
    await kitchen.item(first, 2).and(tablet.page.locator('[data-status="SERVED"]')).waitFor();

    // The widest header: "Tap to enable sound" shows until the first tap. Every station of the demo
    // restaurant and every control is on screen at once, with a large touch target.
    await tablet.page.getByTestId('enable-sound').waitFor();
    expect(await headerProblems(tablet.page, { allDay: 'All day', recall: 'Recall', signOut: 'Sign out' })).toEqual([]);
    await shot(tablet.page, 'kitchen-board-sound-off');

    // Each item button is named by what it shows ("3× Butter Naan READY"), WCAG 2.5.3.
    await tablet.page.getByRole('button', { name: /^3× Butter Naan Ready$/i }).waitFor();
    const found = await audit(tablet.page, 'kitchen board');
    await tablet.page.getByRole('button', { name: 'Recall', exact: true }).click();
    await tablet.page.getByTestId('recall-list').waitFor();
    found.push(...(await audit(tablet.page, 'kitchen board, recall panel')));
    expect(found).toEqual([]);

    // The last station chip filters the board.
    await tablet.page.getByTestId('station-WOK').click();
    await tablet.page.locator('[data-testid="station-WOK"][aria-pressed="true"]').waitFor();
    await tablet.page.getByRole('button', { name: /^1× Vegetable Hakka Noodles New$/i }).waitFor();
    await tablet.page.getByTestId('station-ALL').click();

    // The same board in Hindi (the language a tablet picks on its sign-in screen, kept on the
    // device): the longer words still leave every control on screen and tappable, and axe passes.
    await tablet.page.evaluate(() => localStorage.setItem('plato.lang', JSON.stringify('hi')));
    await tablet.page.reload();
    await tablet.page.locator('[data-testid="connection-state"][data-live="true"]').waitFor();
    await tablet.page.locator('main.k-grid[aria-busy="false"]').waitFor();
    await tablet.page.getByRole('button', { name: /^3× बटर नान तैयार$/ }).waitFor();
    expect(await headerProblems(tablet.page, { allDay: 'कुल बाकी', recall: 'वापस लाएँ', signOut: 'साइन आउट' })).toEqual([]);
    expect(await audit(tablet.page, 'kitchen board (Hindi)')).toEqual([]);
    await shot(tablet.page, 'kitchen-board-hindi');
    expect(tablet.errors).toEqual([]);
  });
});
