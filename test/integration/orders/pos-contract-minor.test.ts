/**
 * POS_MONEY_UNIT=minor: a deployment whose POS already reads paise in the documented order fields
 * keeps them (its own file: the functions read their configuration once per process).
 */
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.ts';

describe('the POS contract, POS_MONEY_UNIT=minor (a deployment that already reads paise)', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack({ env: { POS_MONEY_UNIT: 'minor' } });
  });
  afterAll(() => t?.stop());

  it('writes the documented fields in paise, the same minor fields alongside, and bills the same', async () => {
    const table = await t.freshTable('T-8');
    const guest = await t.joinTable(table.tableId, table.pin);
    const cart = await t.addToCart(guest, 'Masala Chai', 2);
    const order = await t.orderCart(guest, cart.version);
    const stored = (await t.collection('digital_menu_customer_orders').findOne({ _id: new ObjectId(order.orderId) }))!;
    const { subtotal, tax, total } = stored.amountsMinor;
    expect(stored).toMatchObject({ subtotal, tax, total });
    expect(stored.items[0].price).toBe(stored.items[0].priceMinor);
    expect(stored.items[0].total).toBe(stored.items[0].totalMinor);
    expect(order.total).toBe(total);
  });
});
