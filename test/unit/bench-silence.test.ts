/**
 * The cost model's silence counting (bench/lib/silence.ts): a socket that pings only after a
 * heartbeat without hearing anything sends as many pings as its silences hold heartbeats.
 */
import { describe, expect, it } from 'vitest';
import { orderArrivals, pingsInSilence, pingsPerDay, pushTimes, seededRandom, sharedPingsInSilence, sharedPingsPerDay } from '../../bench/lib/silence.ts';

const SHAPE = {
  openHour: 11,
  hours: 12,
  peaks: [
    { share: 0.4, peakHour: 13.25, sdMinutes: 45 },
    { share: 0.5, peakHour: 20.5, sdMinutes: 60 },
  ],
};

describe('pings after silence', () => {
  it('counts whole heartbeats in each silence, from the last message heard', () => {
    expect(pingsInSilence([], 0, 60, 0.5)).toBe(120); // a silent hour: every 30 s
    expect(pingsInSilence([10, 10.4, 40], 0, 60, 0.5)).toBe(20 + 59 + 40);
    expect(pingsInSilence([1, 2, 3], 0, 3, 8)).toBe(0);
  });

  it('orders come in the lunch and dinner peaks, inside the opening hours', () => {
    const times = orderArrivals(SHAPE, 3000, seededRandom(1));
    const share = (from: number, to: number) => times.filter((m) => m >= (from - 11) * 60 && m < (to - 11) * 60).length / times.length;
    expect(Math.min(...times)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...times)).toBeLessThan(12 * 60);
    expect(share(12, 14.5)).toBeGreaterThan(0.35);
    expect(share(19, 22)).toBeGreaterThan(0.4);
    expect(share(15.5, 18)).toBeLessThan(0.08); // the quiet afternoon
  });

  it('spreads a socket’s pushes over each order’s life; more pushes per order, fewer pings', () => {
    expect(pushTimes([0, 100], 3, 20, seededRandom(2))).toEqual([0, 10, 20, 100, 110, 120]);
    const day = (perOrder: number[]) => pingsPerDay({ shape: SHAPE, ordersPerDay: 300, days: 3, seed: 18, spanMinutes: 20, heartbeatMinutes: 0.5 }, perOrder);
    const silent = day([0]);
    expect(silent).toBe(12 * 120);
    expect(day([2])).toBeLessThan(silent);
    expect(day([10])).toBeLessThan(day([2]));
  });

  it('sockets sharing each pong (the kitchen): one ping when any of them has been silent a heartbeat', () => {
    expect(sharedPingsInSilence([[], []], 0, 60, 0.5)).toBe(120); // two silent tablets: one ping every 30 s between them
    expect(sharedPingsInSilence([[10, 10.4, 40]], 0, 60, 0.5)).toBe(pingsInSilence([10, 10.4, 40], 0, 60, 0.5)); // one socket: as alone
    // The silent one sets the pace: the other's pushes spare no ping.
    expect(sharedPingsInSilence([[], [0.2, 0.4, 0.6, 0.8]], 0, 60, 0.5)).toBe(120);
    // Pushes both hear: the pings of one socket hearing them.
    expect(sharedPingsInSilence([[1, 2], [1, 2]], 0, 3, 0.5)).toBe(pingsInSilence([1, 2], 0, 3, 0.5));
    const day = (perOrder: number[]) => sharedPingsPerDay({ shape: SHAPE, ordersPerDay: 300, days: 3, seed: 18, spanMinutes: 20, heartbeatMinutes: 0.5 }, perOrder);
    expect(day([0, 0, 0])).toBe(12 * 120);
    expect(day([5, 5])).toBeLessThanOrEqual(pingsPerDay({ shape: SHAPE, ordersPerDay: 300, days: 3, seed: 18, spanMinutes: 20, heartbeatMinutes: 0.5 }, [5, 5]) / 2 + 1e-9);
  });
});
