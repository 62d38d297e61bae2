import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateProportionally, splitByDevice, splitEqually, type BillLine } from '../../functions/core/split.ts';

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
const amount = fc.integer({ min: 0, max: 50_000_000_00 }); // up to 5 crore rupees in paise

describe('splitEqually', () => {
  it('gives the first `total mod n` shares one extra minor unit', () => {
    expect(splitEqually(1000, 3)).toEqual([334, 333, 333]);
    expect(splitEqually(1001, 3)).toEqual([334, 334, 333]);
    expect(splitEqually(999, 3)).toEqual([333, 333, 333]);
    expect(splitEqually(1, 4)).toEqual([1, 0, 0, 0]);
    expect(splitEqually(0, 2)).toEqual([0, 0]);
  });

  it('always sums to the total, never negative, shares differ by at most one unit, larger shares first', () => {
    fc.assert(
      fc.property(amount, fc.integer({ min: 1, max: 20 }), (total, n) => {
        const shares = splitEqually(total, n);
        expect(shares).toHaveLength(n);
        expect(sum(shares)).toBe(total);
        expect(Math.min(...shares)).toBeGreaterThanOrEqual(0);
        expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
        for (let i = 1; i < n; i++) expect(shares[i]).toBeLessThanOrEqual(shares[i - 1]);
      }),
    );
  });

  it('rejects impossible inputs', () => {
    expect(() => splitEqually(100, 0)).toThrow(RangeError);
    expect(() => splitEqually(-1, 2)).toThrow(RangeError);
    expect(() => splitEqually(10.5, 2)).toThrow(RangeError);
  });
});

describe('allocateProportionally', () => {
  it('splits in proportion with the largest remainders getting the leftover units', () => {
    // 100 in 1:1:1 → 33.33 each, one unit left → the first share.
    expect(allocateProportionally(100, [1, 1, 1])).toEqual([34, 33, 33]);
    // 105 over 600:400 → 63 : 42 exactly.
    expect(allocateProportionally(105, [600, 400])).toEqual([63, 42]);
    // 10 over 1:2 → 3.33 / 6.67: the larger fraction (second) gets the unit.
    expect(allocateProportionally(10, [1, 2])).toEqual([3, 7]);
    expect(allocateProportionally(10, [0, 0])).toEqual([5, 5]);
    expect(allocateProportionally(10, [0, 5])).toEqual([0, 10]);
  });

  it('always sums to the total, never negative, and each share is within one unit of its exact portion', () => {
    fc.assert(
      fc.property(amount, fc.array(fc.integer({ min: 0, max: 10_000_000 }), { minLength: 1, maxLength: 20 }), (total, weights) => {
        const shares = allocateProportionally(total, weights);
        expect(shares).toHaveLength(weights.length);
        expect(sum(shares)).toBe(total);
        const weightSum = sum(weights);
        shares.forEach((share, i) => {
          expect(Number.isInteger(share)).toBe(true);
          expect(share).toBeGreaterThanOrEqual(0);
          if (weightSum > 0) {
            const exact = (total * weights[i]) / weightSum;
            expect(Math.abs(share - exact)).toBeLessThan(1 + 1e-6);
            if (weights[i] === 0) expect(share).toBe(0);
          }
        });
      }),
    );
  });

  it('with equal weights it is the equal split', () => {
    fc.assert(
      fc.property(amount, fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 1000 }), (total, n, w) => {
        expect(allocateProportionally(total, Array(n).fill(w))).toEqual(splitEqually(total, n));
      }),
    );
  });
});

const lineArb = fc.record({
  orderIndex: fc.integer({ min: 0, max: 3 }),
  amount: fc.integer({ min: 0, max: 500_000 }),
  device: fc.constantFrom('dev-aaaa1', 'dev-bbbb2', 'dev-cccc3', 'dev-dddd4'),
});

describe('splitByDevice', () => {
  it('charges each device for what it added, sharing tax in proportion', () => {
    const lines: BillLine[] = [
      { ref: 'o1:0', amount: 30000, deviceId: 'A' },
      { ref: 'o1:1', amount: 10000, deviceId: 'B' },
      { ref: 'o2:0', amount: 20000, deviceId: 'A' },
    ];
    // 60000 + 5% tax = 63000: A pays 50000 → 52500, B 10000 → 10500.
    expect(splitByDevice(63000, lines)).toEqual([
      { deviceId: 'A', amount: 52500 },
      { deviceId: 'B', amount: 10500 },
    ]);
  });

  it('divides a shared dish equally between the devices named for it, including a device that added nothing', () => {
    const lines: BillLine[] = [
      { ref: 'o1:0', amount: 30001, deviceId: 'A' },
      { ref: 'o1:1', amount: 10000, deviceId: 'B' },
    ];
    const shares = splitByDevice(40001, lines, new Map([['o1:0', ['A', 'C']]]));
    expect(shares).toEqual([
      { deviceId: 'A', amount: 15001 },
      { deviceId: 'C', amount: 15000 },
      { deviceId: 'B', amount: 10000 },
    ]);
  });

  it('always sums to the bill total with no negative share, whatever the lines and shared dishes', () => {
    fc.assert(
      fc.property(
        fc.array(lineArb, { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 0, max: 2000 }), // tax in basis points
        fc.array(fc.tuple(fc.nat(29), fc.subarray(['dev-aaaa1', 'dev-bbbb2', 'dev-cccc3', 'dev-eeee5'], { minLength: 1 })), { maxLength: 5 }),
        (raw, taxBps, shared) => {
          const lines = raw.map((line, i) => ({ ref: `o${line.orderIndex}:${i}`, amount: line.amount, deviceId: line.device }));
          const subtotal = sum(lines.map((l) => l.amount));
          const total = subtotal + Math.round((subtotal * taxBps) / 10_000);
          const sharedLines = new Map(shared.filter(([i]) => i < lines.length).map(([i, devices]) => [lines[i].ref, devices]));
          const shares = splitByDevice(total, lines, sharedLines);
          expect(sum(shares.map((s) => s.amount))).toBe(total);
          for (const share of shares) expect(share.amount).toBeGreaterThanOrEqual(0);
          expect(new Set(shares.map((s) => s.deviceId)).size).toBe(shares.length);
        },
      ),
    );
  });

  it('returns no shares for an empty bill', () => {
    expect(splitByDevice(0, [])).toEqual([]);
  });
});
