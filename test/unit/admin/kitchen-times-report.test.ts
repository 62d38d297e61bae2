/** The kitchen-times report's arithmetic: nearest-rank p50/p90 in seconds, per station and slowest dishes. */
import { describe, expect, it } from 'vitest';
import { kitchenTimesOf, SLOWEST_DISHES, spreadOf } from '../../../functions/admin/reports/kitchen-times.ts';

describe('spreadOf', () => {
  it('gives nearest-rank p50 and p90 in whole seconds; nothing gives nulls; a negative (clock skew) counts as 0', () => {
    expect(spreadOf([])).toEqual({ count: 0, p50Seconds: null, p90Seconds: null });
    expect(spreadOf([61_400])).toEqual({ count: 1, p50Seconds: 61, p90Seconds: 61 });
    expect(spreadOf(Array.from({ length: 10 }, (_, i) => (10 - i) * 60_000))).toEqual({ count: 10, p50Seconds: 300, p90Seconds: 540 });
    expect(spreadOf([-5_000, 10_000])).toEqual({ count: 2, p50Seconds: 0, p90Seconds: 10 });
  });
});

describe('kitchenTimesOf', () => {
  it('pools a station’s dishes, skips unserved dishes for ready → served, and names the slowest dishes by median', () => {
    const row = (station: string, menuItemId: string, toReady: number[], toServed: (number | null)[]) => ({ _id: { station, menuItemId }, name: menuItemId, toReady, toServed });
    const rows = [
      row('GRILL', 'dal', [600_000, 1_200_000], [60_000, null]),
      row('GRILL', 'kebab', [1_800_000], [null]),
      ...Array.from({ length: SLOWEST_DISHES }, (_, i) => row('BAR', `drink-${i}`, [(i + 1) * 1_000], [])),
    ];
    const report = kitchenTimesOf(rows);
    expect(report.stations.map((s) => s.station)).toEqual(['BAR', 'GRILL']);
    expect(report.stations[1]).toEqual({ station: 'GRILL', placedToReady: { count: 3, p50Seconds: 1200, p90Seconds: 1800 }, readyToServed: { count: 1, p50Seconds: 60, p90Seconds: 60 } });
    expect(report.slowest).toHaveLength(SLOWEST_DISHES);
    expect(report.slowest.map((d) => d.menuItemId)).toEqual(['kebab', 'dal', 'drink-4', 'drink-3', 'drink-2']);
    expect(report.slowest[1]).toEqual({ menuItemId: 'dal', name: 'dal', station: 'GRILL', count: 2, p50Seconds: 600, p90Seconds: 1200 });
  });
});
