/**
 * What a cook's taps do, over HTTP: the next or previous step of a dish, undoing the last tap, bumping
 * and recalling a ticket. The server's answer is applied to the board at once (the push that follows
 * is then a no-op); a 409 means another tablet got there first, so the board reloads and says so.
 */
import type { Signal } from '@preact/signals';
import { isApiError, type ApiClient } from '../shared/api.ts';
import { errorText } from '../shared/error-text.ts';
import { t } from '../shared/i18n.ts';
import type { ItemStatus } from '../shared/types.ts';
import { dishLabel } from './names.ts';
import type { KitchenItem, KitchenTicket, TicketReply } from './types.ts';
import { nextStatus, previousStatus } from './urgency.ts';

export interface LastChange {
  orderId: string;
  orderNumber: string;
  index: number;
  name: string;
  from: ItemStatus;
  to: ItemStatus;
  at: number;
}

export interface Notice {
  tone: 'info' | 'warn' | 'error';
  text: string;
}

export interface TicketActionState {
  /** Keys of the calls in flight (a dish, a bump, a recall): a second tap on it waits. */
  busy: Signal<ReadonlySet<string>>;
  /** The last tap on this screen, for Undo. */
  lastChange: Signal<LastChange | undefined>;
  accept(ticket: KitchenTicket): void;
  flash(notice: Notice): void;
  load(): Promise<void>;
  /** The request options naming this tablet's socket (its change's push then skips it). */
  ownSocket(): { headers: Record<string, string> } | undefined;
}

export function createTicketActions(api: ApiClient, { busy, lastChange, accept, flash, load, ownSocket }: TicketActionState) {
  function setBusy(key: string, on: boolean): void {
    const next = new Set(busy.value);
    if (on) next.add(key);
    else next.delete(key);
    busy.value = next;
  }

  /** Runs one call under its busy key (none while the same one is in flight); a refusal is told and handled. */
  async function once(key: string, call: () => Promise<void>, onError?: () => void): Promise<void> {
    if (busy.value.has(key)) return;
    setBusy(key, true);
    try {
      await call();
    } catch (error) {
      onError?.();
      handleActionError(error);
    } finally {
      setBusy(key, false);
    }
  }

  function handleActionError(error: unknown): void {
    if (isApiError(error) && error.isAuth) return;
    if (isApiError(error) && error.status === 409) {
      flash({ tone: 'warn', text: t('kitchen.changedElsewhere', { message: errorText(error) }) });
      void load();
    } else if (isApiError(error) && error.status === 403) {
      flash({ tone: 'error', text: errorText(error) });
    } else if (isApiError(error) && error.status === 404) {
      flash({ tone: 'warn', text: errorText(error) });
      void load();
    } else {
      flash({ tone: 'error', text: t('kitchen.actionFailed') });
    }
  }

  const changeItem = (ticket: KitchenTicket, item: KitchenItem, to: ItemStatus, remember: boolean): Promise<void> =>
    once(`${ticket.orderId}:${item.index}`, async () => {
      const reply = await api.patch<TicketReply>(`/kitchen/orders/${ticket.orderId}/items/${item.index}`, { status: to, from: item.itemStatus }, ownSocket());
      accept(reply.ticket);
      lastChange.value = remember
        ? { orderId: ticket.orderId, orderNumber: ticket.orderNumber, index: item.index, name: dishLabel(item), from: item.itemStatus, to, at: Date.now() }
        : undefined;
    });

  return {
    /** One tap: the next step (NEW → COOKING → READY → SERVED). */
    advance(ticket: KitchenTicket, item: KitchenItem): Promise<void> {
      const to = nextStatus(item.itemStatus);
      return to ? changeItem(ticket, item, to, true) : Promise.resolve();
    },

    /** Long press: one step back. */
    stepBack(ticket: KitchenTicket, item: KitchenItem): Promise<void> {
      const to = previousStatus(item.itemStatus);
      return to ? changeItem(ticket, item, to, false) : Promise.resolve();
    },

    /** Undo the last tap made on this screen (within 30 s). */
    undo(): Promise<void> {
      const last = lastChange.value;
      if (!last) return Promise.resolve();
      return once(
        `${last.orderId}:${last.index}`,
        async () => {
          const reply = await api.patch<TicketReply>(`/kitchen/orders/${last.orderId}/items/${last.index}`, { status: last.from, from: last.to }, ownSocket());
          accept(reply.ticket);
          lastChange.value = undefined;
        },
        () => (lastChange.value = undefined),
      );
    },

    bump(ticket: KitchenTicket): Promise<void> {
      return once(`bump:${ticket.orderId}`, async () => {
        const reply = await api.post<TicketReply>(`/kitchen/orders/${ticket.orderId}/bump`, {}, ownSocket());
        accept(reply.ticket);
        if (lastChange.value?.orderId === ticket.orderId) lastChange.value = undefined;
      });
    },

    recall(ticket: KitchenTicket): Promise<void> {
      return once(`recall:${ticket.orderId}`, async () => {
        const reply = await api.post<TicketReply>(`/kitchen/orders/${ticket.orderId}/recall`, {}, ownSocket());
        accept(reply.ticket);
      });
    },
  };
}
