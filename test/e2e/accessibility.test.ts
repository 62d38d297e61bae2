/**
 * The diner's core flow passes axe-core's WCAG 2.1 A/AA rules (labels, names, roles, colour
 * contrast, ...) on every screen a guest goes through, at 360×640, in English and in Hindi; so does
 * the shared staff sign-in, on the kitchen's dark page and the staff console's light one.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations } from './support/browser.ts';
import { DinerPage } from './support/diner.ts';
import { useE2eWorld } from './support/harness.ts';

const world = useE2eWorld();

/** Violations on the current screen, named so a failure says which screen. */
async function audit(page: Page, screen: string, scope?: string): Promise<string[]> {
  return (await axeViolations(page, scope)).map((v) => `${screen}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.slice(0, 3).join(', ')}`);
}

describe('accessibility', () => {
  it('every screen of the core flow passes WCAG 2.1 AA checks', async () => {
    const table = await world.t.freshTable('T-8', 'FAMILY');
    const phone = await world.device('phone');
    const diner = new DinerPage(phone.page);
    const { page } = phone;
    const found: string[] = [];

    await diner.open(table.tableId);
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
    expect(found).toEqual([]);
  });
});
