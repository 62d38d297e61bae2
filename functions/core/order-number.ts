/**
 * Short order numbers that guests and the kitchen call out ("042"): a per-restaurant counter that
 * starts again every day, the day taken in the restaurant's time zone. The counter document lives
 * in the `counters` collection under the key built here and carries `expiresAt` so MongoDB's TTL
 * index removes old days; orders/orders.ts increments it atomically.
 */

/** The calendar day of `at` in `timeZone`, as YYYY-MM-DD. */
export function localDay(at: Date, timeZone: string): string {
  // en-CA formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** `<restaurantId>#<YYYY-MM-DD in the restaurant's time zone>`. */
export const orderCounterKey = (restaurantId: string, at: Date, timeZone: string): string => `${restaurantId}#${localDay(at, timeZone)}`;

/** Counters are kept for two days after they were last used, long enough for any day that is still open. */
export const COUNTER_RETENTION_MS = 2 * 24 * 3600 * 1000;

export const orderCounterExpiry = (at: Date): Date => new Date(at.getTime() + COUNTER_RETENTION_MS);

/** 1 → "001", 42 → "042", 1234 → "1234". */
export function formatOrderNumber(sequence: number): string {
  if (!Number.isSafeInteger(sequence) || sequence < 1) throw new RangeError('An order sequence starts at 1');
  return String(sequence).padStart(3, '0');
}
