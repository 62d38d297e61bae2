/**
 * The menu in the guest's language (issue 19, item 5): a manager translates a dish in the staff
 * console; a phone set to Hindi shows the dish, its options and its category in Hindi, and one in
 * English the default names; a kitchen in Hindi shows the Hindi dish name while one in English keeps
 * English; the order keeps the default-language name the POS reads. The names of categories,
 * stations and floors are edited in "Languages and names". The dish editor saved with a field wrong
 * takes the focus to that field, which says what is wrong.
 */
import { ObjectId } from 'mongodb';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { OrderDoc } from '../../functions/data/documents.ts';
import { TEST_PASSWORD } from '../support/stack.ts';
import { notTappableInView, shot, type Device } from './support/browser.ts';
import { DinerPage } from './support/diner.ts';
import { useE2eWorld } from './support/harness.ts';
import { KitchenPage } from './support/kitchen.ts';
import { StaffPage } from './support/staff.ts';

const world = useE2eWorld();

async function inHindi(device: Device): Promise<Device> {
  await device.context.addInitScript(() => localStorage.setItem('plato.lang', JSON.stringify('hi')));
  return device;
}

/** Types the PIN and skips the identify step, in Hindi. */
async function joinInHindi(page: Page, tableCode: string, pin: string): Promise<void> {
  await page.goto(`/?table=${tableCode}`);
  await page.locator('#pin-input').fill(pin);
  await page.getByRole('button', { name: 'छोड़ें', exact: true }).click();
  await page.getByRole('searchbox').waitFor();
}

describe('the menu in the guest’s language', () => {
  it('a manager translates a dish; Hindi phones and kitchens show it, English ones the default, the order keeps English', async () => {
    const { t } = world;
    // The manager gives Paneer Tikka a new Hindi name in the dish editor.
    const desk = await world.device('desktop');
    const staff = new StaffPage(desk.page);
    await staff.open('manager', TEST_PASSWORD);
    await desk.page.getByTestId('nav-menu').click();

    // A new dish saved empty: the focus goes to the first field that is wrong (scrolled into view),
    // which carries the message (aria-invalid, aria-describedby); filled, Save goes on to the next one.
    await desk.page.getByTestId('add-dish').click();
    const newDish = desk.page.getByTestId('dish-editor');
    const problemAt = async (label: string) => {
      const field = newDish.getByLabel(label, { exact: true });
      await expect.poll(() => field.evaluate((el) => el === document.activeElement)).toBe(true);
      expect(await notTappableInView(field)).toBe('');
      expect(await field.getAttribute('aria-invalid')).toBe('true');
      return field.evaluate((el) => (el.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent).join(' '));
    };
    await newDish.getByTestId('save-dish').click();
    expect(await problemAt('Name')).toBe('Give the dish a name.');
    await newDish.getByLabel('Name', { exact: true }).fill('Masala Papad');
    await newDish.getByTestId('save-dish').click();
    expect(await problemAt('Price (₹)')).toBe('In rupees, e.g. 249 or 249.50 Enter the price in rupees, e.g. 249 or 249.50.'); // its hint, then the message
    await shot(desk.page, 'staff-dish-editor-empty-save');
    await newDish.getByRole('button', { name: 'Cancel', exact: true }).click();
    await newDish.waitFor({ state: 'detached' });

    const tikkaRow = desk.page.getByTestId('menu-item').filter({ hasText: 'Paneer Tikka' });
    await tikkaRow.getByTestId('edit-dish').click();
    const editor = desk.page.getByTestId('dish-editor');
    const hindi = editor.getByTestId('dish-translation-hi');
    await hindi.getByLabel('Name in Hindi').fill('पनीर टिक्का (तंदूरी)');
    await hindi.getByLabel('“Full” in Hindi').fill('पूरी प्लेट');
    await shot(desk.page, 'staff-dish-editor-hindi');
    await editor.getByTestId('save-dish').click();
    await editor.waitFor({ state: 'detached' });

    // "Languages and names": the shared names, with the floor's Hindi name from the seed.
    await desk.page.getByTestId('edit-names').click();
    const names = desk.page.getByTestId('names-editor');
    expect(await names.getByLabel('Ground Floor in Hindi').inputValue()).toBe('भूतल');
    await names.getByLabel('Curries in Hindi').fill('करी और सालन');
    await shot(desk.page, 'staff-languages-and-names');
    await names.getByTestId('save-names').click();
    await names.waitFor({ state: 'detached' });

    const table = await t.freshTable('T-4', 'FAMILY');

    // A phone in Hindi: category, dish and option in Hindi.
    const phone = await inHindi(await world.device('phone'));
    await joinInHindi(phone.page, table.code, table.pin);
    await phone.page.getByRole('heading', { name: 'करी और सालन', exact: true }).waitFor();
    await phone.page.getByRole('heading', { name: 'तंदूर से', exact: true }).scrollIntoViewIfNeeded();
    await shot(phone.page, 'diner-menu-in-hindi');
    await phone.page.getByRole('button', { name: 'पनीर टिक्का (तंदूरी) जोड़ें', exact: true }).click();
    const sheet = phone.page.getByRole('dialog', { name: 'पनीर टिक्का (तंदूरी)' });
    await sheet.getByText('पोर्शन').waitFor();
    await sheet.getByLabel(/^पूरी प्लेट/).check();
    await shot(phone.page, 'diner-dish-sheet-hindi');
    await sheet.getByRole('button', { name: /^कार्ट में जोड़ें/ }).click();
    await sheet.waitFor({ state: 'detached' });
    await phone.page.getByRole('navigation').getByRole('button', { name: /^कार्ट/ }).click();
    const line = phone.page.locator('.cart-line').first();
    expect(await line.locator('strong').innerText()).toBe('पनीर टिक्का (तंदूरी)');
    expect(await line.innerText()).toContain('पूरी प्लेट');

    // A phone in English at the same table sees the default names.
    const english = await world.device('phone');
    const diner = new DinerPage(english.page);
    await diner.open(table.code);
    await diner.join(table.pin);
    await english.page.getByRole('heading', { name: 'Curries', exact: true }).waitFor();
    await diner.tab('Cart');
    await diner.cartLine('Paneer Tikka').waitFor();

    // Placed from the Hindi phone: the kitchens.
    await phone.page.getByRole('button', { name: /^ऑर्डर करें/ }).click();
    await phone.page.locator('li.order').first().waitFor();
    expect(await phone.page.locator('li.order .order-items').first().innerText()).toContain('पनीर टिक्का (तंदूरी)');

    const orders = t.collection<OrderDoc>(process.env.COLLECTION_ORDERS || 'digital_menu_customer_orders');
    const order = (await orders.find({ tableNumber: 'T-4' }).sort({ orderDate: -1 }).limit(1).toArray())[0];
    expect(order.items[0]).toMatchObject({ menuItemName: 'Paneer Tikka', nameTranslations: { hi: 'पनीर टिक्का (तंदूरी)' } });
    expect(order.items[0].modifiers[0].name).toBe('Full');
    const orderId = (order._id as ObjectId).toHexString();

    const hindiTablet = await inHindi(await world.device('tablet'));
    await hindiTablet.page.goto('/kitchen');
    await hindiTablet.page.locator('form input').nth(0).fill('kitchen');
    await hindiTablet.page.locator('form input').nth(1).fill(TEST_PASSWORD);
    await hindiTablet.page.locator('form button[type="submit"]').click();
    const hindiItem = hindiTablet.page.getByTestId(`item-${orderId}-0`);
    await hindiItem.waitFor();
    expect(await hindiItem.locator('.k-name').innerText()).toBe('पनीर टिक्का (तंदूरी)');
    expect(await hindiTablet.page.getByTestId('station-TANDOOR').innerText()).toBe('तंदूर');
    expect(await hindiItem.locator('xpath=..').locator('.k-mods').innerText()).toBe('+ पूरी प्लेट');
    expect(await hindiTablet.page.getByTestId(`ticket-${orderId}`).innerText()).toContain('भूतल');
    await shot(hindiTablet.page, 'kitchen-board-hindi-dish-names');

    const tablet = await world.device('tablet');
    const kitchen = new KitchenPage(tablet.page);
    await kitchen.open('kitchen', TEST_PASSWORD);
    expect(await kitchen.item(orderId, 0).locator('.k-name').innerText()).toBe('Paneer Tikka');
    expect(await kitchen.ticket(orderId).innerText()).toContain('+ Full');
    expect(await tablet.page.getByTestId('station-TANDOOR').innerText()).toBe('TANDOOR');

    for (const device of [desk, phone, english, hindiTablet, tablet]) expect(device.errors).toEqual([]);
  });
});
