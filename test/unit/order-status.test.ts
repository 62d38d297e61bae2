import { describe, expect, it } from 'vitest';
import { checkItemTransition, deriveOrderStatus } from '../../functions/core/order-status.ts';
import type { ItemStatus } from '../../functions/core/enums.ts';

const items = (...statuses: ItemStatus[]) => statuses.map((itemStatus) => ({ itemStatus }));

describe('item transitions', () => {
  it.each([
    ['NEW', 'COOKING'],
    ['COOKING', 'READY'],
    ['READY', 'SERVED'],
    ['COOKING', 'NEW'],
    ['READY', 'COOKING'],
    ['SERVED', 'READY'],
    ['NEW', 'CANCELLED'],
    ['READY', 'CANCELLED'],
  ] as const)('allows %s → %s', (from, to) => {
    expect(checkItemTransition(from, to)).toEqual({ ok: true });
  });

  it.each([
    ['NEW', 'READY'],
    ['NEW', 'SERVED'],
    ['SERVED', 'NEW'],
    ['COOKING', 'COOKING'],
    ['CANCELLED', 'NEW'],
    ['SERVED', 'CANCELLED'],
  ] as const)('refuses %s → %s with a reason', (from, to) => {
    const check = checkItemTransition(from, to);
    expect(check.ok).toBe(false);
    expect(check.ok ? '' : check.reason).not.toBe('');
  });
});

describe('derived order status', () => {
  it('keeps a pending order pending until a waiter confirms it', () => {
    expect(deriveOrderStatus('pending', items('COOKING'))).toBe('pending');
  });
  it('is confirmed while everything is NEW', () => {
    expect(deriveOrderStatus('confirmed', items('NEW', 'NEW'))).toBe('confirmed');
  });
  it('is preparing once anything has started, and back to confirmed when undone', () => {
    expect(deriveOrderStatus('confirmed', items('NEW', 'COOKING'))).toBe('preparing');
    expect(deriveOrderStatus('preparing', items('NEW', 'NEW'))).toBe('confirmed');
  });
  it('is completed when every item that is not cancelled is served', () => {
    expect(deriveOrderStatus('preparing', items('SERVED', 'CANCELLED', 'SERVED'))).toBe('completed');
    expect(deriveOrderStatus('preparing', items('SERVED', 'READY'))).toBe('preparing');
  });
  it('is cancelled when every item is cancelled', () => {
    expect(deriveOrderStatus('confirmed', items('CANCELLED', 'CANCELLED'))).toBe('cancelled');
  });
});
