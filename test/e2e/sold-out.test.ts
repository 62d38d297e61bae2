/**
 * Sold out, live: a waiter marks a dish sold out on the staff console; a guest's open menu greys it
 * out and the cart flags the line and will not order it, without a reload; back in stock, both clear.
 * A restaurant just set up (no dishes, no tables) is told so, and its manager adds tables in the console.
 */
import { describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../support/stack.ts';
import { shot } from './support/browser.ts';
import { DinerPage } from './support/diner.ts';
import { useE2eWorld } from './support/harness.ts';
import { StaffPage } from './support/staff.ts';

const world = useE2eWorld();

describe('sold out', () => {
  it('a dish marked sold out on the console is greyed out on the menu and flagged in the cart, live', async () => {
    const table = await world.t.freshTable('T-2', 'FAMILY');
    const waiterTablet = await world.device('desktop');
    const phone = await world.device('phone');
    const staff = new StaffPage(waiterTablet.page);
    const diner = new DinerPage(phone.page);

    await diner.open(table.code);
    await diner.join(table.pin);
    await diner.addDish('Prawn Tempura');
    await diner.addDish('Tandoori Roti', { quantity: 2 });
    await diner.tab('Cart');
    await diner.placeButton.waitFor();

    await staff.open('waiter', TEST_PASSWORD);
    await staff.page.getByTestId('nav-menu').click();
    const availability = staff.page.getByRole('switch', { name: 'Prawn Tempura available' });
    await availability.click();
    await staff.page.locator('[role="switch"][aria-label="Prawn Tempura available"][aria-checked="false"]').waitFor();

    // The guest's cart flags the line and refuses to order; the menu greys the dish out.
    await diner.cartLine('Prawn Tempura').getByText('Sold out — remove it to place the order.').waitFor();
    await expect.poll(() => diner.placeButton.isDisabled()).toBe(true);
    await phone.page.getByText('Remove sold-out items to place the order.').waitFor();
    await shot(phone.page, 'diner-cart-sold-out', { hideToasts: true });
    await diner.tab('Menu');
    const dish = phone.page.locator('li.menu-item').filter({ has: phone.page.getByRole('heading', { name: 'Prawn Tempura' }) });
    await dish.getByText('Sold out').waitFor();
    expect(await phone.page.getByRole('button', { name: 'Add Prawn Tempura', exact: true }).count()).toBe(0);

    // Back in stock: the flag goes and the order can be placed.
    await availability.click();
    await dish.getByRole('button', { name: 'Add Prawn Tempura' }).waitFor();
    await diner.tab('Cart');
    await expect.poll(() => diner.placeButton.isEnabled()).toBe(true);
    expect(await diner.cartLine('Prawn Tempura').getByText(/^Sold out/).count()).toBe(0);
    await diner.placeButton.click();
    await diner.orderCards.first().getByText('1 × Prawn Tempura').waitFor();

    for (const device of [waiterTablet, phone]) expect(device.errors).toEqual([]);
  });

  it('a menu with no dishes yet (a restaurant just set up) tells the guest so, not a blank page; the manager is pointed to Add dish, the QR page to no tables', async () => {
    const table = await world.t.freshTable('T-3', 'FAMILY');
    const phone = await world.device('phone');
    const office = await world.device('desktop');
    for (const page of [phone.page, office.page]) {
      await page.route('**/api/menu*', async (route) => {
        const response = await route.fetch();
        await route.fulfill({ response, json: { ...(await response.json()), categories: [] } });
      });
    }
    const diner = new DinerPage(phone.page);
    await diner.open(table.code);
    await diner.join(table.pin);
    await phone.page.getByTestId('menu-empty').getByText('There are no dishes on the menu yet. Please ask your waiter.').waitFor();
    // The manager's menu page points to "Add dish" rather than "No dish matches." under an empty search.
    await new StaffPage(office.page).open('manager', TEST_PASSWORD);
    await office.page.getByTestId('nav-menu').click();
    await office.page.getByTestId('menu-none').getByText('No dishes yet. Add the first with “Add dish”: guests see it at once.').waitFor();
    // Likewise a restaurant with no tables yet: the QR page says so and offers nothing to print.
    await office.page.route('**/api/staff/qr-codes*', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, json: { ...(await response.json()), floors: [] } });
    });
    await office.page.getByTestId('nav-qr').click();
    await office.page.getByTestId('qr-none').getByText('No tables are set up yet.').waitFor();
    expect(await office.page.getByTestId('print-all').count()).toBe(0);
    // …and points the manager to "Add table", which is right there.
    await office.page.getByTestId('qr-none').getByText('Add your first with “Add table”').waitFor();
    await office.page.getByTestId('add-table').waitFor();
    await shot(office.page, 'staff-qr-no-tables', { hideToasts: true });
    for (const device of [phone, office]) expect(device.errors).toEqual([]);
  });

  it('a manager adds a table on a new floor in the console, opens it, and it is on the floor and the QR sheet; a waiter cannot add or remove tables', async () => {
    const office = await world.device('desktop');
    const staff = new StaffPage(office.page);
    await staff.open('manager', TEST_PASSWORD);
    await office.page.getByTestId('nav-qr').click();
    await office.page.getByTestId('add-table').click();
    const form = office.page.getByTestId('table-form');
    // A number already used (in another case) is refused in the form, in words.
    await form.getByTestId('table-number').fill('t-1');
    await form.getByTestId('table-floor').selectOption({ label: 'Ground Floor' });
    await form.getByTestId('table-save').click();
    await form.getByTestId('table-form-error').getByText('There is already a table with this number.').waitFor();
    await form.getByTestId('table-number').fill('P-1');
    await form.getByTestId('table-floor').selectOption({ label: 'New floor…' });
    await form.getByTestId('table-new-floor').fill('Terrace');
    await shot(office.page, 'staff-add-table', { hideToasts: true });
    await form.getByTestId('table-save').click();
    const card = office.page.getByTestId('qr-P-1');
    await card.waitFor();
    expect(await office.page.getByTestId('qr-floor').filter({ has: card }).getByRole('heading', { name: 'Terrace' }).count()).toBe(1);
    await shot(office.page, 'staff-qr-new-table', { hideToasts: true, fullPage: true });

    // On the floor, under its floor, and it opens like any other; a guest joins by its QR link.
    await office.page.getByTestId('nav-floor').click();
    const opened = await staff.openTable('P-1', 'FAMILY');
    expect(await office.page.locator('.s-floor-group').filter({ has: staff.table('P-1') }).getByRole('heading', { name: 'Terrace' }).count()).toBe(1);
    await shot(office.page, 'staff-floor-new-table', { hideToasts: true });
    const code = await world.t.tableCode(await world.t.tableId('P-1'));
    const guest = await world.t.joinTable(code, opened.pin);
    expect(guest.table).toEqual({ number: 'P-1', floor: 'Terrace' });

    // Being served, it cannot be removed: the dialog says why.
    await office.page.getByTestId('nav-qr').click();
    await office.page.getByTestId('remove-table-P-1').click();
    await office.page.getByTestId('confirm-action').click();
    await office.page.getByTestId('confirm-error').getByText('This table is being served. Close it on the floor before removing it.').waitFor();
    await shot(office.page, 'staff-remove-table-refused', { hideToasts: true });

    const waiterTablet = await world.device('desktop');
    await new StaffPage(waiterTablet.page).open('waiter', TEST_PASSWORD);
    await waiterTablet.page.getByTestId('nav-qr').click();
    await waiterTablet.page.getByTestId('qr-P-1').waitFor();
    for (const control of ['add-table', 'edit-table-P-1', 'remove-table-P-1']) expect(await waiterTablet.page.getByTestId(control).count()).toBe(0);
    // A table added on another console appears on this QR page without a reload.
    const manager = (await world.t.loginAs('MANAGER')).token;
    expect((await world.t.api.post('/api/staff/tables', { number: 'P-2', floor: 'Terrace' }, { token: manager })).status).toBe(201);
    await waiterTablet.page.getByTestId('qr-P-2').waitFor({ timeout: 10_000 });
    // The two refusals asked for above, and nothing else.
    expect(office.errors.map((error) => error.replace(/http:\/\/[^/]+/, '').replace(/[0-9a-f]{24}$/, '{id}'))).toEqual(['HTTP 409 POST /api/staff/tables', 'HTTP 409 DELETE /api/staff/tables/{id}']);
    expect(waiterTablet.errors).toEqual([]);
  });
});
