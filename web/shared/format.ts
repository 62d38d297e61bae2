/**
 * Money and time for display, for the three apps. Amounts are integer minor units of the restaurant's
 * currency (paise for INR); the number of minor digits comes from Intl, so JPY or KWD also work.
 * Times are shown in the restaurant's time zone, DD/MM/YYYY HH:mm, whatever the phone's zone.
 * `money` and `time` read the restaurant's settings from config.json; the others take them as arguments.
 */
import { config } from './config.ts';

const moneyFormats = new Map<string, Intl.NumberFormat>();

function moneyFormat(currency: string, locale: string): Intl.NumberFormat {
  const key = currency + '|' + locale;
  let format = moneyFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency });
    moneyFormats.set(key, format);
  }
  return format;
}

/** Number of minor-unit digits of a currency: INR 2, JPY 0, KWD 3. */
export function minorDigits(currency: string): number {
  return moneyFormat(currency, 'en').resolvedOptions().maximumFractionDigits ?? 2;
}

/** 12345 (INR, en-IN) → "₹123.45". */
export function formatMoney(minor: number, currency: string, locale: string): string {
  const digits = minorDigits(currency);
  return moneyFormat(currency, locale).format(minor / 10 ** digits);
}

/** The currency's sign as the locale writes it: "₹" for INR in en-IN. */
export function currencySymbol(currency: string, locale: string): string {
  return moneyFormat(currency, locale).formatToParts(0).find((part) => part.type === 'currency')?.value ?? currency;
}

/** An amount in the restaurant's locale; in its currency unless told another (the diner's menu names its own). */
export const money = (minor: number, currency: string = config.value.currency): string => formatMoney(minor, currency, config.value.locale);

const dateFormats = new Map<string, Intl.DateTimeFormat>();

function parts(value: Date | string | number, timeZone: string): Record<string, string> {
  let format = dateFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    dateFormats.set(timeZone, format);
  }
  const out: Record<string, string> = {};
  for (const part of format.formatToParts(new Date(value))) out[part.type] = part.value;
  return out;
}

/** "2025-01-31T18:30:00Z" in Asia/Kolkata → "01/02/2025 00:00". */
export function formatDateTime(value: Date | string | number, timeZone: string): string {
  const p = parts(value, timeZone);
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}

/** HH:mm in the restaurant's zone. */
export function formatTime(value: Date | string | number, timeZone: string): string {
  const p = parts(value, timeZone);
  return `${p.hour}:${p.minute}`;
}

/** HH:mm in the restaurant's zone from config.json, unless told another (the diner's menu names its own). */
export const time = (value: Date | string | number, timeZone: string = config.value.timeZone): string => formatTime(value, timeZone);

/** Seconds → "m:ss" (or "h:mm:ss"), for countdowns. */
export function formatCountdown(totalSeconds: number): string {
  const s = Math.max(0, Math.ceil(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}
