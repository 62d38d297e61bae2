/**
 * A third menu language (issue 19, item 5): the restaurant adds Tamil in "Languages and names"; the
 * dish editor then edits Tamil texts like Hindi ones. A guest picks "தமிழ்" from the menu: dishes,
 * options and categories show in Tamil (untranslated ones in the default language) while the app's
 * own words stay in the app's language (English or Hindi, the languages it has a catalogue for). The
 * pick stays on the phone across a reload and an app-language switch.
 */
import { describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../support/stack.ts';
import { shot } from './support/browser.ts';
import { DinerPage } from './support/diner.ts';
import { useE2eWorld } from './support/harness.ts';
import { StaffPage } from './support/staff.ts';

const world = useE2eWorld();

describe('a menu language beyond the app’s', () => {
  it('a manager adds Tamil and translates a dish; a guest picks Tamil from the menu and keeps it, the app’s words staying English', async () => {
    const { t } = world;
    const desk = await world.device('desktop');
    const staff = new StaffPage(desk.page);
    await staff.open('manager', TEST_PASSWORD);
    await desk.page.getByTestId('nav-menu').click();

    // Languages and names: Tamil joins; the shared names get a Tamil field each.
    await desk.page.getByTestId('edit-names').click();
    const names = desk.page.getByTestId('names-editor');
    await names.getByTestId('menu-languages').fill('en, hi, ta');
    await names.getByLabel('Curries in Tamil').fill('கறிகள்');
    await shot(desk.page, 'staff-languages-tamil');
    await names.getByTestId('save-names').click();
    await names.waitFor({ state: 'detached' });

    // The dish editor now edits Tamil as it edits Hindi.
    await desk.page.getByTestId('menu-item').filter({ hasText: 'Paneer Tikka' }).getByTestId('edit-dish').click();
    const editor = desk.page.getByTestId('dish-editor');
    await editor.getByTestId('dish-translation-hi').waitFor();
    const tamil = editor.getByTestId('dish-translation-ta');
    await tamil.getByLabel('Name in Tamil').fill('பனீர் டிக்கா');
    await tamil.getByLabel('Description in Tamil').fill('தந்தூரில் சுட்ட பனீர்');
    await tamil.getByLabel('“Full” in Tamil').fill('முழு தட்டு');
    // A group and an option not named yet are called as the editor calls them, never by their internal ids.
    await editor.getByRole('button', { name: 'Add choice group' }).click();
    await tamil.getByLabel('“Group 2” in Tamil').waitFor();
    await tamil.getByLabel('“Option 1” in Tamil').waitFor();
    await editor.getByRole('button', { name: 'Remove group' }).last().click();
    await tamil.getByLabel('“Group 2” in Tamil').waitFor({ state: 'detached' });
    await tamil.scrollIntoViewIfNeeded();
    await shot(desk.page, 'staff-dish-editor-tamil');
    await editor.getByTestId('save-dish').click();
    await editor.waitFor({ state: 'detached' });

    const table = await t.freshTable('T-5', 'FAMILY');
    const phone = await world.device('phone');
    const diner = new DinerPage(phone.page);
    await diner.open(table.code);
    await diner.join(table.pin);

    // Before any pick, dishes follow the app's language (English here).
    const picker = phone.page.getByRole('combobox', { name: 'Language of the dishes' });
    expect(await picker.inputValue()).toBe('en');
    expect(await picker.locator('option').allInnerTexts()).toEqual(['English', 'हिन्दी', 'தமிழ்']);
    await picker.selectOption('ta');

    await phone.page.getByRole('heading', { name: 'கறிகள்', exact: true }).waitFor();
    await phone.page.getByRole('heading', { name: 'பனீர் டிக்கா', exact: true }).waitFor();
    // Untranslated into Tamil: the default language's names (not the Hindi ones).
    await phone.page.getByRole('heading', { name: 'Dal Makhani', exact: true }).waitFor();
    // The app's words stay English: the Add button, the search box, the navigation.
    await phone.page.getByRole('button', { name: 'Add பனீர் டிக்கா', exact: true }).scrollIntoViewIfNeeded();
    await phone.page.getByRole('searchbox', { name: 'Search the menu' }).waitFor();
    await shot(phone.page, 'diner-menu-tamil-picked');

    await phone.page.getByRole('button', { name: 'Add பனீர் டிக்கா', exact: true }).click();
    const sheet = phone.page.getByRole('dialog', { name: 'பனீர் டிக்கா' });
    await sheet.getByLabel(/^முழு தட்டு/).check();
    await sheet.getByRole('button', { name: /^Add to cart/ }).click();
    await sheet.waitFor({ state: 'detached' });
    await diner.tab('Cart');
    expect(await diner.cartLine('பனீர் டிக்கா').innerText()).toContain('முழு தட்டு');

    // Kept on the phone: a reload shows Tamil dishes again.
    await phone.page.reload();
    await phone.page.getByRole('searchbox', { name: 'Search the menu' }).waitFor();
    expect(await picker.inputValue()).toBe('ta');
    await phone.page.getByRole('heading', { name: 'பனீர் டிக்கா', exact: true }).waitFor();

    // Switching the app to Hindi changes the app's words, not the dishes' language.
    await phone.page.getByRole('button', { name: 'हिन्दी' }).click();
    await phone.page.getByRole('searchbox', { name: 'मेन्यू में खोजें' }).waitFor();
    await phone.page.getByRole('heading', { name: 'பனீர் டிக்கா', exact: true }).waitFor();
    expect(await phone.page.getByRole('combobox', { name: 'व्यंजनों की भाषा' }).inputValue()).toBe('ta');
    await shot(phone.page, 'diner-menu-tamil-app-hindi');

    // The order keeps the default-language name the POS reads.
    await phone.page.getByRole('navigation').getByRole('button', { name: /^कार्ट/ }).click();
    await phone.page.getByRole('button', { name: /^ऑर्डर करें/ }).click();
    await phone.page.locator('li.order').first().waitFor();
    const order = await t.collection<{ tableNumber: string; items: { menuItemName: string; modifiers: { name: string }[] }[] }>(process.env.COLLECTION_ORDERS || 'digital_menu_customer_orders').findOne({ tableNumber: 'T-5' }, { sort: { orderDate: -1 } });
    expect(order?.items[0]).toMatchObject({ menuItemName: 'Paneer Tikka', modifiers: [expect.objectContaining({ name: 'Full' })] });

    for (const device of [desk, phone]) expect(device.errors).toEqual([]);
  });
});
