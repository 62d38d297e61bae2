/**
 * Favourites on the menu: a guest who gave their phone stars a dish and sees it under "Your
 * favourites" at the top of the menu; at their next visit the starred dish and the one they ordered
 * most come first; a guest who skipped giving a phone sees no stars. No accessibility violations.
 */
import { describe, expect, it } from 'vitest';
import { axeViolations, shot } from './support/browser.ts';
import { DinerPage } from './support/diner.ts';
import { useE2eWorld } from './support/harness.ts';

const world = useE2eWorld();
const PHONE = { name: 'Meera', phone: '9876501234' };

describe('favourites on the menu', () => {
  it('a returning guest finds the dishes they starred and ordered most at the top of the menu', async () => {
    const { t } = world;
    // An earlier visit: Meera ordered Dal Makhani twice.
    const earlier = await t.freshTable('T-12', 'INDIVIDUAL');
    const before = await t.joinTable(earlier.tableId, earlier.pin);
    await t.identifyVerified(before, PHONE.name, PHONE.phone);
    await t.orderCart(before, (await t.addToCart(before, 'Dal Makhani', 2)).version);

    const table = await t.freshTable('T-11', 'INDIVIDUAL');
    const phone = await world.device('phone');
    const diner = new DinerPage(phone.page);
    await diner.open(table.code);
    await diner.join(table.pin, PHONE);
    const favourites = phone.page.getByTestId('menu-favorites');
    await favourites.getByRole('heading', { name: 'Dal Makhani' }).waitFor();

    const star = phone.page.getByRole('button', { name: 'Favourite: Masala Chai' }).first();
    expect(await star.getAttribute('aria-pressed')).toBe('false');
    await star.click();
    await favourites.getByRole('heading', { name: 'Masala Chai' }).waitFor();
    expect(await favourites.getByRole('heading', { level: 3 }).allTextContents()).toEqual(['Masala Chai', 'Dal Makhani']);
    expect(await phone.page.getByRole('button', { name: 'Favourite: Masala Chai' }).first().getAttribute('aria-pressed')).toBe('true');
    const customer = await t.collection('customers').findOne({ restaurantId: 'demo', phoneNumber: PHONE.phone });
    expect(customer!.favorites).toEqual([(await t.dish('Masala Chai')).id]);
    await phone.page.evaluate(() => window.scrollTo(0, 0));
    await shot(phone.page, 'diner-menu-favourites');
    expect(await axeViolations(phone.page)).toEqual([]);

    // Unstarring takes it off the top; the most-ordered dish stays.
    await phone.page.getByRole('button', { name: 'Favourite: Masala Chai' }).first().click();
    await favourites.getByRole('heading', { name: 'Masala Chai' }).waitFor({ state: 'detached' });
    expect(await favourites.getByRole('heading', { level: 3 }).allTextContents()).toEqual(['Dal Makhani']);

    // A guest who skipped giving a phone: no favourites, no stars.
    const other = await world.device('phone');
    const anonymous = new DinerPage(other.page);
    await anonymous.open(table.code);
    await anonymous.join(table.pin);
    await other.page.getByRole('heading', { name: 'Masala Chai' }).first().waitFor();
    expect(await other.page.getByTestId('menu-favorites').count()).toBe(0);
    expect(await other.page.getByRole('button', { name: /^Favourite:/ }).count()).toBe(0);
  });
});
