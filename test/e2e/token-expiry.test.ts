/**
 * An expired guest token asks for the PIN again without losing the cart: in INDIVIDUAL mode the cart
 * belongs to the phone (its deviceId), so the re-join must come back as the same phone. Tokens live
 * 8 seconds here (GUEST_TOKEN_TTL_SECONDS), and credentials only ever live in the HttpOnly cookie.
 */
import { describe, expect, it } from 'vitest';
import { DinerPage } from './support/diner.ts';
import { useE2eWorld } from './support/harness.ts';

const TOKEN_TTL_SECONDS = 8;
const world = useE2eWorld({ env: { GUEST_TOKEN_TTL_SECONDS: String(TOKEN_TTL_SECONDS) } });

describe('an expired guest token', () => {
  it('asks for the PIN again over the kept view and keeps the phone’s own cart', async () => {
    const table = await world.t.freshTable('T-11', 'INDIVIDUAL');
    const phone = await world.device('phone');
    const diner = new DinerPage(phone.page);
    const joinedAs: string[] = [];
    phone.page.on('response', async (response) => {
      if (response.url().endsWith('/api/sessions/join') && response.ok()) joinedAs.push((await response.json()).deviceId);
    });
    await diner.open(table.code);
    await diner.join(table.pin);
    await diner.addDish('Gulab Jamun', { choose: ['Vanilla ice cream'] });

    // No credential in the page's reach: not in storage, not in the URL, not in a readable cookie.
    const exposed = await phone.page.evaluate(() => ({ local: JSON.stringify({ ...localStorage }), session: JSON.stringify({ ...sessionStorage }), cookie: document.cookie, url: location.href }));
    const [guestCookie] = (await phone.context.cookies()).filter((cookie) => cookie.httpOnly);
    expect(guestCookie?.value.length).toBeGreaterThan(20);
    for (const place of Object.values(exposed)) expect(place).not.toContain(guestCookie.value);

    // Wait for the token to run out (the server's answer, polled; no fixed sleep).
    await expect
      .poll(() => phone.page.evaluate(async () => (await fetch('/api/cart')).status), { timeout: (TOKEN_TTL_SECONDS + 10) * 1000, interval: 500 })
      .toBe(401);

    // The next request meets the expired token: the PIN sheet opens over the kept view.
    await phone.page.getByRole('button', { name: 'Add Masala Chai', exact: true }).click();
    const itemSheet = phone.page.getByRole('dialog', { name: 'Masala Chai' });
    await itemSheet.getByRole('button', { name: /^Add to cart/ }).click();
    const pinSheet = phone.page.getByRole('dialog', { name: 'Enter the table PIN' });
    await pinSheet.getByText('Your session expired. Enter the PIN again to continue — your cart is kept.').waitFor();
    await diner.typePin(table.pin);
    await pinSheet.waitFor({ state: 'hidden' });

    // The interrupted dish is still on screen to add; the cart is the same phone's, with both dishes.
    await itemSheet.getByRole('button', { name: /^Add to cart/ }).click();
    await itemSheet.waitFor({ state: 'hidden' });
    await diner.tab('Cart');
    await diner.cartLine('Gulab Jamun').waitFor();
    await diner.cartLine('Masala Chai').waitFor();
    const cart = await phone.page.evaluate(async () => (await fetch('/api/cart')).json());
    expect(cart.lines.map((line: { name: string }) => line.name)).toEqual(['Gulab Jamun', 'Masala Chai']);
    expect(joinedAs).toHaveLength(2);
    expect(joinedAs[1]).toBe(joinedAs[0]);
    expect(phone.errors.filter((error) => !/ 401 /.test(error))).toEqual([]);
  });
});
