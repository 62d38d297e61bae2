/**
 * What the kitchen socket's pushes do to the board: a new or changed ticket is accepted (filtered to
 * this screen's station), a removed one leaves it, a `sync` replaces the open tickets, and an error
 * (the credential ended) reconnects, so the next upgrade tells the app whether it is still signed in.
 */
import type { ServerMessage } from '../shared/types.ts';
import type { KitchenPush, KitchenTicket } from './types.ts';

export interface KitchenPushTargets {
  accept(ticket: KitchenTicket, options?: { created?: boolean }): void;
  remove(ticket: KitchenTicket, reason: string): void;
  /** A `sync` answer: the open tickets as the server has them now. */
  syncOpen(orders: readonly KitchenTicket[], serverTime: string): void;
  reconnect(): void;
}

export function kitchenPushHandler({ accept, remove, syncOpen, reconnect }: KitchenPushTargets) {
  return function onMessage(message: ServerMessage): void {
    const push = message as KitchenPush;
    switch (push.type) {
      case 'order.created':
        accept(push.ticket, { created: true });
        break;
      case 'kitchen.ticket':
        accept(push.ticket);
        break;
      case 'kitchen.ticket_removed':
        remove(push.ticket, push.reason);
        break;
      case 'sync':
        syncOpen(push.orders ?? [], push.serverTime);
        break;
      default:
        if ((message as { type: string }).type === 'error') reconnect();
    }
  };
}
