/**
 * Two phones tap Place at once at a FAMILY table (issue 19, item 8), in the browser: the other
 * phone's Place reaches the server first (held back here by intercepting this phone's request until
 * the other order is in), so this phone's Place is refused. It is told the table's order was just
 * placed from another phone, with its dishes, and is shown that order, not "the cart changed" over
 * an empty cart.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { shot } from './support/browser.ts';
import { DinerPage } from './support/diner.ts';
import { useE2eWorld } from './support/harness.ts';

const world = useE2eWorld();

describe('two phones tap Place at once', () => {
  it('the phone that lost the race is shown the order the other phone just placed, with its dishes', async () => {
    const { t } = world;
    const table = await t.freshTable('T-10', 'FAMILY');
    const phone = await world.device('phone');
    // Every notice the phone shows, kept: a loaded machine may be slow to look before one times out.
    await phone.context.addInitScript(() => {
      const seen: string[] = ((window as unknown as { __notices: string[] }).__notices = []);
      new MutationObserver(() => {
        const text = document.querySelector('.toast')?.textContent?.trim();
        if (text && seen.at(-1) !== text) seen.push(text);
      }).observe(document, { subtree: true, childList: true, characterData: true });
    });
    const diner = new DinerPage(phone.page);
    await diner.open(table.code);
    await diner.join(table.pin);
    await diner.addDish('Masala Chai', { quantity: 2 });

    // The other phone at the table adds a dish and its Place lands just before this phone's.
    const other = await t.joinTable(table.code, table.pin);
    await t.addToCart(other, 'Vegetable Samosa', 1);
    await diner.tab('Cart');
    await diner.cartLine('Vegetable Samosa').waitFor();
    let otherOrderNumber = '';
    await phone.page.route('**/api/orders', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      const cart = await t.api.get<{ version: number }>('/api/cart', { token: other.sessionToken });
      const placed = await t.api.post<{ orderNumber: string }>('/api/orders', { cartVersion: cart.body.version }, { token: other.sessionToken, headers: { 'idempotency-key': randomUUID() } });
      expect(placed.status).toBe(201);
      otherOrderNumber = placed.body.orderNumber;
      await route.continue();
    });
    await phone.page.getByRole('button', { name: /^Place order/ }).click();

    const placedByOther = /^Your table just placed order .+ from another phone/;
    await phone.page.waitForFunction((source) => (window as unknown as { __notices: string[] }).__notices.some((text) => new RegExp(source).test(text)), placedByOther.source);
    const notices = await phone.page.evaluate(() => (window as unknown as { __notices: string[] }).__notices);
    const said = notices.find((text) => placedByOther.test(text))!;
    expect(said).toContain(otherOrderNumber);
    expect(said).toContain('2× Masala Chai');
    expect(said).toContain('1× Vegetable Samosa');
    // Not followed by "the cart changed" (or any other notice) over it.
    expect(notices.at(-1)).toBe(said);
    // Shown the order: the Orders section, with the table's order and both dishes.
    const order = phone.page.locator('li.order').first();
    await order.waitFor();
    expect(await order.innerText()).toMatch(/Masala Chai[\s\S]*Vegetable Samosa|Vegetable Samosa[\s\S]*Masala Chai/);
    await shot(phone.page, 'diner-place-race-lost');
    // The refused Place is the one failed request.
    expect(phone.errors.map((error) => error.replace(/http:\/\/[^/]+/, ""))).toEqual(["HTTP 409 POST /api/orders"]);
  });
});
