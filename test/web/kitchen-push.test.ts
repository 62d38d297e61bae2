/** The kitchen socket's pushes (web/kitchen/push.ts): each reaches the board the way it should. */
import { describe, expect, it } from 'vitest';
import { kitchenPushHandler } from '../../web/kitchen/push.ts';
import type { KitchenTicket } from '../../web/kitchen/types.ts';

const ticket = { orderId: 'o1', orderNumber: '001', status: 'confirmed', items: [] } as unknown as KitchenTicket;

function board() {
  const seen: string[] = [];
  const onMessage = kitchenPushHandler({
    accept: (t, options) => seen.push(`accept ${t.orderId}${options?.created ? ' new' : ''}`),
    remove: (t, reason) => seen.push(`remove ${t.orderId} ${reason}`),
    syncOpen: (orders, serverTime) => seen.push(`sync ${orders.length} ${serverTime}`),
    reconnect: () => seen.push('reconnect'),
  });
  return { seen, onMessage };
}

describe('kitchen pushes', () => {
  it('a new ticket is accepted as new (it beeps), a changed one as a change, a removed one leaves with its reason', () => {
    const { seen, onMessage } = board();
    onMessage({ type: 'order.created', ticket } as never);
    onMessage({ type: 'kitchen.ticket', ticket } as never);
    onMessage({ type: 'kitchen.ticket_removed', orderId: 'o1', reason: 'bumped', ticket } as never);
    expect(seen).toEqual(['accept o1 new', 'accept o1', 'remove o1 bumped']);
  });

  it('a sync replaces the open tickets (none when it names none); an error reconnects; anything else is ignored', () => {
    const { seen, onMessage } = board();
    onMessage({ type: 'sync', orders: [ticket], serverTime: '2026-12-06T05:00:00.000Z' } as never);
    onMessage({ type: 'sync', serverTime: '2026-12-06T05:00:01.000Z' } as never);
    onMessage({ type: 'error', error: { code: 'TOKEN_EXPIRED' } } as never);
    onMessage({ type: 'menu.updated', items: [] } as never);
    expect(seen).toEqual(['sync 1 2026-12-06T05:00:00.000Z', 'sync 0 2026-12-06T05:00:01.000Z', 'reconnect']);
  });
});
