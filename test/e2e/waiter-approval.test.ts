/**
 * Waiter approval (restaurant setting orderApproval: waiter): the guest's order waits for the waiter,
 * the staff console shows it first with confirm and reject; a rejection shows the guest the reason
 * and puts the dishes back in the cart; the next order, confirmed, goes to the kitchen.
 */
import { describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../support/stack.ts';
import { notTappableInView, shot } from './support/browser.ts';
import { DinerPage } from './support/diner.ts';
import { useE2eWorld } from './support/harness.ts';
import { StaffPage } from './support/staff.ts';

const world = useE2eWorld({ env: { ORDER_APPROVAL: 'waiter' } });

describe('waiter approval', () => {
  it('a rejected order comes back to the cart with the reason; the next one is confirmed to the kitchen', async () => {
    const waiterTablet = await world.device('desktop');
    const phone = await world.device('phone');
    const staff = new StaffPage(waiterTablet.page);
    const diner = new DinerPage(phone.page);

    await staff.open('waiter', TEST_PASSWORD);
    const { pin } = await staff.openTable('T-3', 'FAMILY');
    await diner.open(await world.t.tableCode(await world.t.tableId('T-3')));
    await diner.join(pin);
    await diner.addDish('Chicken Tikka');
    await diner.addDish('Butter Naan', { quantity: 2, choose: ['Garlic'] });
    await diner.tab('Cart');
    await diner.placeButton.click();

    // The guest waits for the waiter; the console marks the table and lists the order first.
    const first = diner.orderCards.first();
    await first.getByText('Waiting for the waiter to confirm').waitFor();
    await first.getByText('Awaiting confirmation').waitFor();
    await staff.page.locator('[data-testid="table-T-3"][data-state="ordering"]').waitFor();
    const pending = staff.panel.getByTestId('pending-orders');
    await pending.getByTestId('reject-order').waitFor();
    // Pending orders come first in the table panel: Confirm and Reject are in view at 1280×800 without scrolling.
    expect([await notTappableInView(pending.getByTestId('confirm-order')), await notTappableInView(pending.getByTestId('reject-order'))]).toEqual(['', '']);
    await shot(waiterTablet.page, 'staff-pending-order');

    // The waiter rejects it with a reason: the guest sees the reason and has the dishes back.
    await pending.getByTestId('reject-order').click();
    await staff.page.getByLabel('Reason for the guests').fill('The tandoor is closed tonight');
    await staff.page.getByTestId('confirm-action').click();
    await first.getByText('Not accepted: The tandoor is closed tonight. Your items are back in the cart.').waitFor();
    await diner.tab('Cart');
    await diner.cartLine('Chicken Tikka').waitFor();
    await diner.cartLine('Butter Naan').waitFor();
    await shot(phone.page, 'diner-order-rejected', { hideToasts: true });

    // Without the tandoor dishes? No: the guest orders the same again and this time the waiter confirms.
    await diner.placeButton.click();
    await diner.tab('Orders');
    await expect.poll(() => diner.orderCards.count()).toBe(2);
    await pending.getByTestId('confirm-order').click();
    await staff.page.getByTestId('confirm-action').click();
    const confirmed = diner.orderCards.filter({ hasText: 'Confirmed' });
    await confirmed.waitFor();
    await expect.poll(() => diner.itemStatus(confirmed, 'Chicken Tikka').textContent()).toBe('Received');
    // Confirmed and cooking: the floor shows the table in the kitchen, not awaiting payment.
    await staff.page.locator('[data-testid="table-T-3"][data-state="inKitchen"]').waitFor();

    // Only the confirmed order reached the kitchen.
    const { token } = await world.t.loginAs('KITCHEN');
    const { body } = await world.t.api.get<{ orders: { items: { name: string }[] }[] }>('/api/kitchen/orders', { token });
    expect(body.orders).toHaveLength(1);
    expect(body.orders[0].items.map((item) => item.name).sort()).toEqual(['Butter Naan', 'Chicken Tikka']);

    for (const device of [waiterTablet, phone]) expect(device.errors).toEqual([]);
  });
});
