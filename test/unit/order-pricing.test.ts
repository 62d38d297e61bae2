import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../functions/core/errors.ts';
import { taxOf } from '../../functions/core/pricing.ts';
import { posMoneyFor } from '../../functions/core/pos-money.ts';
import type { CartLine, MenuItem, Order, OrderItem } from '../../functions/core/entities.ts';
import { billReference, billableTotals, summarize } from '../../functions/core/bill-totals.ts';
import { priceCartLines } from '../../functions/core/order-building.ts';
import { orderItem, testId, testOrder, type TestId } from '../support/orders.ts';

const now = new Date('2025-11-14T11:30:00Z');
const MAJOR_INR = posMoneyFor('major', 'INR');

function menuItem(overrides: Partial<MenuItem<TestId>> = {}): MenuItem<TestId> {
  return {
    _id: testId(),
    restaurantId: 'demo',
    name: 'Butter Chicken',
    description: '',
    price: 39000,
    category: 'Mains',
    isVeg: false,
    image: '',
    isAvailable: true,
    station: 'GRILL',
    modifierGroups: [{ groupId: 'extras', name: 'Extras', min: 0, max: 2, options: [{ id: 'cream', name: 'Extra cream', price: 4000 }, { id: 'gravy', name: 'Extra gravy', price: 6000 }] }],
    spiceLevels: ['regular'],
    sortOrder: 1,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

function line(item: MenuItem<TestId>, overrides: Partial<CartLine> = {}): CartLine {
  return {
    lineId: `line-${Math.random().toString(36).slice(2)}`,
    menuItemId: item._id.toHexString(),
    name: item.name,
    unitPrice: 1, // stale on purpose: placement prices from the menu, not from the cart
    quantity: 2,
    modifiers: [{ groupId: 'extras', optionId: 'cream', name: 'Extra cream', price: 1 }],
    addedByDeviceId: 'device-aaaa',
    addedAt: now,
    ...overrides,
  };
}

describe('priceCartLines', () => {
  it("prices every line from the current menu (name, base price, options' prices, station)", () => {
    const dish = menuItem();
    const [item] = priceCartLines([line(dish, { spiceLevel: 'regular', notes: 'no coriander' })], new Map([[dish._id.toHexString(), dish]]), 'demo', MAJOR_INR);
    expect(item).toEqual({
      menuItemId: dish._id.toHexString(),
      menuItemName: 'Butter Chicken',
      quantity: 2,
      price: 430,
      total: 860,
      priceMinor: 43000,
      totalMinor: 86000,
      modifiers: [{ groupId: 'extras', optionId: 'cream', name: 'Extra cream', price: 4000 }],
      station: 'GRILL',
      itemStatus: 'NEW',
      addedByDeviceId: 'device-aaaa',
      spiceLevel: 'regular',
      notes: 'no coriander',
    });
  });

  it('refuses sold-out, deleted, foreign and re-optioned dishes, naming every line', () => {
    const soldOut = menuItem({ name: 'Prawn Tempura', isAvailable: false, modifierGroups: [] });
    const deleted = menuItem({ name: 'Old Dish', deletedAt: now, modifierGroups: [] });
    const foreign = menuItem({ name: 'Elsewhere', restaurantId: 'other', modifierGroups: [] });
    const changed = menuItem({ name: 'Changed', modifierGroups: [{ groupId: 'extras', name: 'Extras', min: 0, max: 1, options: [{ id: 'gravy', name: 'Extra gravy', price: 6000 }] }] });
    const fine = menuItem({ name: 'Fine', modifierGroups: [] });
    const missingId = testId().toHexString();
    const lines = [
      line(soldOut, { modifiers: [] }),
      line(deleted, { modifiers: [] }),
      line(foreign, { modifiers: [] }),
      line(changed), // 'cream' is no longer offered
      line(fine, { modifiers: [] }),
      { ...line(fine, { modifiers: [] }), menuItemId: missingId, name: 'Gone' },
    ];
    const menu = new Map([soldOut, deleted, foreign, changed, fine].map((item) => [item._id.toHexString(), item]));
    let error: unknown;
    try {
      priceCartLines(lines, menu, 'demo', MAJOR_INR);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DomainError);
    const domain = error as DomainError;
    expect(domain.code).toBe('ITEM_UNAVAILABLE');
    expect((domain.details as { lines: { name: string; reason: string }[] }).lines.map((l) => [l.name, l.reason])).toEqual([
      ['Prawn Tempura', 'sold_out'],
      ['Old Dish', 'not_on_menu'],
      ['Elsewhere', 'not_on_menu'],
      ['Changed', 'options_changed'],
      ['Gone', 'not_on_menu'],
    ]);
    expect((domain.details as { lineIds: string[] }).lineIds).toEqual([lines[0], lines[1], lines[2], lines[3], lines[5]].map((l) => l.lineId));
  });
});

/** An order of the given dishes (each 100.00 unless given) with its amounts at 5%, from the unit tests' one builder (support/orders.ts). */
function order(items: Partial<OrderItem>[], overrides: Partial<Order<TestId>> = {}): Order<TestId> {
  const full = items.map((item, i) => orderItem({ menuItemId: `m${i}`, menuItemName: `Dish ${i}`, quantity: 1, price: 100, total: 100, priceMinor: 10000, totalMinor: 10000, ...item }));
  const subtotal = full.reduce((sum, item) => sum + item.totalMinor, 0);
  const tax = taxOf(subtotal, 500);
  return testOrder({
    items: full,
    subtotal: subtotal / 100,
    tax: tax / 100,
    total: (subtotal + tax) / 100,
    amountsMinor: { subtotal, tax, total: subtotal + tax },
    taxRateBps: 500,
    customerName: 'Ravi',
    customerPhone: '9812345678',
    orderDate: now,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  });
}

describe('billable totals', () => {
  it('are the stored totals, re-totalled at the order’s own tax rate without the cancelled dishes', () => {
    const plain = order([{ totalMinor: 12345 }, { totalMinor: 5 }]);
    expect(billableTotals(plain)).toEqual(plain.amountsMinor);
    const partly = order([{ totalMinor: 12345 }, { totalMinor: 6000, itemStatus: 'CANCELLED' }]);
    expect(billableTotals(partly)).toEqual({ subtotal: 12345, tax: taxOf(12345, 500), total: 12345 + taxOf(12345, 500) });
    expect(billableTotals(order([{ itemStatus: 'CANCELLED' }]))).toEqual({ subtotal: 0, tax: 0, total: 0 });
    expect(billableTotals(order([{}], { status: 'cancelled' }))).toEqual({ subtotal: 0, tax: 0, total: 0 });
  });

  it('add up on the bill: paid + due = total, for any mix of paid and cancelled', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            totals: fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 5 }),
            cancelled: fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
            paid: fc.boolean(),
          }),
          { maxLength: 8 },
        ),
        (specs) => {
          const orders = specs.map((spec) =>
            order(
              spec.totals.map((totalMinor, i) => ({ totalMinor, itemStatus: spec.cancelled[i] ? ('CANCELLED' as const) : ('NEW' as const) })),
              { paymentStatus: spec.paid ? 'paid' : 'pending' },
            ),
          );
          const bill = summarize(orders);
          expect(bill.paid + bill.due).toBe(bill.total);
          expect(bill.subtotal + bill.tax).toBe(bill.total);
          expect(bill.due).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });

  it('builds a short bill reference for the UPI note', () => {
    expect(billReference('T-12', [{ orderNumber: '004' }, { orderNumber: '007' }])).toBe('T-12 bill 004,007');
    expect(billReference('T-1', Array.from({ length: 30 }, (_, i) => ({ orderNumber: String(i).padStart(3, '0') }))).length).toBe(50);
  });
});
