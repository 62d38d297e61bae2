/** The diner app shell: header, live-state banners, the four sections and the bottom navigation. */
import { useEffect, useRef } from 'preact/hooks';
import { Banner, Button, LangSwitch, Sheet, Spinner } from '../shared/components.tsx';
import { t } from '../shared/i18n.ts';
import { BillView } from './bill.tsx';
import { CartView } from './cart.tsx';
import { Identify } from './identify.tsx';
import { MenuView } from './menu.tsx';
import { OrdersView } from './orders.tsx';
import { PinEntry } from './pin.tsx';
import { cartCount, guest, linkedTable, menu, needPin, notice, orders, phase, socketStale, tab, wordsText, type Tab } from './store.ts';

export function App() {
  const p = phase.value;
  const mainRef = useRef<HTMLElement>(null);

  // Each new screen or section moves focus to its content, so screen readers follow the flow.
  useEffect(() => {
    mainRef.current?.focus({ preventScroll: true });
    globalThis.scrollTo?.(0, 0);
  }, [p, tab.value]);

  return (
    <>
      <Header />
      {socketStale.value && p === 'ready' && (
        <Banner tone="warn" sticky>
          {t('common.offline')}
        </Banner>
      )}
      <div class="toast-region" aria-live="polite" aria-atomic="true">
        {notice.value && (
          <div key={notice.value.id} class={'toast banner banner-' + notice.value.tone}>
            {wordsText(notice.value.words)}
          </div>
        )}
      </div>
      <main ref={mainRef} tabIndex={-1} class={'main' + (p === 'ready' ? ' with-nav' : '')}>
        <Screen />
      </main>
      {p === 'ready' && <BottomNav />}
      <Sheet open={needPin.value} title={t('pin.title')}>
        <PinEntry expired headingLevel={2} />
      </Sheet>
    </>
  );
}

function Screen() {
  switch (phase.value) {
    case 'boot':
      return (
        <div class="page center">
          <Spinner label={t('common.loading')} />
        </div>
      );
    case 'noTable':
      return (
        <section class="page">
          <h1>{t('noTable.title')}</h1>
          <p>{t('noTable.body')}</p>
        </section>
      );
    case 'unknownTable':
      return (
        <section class="page" data-testid="unknown-table">
          <h1>{t('unknownTable.title')}</h1>
          <p>{t('unknownTable.body')}</p>
        </section>
      );
    case 'visitEnded':
      return (
        <section class="page" data-testid="visit-ended">
          <h1>{t('closed.title')}</h1>
          <p>{t('pin.visitEnded')}</p>
          <Button onClick={() => (phase.value = 'pin')}>{t('visitEnded.newPin')}</Button>
        </section>
      );
    case 'bootError':
      return (
        <section class="page">
          <Banner tone="error">{t('boot.error')}</Banner>
          <Button onClick={() => location.reload()}>{t('common.retry')}</Button>
        </section>
      );
    case 'pin':
      return (
        <div class="page narrow">
          <PinEntry />
        </div>
      );
    case 'identify':
      return (
        <div class="page narrow">
          <Identify />
        </div>
      );
    case 'closed':
      return (
        <section class="page center">
          <h1>{t('closed.title')}</h1>
          <p>{t('closed.body')}</p>
        </section>
      );
    case 'ready':
      switch (tab.value) {
        case 'menu':
          return <MenuView />;
        case 'cart':
          return <CartView />;
        case 'orders':
          return <OrdersView />;
        case 'bill':
          return <BillView />;
      }
  }
}

/**
 * The restaurant and the table. Both lines are always there (a no-break space until known), so the
 * header keeps its height when the menu's name or the table arrives: on a slow phone that happens
 * more than half a second after the PIN's last digit, where it would count as a layout shift. The
 * table shows from the QR link's status already on the PIN keypad.
 */
function Header() {
  const table = guest.value?.table ?? linkedTable.value;
  const name = menu.value?.restaurant.name;
  return (
    <header class="top">
      <div class="top-title">
        <span class="brand">{name ?? '\u00a0'}</span>
        <span class="muted small">
          {!table ? '\u00a0' : table.floor ? t('app.tableFloor', { number: table.number, floor: table.floor }) : t('app.table', { number: table.number })}
        </span>
      </div>
      <LangSwitch />
    </header>
  );
}

/** Stroke icons (24×24 paths), drawn inline: no icon font, no emoji that a phone may lack. */
const ICONS = {
  menu: 'M4 6h16M4 12h16M4 18h10',
  cart: 'M3 4h2l2.4 10.2a1 1 0 0 0 1 .8h8.9a1 1 0 0 0 1-.8L20 8H6.2M9 20h.01M17 20h.01',
  orders: 'M6 3v8a3 3 0 0 0 6 0V3M9 3v18M17 3c-1.7 0-3 2.2-3 5s1.3 4 3 4v9',
  bill: 'M6 2h12v20l-3-2-3 2-3-2-3 2zM9 7h6M9 11h6M9 15h4',
};

function BottomNav() {
  const active = tab.value;
  const count = cartCount.value;
  const waiting = orders.value.some((o) => o.status !== 'completed' && o.status !== 'cancelled');
  const item = (id: Tab, label: string, icon: string, badge?: string, aria?: string) => (
    <li>
      <button type="button" class={'nav-btn' + (active === id ? ' nav-on' : '')} aria-current={active === id ? 'page' : undefined} aria-label={aria} onClick={() => (tab.value = id)}>
        <span aria-hidden="true" class="nav-icon">
          <svg viewBox="0 0 24 24" width="24" height="24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
            <path d={icon} />
          </svg>
          {/* Drawn by CSS from data-badge: the button's text stays its label ("Cart"), which its
              accessible name ("Cart, 3 items") contains (WCAG 2.5.3 label in name). */}
          {badge && <span class="nav-badge" data-badge={badge} />}
        </span>
        <span>{label}</span>
      </button>
    </li>
  );
  return (
    <nav class="bottom-nav" aria-label={t('nav.label')}>
      <ul>
        {item('menu', t('nav.menu'), ICONS.menu)}
        {item('cart', t('nav.cart'), ICONS.cart, count ? String(count) : undefined, count ? t('nav.cartCount', { n: count }) : undefined)}
        {item('orders', t('nav.orders'), ICONS.orders, waiting ? '•' : undefined)}
        {item('bill', t('nav.bill'), ICONS.bill)}
      </ul>
    </nav>
  );
}

