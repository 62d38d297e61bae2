/** The one money and time formatting the diner, kitchen and staff apps share (web/shared/format.ts). */
import { afterEach, describe, expect, it } from 'vitest';
import { config } from '../../web/shared/config.ts';
import { currencySymbol, money, time } from '../../web/shared/format.ts';
import { formatAge } from '../../web/kitchen/urgency.ts';

const defaults = config.value;
afterEach(() => {
  config.value = defaults;
});

describe('shared money and time', () => {
  it('formats money in the restaurant currency and locale from config.json, and follows a change to it', () => {
    expect(money(12345)).toBe('₹123.45');
    config.value = { ...defaults, currency: 'JPY', locale: 'en-US' };
    expect(money(500)).toBe('¥500');
  });

  it('formats money in another currency when told (the diner menu names its own)', () => {
    expect(money(1050, 'USD')).toBe('$10.50');
    expect(money(1234, 'KWD')).toMatch(/^KWD\s1\.234$/);
  });

  it('shows HH:mm in the restaurant time zone, or in the zone it is told', () => {
    expect(time('2025-01-31T18:30:00Z')).toBe('00:00');
    config.value = { ...defaults, timeZone: 'Europe/London' };
    expect(time('2025-07-04T09:05:00Z')).toBe('10:05');
    expect(time('2025-07-04T09:05:00Z', 'Asia/Kolkata')).toBe('14:35');
  });

  it('names the currency sign as the locale writes it', () => {
    expect(currencySymbol('INR', 'en-IN')).toBe('₹');
    expect(currencySymbol('EUR', 'de-DE')).toBe('€');
  });

  it('shows a kitchen ticket age with the shared countdown: whole seconds, never negative', () => {
    expect(formatAge(247_900)).toBe('4:07');
    expect(formatAge(3_729_999)).toBe('1:02:09');
    expect(formatAge(-5_000)).toBe('0:00');
  });
});
