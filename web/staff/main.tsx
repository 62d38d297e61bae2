/**
 * Staff console entry (served at /staff). A signed-in device resumes through GET /api/staff/me (the
 * HttpOnly staff cookie does the rest); otherwise the shared staff sign-in. Waiters, managers and
 * admins use the console; kitchen accounts are sent to the kitchen display.
 */
import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import '../shared/base.css';
import './staff.css';
import './messages.ts';
import { createApiClient, isApiError, type ApiClient } from '../shared/api.ts';
import { config, loadConfig } from '../shared/config.ts';
import { Button, LangSwitch, Spinner } from '../shared/components.tsx';
import { keepTitle, lang, t } from '../shared/i18n.ts';
import { StaffSignIn } from '../shared/staff-sign-in.tsx';
import { StaffApp } from './app.tsx';
import { ConsoleProvider } from './console.ts';
import { createStaffConsole } from './store.ts';
import { roleAtLeast } from '../../functions/core/roles.ts';

import type { StaffMe } from './types.ts';

type Phase = { name: 'checking' } | { name: 'signin' } | { name: 'kitchen'; me: StaffMe } | { name: 'console'; me: StaffMe };

function App({ api }: { api: ApiClient }) {
  const [phase, setPhase] = useState<Phase>({ name: 'checking' });
  const staff = useMemo(() => createStaffConsole(api, config.value.wsUrl || '/ws'), [api]);

  useEffect(() => {
    document.documentElement.lang = lang.value;
  }, [lang.value]);

  useEffect(() => {
    const unsubscribe = api.onAuthError(() => {
      staff.stop();
      setPhase({ name: 'signin' });
    });
    let cancelled = false;
    const check = async (attempt = 0): Promise<void> => {
      try {
        const me = await api.get<StaffMe>('/staff/me');
        if (!cancelled) enter(me);
      } catch (caught) {
        if (cancelled) return;
        if (isApiError(caught) && (caught.isAuth || caught.status === 403)) setPhase({ name: 'signin' });
        else setTimeout(() => void check(attempt + 1), Math.min(10_000, 1_000 * 2 ** attempt));
      }
    };
    void check();
    return () => {
      cancelled = true;
      unsubscribe();
      staff.stop();
    };
  }, [api]);

  function enter(me: StaffMe): void {
    if (!roleAtLeast(me.role, 'WAITER')) {
      setPhase({ name: 'kitchen', me });
      return;
    }
    staff.start(me);
    setPhase({ name: 'console', me });
  }

  async function signOut(): Promise<void> {
    staff.stop();
    setPhase({ name: 'signin' });
    await api.post('/staff/logout', {}).catch(() => undefined);
  }

  switch (phase.name) {
    case 'checking':
      return (
        <main class="s-center">
          <Spinner label={t('common.loading')} />
        </main>
      );
    case 'signin':
      return (
        <>
          <div class="s-signin-lang">
            <LangSwitch />
          </div>
          <StaffSignIn
            api={api}
            title={t('staff.title')}
            onSignedIn={async (login) => {
              // The login answer has the role; /me adds the name. A network blip here still lets us in.
              const me = await api.get<StaffMe>('/staff/me').catch(() => ({ userId: '', username: '', role: login.role, restaurantId: login.restaurantId }));
              enter(me);
            }}
          />
        </>
      );
    case 'kitchen':
      return (
        <main class="card s-kitchen-note" data-testid="kitchen-account">
          <h1>{t('staff.title')}</h1>
          <p>{t('staff.kitchenAccount')}</p>
          <div class="row">
            <a class="btn btn-primary" href="/kitchen">
              {t('staff.goToKitchen')}
            </a>
            <Button variant="secondary" onClick={() => void signOut()}>
              {t('common.signOut')}
            </Button>
          </div>
        </main>
      );
    case 'console':
      return (
        <ConsoleProvider value={staff}>
          <StaffApp onSignOut={() => void signOut()} />
        </ConsoleProvider>
      );
  }
}

keepTitle(() => `${t('staff.title')} · Plato`);

void loadConfig()
  .catch(() => undefined)
  .then((cfg) => render(<App api={createApiClient(cfg?.apiBase ?? '/api')} />, document.getElementById('app')!));
