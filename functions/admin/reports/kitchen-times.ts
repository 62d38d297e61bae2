/**
 * The kitchen-times report for one business day: per station, how long dishes took from placed to
 * ready and from ready to served (p50 and p90, nearest rank, in seconds), and the slowest dishes by
 * their median time to ready. Built on the dishes' `timings` (core/kitchen-timings.ts), read by one
 * aggregation pipeline (data/report-pipelines.ts kitchenTimesPipeline) scoped by restaurantId and the day.
 */
import type { DayRange } from '../../core/business-day.ts';
import { config } from '../../platform/config.ts';
import { kitchenTimeRows } from '../../data/reports-store.ts';
import { percentile } from './reports.ts';

/** p50 and p90 in seconds over `count` dishes; nulls when none. */
export interface Spread {
  count: number;
  p50Seconds: number | null;
  p90Seconds: number | null;
}

export interface StationTimes {
  station: string;
  placedToReady: Spread;
  readyToServed: Spread;
}

export interface SlowDish {
  menuItemId: string;
  name: string;
  station: string;
  /** Dishes of this kind that became ready. */
  count: number;
  p50Seconds: number;
  p90Seconds: number;
}

export interface KitchenTimes {
  stations: StationTimes[];
  /** The dishes with the longest median time to ready, slowest first. */
  slowest: SlowDish[];
}

/** How many dishes the report names as the slowest. */
export const SLOWEST_DISHES = 5;

interface Row {
  _id: { station: string; menuItemId: string };
  name: string;
  toReady: number[];
  toServed: (number | null)[];
}

/** Nearest-rank p50 and p90 of millisecond durations, in whole seconds (a clock skew's negative counts as 0). */
export function spreadOf(durationsMs: readonly number[]): Spread {
  const seconds = durationsMs.map((ms) => Math.max(0, Math.round(ms / 1000))).sort((a, b) => a - b);
  return { count: seconds.length, p50Seconds: percentile(seconds, 50), p90Seconds: percentile(seconds, 90) };
}

/** The report from the pipeline's rows (one per station and dish). */
export function kitchenTimesOf(rows: readonly Row[]): KitchenTimes {
  const byStation = new Map<string, { toReady: number[]; toServed: number[] }>();
  for (const row of rows) {
    const station = byStation.get(row._id.station) ?? { toReady: [], toServed: [] };
    station.toReady.push(...row.toReady);
    station.toServed.push(...row.toServed.filter((ms): ms is number => ms !== null));
    byStation.set(row._id.station, station);
  }
  const stations = [...byStation]
    .map(([station, { toReady, toServed }]) => ({ station, placedToReady: spreadOf(toReady), readyToServed: spreadOf(toServed) }))
    .sort((a, b) => a.station.localeCompare(b.station));
  const slowest = rows
    .map((row) => {
      const spread = spreadOf(row.toReady);
      return { menuItemId: row._id.menuItemId, name: row.name, station: row._id.station, count: spread.count, p50Seconds: spread.p50Seconds!, p90Seconds: spread.p90Seconds! };
    })
    .sort((a, b) => b.p50Seconds - a.p50Seconds || b.p90Seconds - a.p90Seconds || a.name.localeCompare(b.name))
    .slice(0, SLOWEST_DISHES);
  return { stations, slowest };
}

export async function kitchenTimes(day: DayRange): Promise<KitchenTimes> {
  const rows = await kitchenTimeRows<Row>({ restaurantId: config().restaurantId, from: day.from, to: day.to });
  return kitchenTimesOf(rows);
}
