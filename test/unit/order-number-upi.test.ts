import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatOrderNumber, localDay, orderCounterExpiry, orderCounterKey } from '../../functions/core/order-number.ts';
import { formatRupees, isValidVpa, upiPaymentLink } from '../../functions/core/upi.ts';

describe('order numbers', () => {
  it('pads to three digits and grows beyond', () => {
    expect(formatOrderNumber(1)).toBe('001');
    expect(formatOrderNumber(42)).toBe('042');
    expect(formatOrderNumber(999)).toBe('999');
    expect(formatOrderNumber(1234)).toBe('1234');
    expect(() => formatOrderNumber(0)).toThrow(RangeError);
  });

  it("keys the counter by the restaurant's local day, not the UTC day", () => {
    // 20:00 UTC on 14 Nov is 01:30 on 15 Nov in Kolkata (UTC+5:30).
    const at = new Date('2025-11-14T20:00:00Z');
    expect(localDay(at, 'Asia/Kolkata')).toBe('2025-11-15');
    expect(localDay(at, 'UTC')).toBe('2025-11-14');
    expect(orderCounterKey('demo', at, 'Asia/Kolkata')).toBe('demo#2025-11-15');
    // 18:29 UTC is 23:59 in Kolkata: still the 14th.
    expect(orderCounterKey('demo', new Date('2025-11-14T18:29:00Z'), 'Asia/Kolkata')).toBe('demo#2025-11-14');
    expect(orderCounterExpiry(at).getTime() - at.getTime()).toBe(2 * 24 * 3600 * 1000);
  });
});

describe('UPI links', () => {
  it('formats paise as rupees with two decimals', () => {
    expect(formatRupees(12345)).toBe('123.45');
    expect(formatRupees(5)).toBe('0.05');
    expect(formatRupees(100)).toBe('1.00');
    expect(formatRupees(0)).toBe('0.00');
  });

  it('builds the upi://pay link with every value encoded', () => {
    const link = upiPaymentLink({ vpa: 'spice.garden@okhdfc', payeeName: 'Spice & Garden', amountMinor: 63050, note: 'Bill T-12 #042' });
    expect(link).toBe('upi://pay?pa=spice.garden@okhdfc&pn=Spice%20%26%20Garden&am=630.50&cu=INR&tn=Bill%20T-12%20%23042');
    const parsed = new URL(link);
    expect(parsed.protocol).toBe('upi:');
    expect(parsed.searchParams.get('pn')).toBe('Spice & Garden');
    expect(parsed.searchParams.get('tn')).toBe('Bill T-12 #042');
    expect(parsed.searchParams.get('am')).toBe('630.50');
  });

  it('round-trips any name and note through URL parsing', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), fc.integer({ min: 0, max: 10_000_000 }), (name, note, amount) => {
        const parsed = new URL(upiPaymentLink({ vpa: 'shop@upi', payeeName: name, amountMinor: amount, note }));
        expect(parsed.searchParams.get('pn')).toBe(name);
        expect(parsed.searchParams.get('tn')).toBe(note);
        expect(parsed.searchParams.get('pa')).toBe('shop@upi');
        expect(Math.round(Number(parsed.searchParams.get('am')) * 100)).toBe(amount);
      }),
    );
  });

  it('refuses a malformed VPA', () => {
    expect(isValidVpa('shop@upi')).toBe(true);
    expect(isValidVpa('shop')).toBe(false);
    expect(isValidVpa('a b@upi')).toBe(false);
    expect(() => upiPaymentLink({ vpa: 'x&pa=evil@upi', payeeName: 'n', amountMinor: 1, note: 'n' })).toThrow(RangeError);
  });
});
