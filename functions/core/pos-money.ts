/**
 * The money fields the POS team documented (seed 002) and the ones Plato computes with.
 *
 * In `digital_menu_customer_orders` the documented fields `items[].price`, `items[].total`,
 * `subtotal`, `tax` and `total` are plain numbers in the currency's major unit (rupees: ₹14.95 is
 * `14.95`), as the POS and an accountant read them. Plato's exact integer minor units (paise) go
 * alongside in `items[].priceMinor`, `items[].totalMinor` and `amountsMinor { subtotal, tax, total }`,
 * and every sum, tax or split Plato makes reads only those. A deployment whose readers already expect
 * minor units in the documented fields keeps them with POS_MONEY_UNIT=minor.
 */
export const POS_MONEY_UNITS = ['major', 'minor'] as const;
export type PosMoneyUnit = (typeof POS_MONEY_UNITS)[number];

export interface PosMoney {
  unit: PosMoneyUnit;
  /** The currency's minor digits (2 for INR, 0 for JPY, 3 for KWD). */
  digits: number;
}

const digitsByCurrency = new Map<string, number>();

/** ISO 4217 minor digits, from the platform's currency data. */
export function minorDigitsOf(currency: string): number {
  let digits = digitsByCurrency.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    digitsByCurrency.set(currency, digits);
  }
  return digits;
}

export function posMoneyFor(unit: PosMoneyUnit, currency: string): PosMoney {
  return { unit, digits: minorDigitsOf(currency) };
}

/**
 * Minor units → major units, rounded to the currency's minor digits. Dividing an integer by a power
 * of ten gives the double nearest the exact decimal, i.e. the same number JSON `14.95` parses to.
 */
export function toMajor(minor: number, digits: number): number {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`minor units must be a safe integer, got ${minor}`);
  return digits === 0 ? minor : minor / 10 ** digits;
}

/** Major units (as documented) → exact minor units; used only by the migration and by readers of POS-written data. */
export function toMinor(major: number, digits: number): number {
  const minor = Math.round(major * 10 ** digits);
  if (!Number.isSafeInteger(minor)) throw new RangeError(`amount out of range: ${major}`);
  return minor;
}

/** A documented money field's value for an amount in minor units. */
export function posAmount(minor: number, money: PosMoney): number {
  return money.unit === 'minor' ? minor : toMajor(minor, money.digits);
}

export interface MinorAmounts {
  subtotal: number;
  tax: number;
  total: number;
}

export interface PricedItemMinor {
  priceMinor: number;
  totalMinor: number;
}

/** The documented item fields, from the item's minor units. */
export function posItemAmounts(item: PricedItemMinor, money: PosMoney): { price: number; total: number } {
  return { price: posAmount(item.priceMinor, money), total: posAmount(item.totalMinor, money) };
}

/** The documented order fields, from the order's minor units. */
export function posOrderAmounts(amounts: MinorAmounts, money: PosMoney): MinorAmounts {
  return { subtotal: posAmount(amounts.subtotal, money), tax: posAmount(amounts.tax, money), total: posAmount(amounts.total, money) };
}

/** Minor units as a major-unit decimal string with exactly the currency's digits (12345 → "123.45"), exact. */
export function formatMajor(minor: number, digits: number): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`minor units must be a safe integer, got ${minor}`);
  if (digits === 0) return String(minor);
  const sign = minor < 0 ? '-' : '';
  const text = String(Math.abs(minor)).padStart(digits + 1, '0');
  return `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}
