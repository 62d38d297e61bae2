/**
 * The rough edges of a first evening (issue 19, item 12): the kitchen and staff pages name an icon
 * (no /favicon.ico 404 on every load); a diner notice never covers the header or a section title;
 * the kitchen's Recall button in "Recently bumped" keeps a margin from the screen's edge; the diner's
 * header names the table from the PIN keypad on and keeps its height through joining on a slow phone.
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../support/stack.ts';
import { shot } from './support/browser.ts';
import { DinerPage } from './support/diner.ts';
import { useE2eWorld } from './support/harness.ts';
import { KitchenPage } from './support/kitchen.ts';
import { placeOrderAt } from './support/orders.ts';

const world = useE2eWorld();

const box = (locator: Locator) => locator.evaluate((el) => el.getBoundingClientRect().toJSON() as DOMRect);
const overlaps = (a: DOMRect, b: DOMRect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

async function faviconRequests(page: Page, path: string): Promise<string[]> {
  const asked: string[] = [];
  page.on('request', (request) => {
    if (/favicon/.test(request.url())) asked.push(request.url());
  });
  await page.goto(path);
  await page.locator('form').waitFor();
  return asked;
}

describe('polish', () => {
  it('kitchen and staff pages carry an icon: no favicon request, no 404', async () => {
    const device = await world.device('desktop');
    for (const path of ['/kitchen', '/staff']) {
      expect(await faviconRequests(device.page, path)).toEqual([]);
      expect(await device.page.locator('link[rel="icon"]').count()).toBe(1);
    }
    expect(device.errors).toEqual([]);
  });

  it('a diner notice covers neither the header nor a section title', async () => {
    const table = await world.t.freshTable('T-12', 'FAMILY');
    const phone = await world.device('phone');
    const diner = new DinerPage(phone.page);
    await diner.open(table.code);
    await diner.join(table.pin);
    await diner.addDish('Masala Chai');
    const toast = phone.page.locator('.toast');
    await toast.waitFor();
    const notice = await box(toast);
    expect(overlaps(notice, await box(phone.page.locator('header.top')))).toBe(false);
    for (const title of await phone.page.locator('main h1, main h2').all()) {
      if (await title.isVisible()) expect(overlaps(notice, await box(title)), await title.innerText()).toBe(false);
    }
    await shot(phone.page, 'diner-toast-low');
  });

  it('the PIN keypad names the table, and nothing shifts through joining on a slow phone', async () => {
    const table = await world.t.freshTable('T-3', 'FAMILY');
    const phone = await world.device('phone');
    // A phone 6× slower than this machine: the menu's name and the table arrive well after the
    // PIN's last digit, where a shift counts (layout-shift entries without recent input). Every
    // shift is recorded here, with or without input.
    await (await phone.context.newCDPSession(phone.page)).send('Emulation.setCPUThrottlingRate', { rate: 6 });
    await phone.context.addInitScript(() => {
      const shifts: { value: number; sources: string[] }[] = [];
      (window as unknown as { __shifts: typeof shifts }).__shifts = shifts;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries() as (PerformanceEntry & { value: number; sources?: { node?: Node | null }[] })[]) {
          shifts.push({ value: entry.value, sources: (entry.sources ?? []).map((source) => (source.node as Element | null)?.className ?? '?') });
        }
      }).observe({ type: 'layout-shift', buffered: true });
    });
    const diner = new DinerPage(phone.page);
    await diner.open(table.code);
    await expect.poll(() => phone.page.locator('header.top').innerText(), { timeout: 15_000 }).toContain('Table T-3');
    await diner.join(table.pin);
    await phone.page.getByRole('heading', { name: 'Curries', exact: true }).waitFor();
    expect(await phone.page.evaluate(() => (window as unknown as { __shifts: unknown[] }).__shifts)).toEqual([]);
  });

  it('Recall in "Recently bumped" keeps a margin from the screen edge', async () => {
    const orderId = await placeOrderAt(world.t, 'T-10', [{ name: 'Masala Chai' }]);
    const tablet = await world.device('tablet');
    const kitchen = new KitchenPage(tablet.page);
    await kitchen.open('kitchen', TEST_PASSWORD);
    await tablet.page.getByTestId(`bump-${orderId}`).click();
    await tablet.page.getByTestId('bump-anyway').click();
    await tablet.page.getByRole('button', { name: 'Recall', exact: true }).click();
    const recall = await box(tablet.page.getByTestId(`recall-${orderId}`));
    expect(1280 - recall.right).toBeGreaterThanOrEqual(20);
  });

  it('"Print Ground Floor" stands apart from the table cards', async () => {
    const desk = await world.device('desktop');
    await desk.page.goto('/staff');
    await desk.page.getByLabel('Username').fill('waiter');
    await desk.page.getByLabel('Password').fill(TEST_PASSWORD);
    await desk.page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await desk.page.getByTestId('nav-qr').click();
    const floor = desk.page.getByTestId('qr-floor').first();
    const print = await box(floor.getByTestId('print-floor'));
    const card = await box(floor.locator('.qr-card').first());
    expect(card.top - print.bottom).toBeGreaterThanOrEqual(16);
    await shot(desk.page, 'staff-qr-print-floor-spacing');
  });
});
