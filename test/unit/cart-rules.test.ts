import { describe, expect, it } from 'vitest';
import { DomainError } from '../../functions/core/errors.ts';
import { isOrderable, repricedLine, unorderableReason, resolveLineChange, resolveModifiers, resolveNewLine, samePricing, type LineRequest } from '../../functions/core/cart-rules.ts';
import type { MenuItem } from '../../functions/core/entities.ts';
import { ERROR_STATUS } from '../../functions/http/error-status.ts';

const RESTAURANT = 'demo';
let nextId = 0;
/** A dish id as the domain sees one (core knows no driver): 24 hex digits. */
const dishId = () => {
  const hex = (++nextId).toString(16).padStart(24, '0');
  return { toHexString: () => hex };
};

function menuItem(overrides: Partial<MenuItem> = {}): MenuItem {
  const now = new Date('2025-01-01T00:00:00Z');
  return {
    _id: dishId(),
    restaurantId: RESTAURANT,
    name: 'Paneer Tikka',
    description: 'Cottage cheese from the tandoor',
    price: 28_900,
    category: 'Starters',
    isVeg: true,
    image: '/img/paneer.jpg',
    isAvailable: true,
    station: 'TANDOOR',
    modifierGroups: [
      {
        groupId: 'size',
        name: 'Size',
        min: 1,
        max: 1,
        options: [
          { id: 'half', name: 'Half', price: 0 },
          { id: 'full', name: 'Full', price: 12_000 },
        ],
      },
      {
        groupId: 'extras',
        name: 'Extras',
        min: 0,
        max: 2,
        options: [
          { id: 'cheese', name: 'Extra cheese', price: 4_000 },
          { id: 'onion', name: 'Onion rings', price: 2_500 },
          { id: 'mint', name: 'Mint chutney', price: 1_000 },
        ],
      },
    ],
    spiceLevels: ['less-spicy', 'regular', 'more-spicy'],
    sortOrder: 1,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

function caught(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

const request = (item: MenuItem, overrides: Partial<LineRequest> = {}): LineRequest => ({
  menuItemId: item._id.toHexString(),
  quantity: 2,
  modifierOptionIds: ['full'],
  ...overrides,
});

describe('resolveNewLine', () => {
  it('names and prices the line from the menu, modifiers in menu order', () => {
    const item = menuItem();
    const line = resolveNewLine(item, request(item, { modifierOptionIds: ['onion', 'full', 'cheese'], spiceLevel: 'more-spicy', notes: '  no coriander  ' }), RESTAURANT);
    expect(line).toEqual({
      menuItemId: item._id.toHexString(),
      name: 'Paneer Tikka',
      unitPrice: 28_900,
      quantity: 2,
      modifiers: [
        { groupId: 'size', optionId: 'full', name: 'Full', price: 12_000 },
        { groupId: 'extras', optionId: 'cheese', name: 'Extra cheese', price: 4_000 },
        { groupId: 'extras', optionId: 'onion', name: 'Onion rings', price: 2_500 },
      ],
      spiceLevel: 'more-spicy',
      notes: 'no coriander',
    });
  });

  it('drops empty notes', () => {
    const item = menuItem();
    expect(resolveNewLine(item, request(item, { notes: '   ' }), RESTAURANT)).not.toHaveProperty('notes');
  });

  it('reports a missing, deleted or foreign item as NOT_FOUND', () => {
    const item = menuItem();
    expect(caught(() => resolveNewLine(undefined, request(item), RESTAURANT)).code).toBe('NOT_FOUND');
    expect(caught(() => resolveNewLine(null, request(item), RESTAURANT)).code).toBe('NOT_FOUND');
    expect(caught(() => resolveNewLine(menuItem({ deletedAt: new Date() }), request(item), RESTAURANT)).code).toBe('NOT_FOUND');
    const foreign = caught(() => resolveNewLine(menuItem({ restaurantId: 'other' }), request(item), RESTAURANT));
    expect(foreign.code).toBe('NOT_FOUND');
    expect(ERROR_STATUS[foreign.code]).toBe(404);
  });

  it('refuses a sold-out item with ITEM_UNAVAILABLE', () => {
    const item = menuItem({ isAvailable: false });
    const error = caught(() => resolveNewLine(item, request(item), RESTAURANT));
    expect(error.code).toBe('ITEM_UNAVAILABLE');
    expect(ERROR_STATUS[error.code]).toBe(409);
    expect(error.details).toEqual({ menuItemId: item._id.toHexString(), name: 'Paneer Tikka' });
  });

  it.each([0, 51, -1, 2.5, Number.NaN])('refuses quantity %s', (quantity) => {
    const item = menuItem();
    const error = caught(() => resolveNewLine(item, request(item, { quantity }), RESTAURANT));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details).toEqual([expect.objectContaining({ path: 'quantity', code: 'quantity_out_of_range' })]);
  });

  it('accepts quantities 1 and 50', () => {
    const item = menuItem();
    expect(resolveNewLine(item, request(item, { quantity: 1 }), RESTAURANT).quantity).toBe(1);
    expect(resolveNewLine(item, request(item, { quantity: 50 }), RESTAURANT).quantity).toBe(50);
  });

  it('refuses an option the item does not offer', () => {
    const item = menuItem();
    const error = caught(() => resolveNewLine(item, request(item, { modifierOptionIds: ['full', 'bacon'] }), RESTAURANT));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details).toEqual([expect.objectContaining({ path: 'modifierOptionIds', code: 'modifier_not_offered', optionId: 'bacon' })]);
  });

  it('refuses choices outside a group min/max', () => {
    const item = menuItem();
    const none = caught(() => resolveNewLine(item, request(item, { modifierOptionIds: [] }), RESTAURANT));
    expect(none.details).toEqual([expect.objectContaining({ code: 'modifier_choice_count', groupId: 'size', min: 1, max: 1, chosen: 0 })]);
    const omitted = caught(() => resolveNewLine(item, request(item, { modifierOptionIds: undefined }), RESTAURANT));
    expect(omitted.code).toBe('VALIDATION_FAILED');
    const both = caught(() => resolveNewLine(item, request(item, { modifierOptionIds: ['half', 'full'] }), RESTAURANT));
    expect(both.details).toEqual([expect.objectContaining({ groupId: 'size', chosen: 2 })]);
    const tooMany = caught(() => resolveNewLine(item, request(item, { modifierOptionIds: ['half', 'cheese', 'onion', 'mint'] }), RESTAURANT));
    expect(tooMany.details).toEqual([expect.objectContaining({ groupId: 'extras', min: 0, max: 2, chosen: 3 })]);
  });

  it('refuses the same option twice', () => {
    const item = menuItem();
    const error = caught(() => resolveNewLine(item, request(item, { modifierOptionIds: ['full', 'cheese', 'cheese'] }), RESTAURANT));
    expect(error.details).toEqual([expect.objectContaining({ code: 'modifier_repeated', optionId: 'cheese' })]);
  });

  it('refuses a spice level the item does not offer', () => {
    const item = menuItem();
    const error = caught(() => resolveNewLine(item, request(item, { spiceLevel: 'no-spicy' }), RESTAURANT));
    expect(error.details).toEqual([expect.objectContaining({ path: 'spiceLevel', allowed: ['less-spicy', 'regular', 'more-spicy'] })]);
    const mild = menuItem({ spiceLevels: [] });
    expect(caught(() => resolveNewLine(mild, request(mild, { spiceLevel: 'regular' }), RESTAURANT)).code).toBe('VALIDATION_FAILED');
  });

  it('refuses notes over 200 characters, counting characters not UTF-16 units', () => {
    const item = menuItem();
    expect(caught(() => resolveNewLine(item, request(item, { notes: 'x'.repeat(201) }), RESTAURANT)).details).toEqual([
      expect.objectContaining({ path: 'notes', code: 'notes_too_long', max: 200 }),
    ]);
    expect(resolveNewLine(item, request(item, { notes: '🌶'.repeat(200) }), RESTAURANT).notes).toBe('🌶'.repeat(200));
  });

  it('reports every problem at once', () => {
    const item = menuItem();
    const error = caught(() => resolveNewLine(item, request(item, { quantity: 99, modifierOptionIds: ['bacon'], notes: 'x'.repeat(300) }), RESTAURANT));
    const codes = (error.details as { code: string }[]).map((d) => d.code).sort();
    expect(codes).toEqual(['modifier_choice_count', 'modifier_not_offered', 'notes_too_long', 'quantity_out_of_range']);
  });

  it('needs no modifiers for an item without groups', () => {
    const item = menuItem({ modifierGroups: [] });
    expect(resolveNewLine(item, request(item, { modifierOptionIds: undefined }), RESTAURANT).modifiers).toEqual([]);
    expect(resolveModifiers(item, ['x']).problems).toHaveLength(1);
  });
});

describe('resolveLineChange', () => {
  it('checks quantity and notes without the menu', () => {
    expect(resolveLineChange({ quantity: 5 })).toEqual({ quantity: 5 });
    expect(resolveLineChange({ notes: '  less oil ' })).toEqual({ notes: 'less oil' });
    expect(resolveLineChange({ notes: '' })).toEqual({ notes: null });
    expect(caught(() => resolveLineChange({ quantity: 0 })).code).toBe('VALIDATION_FAILED');
    expect(caught(() => resolveLineChange({ quantity: 51 })).code).toBe('VALIDATION_FAILED');
    expect(caught(() => resolveLineChange({ notes: 'y'.repeat(201) })).code).toBe('VALIDATION_FAILED');
    expect(caught(() => resolveLineChange({})).code).toBe('VALIDATION_FAILED');
  });

  it('checks a spice level against the item', () => {
    const item = menuItem();
    expect(resolveLineChange({ spiceLevel: 'regular' }, item)).toEqual({ spiceLevel: 'regular' });
    expect(caught(() => resolveLineChange({ spiceLevel: 'no-spicy' }, item)).code).toBe('VALIDATION_FAILED');
    expect(caught(() => resolveLineChange({ spiceLevel: 'regular' }, undefined)).code).toBe('VALIDATION_FAILED');
    expect(caught(() => resolveLineChange({ spiceLevel: 'regular' }, menuItem({ deletedAt: new Date() }))).code).toBe('VALIDATION_FAILED');
  });
});

describe('isOrderable', () => {
  it('is true only for an available, undeleted item of this restaurant', () => {
    expect(isOrderable(menuItem(), RESTAURANT)).toBe(true);
    expect(isOrderable(menuItem({ isAvailable: false }), RESTAURANT)).toBe(false);
    expect(isOrderable(menuItem({ deletedAt: new Date() }), RESTAURANT)).toBe(false);
    expect(isOrderable(menuItem({ restaurantId: 'other' }), RESTAURANT)).toBe(false);
    expect(isOrderable(undefined, RESTAURANT)).toBe(false);
  });

  it("says why not: sold out only for this restaurant's live dish, otherwise not on the menu", () => {
    expect(unorderableReason(menuItem(), RESTAURANT)).toBeUndefined();
    expect(unorderableReason(menuItem({ isAvailable: false }), RESTAURANT)).toBe('sold_out');
    expect(unorderableReason(menuItem({ isAvailable: false, deletedAt: new Date() }), RESTAURANT)).toBe('not_on_menu');
    expect(unorderableReason(menuItem({ isAvailable: false, restaurantId: 'other' }), RESTAURANT)).toBe('not_on_menu');
    expect(unorderableReason(null, RESTAURANT)).toBe('not_on_menu');
  });
});

describe('repricedLine and samePricing', () => {
  const line = {
    lineId: 'l1',
    menuItemId: 'm1',
    name: 'Paneer Tikka',
    unitPrice: 28_900,
    quantity: 2,
    modifiers: [
      { groupId: 'size', optionId: 'full', name: 'Full', price: 12_000 },
      { groupId: 'extras', optionId: 'gone', name: 'Gone option', price: 1_000 },
    ],
    notes: 'less oil',
  };

  it("takes the dish's current name and price and each chosen option's, keeps the guest's choices", () => {
    const item = menuItem({ name: 'Paneer Tikka (new)', price: 30_000 });
    item.modifierGroups[0].options[1] = { id: 'full', name: 'Full plate', price: 13_000 };
    const repriced = repricedLine(line, item);
    expect(repriced).toEqual({
      ...line,
      name: 'Paneer Tikka (new)',
      unitPrice: 30_000,
      // An option the dish no longer offers stays as it was: ordering refuses the line as changed.
      modifiers: [{ groupId: 'size', optionId: 'full', name: 'Full plate', price: 13_000 }, line.modifiers[1]],
    });
    expect(samePricing(line, repriced)).toBe(false);
  });

  it('finds nothing to change when the menu still prices the line as it is', () => {
    const item = menuItem();
    const current = { ...line, modifiers: [line.modifiers[0]] };
    expect(samePricing(current, repricedLine(current, item))).toBe(true);
    expect(samePricing(current, { ...current, unitPrice: current.unitPrice + 1 })).toBe(false);
    expect(samePricing(current, { ...current, modifiers: [{ ...current.modifiers[0], price: 0 }] })).toBe(false);
  });
});
