/**
 * Prices are typed in major units (rupees, "120.50") and sent in integer minor units (paise, 12050).
 * Parsed from the text itself, never through floating point, so "0.29" is 29 paise and not 28.
 */

/** "120.5" → 12050 with 2 minor digits; undefined for anything that is not a plain non-negative amount. */
export function parseMoneyInput(text: string, minorDigits: number): number | undefined {
  const trimmed = text.trim().replace(/[,\s]/g, '');
  const match = /^(\d{1,9})(?:\.(\d*))?$/.exec(trimmed) ?? /^()\.(\d+)$/.exec(trimmed);
  if (!match) return undefined;
  const [, whole, fraction = ''] = match;
  if (fraction.length > minorDigits) return undefined;
  const minor = Number(whole || '0') * 10 ** minorDigits + Number(fraction.padEnd(minorDigits, '0') || '0');
  return Number.isSafeInteger(minor) ? minor : undefined;
}

/** 12050 → "120.50" (2 minor digits), 500 → "500" (0 minor digits): what the price field shows. */
export function formatMoneyInput(minor: number, minorDigits: number): string {
  if (minorDigits === 0) return String(minor);
  const scale = 10 ** minorDigits;
  const whole = Math.floor(minor / scale);
  const fraction = String(minor % scale).padStart(minorDigits, '0');
  return `${whole}.${fraction}`;
}
