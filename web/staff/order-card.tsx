/**
 * One order on the table panel: its dishes with their kitchen status, its totals and payment, and
 * what a waiter can do with it — confirm or reject while pending (waiter approval), record payment
 * (cash, card, UPI; paid or failed), and for managers cancel it.
 */
import { unfinishedQuantity } from '../../functions/core/kitchen-timings.ts';
import { Button } from '../shared/components.tsx';
import { money, time } from '../shared/format.ts';
import { guestLabel as sharedGuestLabel } from '../shared/guest-name.ts';
import { t } from '../shared/i18n.ts';
import type { PaymentMethod } from '../shared/types.ts';
import { useConsole } from './console.ts';
import type { ConfirmRequest } from './dialogs.tsx';
import { isUnpaid } from './floor.ts';
import { roleAtLeast } from '../../functions/core/roles.ts';
import type { PaymentOutcome, StaffOrder } from './types.ts';

export const METHODS: PaymentMethod[] = ['CASH', 'CARD', 'UPI'];

const ITEM_TONE: Record<string, string> = { NEW: 'badge-info', COOKING: 'badge-warn', READY: 'badge-success', SERVED: '', CANCELLED: 'badge-danger' };
const ORDER_TONE: Record<string, string> = { pending: 'badge-warn', confirmed: 'badge-info', preparing: 'badge-info', completed: 'badge-success', cancelled: 'badge-danger' };
const PAYMENT_TONE: Record<string, string> = { pending: 'badge-warn', paid: 'badge-success', failed: 'badge-danger' };

export function guestLabel(order: Pick<StaffOrder, 'customerName' | 'deviceId'>): string {
  return sharedGuestLabel(order.customerName, order.deviceId);
}

export function OrderCard({ order, ask }: { order: StaffOrder; ask: (request: ConfirmRequest) => void }) {
  const c = useConsole();
  const pending = order.status === 'pending';
  const cancelled = order.status === 'cancelled';
  const payable = isUnpaid(order) && !pending;
  const canCancel = roleAtLeast(c.role.value, 'MANAGER') && ['pending', 'confirmed', 'preparing'].includes(order.status) && order.paymentStatus !== 'paid';
  const titleId = `order-${order.orderId}-title`;
  // The kitchen bumped the ticket with dishes still to cook: the floor must not think they are coming.
  const bumpedUnfinished = order.bumpedAt && !cancelled ? unfinishedQuantity(order.items) : 0;

  const confirm = () =>
    ask({
      title: t('staff.order.confirmTitle', { number: order.orderNumber }),
      body: <p>{t('staff.order.confirmBody', { number: order.orderNumber, table: order.tableNumber })}</p>,
      confirmLabel: t('staff.order.confirm'),
      run: () => c.confirmOrder(order.orderId),
    });

  const reject = () =>
    ask({
      title: t('staff.order.rejectTitle', { number: order.orderNumber }),
      body: <p>{t('staff.order.rejectBody')}</p>,
      confirmLabel: t('staff.order.reject'),
      tone: 'danger',
      reason: { label: t('staff.order.rejectReason'), required: true },
      run: (reason) => c.rejectOrder(order.orderId, reason),
    });

  const cancel = () =>
    ask({
      title: t('staff.order.cancelTitle', { number: order.orderNumber }),
      body: <p>{t('staff.order.cancelBody', { amount: money(order.total) })}</p>,
      confirmLabel: t('staff.order.cancel'),
      tone: 'danger',
      reason: { label: t('staff.order.cancelReason'), required: false },
      run: (reason) => c.cancelOrder(order.orderId, reason || undefined),
    });

  const pay = (method: PaymentMethod, status: PaymentOutcome) =>
    ask({
      title: status === 'paid' ? t('staff.pay.orderTitle', { number: order.orderNumber }) : t('staff.pay.failedTitle', { number: order.orderNumber }),
      body: (
        <p>
          {t(status === 'paid' ? 'staff.pay.orderBody' : 'staff.pay.failedBody', {
            amount: money(order.total),
            method: t('staff.method.' + method),
            number: order.orderNumber,
          })}
        </p>
      ),
      confirmLabel: status === 'paid' ? t('staff.pay.record') : t('staff.pay.recordFailed'),
      tone: status === 'paid' ? 'primary' : 'danger',
      run: async () => {
        await c.payOrder(order.orderId, method, status);
        c.flash(status === 'paid' ? 'success' : 'warn', () => t(status === 'paid' ? 'staff.pay.recorded' : 'staff.pay.failedRecorded', { amount: money(order.total), number: order.orderNumber }));
      },
    });

  return (
    <article
      class={'s-order' + (pending ? ' is-pending' : '') + (cancelled ? ' is-cancelled' : '')}
      aria-labelledby={titleId}
      data-testid="order-row"
      data-order-id={order.orderId}
      data-order-number={order.orderNumber}
      data-status={order.status}
      data-payment={order.paymentStatus}
    >
      <header class="s-order-head">
        <h4 id={titleId}>
          {t('staff.order.title', { number: order.orderNumber })} <span class="muted s-order-when">· {time(order.orderDate)} · {guestLabel(order)}</span>
        </h4>
        <span class="row s-badges">
          <span class={'badge ' + (ORDER_TONE[order.status] ?? '')}>{t('staff.orderStatus.' + order.status)}</span>
          {bumpedUnfinished > 0 && (
            <span class="badge badge-danger" data-testid="bumped-unfinished">
              {t('staff.order.bumpedUnfinished', { n: bumpedUnfinished })}
            </span>
          )}
          {!cancelled && (
            <span class={'badge ' + (PAYMENT_TONE[order.paymentStatus] ?? '')} data-testid="payment-status">
              {t('staff.payment.' + order.paymentStatus)}
              {order.paymentMethod && order.paymentStatus !== 'pending' ? ` · ${t('staff.method.' + order.paymentMethod)}` : ''}
            </span>
          )}
        </span>
      </header>
      {order.rejectionReason && <p class="s-reason">{t('staff.order.reason', { reason: order.rejectionReason })}</p>}
      <ul class="s-items">
        {order.items.map((item) => (
          <li key={item.index} class={'s-item' + (item.itemStatus === 'CANCELLED' ? ' is-cancelled' : '')} data-testid="order-item" data-item-status={item.itemStatus}>
            <span class="s-item-qty num">{item.quantity}×</span>
            <span class="s-item-name">
              {item.menuItemName}
              {(item.modifiers.length > 0 || item.spiceLevel || item.notes) && (
                <span class="s-item-extra muted">
                  {[...item.modifiers.map((m) => m.name), item.spiceLevel && t('staff.spice.' + item.spiceLevel), item.notes && `“${item.notes}”`].filter(Boolean).join(' · ')}
                </span>
              )}
            </span>
            <span class={'badge ' + (ITEM_TONE[item.itemStatus] ?? '')}>{t('staff.item.' + item.itemStatus)}</span>
            <span class="s-item-total num">{money(item.total)}</span>
          </li>
        ))}
      </ul>
      <dl class="s-totals">
        <div>
          <dt>{t('staff.bill.subtotal')}</dt>
          <dd class="num">{money(order.subtotal)}</dd>
        </div>
        <div>
          <dt>{t('staff.bill.tax')}</dt>
          <dd class="num">{money(order.tax)}</dd>
        </div>
        <div class="s-total">
          <dt>{t('staff.bill.total')}</dt>
          <dd class="num">{money(order.total)}</dd>
        </div>
      </dl>
      {pending && (
        <div class="s-order-actions">
          <Button onClick={confirm} data-testid="confirm-order">
            {t('staff.order.confirm')}
          </Button>
          <Button variant="danger" onClick={reject} data-testid="reject-order">
            {t('staff.order.reject')}
          </Button>
        </div>
      )}
      {payable && (
        <div class="s-pay" role="group" aria-label={t('staff.pay.groupLabel', { number: order.orderNumber, amount: money(order.total) })}>
          <span class="s-pay-label">{t('staff.pay.paidBy')}</span>
          {METHODS.map((method) => (
            <Button key={method} variant="secondary" onClick={() => pay(method, 'paid')} data-testid={`pay-order-${method}`}>
              {t('staff.method.' + method)}
            </Button>
          ))}
          <details class="s-failed">
            <summary>{t('staff.pay.failedToggle')}</summary>
            <div class="row s-failed-buttons">
              {METHODS.map((method) => (
                <Button key={method} variant="ghost" onClick={() => pay(method, 'failed')} data-testid={`fail-order-${method}`}>
                  {t('staff.pay.failedWith', { method: t('staff.method.' + method) })}
                </Button>
              ))}
            </div>
          </details>
        </div>
      )}
      {canCancel && (
        <div class="s-order-actions s-order-manager">
          <Button variant="ghost" onClick={cancel} data-testid="cancel-order">
            {t('staff.order.cancel')}
          </Button>
        </div>
      )}
    </article>
  );
}
