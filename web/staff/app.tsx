/** The staff console's shell: header with the live state, the three sections, the toast region. */
import { useEffect, useRef } from 'preact/hooks';
import { Banner, Button, LangSwitch } from '../shared/components.tsx';
import { config } from '../shared/config.ts';
import { t } from '../shared/i18n.ts';
import { FloorView } from './floor-view.tsx';
import { MenuAdmin } from './menu-admin.tsx';
import { QrSheetView } from './qr-sheet.tsx';
import { ReportsView } from './reports-view.tsx';
import { useConsole } from './console.ts';
import { noticeText, type View } from './store.ts';
import { roleAtLeast } from '../../functions/core/roles.ts';
import { TeamAdmin } from './team-admin.tsx';
import type { StaffRole } from '../shared/types.ts';

const VIEWS: { id: View; label: string; minRole?: StaffRole }[] = [
  { id: 'floor', label: 'staff.nav.floor' },
  { id: 'menu', label: 'staff.nav.menu' },
  { id: 'qr', label: 'staff.nav.qr' },
  { id: 'reports', label: 'staff.nav.reports', minRole: 'MANAGER' },
  { id: 'team', label: 'staff.nav.team', minRole: 'ADMIN' },
];

export function StaffApp({ onSignOut }: { onSignOut: () => void }) {
  const c = useConsole();
  const mainRef = useRef<HTMLElement>(null);
  const view = c.view.value;

  // A new section moves focus to its content, so keyboard and screen-reader users follow.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    mainRef.current?.focus({ preventScroll: true });
  }, [view]);

  return (
    <div class="s-app">
      <header class="s-header no-print">
        <div class="s-brand">
          <span class="s-title">{config.value.name || 'Plato'}</span>
          <span class="muted s-subtitle">{t('staff.title')}</span>
        </div>
        <nav class="s-nav" aria-label={t('staff.nav.label')}>
          {VIEWS.filter((each) => !each.minRole || roleAtLeast(c.role.value, each.minRole)).map((each) => (
            <button
              key={each.id}
              type="button"
              class={'s-tab' + (view === each.id ? ' is-active' : '')}
              aria-current={view === each.id ? 'page' : undefined}
              data-testid={`nav-${each.id}`}
              onClick={() => (c.view.value = each.id)}
            >
              {t(each.label)}
            </button>
          ))}
        </nav>
        <div class="s-header-end">
          <LiveDot />
          <span class="s-user" title={c.me.value?.username}>
            <span class="visually-hidden">{t('staff.signedInAs')} </span>
            {c.me.value?.username} · {t('staff.role.' + (c.me.value?.role ?? 'WAITER'))}
          </span>
          <LangSwitch />
          <Button variant="secondary" onClick={onSignOut} data-testid="sign-out">
            {t('common.signOut')}
          </Button>
        </div>
      </header>
      {c.stale.value && !c.connecting.value && c.loaded.value && (
        <div class="no-print">
          <Banner
            tone="warn"
            sticky
            action={
              <Button variant="secondary" onClick={() => c.socket.value?.reconnectNow()}>
                {t('staff.reconnectNow')}
              </Button>
            }
          >
            {t('common.stale')}
          </Banner>
        </div>
      )}
      <div class="s-toasts no-print" aria-live="polite" aria-atomic="true">
        {c.notice.value && (
          <div key={c.notice.value.id} class={'s-toast banner banner-' + c.notice.value.tone} data-testid="notice">
            {noticeText(c.notice.value)}
          </div>
        )}
      </div>
      <main ref={mainRef} tabIndex={-1} class="s-main" aria-label={t(VIEWS.find((each) => each.id === view)!.label)}>
        {view === 'floor' && <FloorView />}
        {view === 'menu' && <MenuAdmin />}
        {view === 'qr' && <QrSheetView />}
        {view === 'reports' && roleAtLeast(c.role.value, 'MANAGER') && <ReportsView />}
        {view === 'team' && roleAtLeast(c.role.value, 'ADMIN') && <TeamAdmin />}
      </main>
    </div>
  );
}

function LiveDot() {
  const c = useConsole();
  const live = !c.stale.value;
  const connecting = !live && c.connecting.value;
  return (
    <span class={'s-live ' + (live ? 'is-live' : connecting ? 'is-connecting' : 'is-down')} role="status" data-testid="live-state">
      <span class="s-live-dot" aria-hidden="true" />
      {live ? t('staff.live') : connecting ? t('staff.connecting') : t('staff.offline')}
    </span>
  );
}
