/**
 * A waiter is told before trying that closing a table with unpaid orders needs a manager (issue 19,
 * item 10): the Close button is not offered to them, with the reason beside it, so there is no
 * refused request, no duplicate warning and no same button again. A manager closes it.
 */
import { describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../support/stack.ts';
import { shot } from './support/browser.ts';
import { useE2eWorld } from './support/harness.ts';
import { placeOrderAt } from './support/orders.ts';
import { StaffPage } from './support/staff.ts';

const world = useE2eWorld();

describe('closing an unpaid table', () => {
  it('a waiter sees that a manager is needed before trying; a manager can close it', async () => {
    await placeOrderAt(world.t, 'T-11', [{ name: 'Masala Chai', quantity: 2 }]);
    const tablet = await world.device('desktop');
    const staff = new StaffPage(tablet.page);
    await staff.open('waiter', TEST_PASSWORD);
    await staff.table('T-11').click();
    const close = staff.panel.getByTestId('close-session');
    await close.waitFor();
    expect(await close.isDisabled()).toBe(true);
    const reason = staff.panel.getByTestId('close-needs-manager');
    expect(await reason.innerText()).toBe('Unpaid orders: 1 (₹168.00). A manager must close this table: record the payment first, or ask a manager.');
    expect(await close.getAttribute('aria-describedby')).toBe('close-needs-manager');
    await close.scrollIntoViewIfNeeded();
    await shot(tablet.page, 'staff-close-needs-manager');
    expect(tablet.errors).toEqual([]); // no refused close was ever sent

    const office = await world.device('desktop');
    const manager = new StaffPage(office.page);
    await manager.open('manager', TEST_PASSWORD);
    await manager.table('T-11').click();
    expect(await manager.panel.getByTestId('close-needs-manager').count()).toBe(0);
    await manager.panel.getByTestId('close-session').click();
    // The two teas were never served: the manager is told before closing.
    await office.page.getByTestId('confirm-dialog').getByText('Dishes not served yet: 2 (in the kitchen or ready to serve).').waitFor();
    await office.page.getByTestId('confirm-action').click();
    await office.page.locator('[data-testid="table-T-11"][data-state="free"]').waitFor();
  });
});
