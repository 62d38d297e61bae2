/** The guest's orders, each item's status live; waiter approval and rejection. */
import { t } from '../shared/i18n.ts';
import type { ItemStatus, Order } from '../shared/types.ts';
import { clock, dishName, optionName, orders, price } from './store.ts';

const ITEM_TONE: Record<ItemStatus, string> = {
  NEW: 'badge-info',
  COOKING: 'badge-warn',
  READY: 'badge-success',
  SERVED: '',
  CANCELLED: 'badge-danger',
};

export function OrdersView() {
  const list = [...orders.value].sort((a, b) => Date.parse(b.orderDate) - Date.parse(a.orderDate));
  return (
    <section class="page" aria-labelledby="orders-title">
      <h1 id="orders-title">{t('orders.title')}</h1>
      {list.length === 0 && <p class="muted">{t('orders.empty')}</p>}
      <ul class="orders">
        {list.map((order) => (
          <OrderCard key={order.orderId} order={order} />
        ))}
      </ul>
    </section>
  );
}

function OrderCard({ order }: { order: Order }) {
  const rejected = order.status === 'cancelled' && order.rejectionReason !== undefined;
  return (
    <li class="card order" aria-labelledby={'order-' + order.orderId}>
      <div class="spread">
        <h2 id={'order-' + order.orderId}>{t('orders.number', { number: order.orderNumber })}</h2>
        <span class={'badge ' + (order.status === 'cancelled' ? 'badge-danger' : order.status === 'pending' ? 'badge-warn' : 'badge-info')}>
          {t('orders.status.' + order.status)}
        </span>
      </div>
      {/* A table visit is one evening: the time says it all. */}
      <div class="muted small">{t('orders.placedAt', { time: clock(order.orderDate) })}</div>
      {order.status === 'pending' && (
        <p class="waiting" role="status">
          <span class="spinner" aria-hidden="true" /> {t('orders.waiting')}
        </p>
      )}
      {rejected && (
        <p class="rejected" role="alert">
          {order.rejectionReason ? t('orders.rejected', { reason: order.rejectionReason }) : t('orders.rejectedNoReason')}
        </p>
      )}
      <ul class="order-items" aria-live="polite">
        {order.items.map((item, index) => (
          <li key={index} class="spread">
            <span>
              {item.quantity} × {dishName(item.menuItemId, item.menuItemName)}
              {item.modifiers?.length > 0 && <span class="muted small"> · {item.modifiers.map((m) => optionName(item.menuItemId, m.optionId, m.name)).join(', ')}</span>}
            </span>
            {order.status !== 'pending' && !rejected && <span class={'badge ' + ITEM_TONE[item.itemStatus]}>{t('item.status.' + item.itemStatus)}</span>}
          </li>
        ))}
      </ul>
      <div class="spread order-foot">
        <span class="small">{order.paymentStatus === 'paid' ? t('orders.paid') : t('orders.unpaid')}</span>
        <strong class="num">{price(order.total)}</strong>
      </div>
    </li>
  );
}
