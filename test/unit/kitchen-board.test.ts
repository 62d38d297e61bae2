import { describe, expect, it } from 'vitest';
import { allDayCounts, applyRemoval, applyTicket, emptyBoard, replaceBumped, replaceOpen, sortedTickets } from '../../web/kitchen/board.ts';
import type { KitchenTicket } from '../../web/kitchen/types.ts';
import { clockOffset, formatAge, nextStatus, previousStatus, urgencyOf } from '../../web/kitchen/urgency.ts';

const T0 = Date.parse('2025-02-01T12:00:00.000Z');
const iso = (offsetMs: number) => new Date(T0 + offsetMs).toISOString();

function ticket(id: string, overrides: Partial<KitchenTicket> = {}): KitchenTicket {
  return {
    orderId: id,
    orderNumber: 'A-' + id,
    table: { number: 'T-1', floor: 'Ground' },
    orderDate: iso(0),
    items: [{ index: 0, name: 'Dal Makhani', quantity: 2, modifiers: [], station: 'GRILL', itemStatus: 'NEW' }],
    status: 'confirmed',
    updatedAt: iso(0),
    ...overrides,
  };
}

describe('kitchen board state', () => {
  it('adds tickets once (new only the first time) and ignores an older copy', () => {
    let r = applyTicket(emptyBoard(), ticket('1'));
    expect(r.isNew).toBe(true);
    const cooking = ticket('1', { status: 'preparing', updatedAt: iso(5_000) });
    r = applyTicket(r.state, cooking);
    expect(r.isNew).toBe(false);
    r = applyTicket(r.state, ticket('1', { updatedAt: iso(1_000) }));
    expect(r.state.tickets.get('1')).toBe(cooking);
  });

  it('a bump leaves a tombstone: an older reload cannot bring the ticket back; a recall can', () => {
    let state = applyTicket(emptyBoard(), ticket('1')).state;
    const bumped = ticket('1', { bumpedAt: iso(10_000), updatedAt: iso(10_000) });
    state = applyRemoval(state, bumped, 'bumped');
    expect(state.tickets.size).toBe(0);
    expect(state.bumped.map((t) => t.orderId)).toEqual(['1']);
    // A reload whose snapshot predates the bump still lists the ticket.
    const reload = replaceOpen(state, [ticket('1', { updatedAt: iso(0) })], iso(9_000));
    expect(reload.state.tickets.size).toBe(0);
    // The recall (newer) brings it back and takes it off the recall list, without a "new ticket" beep.
    const recalled = applyTicket(reload.state, ticket('1', { updatedAt: iso(20_000) }));
    expect(recalled.state.tickets.has('1')).toBe(true);
    expect(recalled.state.bumped).toEqual([]);
    expect(recalled.isNew).toBe(false);
  });

  it('a reload replaces the board, reports what was missed, and keeps tickets pushed after its snapshot', () => {
    let state = applyTicket(emptyBoard(), ticket('old')).state;
    state = applyTicket(state, ticket('pushed', { orderDate: iso(60_000), updatedAt: iso(60_000) })).state;
    const { state: next, added } = replaceOpen(state, [ticket('missed', { orderDate: iso(30_000), updatedAt: iso(30_000) })], iso(40_000));
    expect(added).toEqual(['missed']);
    expect(sortedTickets(next).map((t) => t.orderId)).toEqual(['missed', 'pushed']); // 'old' is gone: not open any more
  });

  it('merges the recall list newest bump first, leaving out tickets that are open again', () => {
    let state = applyTicket(emptyBoard(), ticket('open')).state;
    state = replaceBumped(state, [
      ticket('a', { bumpedAt: iso(1_000), updatedAt: iso(1_000) }),
      ticket('b', { bumpedAt: iso(3_000), updatedAt: iso(3_000) }),
      ticket('open', { bumpedAt: iso(500), updatedAt: iso(500) }),
    ]);
    expect(state.bumped.map((t) => t.orderId)).toEqual(['b', 'a']);
  });

  it('orders the grid oldest first and counts what is still to cook', () => {
    let state = emptyBoard();
    state = applyTicket(state, ticket('late', { orderDate: iso(9_000) })).state;
    state = applyTicket(
      state,
      ticket('early', {
        orderDate: iso(1_000),
        items: [
          { index: 0, name: 'Dal Makhani', quantity: 1, modifiers: [], station: 'GRILL', itemStatus: 'COOKING' },
          { index: 1, name: 'Lassi', quantity: 3, modifiers: [], station: 'BAR', itemStatus: 'READY' },
        ],
      }),
    ).state;
    expect(sortedTickets(state).map((t) => t.orderId)).toEqual(['early', 'late']);
    expect(allDayCounts(state.tickets.values())).toEqual([{ name: 'Dal Makhani', station: 'GRILL', quantity: 3, cooking: 1 }]);
  });
});

describe('urgency and time', () => {
  it('uses the thresholds: normal under 10 min, urgent from 10, critical from 15 (or the restaurant\'s)', () => {
    expect(urgencyOf(9 * 60_000 + 59_000)).toBe('normal');
    expect(urgencyOf(10 * 60_000)).toBe('urgent');
    expect(urgencyOf(15 * 60_000)).toBe('critical');
    expect(urgencyOf(6 * 60_000, { urgentMinutes: 5, criticalMinutes: 8 })).toBe('urgent');
  });

  it('formats ages and computes the server clock offset from the round trip', () => {
    expect(formatAge(-5_000)).toBe('0:00');
    expect(formatAge(247_000)).toBe('4:07');
    expect(formatAge(3_729_000)).toBe('1:02:09');
    // Sent at 1000, received at 1200: the server answered around 1100 and said 61100 → 60 s ahead.
    expect(clockOffset(new Date(61_100).toISOString(), 1_000, 1_200)).toBe(60_000);
  });

  it('steps items forward and back along NEW → COOKING → READY → SERVED', () => {
    expect(nextStatus('NEW')).toBe('COOKING');
    expect(nextStatus('READY')).toBe('SERVED');
    expect(nextStatus('SERVED')).toBeUndefined();
    expect(previousStatus('COOKING')).toBe('NEW');
    expect(previousStatus('NEW')).toBeUndefined();
    expect(nextStatus('CANCELLED')).toBeUndefined();
    expect(previousStatus('CANCELLED')).toBeUndefined();
  });
});
