/**
 * The restaurant's business day: from its day start (e.g. 04:00) in its time zone to the same time
 * the next calendar day, so a service that runs past midnight belongs to the evening it started.
 * A business day is named by its calendar date (YYYY-MM-DD) in the restaurant's time zone.
 */

export const DAY_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
export const DAY_START_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;
export const DEFAULT_DAY_START = '04:00';

export interface DayRange {
  day: string;
  /** Inclusive UTC start. */
  from: Date;
  /** Exclusive UTC end. */
  to: Date;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** The zone's offset from UTC at `instant`, in milliseconds (IST: +5 h 30 min). */
export function zoneOffsetMs(instant: number, timeZone: string): number {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(new Date(instant)).map((part) => [part.type, part.value]));
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The UTC instant of a wall-clock time in the zone (the later one when a DST change repeats it). */
function wallClockToUtc(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): Date {
  const guess = Date.UTC(year, month - 1, day, hour, minute);
  let instant = guess - zoneOffsetMs(guess, timeZone);
  const corrected = guess - zoneOffsetMs(instant, timeZone);
  if (corrected !== instant) instant = corrected;
  return new Date(instant);
}

function parseDayStart(dayStart: string): [number, number] {
  if (!DAY_START_PATTERN.test(dayStart)) throw new RangeError(`day start must be HH:MM, got ${dayStart}`);
  const [hour, minute] = dayStart.split(':').map(Number);
  return [hour, minute];
}

/** The UTC range of the business day `day` (YYYY-MM-DD). */
export function businessDayRange(day: string, timeZone: string, dayStart: string): DayRange {
  if (!DAY_PATTERN.test(day)) throw new RangeError(`day must be YYYY-MM-DD, got ${day}`);
  const [year, month, date] = day.split('-').map(Number);
  const [hour, minute] = parseDayStart(dayStart);
  const from = wallClockToUtc(year, month, date, hour, minute, timeZone);
  const next = new Date(Date.UTC(year, month - 1, date + 1));
  const to = wallClockToUtc(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), hour, minute, timeZone);
  return { day, from, to };
}

/** The business day an instant belongs to. */
export function businessDayOf(instant: Date, timeZone: string, dayStart: string): string {
  const [hour, minute] = parseDayStart(dayStart);
  const local = instant.getTime() + zoneOffsetMs(instant.getTime(), timeZone) - (hour * 60 + minute) * 60_000;
  return new Date(local).toISOString().slice(0, 10);
}

/** A valid calendar date (2025-02-30 is not). */
export function isCalendarDay(day: string): boolean {
  if (!DAY_PATTERN.test(day)) return false;
  const [year, month, date] = day.split('-').map(Number);
  const parsed = new Date(Date.UTC(year, month - 1, date));
  return parsed.getUTCMonth() === month - 1 && parsed.getUTCDate() === date;
}
