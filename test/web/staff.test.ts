import { describe, expect, it } from 'vitest';
import { groupByFloor, mergeReload, ordersBySession, sortOrders, summarize, upsertOrder } from '../../web/staff/floor.ts';
import { formatMoneyInput, parseMoneyInput } from '../../web/staff/money-input.ts';
import { runBusy } from '../../web/staff/busy-action.ts';
import { describeError } from '../../web/staff/store.ts';
import { ApiError } from '../../web/shared/api.ts';
import type { FloorTable, StaffOrder } from '../../web/staff/types.ts';

const session = { sessionId: 's1', mode: 'FAMILY' as const, status: 'OPEN' as const, openedAt: '2025-01-01T10:00:00Z', devices: [] };

function order(id: string, patch: Partial<StaffOrder> = {}): StaffOrder {
  return {
    orderId: id,
    orderNumber: id,
    status: 'confirmed',
    paymentStatus: 'pending',
    items: [{ index: 0, menuItemId: 'm', menuItemName: 'Dal', quantity: 1, price: 10000, total: 10000, modifiers: [], station: 'GRILL', itemStatus: 'NEW', addedByDeviceId: 'd' }],
    subtotal: 10000,
    tax: 500,
    total: 10500,
    orderDate: '2025-01-01T10:05:00Z',
    updatedAt: '2025-01-01T10:05:00Z',
    tableNumber: 'T-1',
    deviceId: 'd',
    sessionId: 's1',
    tableId: 't1',
    floorNumber: 'Ground',
    createdAt: '2025-01-01T10:05:00Z',
    ...patch,
  };
}

describe('table state', () => {
  const served = (id: string, patch: Partial<StaffOrder> = {}) =>
    order(id, { status: 'completed', items: order(id).items.map((item) => ({ ...item, itemStatus: 'SERVED' as const })), ...patch });

  it('is free without a session, whatever orders an old session left', () => {
    expect(summarize({ session: null }, [order('a')]).state).toBe('free');
  });
  it('is open with a session and nothing ordered, or everything served and paid, or only cancelled orders', () => {
    expect(summarize({ session }, []).state).toBe('open');
    expect(summarize({ session }, [served('a', { paymentStatus: 'paid' }), order('b', { status: 'cancelled' })]).state).toBe('open');
  });
  it('is ordering while an order waits for a waiter, even when others are cooking or unpaid', () => {
    const summary = summarize({ session }, [order('a'), served('c'), order('b', { status: 'pending' })]);
    expect(summary.state).toBe('ordering');
    expect(summary.pending).toBe(1);
  });
  it('is in kitchen, not awaiting payment, while a confirmed order is cooking or waits at the pass, paid or not', () => {
    expect(summarize({ session }, [order('a')]).state).toBe('inKitchen');
    expect(summarize({ session }, [order('a', { status: 'preparing', items: [{ ...order('a').items[0], itemStatus: 'READY' }] })]).state).toBe('inKitchen');
    expect(summarize({ session }, [served('a'), order('b', { status: 'preparing', paymentStatus: 'paid' })]).state).toBe('inKitchen');
  });
  it('is awaiting payment once everything is served and something is unpaid; due adds up unpaid, not cancelled or paid ones; a failed payment is still due', () => {
    const summary = summarize({ session }, [served('a'), served('b', { paymentStatus: 'paid' }), order('c', { status: 'cancelled' }), served('d', { paymentStatus: 'failed', total: 2000 })]);
    expect(summary).toMatchObject({ state: 'awaitingPayment', unpaid: 2, due: 12500, notServed: 0 });
  });
  it('is awaiting payment when the bill was asked for (a failed payment attempt), even with food still cooking', () => {
    expect(summarize({ session }, [order('a', { paymentStatus: 'failed' })]).state).toBe('awaitingPayment');
    expect(summarize({ session }, [order('a', { paymentStatus: 'failed' }), order('b', { status: 'pending' })]).state).toBe('ordering');
  });
  it('is awaiting payment when a guest asked for the bill, even with food still cooking; not once all is paid', () => {
    const asked = { ...session, billRequest: { at: '2025-01-01T11:00:00Z', method: 'UPI' as const } };
    expect(summarize({ session: asked }, [order('a')]).state).toBe('awaitingPayment');
    expect(summarize({ session: asked }, [served('a', { paymentStatus: 'paid' })]).state).toBe('open');
  });
  it('counts dishes still in the kitchen and not yet served of confirmed or preparing orders', () => {
    const cooking = order('a', { status: 'preparing', items: [...order('a').items, { ...order('a').items[0], index: 1, itemStatus: 'READY' }, { ...order('a').items[0], index: 2, itemStatus: 'COOKING' }, { ...order('a').items[0], index: 3, itemStatus: 'CANCELLED' }] });
    expect(summarize({ session }, [cooking])).toMatchObject({ inKitchen: 2, notServed: 3 });
  });
});

describe('orders', () => {
  it('sorts pending first, then newest first', () => {
    const list = sortOrders([order('old', { orderDate: '2025-01-01T10:00:00Z' }), order('new', { orderDate: '2025-01-01T11:00:00Z' }), order('p', { status: 'pending', orderDate: '2025-01-01T09:00:00Z' })]);
    expect(list.map((o) => o.orderId)).toEqual(['p', 'new', 'old']);
  });
  it('does not let a late push undo a newer answer', () => {
    const fresh = new Map([['a', order('a', { paymentStatus: 'paid', updatedAt: '2025-01-01T10:10:00Z' })]]);
    expect(upsertOrder(fresh, order('a', { updatedAt: '2025-01-01T10:06:00Z' }))).toBe(fresh);
    const newer = upsertOrder(fresh, order('a', { status: 'completed', paymentStatus: 'paid', updatedAt: '2025-01-01T10:20:00Z' }));
    expect(newer.get('a')!.status).toBe('completed');
  });
  it('a full reload replaces the orders, keeps newer pushed ones and open sessions’ orders beyond its window', () => {
    const held = new Map([
      ['a', order('a', { paymentStatus: 'paid', updatedAt: '2025-01-01T10:30:00Z' })],
      ['old', order('old', { sessionId: 's1' })],
      ['gone', order('gone', { sessionId: 'closed' })],
    ]);
    const next = mergeReload(held, [order('a'), order('b')], new Set(['s1']));
    expect([...next.keys()].sort()).toEqual(['a', 'b', 'old']);
    expect(next.get('a')!.paymentStatus).toBe('paid');
  });
  it('groups by session and tables by floor in server order', () => {
    expect(ordersBySession([order('a'), order('b', { sessionId: 's2' }), order('c')]).get('s1')!.map((o) => o.orderId)).toEqual(['a', 'c']);
    const tables: FloorTable[] = [
      { tableId: '1', number: 'T-1', floor: 'Ground', session: null },
      { tableId: '7', number: 'T-7', floor: 'First', session: null },
      { tableId: '2', number: 'T-2', floor: 'Ground', session: null },
    ];
    expect(groupByFloor(tables).map((g) => [g.floor, g.tables.map((t) => t.number)])).toEqual([
      ['Ground', ['T-1', 'T-2']],
      ['First', ['T-7']],
    ]);
  });
});

describe('price input', () => {
  it('reads rupees as integer paise without floating point', () => {
    expect(parseMoneyInput('249', 2)).toBe(24900);
    expect(parseMoneyInput('249.5', 2)).toBe(24950);
    expect(parseMoneyInput(' 1,249.50 ', 2)).toBe(124950);
    expect(parseMoneyInput('0.29', 2)).toBe(29);
    expect(parseMoneyInput('.5', 2)).toBe(50);
    expect(parseMoneyInput('500', 0)).toBe(500);
  });
  it('refuses what is not a plain amount', () => {
    for (const bad of ['', '-5', '1.234', 'abc', '1e3', '12.3.4', '5.5']) expect(parseMoneyInput(bad, bad === '5.5' ? 0 : 2)).toBeUndefined();
  });
  it('shows paise as rupees and round-trips', () => {
    expect(formatMoneyInput(12050, 2)).toBe('120.50');
    expect(formatMoneyInput(5, 2)).toBe('0.05');
    expect(formatMoneyInput(500, 0)).toBe('500');
    for (const minor of [0, 1, 99, 100, 12345, 99999999]) expect(parseMoneyInput(formatMoneyInput(minor, 2), 2)).toBe(minor);
  });
});

describe('notices', () => {
  it('words a catalogue notice when shown, so it follows a language switch', async () => {
    await import('../../web/staff/messages.ts');
    const { noticeText } = await import('../../web/staff/store.ts');
    const { setLang, t } = await import('../../web/shared/i18n.ts');
    const notice = { id: 1, tone: 'success' as const, text: () => t('staff.close.done', { table: 'T-4' }) };
    try {
      setLang('en');
      const english = noticeText(notice);
      setLang('hi');
      expect(noticeText(notice)).not.toBe(english);
      expect(noticeText(notice)).toContain('T-4');
      expect(noticeText({ id: 2, tone: 'error', text: 'Server said no' })).toBe('Server said no');
    } finally {
      setLang('en');
    }
  });
});

describe('runBusy (the editors’ busy/error pattern, busy-action.ts)', () => {
  const recorder = () => {
    const log: string[] = [];
    return { log, state: { setBusy: (busy: boolean) => log.push(`busy ${busy}`), setError: (error: string | undefined) => log.push(`error ${error ?? '-'}`) } };
  };

  it('is busy while the work runs, clears the last error first, and ends not busy', async () => {
    const { log, state } = recorder();
    const ok = await runBusy(state, async () => {
      log.push('work');
    });
    expect(ok).toBe(true);
    expect(log).toEqual(['busy true', 'error -', 'work', 'busy false']);
  });

  it('turns a failure into words: the explanation given, else the API error’s message', async () => {
    const { log, state } = recorder();
    const refusal = new ApiError(403, 'FORBIDDEN', 'A manager is needed');
    expect(await runBusy(state, () => Promise.reject(refusal), () => 'Ask a manager')).toBe(false);
    expect(log).toEqual(['busy true', 'error -', 'error Ask a manager', 'busy false']);
    const plain = recorder();
    expect(await runBusy(plain.state, () => Promise.reject(refusal), () => undefined)).toBe(false);
    expect(plain.log[2]).toBe(`error ${describeError(refusal)}`);
  });
});
