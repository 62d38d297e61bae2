/** The cart: who added each line (FAMILY), live changes, sold-out flags, one-tap ordering. */
import { Banner, Button, Stepper } from '../shared/components.tsx';
import { guestLabel } from '../shared/guest-name.ts';
import { t } from '../shared/i18n.ts';
import type { CartLine } from '../shared/types.ts';
import { placeOrder, removeLine, resumePendingOrder, setLineQuantity } from './actions.ts';
import { cart, dishName, guest, optionName, placeState, price, tab } from './store.ts';

export function addedByLabel(line: CartLine, myDeviceId: string | undefined): string {
  if (line.addedByDeviceId === myDeviceId) return t('cart.you');
  return guestLabel(line.addedByName, line.addedByDeviceId);
}

export function CartView() {
  const c = cart.value;
  const g = guest.value;
  const family = g?.mode === 'FAMILY';
  const unavailable = new Set(c?.unavailableLineIds ?? []);
  const state = placeState.value;

  if (!c || c.lines.length === 0) {
    return (
      <section class="page" aria-labelledby="cart-title">
        <h1 id="cart-title">{family ? t('cart.tableTitle') : t('cart.title')}</h1>
        {/* The ordered lines leave the cart (a push) before a retried placement hears back: still say it is being sent. */}
        <PlacementStatus />
        <p class="muted">{t('cart.empty')}</p>
        <Button variant="secondary" onClick={() => (tab.value = 'menu')}>
          {t('nav.menu')}
        </Button>
      </section>
    );
  }

  return (
    <section class="page" aria-labelledby="cart-title">
      <h1 id="cart-title">{family ? t('cart.tableTitle') : t('cart.title')}</h1>
      <ul class="cart-lines">
        {c.lines.map((line) => {
          const soldOut = unavailable.has(line.lineId);
          const name = dishName(line.menuItemId, line.name);
          return (
            <li key={line.lineId} class={'card cart-line' + (soldOut ? ' cart-line-soldout' : '')}>
              <div class="spread">
                <strong>{name}</strong>
                <span class="num">{price(line.lineTotal)}</span>
              </div>
              {line.modifiers.length > 0 && <div class="muted small">{line.modifiers.map((m) => optionName(line.menuItemId, m.optionId, m.name)).join(', ')}</div>}
              {line.spiceLevel && <div class="muted small">{t('cart.spice', { level: t('spice.' + line.spiceLevel) })}</div>}
              {line.notes && <div class="muted small">{t('cart.note', { note: line.notes })}</div>}
              {family && <div class="small added-by">{t('cart.addedBy', { name: addedByLabel(line, g?.deviceId) })}</div>}
              {soldOut && (
                <div class="small soldout-flag" role="note">
                  {t('cart.soldOut')}
                </div>
              )}
              <div class="spread cart-line-actions">
                <Stepper
                  value={line.quantity}
                  min={1}
                  max={50}
                  onChange={(q) => void setLineQuantity(line.lineId, q)}
                  label={t('item.quantityOf', { name })}
                  decreaseLabel={t('item.less')}
                  increaseLabel={t('item.more')}
                  disabled={state !== 'idle'}
                />
                <Button variant="danger" onClick={() => void removeLine(line.lineId)} aria-label={t('cart.remove', { name })} disabled={state !== 'idle'}>
                  <svg aria-hidden="true" viewBox="0 0 24 24" width="22" height="22" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round">
                    <path d="M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13M10 11v6M14 11v6" />
                  </svg>
                </Button>
              </div>
            </li>
          );
        })}
      </ul>
      <dl class="totals">
        <div class="spread">
          <dt>{t('cart.subtotal')}</dt>
          <dd class="num">{price(c.subtotal)}</dd>
        </div>
        <div class="spread">
          <dt>{t('cart.tax')}</dt>
          <dd class="num">{price(c.tax)}</dd>
        </div>
        <div class="spread total">
          <dt>{t('cart.total')}</dt>
          <dd class="num">{price(c.total)}</dd>
        </div>
      </dl>
      <div class="place-bar">
        {unavailable.size > 0 && <Banner tone="warn">{t('cart.removeSoldOut')}</Banner>}
        <PlacementStatus />
        {state !== 'unknown' && (
          <Button size="lg" block busy={state !== 'idle'} disabled={unavailable.size > 0} onClick={() => void placeOrder()}>
            {state === 'idle' ? t('cart.place', { total: price(c.total) }) : t('cart.placing')}
          </Button>
        )}
      </div>
    </section>
  );
}

function PlacementStatus() {
  const state = placeState.value;
  if (state === 'retrying') return <Banner tone="warn">{t('cart.retrying')}</Banner>;
  if (state === 'unknown')
    return (
      <Banner
        tone="warn"
        action={
          <Button variant="secondary" onClick={() => void resumePendingOrder()}>
            {t('cart.checkAgain')}
          </Button>
        }
      >
        {t('cart.unknown')}
      </Banner>
    );
  return null;
}
