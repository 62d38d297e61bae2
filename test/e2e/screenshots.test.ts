/**
 * Pictures of a busy evening for the README and for reviewing the apps' looks: several tables
 * ordering through the real API (guests, carts, idempotent placements, kitchen progress), then the
 * kitchen board and the staff floor in the browser. Written to test-artifacts/screenshots/; the
 * chosen ones are copied by hand into docs/screenshots/.
 */
import { describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../support/stack.ts';
import { shot } from './support/browser.ts';
import { useE2eWorld } from './support/harness.ts';
import { KitchenPage } from './support/kitchen.ts';
import { placeOrderAt, setItemStatus, type Dish } from './support/orders.ts';
import { StaffPage } from './support/staff.ts';

const world = useE2eWorld();

const orderAt = (tableNumber: string, dishes: Dish[]): Promise<string> => placeOrderAt(world.t, tableNumber, dishes);
const setItem = (orderId: string, index: number, status: 'COOKING' | 'READY' | 'SERVED'): Promise<void> => setItemStatus(world.t, orderId, index, status);

describe('screenshots of a busy service', () => {
  it('kitchen board with several tickets and the staff floor with a fresh PIN', async () => {
    const first = await orderAt('T-2', [
      { name: 'Butter Chicken', options: ['Extra gravy'] },
      { name: 'Butter Naan', quantity: 3, options: ['Garlic'] },
      { name: 'Dal Makhani' },
    ]);
    const second = await orderAt('T-5', [
      { name: 'Paneer Tikka', options: ['Full'], spiceLevel: 'more-spicy' },
      { name: 'Chicken Dum Biryani', spiceLevel: 'less-spicy', notes: 'No onions please, allergy' },
      { name: 'Fresh Lime Soda', quantity: 2, options: ['Salted'] },
    ]);
    const third = await orderAt('T-7', [
      { name: 'Vegetable Hakka Noodles', options: ['Add egg'] },
      { name: 'Chilli Paneer', options: ['Half'], spiceLevel: 'regular' },
      { name: 'Mango Lassi', quantity: 2 },
    ]);
    const fourth = await orderAt('T-10', [{ name: 'Masala Chai', quantity: 4 }, { name: 'Vegetable Samosa', quantity: 2 }]);
    await setItem(first, 0, 'COOKING');
    await setItem(first, 2, 'READY');
    await setItem(second, 2, 'READY');
    await setItem(third, 0, 'COOKING');

    const tablet = await world.device('tablet');
    const kitchen = new KitchenPage(tablet.page);
    await kitchen.open('kitchen', TEST_PASSWORD);
    await expect.poll(() => tablet.page.locator('article[data-testid^="ticket-"]').count()).toBe(4);
    await kitchen.item(first, 2).and(tablet.page.locator('[data-status="READY"]')).waitFor();
    await shot(tablet.page, 'kitchen-board-busy');

    // Then T-10 has had everything served: it awaits payment (the longest state name beside a two-digit table).
    await setItem(fourth, 0, 'SERVED');
    await setItem(fourth, 1, 'SERVED');

    const waiter = await world.device('desktop');
    const staff = new StaffPage(waiter.page);
    await staff.open('waiter', TEST_PASSWORD);
    await staff.openTable('T-3', 'FAMILY');
    await staff.page.locator('[data-testid="table-T-10"][data-state="awaitingPayment"]').waitFor();
    await staff.page.locator('[data-testid="table-T-2"][data-state="inKitchen"]').waitFor();
    // A table number never wraps ("T-" / "10"), whatever state name stands beside it.
    const numberLines = await staff.table('T-10').locator('.s-table-number').evaluate((el) => Math.round(el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight)));
    expect(numberLines).toBe(1);
    await shot(waiter.page, 'staff-floor-busy');

    expect([...tablet.errors, ...waiter.errors]).toEqual([]);
  });
});
