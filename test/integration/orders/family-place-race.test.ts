/**
 * Two phones at a FAMILY table tap Place at once (issue 19, item 8): one places the table's order,
 * the other is told that order was just placed from the other phone, with its dishes, instead of a
 * bare "the cart changed" over an empty cart. A real change to the cart is still CART_CHANGED.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.ts';

let t: TestStack;
beforeAll(async () => {
  t = await startTestStack();
});
afterAll(() => t?.stop());

describe('two phones placing the FAMILY cart at once', () => {
  it('the losing phone hears the table’s order was placed by the other phone, with its dishes', async () => {
    const table = await t.freshTable('T-3', 'FAMILY');
    const [asha, ravi] = [await t.joinTable(table.tableId, table.pin), await t.joinTable(table.tableId, table.pin)];
    await t.addToCart(asha, 'Seekh Kebab', 2);
    const cart = await t.addToCart(ravi, 'Masala Chai', 1);

    const [first, second] = await Promise.all([asha, ravi].map((guest) => t.placeOrder(guest, { cartVersion: cart.version })));
    const answers = [first, second].sort((a, b) => a.status - b.status);
    expect(answers.map((answer) => answer.status)).toEqual([201, 409]);
    const [placed, refused] = answers as unknown as [{ body: { orderId: string; orderNumber: string } }, { body: { error: { code: string; details: Record<string, unknown> } } }];
    expect(refused.body.error.code).toBe('CART_CHANGED');
    expect(refused.body.error.details).toMatchObject({
      reason: 'placed_by_table',
      cart: { lines: [] },
      order: {
        orderId: placed.body.orderId,
        orderNumber: placed.body.orderNumber,
        items: [expect.objectContaining({ menuItemName: 'Seekh Kebab', quantity: 2 }), expect.objectContaining({ menuItemName: 'Masala Chai', quantity: 1 })],
      },
    });
    expect(refused.body.error.details.order).not.toHaveProperty('customerPhone');
  });

  it('a cart that really changed since (a dish added after the order) is still a plain CART_CHANGED', async () => {
    const table = await t.freshTable('T-4', 'FAMILY');
    const [asha, ravi] = [await t.joinTable(table.tableId, table.pin), await t.joinTable(table.tableId, table.pin)];
    const cart = await t.addToCart(asha, 'Seekh Kebab', 1);
    expect((await t.placeOrder(asha, { cartVersion: cart.version })).status).toBe(201);
    await t.addToCart(asha, 'Masala Chai', 1);
    const late = await t.placeOrder(ravi, { cartVersion: cart.version });
    expect(late.status).toBe(409);
    expect((late.body as { error: { details: { reason?: string } } }).error.details.reason).toBeUndefined();
  });
});
