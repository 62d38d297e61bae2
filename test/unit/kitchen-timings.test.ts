import { describe, expect, it } from 'vitest';
import { averageTicketTimes, orderTimings, timingsAfterMove, unfinishedQuantity } from '../../functions/core/kitchen-timings.ts';

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 12, minute));

describe('kitchen timings', () => {
  it('a step forward stamps the status reached; a step back removes the stamp of the status left', () => {
    let timings = timingsAfterMove({ placedAt: at(0) }, 'NEW', 'COOKING', at(1));
    timings = timingsAfterMove(timings, 'COOKING', 'READY', at(5));
    expect(timings).toEqual({ placedAt: at(0), cookingAt: at(1), readyAt: at(5) });
    expect(timingsAfterMove(timings, 'READY', 'COOKING', at(6))).toEqual({ placedAt: at(0), cookingAt: at(1) });
    expect(timingsAfterMove(timings, 'READY', 'CANCELLED', at(7))).toMatchObject({ cancelledAt: at(7), readyAt: at(5) });
    expect(timingsAfterMove(undefined, 'NEW', 'COOKING', at(2))).toEqual({ cookingAt: at(2) });
  });

  it('a ticket cooks with its first live dish, is ready and served with its last; cancelled dishes do not count', () => {
    const items = [
      { itemStatus: 'SERVED' as const, timings: { cookingAt: at(2), readyAt: at(4), servedAt: at(6) } },
      { itemStatus: 'READY' as const, timings: { cookingAt: at(3), readyAt: at(9) } },
      { itemStatus: 'CANCELLED' as const, timings: { cancelledAt: at(1) } },
    ];
    expect(orderTimings(at(0), items)).toEqual({ placedAt: at(0), cookingAt: at(2), readyAt: at(9) });
    expect(orderTimings(at(0), [{ itemStatus: 'NEW' }])).toEqual({ placedAt: at(0) });
    expect(orderTimings(at(0), [{ itemStatus: 'CANCELLED', timings: { cancelledAt: at(3) } }])).toEqual({ placedAt: at(0), cancelledAt: at(3) });
  });

  it('counts the dishes a bump would leave behind by quantity (NEW and COOKING only)', () => {
    expect(
      unfinishedQuantity([
        { itemStatus: 'NEW', quantity: 2 },
        { itemStatus: 'COOKING', quantity: 1 },
        { itemStatus: 'READY', quantity: 4 },
        { itemStatus: 'SERVED', quantity: 1 },
        { itemStatus: 'CANCELLED', quantity: 3 },
      ]),
    ).toBe(3);
  });

  it('averages each station part from the ticket start to its last ready dish, inside the window only', () => {
    const ready = (station: string, minute?: number) => ({ station, itemStatus: 'READY' as const, timings: minute === undefined ? {} : { readyAt: at(minute) } });
    const times = averageTicketTimes(
      [
        { startedAt: at(10), items: [ready('GRILL', 14), ready('GRILL', 20), ready('BAR', 12)] },
        { startedAt: at(30), items: [ready('GRILL', 40)] },
        { startedAt: at(30), items: [ready('BAR')] }, // no readyAt: left out
        { startedAt: at(0), items: [ready('GRILL', 5)] }, // before the window
      ],
      at(10),
    );
    expect(times).toEqual([
      { station: 'BAR', averageSeconds: 120, tickets: 1 },
      { station: 'GRILL', averageSeconds: 600, tickets: 2 },
    ]);
  });
});
