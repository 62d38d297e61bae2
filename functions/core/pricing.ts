/**
 * Money arithmetic for carts, orders and bills. Every amount is an integer in minor units (paise for
 * INR); no floating point is ever involved, so a total computed twice is always the same.
 *
 * Rounding rule (the only one in Plato): tax is charged on the whole subtotal, not per line:
 *
 *     tax = round-half-up(subtotal × taxRateBps / 10 000)
 *
 * i.e. floor((subtotal × taxRateBps + 5 000) / 10 000), computed with BigInt so it stays exact for
 * any safe integer. Example: subtotal 12 345 paise at 500 bps (5%) → 617.25 → 617; 12 350 → 617.5 → 618.
 */

/** What pricing needs from a cart line or an order item. */
export interface PriceableLine {
  /** Base unit price, minor units. */
  unitPrice: number;
  quantity: number;
  /** Chosen modifier options; each price is added to the unit price. */
  modifiers?: readonly { price: number }[];
}

export interface PricedLines {
  /** One per input line, in order: (unitPrice + Σ modifier prices) × quantity. */
  lineTotals: number[];
  subtotal: number;
}

export interface Totals {
  subtotal: number;
  tax: number;
  total: number;
}

const BPS_DENOMINATOR = 10_000n;
/** 100% in basis points; a higher rate is a configuration error, not a price. */
export const MAX_TAX_RATE_BPS = 10_000;

function assertMinorUnits(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${what} must be a non-negative integer number of minor units, got ${value}`);
  }
}

/** Fails loudly instead of rounding: an amount past Number.MAX_SAFE_INTEGER would lose precision. */
function toSafeNumber(value: bigint, what: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`${what} is too large`);
  return Number(value);
}

/** Unit price including the chosen modifiers, minor units. */
export function unitPriceWithModifiers(line: PriceableLine): number {
  assertMinorUnits(line.unitPrice, 'unitPrice');
  let unit = BigInt(line.unitPrice);
  for (const modifier of line.modifiers ?? []) {
    assertMinorUnits(modifier.price, 'modifier price');
    unit += BigInt(modifier.price);
  }
  return toSafeNumber(unit, 'unit price');
}

/** (unitPrice + Σ modifier prices) × quantity. */
export function lineTotalOf(line: PriceableLine): number {
  if (!Number.isSafeInteger(line.quantity) || line.quantity < 0) {
    throw new RangeError(`quantity must be a non-negative integer, got ${line.quantity}`);
  }
  return toSafeNumber(BigInt(unitPriceWithModifiers(line)) * BigInt(line.quantity), 'line total');
}

export function priceLines(lines: readonly PriceableLine[]): PricedLines {
  const lineTotals = lines.map(lineTotalOf);
  const subtotal = toSafeNumber(
    lineTotals.reduce((sum, amount) => sum + BigInt(amount), 0n),
    'subtotal',
  );
  return { lineTotals, subtotal };
}

/** Tax on a subtotal, rounded half up to the minor unit (see the rule at the top of this file). */
export function taxOf(subtotal: number, taxRateBps: number): number {
  assertMinorUnits(subtotal, 'subtotal');
  if (!Number.isInteger(taxRateBps) || taxRateBps < 0 || taxRateBps > MAX_TAX_RATE_BPS) {
    throw new RangeError(`taxRateBps must be an integer between 0 and ${MAX_TAX_RATE_BPS}, got ${taxRateBps}`);
  }
  const scaled = BigInt(subtotal) * BigInt(taxRateBps);
  return toSafeNumber((scaled + BPS_DENOMINATOR / 2n) / BPS_DENOMINATOR, 'tax');
}

export function totals(lines: readonly PriceableLine[], taxRateBps: number): Totals {
  const { subtotal } = priceLines(lines);
  const tax = taxOf(subtotal, taxRateBps);
  return { subtotal, tax, total: toSafeNumber(BigInt(subtotal) + BigInt(tax), 'total') };
}
