/**
 * Order and item state rules. Items move NEW → COOKING → READY → SERVED, one step at a time, or
 * one step back to undo a mistake; CANCELLED is a side exit (a manager's decision, checked by the
 * caller). The order's status is never set by hand once confirmed: it is derived from its items.
 */
import type { ItemStatus, OrderStatus } from './enums.ts';

const FLOW: readonly ItemStatus[] = ['NEW', 'COOKING', 'READY', 'SERVED'];

export type TransitionCheck = { ok: true } | { ok: false; reason: string };

export function checkItemTransition(from: ItemStatus, to: ItemStatus): TransitionCheck {
  if (from === to) return { ok: false, reason: `The item is already ${to}` };
  if (from === 'CANCELLED') return { ok: false, reason: 'The item was cancelled' };
  if (to === 'CANCELLED') return from === 'SERVED' ? { ok: false, reason: 'A served item cannot be cancelled' } : { ok: true };
  const step = FLOW.indexOf(to) - FLOW.indexOf(from);
  return step === 1 || step === -1 ? { ok: true } : { ok: false, reason: `An item cannot go from ${from} to ${to}` };
}

/**
 * The status of a confirmed order from its items: cancelled when every item is; completed when
 * every item that is not cancelled is served; preparing once any item is past NEW; otherwise
 * confirmed. A pending order (awaiting the waiter) stays pending until a waiter confirms it.
 */
export function deriveOrderStatus(current: OrderStatus, items: readonly { itemStatus: ItemStatus }[]): OrderStatus {
  if (current === 'pending' || current === 'cancelled') return current;
  const live = items.filter((item) => item.itemStatus !== 'CANCELLED');
  if (live.length === 0) return 'cancelled';
  if (live.every((item) => item.itemStatus === 'SERVED')) return 'completed';
  if (live.some((item) => item.itemStatus !== 'NEW')) return 'preparing';
  return 'confirmed';
}
