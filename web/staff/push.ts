/**
 * What the staff socket's pushes do to the console: `table.updated` and `bill.requested` reload the
 * tables (soon, once for a burst), orders go into the floor, and a pending order, a bill request or a
 * flagged payment is told in a notice. Anything the floor cannot place means "reload".
 */
import { t } from '../shared/i18n.ts';
import type { ServerMessage } from '../shared/types.ts';
import type { StaffOrder } from './types.ts';

export interface PushTargets {
  /** Counts table.updated per session: an open bill reloads (an online payment, refund or flag moves no order). */
  stampSession(sessionId: string): void;
  scheduleTables(): void;
  acceptOrder(order: StaffOrder): void;
  load(): Promise<void>;
  /** Worded when shown, so a language switch re-words it. */
  flash(tone: 'warn' | 'error', text: () => string): void;
  reconnect(): void;
}

export function staffPushHandler({ stampSession, scheduleTables, acceptOrder, load, flash, reconnect }: PushTargets) {
  return function onMessage(message: ServerMessage): void {
    switch (message.type) {
      case 'table.updated': {
        const sessionId = (message as { sessionId?: string }).sessionId;
        if (sessionId) stampSession(sessionId);
        scheduleTables();
        break;
      }
      case 'payment.flagged': {
        const flagged = message as { tableNumber?: string };
        flash('error', () => t('staff.notice.paymentFlagged', { table: flagged.tableNumber ?? '' }));
        break;
      }
      case 'bill.requested': {
        const request = message as { tableNumber?: string; method?: string; alreadyRequested?: boolean };
        scheduleTables();
        if (!request.alreadyRequested) {
          flash('warn', () =>
            request.method
              ? t('staff.notice.billRequestedVia', { table: request.tableNumber ?? '', method: t('staff.method.' + request.method) })
              : t('staff.notice.billRequested', { table: request.tableNumber ?? '' }),
          );
        }
        break;
      }
      case 'order.pending': {
        const order = (message as { order?: StaffOrder }).order;
        if (order?.orderId) {
          acceptOrder(order);
          flash('warn', () => t('staff.notice.pending', { number: order.orderNumber, table: order.tableNumber }));
        }
        break;
      }
      case 'order.updated':
      case 'order.created': {
        const order = (message as { order?: StaffOrder }).order;
        // Only a staff view (it has sessionId and prices) goes into the floor; anything else means "reload".
        if (order?.orderId && order.sessionId && typeof order.total === 'number') acceptOrder(order);
        else void load();
        break;
      }
      case 'error':
        reconnect();
        break;
      default:
        break;
    }
  };
}
