import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { lineTotalOf, priceLines, taxOf, totals, unitPriceWithModifiers } from '../../functions/core/pricing.ts';

describe('pricing', () => {
  it('prices a line as (unit price + modifier prices) × quantity', () => {
    const line = { unitPrice: 24_900, quantity: 3, modifiers: [{ price: 3_000 }, { price: 1_500 }] };
    expect(unitPriceWithModifiers(line)).toBe(29_400);
    expect(lineTotalOf(line)).toBe(88_200);
    expect(lineTotalOf({ unitPrice: 10_000, quantity: 2 })).toBe(20_000);
  });

  it('sums line totals into the subtotal', () => {
    const priced = priceLines([
      { unitPrice: 19_900, quantity: 2, modifiers: [] },
      { unitPrice: 34_900, quantity: 1, modifiers: [{ price: 5_000 }] },
    ]);
    expect(priced).toEqual({ lineTotals: [39_800, 39_900], subtotal: 79_700 });
    expect(priceLines([])).toEqual({ lineTotals: [], subtotal: 0 });
  });

  it('rounds tax half up on the subtotal', () => {
    expect(taxOf(12_345, 500)).toBe(617); // 617.25
    expect(taxOf(12_350, 500)).toBe(618); // 617.5 → up
    expect(taxOf(12_349, 500)).toBe(617); // 617.45
    expect(taxOf(1, 5_000)).toBe(1); // 0.5 → up
    expect(taxOf(1, 4_999)).toBe(0); // 0.4999
    expect(taxOf(0, 500)).toBe(0);
    expect(taxOf(99_999, 0)).toBe(0);
    expect(taxOf(33_333, 1_800)).toBe(6_000); // 5999.94
  });

  it('charges tax once on the subtotal, not per line', () => {
    // Per line, 5% of 10 paise would round 0.5 → 1 three times (3); on the subtotal 30 → 1.5 → 2.
    expect(totals([{ unitPrice: 10, quantity: 1 }, { unitPrice: 10, quantity: 1 }, { unitPrice: 10, quantity: 1 }], 500)).toEqual({
      subtotal: 30,
      tax: 2,
      total: 32,
    });
  });

  it('stays exact where floating point would not', () => {
    // 2^53 / 10_000 territory: float division would lose the remainder.
    const subtotal = 900_719_925_474; // × 10_000 > 2^53
    expect(taxOf(subtotal, 10_000)).toBe(subtotal);
    expect(taxOf(subtotal, 1)).toBe(90_071_993); // 90_071_992.5474 → 90_071_993
    expect(taxOf(subtotal + 1, 5_000)).toBe(450_359_962_738); // …737.5 → up
  });

  it('matches the rule floor((s × bps + 5000) / 10000) for any amounts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_000 }), fc.integer({ min: 0, max: 10_000 }), (subtotal, bps) => {
        const expected = (BigInt(subtotal) * BigInt(bps) + 5_000n) / 10_000n;
        expect(taxOf(subtotal, bps)).toBe(Number(expected));
      }),
    );
  });

  it('refuses amounts that are not integer minor units', () => {
    expect(() => taxOf(10.5, 500)).toThrow(RangeError);
    expect(() => taxOf(-1, 500)).toThrow(RangeError);
    expect(() => taxOf(100, 12.5)).toThrow(RangeError);
    expect(() => taxOf(100, 10_001)).toThrow(RangeError);
    expect(() => lineTotalOf({ unitPrice: 99.9, quantity: 1 })).toThrow(RangeError);
    expect(() => lineTotalOf({ unitPrice: 100, quantity: 1.5 })).toThrow(RangeError);
    expect(() => lineTotalOf({ unitPrice: 100, quantity: 1, modifiers: [{ price: -5 }] })).toThrow(RangeError);
    expect(() => lineTotalOf({ unitPrice: Number.MAX_SAFE_INTEGER, quantity: 2 })).toThrow(RangeError);
  });
});
