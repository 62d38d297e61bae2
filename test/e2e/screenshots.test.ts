/**
 * Pictures of a busy evening for the README and for reviewing the apps' looks: several tables
 * ordering through the real API (guests, carts, idempotent placements, kitchen progress), then the
 * kitchen board and the staff floor in the browser. Written to test-artifacts/screenshots/; the
 * chosen ones are copied by hand into docs/screenshots/.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../support/stack.ts';
import { shot } from './support/browser.ts';
import { useE2eWorld } from './support/harness.ts';
import { KitchenPage } from './support/kitchen.ts';
import { StaffPage } from './support/staff.ts';

const world = useE2eWorld();

interface Dish {
  name: string;
  quantity?: number;
  options?: string[];
  spiceLevel?: string;
  notes?: string;
}

/** Opens a table, joins one phone through the API, fills the cart and places the order; returns the order id. */
async function orderAt(tableNumber: string, dishes: Dish[]): Promise<string> {
  const { t } = world;
  const menu = (await t.api.get<{ categories: { items: { id: string; name: string; modifierGroups: { options: { id: string; name: string }[] }[] }[] }[] }>('/api/menu')).body;
  const items = new Map(menu.categories.flatMap((category) => category.items).map((item) => [item.name, item]));
  const table = await t.freshTable(tableNumber, 'FAMILY');
  const guest = await t.joinTable(table.tableId, table.pin);
  let version = 0;
  for (const dish of dishes) {
    const item = items.get(dish.name)!;
    const optionIds = (dish.options ?? []).map((name) => item.modifierGroups.flatMap((group) => group.options).find((option) => option.name === name)!.id);
    const added = await t.api.post<{ version: number }>(
      '/api/cart/items',
      {
        menuItemId: item.id,
        quantity: dish.quantity ?? 1,
        ...(optionIds.length ? { modifierOptionIds: optionIds } : {}),
        ...(dish.spiceLevel ? { spiceLevel: dish.spiceLevel } : {}),
        ...(dish.notes ? { notes: dish.notes } : {}),
      },
      { token: guest.sessionToken },
    );
    expect(added.status).toBe(200);
    version = added.body.version;
  }
  const placed = await t.api.post<{ orderId: string }>('/api/orders', { cartVersion: version }, { token: guest.sessionToken, headers: { 'idempotency-key': randomUUID() } });
  expect(placed.status).toBe(201);
  return placed.body.orderId;
}

async function setItem(orderId: string, index: number, status: 'COOKING' | 'READY'): Promise<void> {
  const { token } = await world.t.loginAs('KITCHEN');
  const path = `/api/kitchen/orders/${orderId}/items/${index}`;
  if (status === 'READY') expect((await world.t.api.request('PATCH', path, { status: 'COOKING' }, { token })).status).toBe(200);
  expect((await world.t.api.request('PATCH', path, { status }, { token })).status).toBe(200);
}

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
    await orderAt('T-10', [{ name: 'Masala Chai', quantity: 4 }, { name: 'Vegetable Samosa', quantity: 2 }]);
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

    const waiter = await world.device('desktop');
    const staff = new StaffPage(waiter.page);
    await staff.open('waiter', TEST_PASSWORD);
    await staff.openTable('T-3', 'FAMILY');
    await shot(waiter.page, 'staff-floor-busy');

    expect([...tablet.errors, ...waiter.errors]).toEqual([]);
  });
});
