/** The business day, CSV fields and major-unit formatting: the rules the reports and exports rest on. */
import { describe, expect, it } from 'vitest';
import { businessDayOf, businessDayRange, isCalendarDay } from '../../functions/core/business-day.ts';
import { csvField, toCsv } from '../../functions/core/csv.ts';
import { formatMajor, posAmount, posMoneyFor, toMajor } from '../../functions/core/pos-money.ts';

describe('business day', () => {
  it('runs from the day start to the next day’s, in the restaurant’s zone', () => {
    expect(businessDayRange('2025-03-10', 'Asia/Kolkata', '04:00')).toMatchObject({ from: new Date('2025-03-09T22:30:00Z'), to: new Date('2025-03-10T22:30:00Z') });
    expect(businessDayRange('2025-12-31', 'Asia/Kolkata', '00:00')).toMatchObject({ from: new Date('2025-12-30T18:30:00Z'), to: new Date('2025-12-31T18:30:00Z') });
    // The business day over Berlin's spring change (02:00 → 03:00 on 30 March) is 23 hours long.
    const spring = businessDayRange('2025-03-29', 'Europe/Berlin', '04:00');
    expect(spring.to.getTime() - spring.from.getTime()).toBe(23 * 3600_000);
  });

  it('places an instant in its business day: 03:59 IST is still the evening before', () => {
    expect(businessDayOf(new Date('2025-03-10T22:29:59Z'), 'Asia/Kolkata', '04:00')).toBe('2025-03-10');
    expect(businessDayOf(new Date('2025-03-10T22:30:00Z'), 'Asia/Kolkata', '04:00')).toBe('2025-03-11');
    expect(isCalendarDay('2024-02-29')).toBe(true);
    expect(isCalendarDay('2025-02-29')).toBe(false);
  });
});

describe('money in the POS’s unit', () => {
  it('major units are the exact decimal, for INR, JPY and KWD', () => {
    expect(toMajor(1495, 2)).toBe(14.95);
    expect(posAmount(1495, posMoneyFor('major', 'INR'))).toBe(14.95);
    expect(posAmount(1495, posMoneyFor('minor', 'INR'))).toBe(1495);
    expect(posAmount(1495, posMoneyFor('major', 'JPY'))).toBe(1495);
    expect(posAmount(1495, posMoneyFor('major', 'KWD'))).toBe(1.495);
    expect(formatMajor(5, 2)).toBe('0.05');
    expect(formatMajor(123456, 2)).toBe('1234.56');
    expect(formatMajor(1495, 3)).toBe('1.495');
  });
});

describe('CSV', () => {
  it('quotes what needs quoting and defuses spreadsheet formulas', () => {
    expect(csvField('Dal, extra "butter"')).toBe('"Dal, extra ""butter"""');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField(-5)).toBe('-5');
    expect(toCsv(['a', 'b'], [[1, null]])).toBe('a,b\r\n1,\r\n');
  });
});
