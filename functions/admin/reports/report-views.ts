/**
 * The managers' reports as JSON (GET /api/staff/reports/{report}), one shape per report: the
 * business day asked for, then that report's figures (reports.ts, kitchen-times.ts), with the day's
 * close on the summary (day-close.ts). contract/staff.ts ReportView is what they promise;
 * test/contract/views-match.test.ts holds them to it.
 */
import type { DayTotals } from '../../data/documents.ts';
import type { DayCloseView } from './day-close.ts';
import type { KitchenTimes } from './kitchen-times.ts';
import type { HourRow, ItemMix, ReportDay, TableTurns } from './reports.ts';

/** The fields every JSON report opens with: the day, its range and the settings it was read with. */
export const reportDayFields = (d: ReportDay) => ({
  day: d.day,
  from: d.from.toISOString(),
  to: d.to.toISOString(),
  timeZone: d.timeZone,
  dayStart: d.dayStart,
  currency: d.currency,
});

type DayFields = ReturnType<typeof reportDayFields>;

export interface ReportViews {
  summary: DayFields & { totals: DayTotals; close: DayCloseView | null };
  items: DayFields & ItemMix;
  hours: DayFields & { hours: HourRow[] };
  kitchen: DayFields & KitchenTimes;
  tables: DayFields & TableTurns;
}

export type ReportView = ReportViews[keyof ReportViews];
