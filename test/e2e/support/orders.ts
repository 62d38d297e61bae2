/**
 * Orders placed through the real API (a guest joins with the PIN, fills the cart, places it with an
 * Idempotency-Key), for browser tests that need a busy kitchen or floor without driving a phone.
 *
 *   const orderId = await placeOrderAt(world.t, 'T-2', [{ name: 'Butter Naan', quantity: 3, options: ['Garlic'] }]);
 *   await setItemStatus(world.t, orderId, 0, 'READY');
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { TestStack } from '../../support/stack.ts';

export interface Dish {
  name: string;
  quantity?: number;
  options?: string[];
  spiceLevel?: string;
  notes?: string;
}

interface MenuAnswer {
  categories: { items: { id: string; name: string; modifierGroups: { options: { id: string; name: string }[] }[] }[] }[];
}

/** Opens `tableNumber` (FAMILY), joins one guest through the API, fills the cart and places the order; returns the order id. */
export async function placeOrderAt(t: TestStack, tableNumber: string, dishes: Dish[]): Promise<string> {
  const menu = (await t.api.get<MenuAnswer>('/api/menu')).body;
  const items = new Map(menu.categories.flatMap((category) => category.items).map((item) => [item.name, item]));
  const table = await t.freshTable(tableNumber, 'FAMILY');
  const guest = await t.joinTable(table.tableId, table.pin);
  let version = 0;
  for (const dish of dishes) {
    const item = items.get(dish.name);
    if (!item) throw new Error(`No dish "${dish.name}" on the demo menu`);
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

/** Moves one item forward to `status` as the kitchen does (one step at a time). */
export async function setItemStatus(t: TestStack, orderId: string, index: number, status: 'COOKING' | 'READY' | 'SERVED'): Promise<void> {
  const { token } = await t.loginAs('KITCHEN');
  const path = `/api/kitchen/orders/${orderId}/items/${index}`;
  const steps = ['COOKING', 'READY', 'SERVED'];
  for (const step of steps.slice(0, steps.indexOf(status) + 1)) expect((await t.api.request('PATCH', path, { status: step }, { token })).status).toBe(200);
}
