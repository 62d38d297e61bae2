import { describe, expect, it } from 'vitest';
import { isObjectIdHex, OBJECT_ID_PATTERN } from '../../functions/core/ids.ts';
import { modifierBoundsProblems } from '../../functions/core/modifier-groups.ts';
import { roleAtLeast } from '../../functions/core/roles.ts';

describe('modifier group bounds', () => {
  it('accepts whole numbers within 0-20 (min) and 1-20 (max), max at least min, min no more than the options', () => {
    expect(modifierBoundsProblems(0, 1, 1)).toEqual([]);
    expect(modifierBoundsProblems(2, 2, 2)).toEqual([]);
    expect(modifierBoundsProblems(0, 20, 3)).toEqual([]);
  });

  it('names the field that is wrong', () => {
    expect(modifierBoundsProblems(2, 1, 3)).toEqual([{ field: 'max', message: 'max must be at least min' }]);
    expect(modifierBoundsProblems(3, 3, 2)).toEqual([{ field: 'min', message: 'min is more than the options offered' }]);
    expect(modifierBoundsProblems(-1, 1, 1).map((p) => p.field)).toEqual(['min']);
    expect(modifierBoundsProblems(0, 21, 1).map((p) => p.field)).toEqual(['max']);
    expect(modifierBoundsProblems(0.5, 1, 1).map((p) => p.field)).toEqual(['min']);
    expect(modifierBoundsProblems(Number.NaN, 1, 1).map((p) => p.field)).toEqual(['min']);
  });
});

describe('ObjectId hex ids', () => {
  it('are 24 lower-case hex digits, as ObjectId#toHexString() writes them', () => {
    expect(isObjectIdHex('65a1b2c3d4e5f60718293a4b')).toBe(true);
    expect(isObjectIdHex('65A1B2C3D4E5F60718293A4B')).toBe(false);
    expect(isObjectIdHex('65a1b2c3d4e5f60718293a4')).toBe(false);
    expect(isObjectIdHex('65a1b2c3d4e5f60718293a4bc')).toBe(false);
    expect(isObjectIdHex(undefined)).toBe(false);
    expect(OBJECT_ID_PATTERN.test('zzzzzzzzzzzzzzzzzzzzzzzz')).toBe(false);
  });
});

describe('role ranking', () => {
  it('ranks KITCHEN < WAITER < MANAGER < ADMIN, and no role below all', () => {
    expect(roleAtLeast('MANAGER', 'WAITER')).toBe(true);
    expect(roleAtLeast('WAITER', 'MANAGER')).toBe(false);
    expect(roleAtLeast('ADMIN', 'ADMIN')).toBe(true);
    expect(roleAtLeast(undefined, 'KITCHEN')).toBe(false);
  });
});
