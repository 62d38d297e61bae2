/**
 * Hindi, everywhere (issue 19, item 6): a whole service with every device set to Hindi — the staff
 * console, two phones at a FAMILY table and the kitchen tablet, bad paths included (a wrong staff
 * password, a wrong PIN) — and every screen on the way is checked for English outside the
 * restaurant's own data (dish names and descriptions, categories, options, floors, stations, names).
 * The diner header keeps a long restaurant name whole at 360 px, and an unnamed guest is
 * "मेहमान" and a code, without a stray hyphen.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../support/stack.ts';
import { shot, type Device } from './support/browser.ts';
import { useE2eWorld } from './support/harness.ts';
import { englishOnScreen, restaurantData } from './support/language.ts';

const LONG_NAME = 'Shree Annapurna Family Restaurant and Banquets';
const world = useE2eWorld({ env: { RESTAURANT_NAME: LONG_NAME } });

/** The staff sign-in form, by position (its labels are in Hindi here). */
async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.locator('form input').nth(0).fill(username);
  await page.locator('form input').nth(1).fill(password);
  await page.locator('form button[type="submit"]').click();
}

async function inHindi(device: Device): Promise<Device> {
  await device.context.addInitScript(() => localStorage.setItem('plato.lang', JSON.stringify('hi')));
  return device;
}

describe('every screen in Hindi', () => {
  it('shows no English outside the restaurant’s data, on the diner, the kitchen and the staff console', async () => {
    const { t } = world;
    const data = await restaurantData(t, ['Asha']);
    const found: string[] = [];
    const check = async (page: Page, screen: string, picture?: string) => {
      found.push(...(await englishOnScreen(page, data)).map((finding) => `${screen}: ${finding}`));
      if (picture) await shot(page, picture);
    };

    // The staff console: a wrong password first (its refusal in Hindi), then the admin's floor.
    const desk = await inHindi(await world.device('desktop'));
    const staff = desk.page;
    await staff.goto('/staff');
    await staff.locator('form').waitFor();
    await check(staff, 'staff sign-in');
    await signIn(staff, 'admin', 'not-the-password');
    await staff.getByText('यूज़रनेम या पासवर्ड गलत है।').waitFor();
    await check(staff, 'staff sign-in, wrong password');
    await signIn(staff, 'admin', TEST_PASSWORD);
    await staff.getByTestId('table-T-6').waitFor();
    await check(staff, 'staff floor');
    await staff.getByTestId('table-T-6').click();
    await staff.getByTestId('mode-FAMILY').check();
    await check(staff, 'staff open-table form');
    await staff.getByTestId('open-session').click();
    const pin = (await staff.getByTestId('pin-display').innerText()).replace(/\D/g, '');
    await check(staff, 'staff PIN card');
    const tableId = await t.tableId('T-6');

    // The kitchen tablet: a wrong password, then the board.
    const tablet = await inHindi(await world.device('tablet'));
    const kitchen = tablet.page;
    await kitchen.goto('/kitchen');
    await kitchen.locator('form').waitFor();
    await signIn(kitchen, 'kitchen', 'not-the-password');
    await kitchen.getByText('यूज़रनेम या पासवर्ड गलत है।').waitFor();
    await check(kitchen, 'kitchen sign-in, wrong password', 'kitchen-signin-wrong-password-hindi');
    await signIn(kitchen, 'kitchen', TEST_PASSWORD);
    await kitchen.locator('[data-testid="connection-state"][data-live="true"]').waitFor();
    await check(kitchen, 'kitchen board, empty');

    // Phone 1: the PIN keypad, a wrong PIN, the identify step, the menu and a dish's sheet.
    const phone = await inHindi(await world.device('phone'));
    const diner = phone.page;
    await diner.goto(`/?table=${await t.tableCode(tableId)}`);
    await diner.locator('#pin-input').waitFor();
    await check(diner, 'diner PIN');
    await diner.locator('#pin-input').fill(String((Number(pin) + 1) % 10_000).padStart(4, '0'));
    await diner.locator('.pin-status .banner').waitFor();
    await check(diner, 'diner PIN, wrong');
    await diner.locator('#pin-input').fill(pin);
    await diner.getByRole('heading', { name: 'अपना परिचय दें (वैकल्पिक)' }).waitFor();
    await check(diner, 'diner identify');
    await diner.getByRole('button', { name: 'छोड़ें', exact: true }).click();
    await diner.getByRole('searchbox').waitFor();
    // The header keeps the long restaurant name whole (wrapped, never cut with "…").
    const brand = diner.locator('.brand');
    expect(await brand.innerText()).toBe(LONG_NAME);
    expect(await brand.evaluate((el) => el.scrollWidth <= el.clientWidth && getComputedStyle(el).textOverflow !== 'ellipsis')).toBe(true);
    await check(diner, 'diner menu', 'diner-menu-hindi-long-name');
    // The restaurant translated its menu: dishes and options in Hindi too (item 5).
    await diner.getByRole('button', { name: 'पनीर टिक्का जोड़ें', exact: true }).click();
    const sheet = diner.getByRole('dialog', { name: 'पनीर टिक्का' });
    await sheet.waitFor();
    await check(diner, 'diner dish sheet');
    await sheet.getByLabel(/^फ़ुल/).check();
    await sheet.getByRole('button', { name: /^कार्ट में जोड़ें/ }).click();
    await sheet.waitFor({ state: 'detached' });

    // Phone 2 (through the API, unnamed) adds a dish: phone 1's cart names it "मेहमान" and a code.
    const other = await t.joinTable(tableId, pin);
    await t.addToCart(other, 'Masala Chai', 2);
    const nav = diner.getByRole('navigation');
    await nav.getByRole('button', { name: /^कार्ट/ }).click();
    const addedBy = diner.getByText(/ने जोड़ा$/).filter({ hasText: 'मेहमान' });
    await addedBy.waitFor();
    expect(await addedBy.innerText()).toMatch(/^मेहमान [A-Z0-9]{4} ने जोड़ा$/);
    await check(diner, 'diner cart', 'diner-cart-hindi');
    await diner.getByRole('button', { name: /^ऑर्डर करें/ }).click();
    await diner.locator('li.order').first().waitFor();
    await check(diner, 'diner orders');

    // The kitchen: the ticket, Bump asking first, the recall list.
    const ticket = kitchen.locator('article[data-testid^="ticket-"]').first();
    await ticket.waitFor();
    await check(kitchen, 'kitchen board');
    await ticket.locator('[data-testid^="bump-"]').click();
    await kitchen.getByTestId('bump-confirm').waitFor();
    await check(kitchen, 'kitchen bump confirmation', 'kitchen-bump-confirm-hindi');
    await kitchen.getByTestId('bump-anyway').click();
    await ticket.waitFor({ state: 'detached' });
    await check(kitchen, 'kitchen board, bumped');
    await kitchen.getByRole('button', { name: 'वापस लाएँ', exact: true }).click();
    await kitchen.getByTestId('recall-list').waitFor();
    await check(kitchen, 'kitchen recall list');

    // The bill: whole, by phone, by dish.
    await nav.getByRole('button', { name: /^बिल/ }).click();
    await diner.getByRole('heading', { name: 'बिल' }).waitFor();
    await check(diner, 'diner bill');
    await diner.getByText('फ़ोन के अनुसार').click();
    await diner.locator('ul.shares > li').nth(1).waitFor();
    expect(await diner.locator('ul.shares').innerText()).toMatch(/मेहमान [A-Z0-9]{4}/);
    await check(diner, 'diner bill by phone', 'diner-bill-split-hindi');
    await diner.getByText('डिश के अनुसार').click();
    await diner.getByRole('group').last().waitFor();
    await check(diner, 'diner bill by dish');

    // The staff console: the table panel, the menu, a dish's editor, the QR sheet, the team.
    await staff.getByTestId('table-panel').locator('[data-testid="order-row"]').first().waitFor();
    await check(staff, 'staff table panel', 'staff-panel-hindi');
    await staff.getByTestId('nav-menu').click();
    await staff.getByTestId('edit-dish').first().waitFor();
    await check(staff, 'staff menu');
    await staff.getByTestId('edit-dish').first().click();
    await staff.getByTestId('dish-editor').waitFor();
    await check(staff, 'staff dish editor');
    await staff.keyboard.press('Escape');
    await staff.getByTestId('nav-qr').click();
    await staff.getByTestId('qr-floor').first().waitFor();
    await check(staff, 'staff QR codes');
    await staff.getByTestId('nav-team').click();
    await staff.getByTestId('team-user').first().waitFor();
    await check(staff, 'staff team');

    // Closing the table: the confirmation, then the phone's thank-you.
    await staff.getByTestId('nav-floor').click();
    await staff.getByTestId('table-T-6').click();
    await staff.getByTestId('close-session').click();
    await staff.getByTestId('confirm-action').waitFor();
    await check(staff, 'staff close-table confirmation');
    await staff.getByTestId('confirm-action').click();
    await staff.locator('[data-testid="table-T-6"][data-state="free"]').waitFor();
    await diner.getByRole('heading', { name: 'धन्यवाद!' }).waitFor();
    await check(diner, 'diner closed');

    expect(found).toEqual([]);
  });
});
