/**
 * Kitchen display entry (served at /kitchen). Resumes a signed-in tablet through GET /api/staff/me
 * (the HttpOnly staff cookie does the rest); otherwise shows the shared staff sign-in.
 */
import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import '../shared/base.css';
import './kitchen.css';
import './messages.ts';
import { createApiClient, isApiError, type ApiClient } from '../shared/api.ts';
import { config, loadConfig } from '../shared/config.ts';
import { LangSwitch, Spinner } from '../shared/components.tsx';
import { keepTitle, lang, t } from '../shared/i18n.ts';
import { StaffSignIn } from '../shared/staff-sign-in.tsx';
import { KitchenBoardView } from './app.tsx';
import { createKitchen } from './store.ts';

type Phase = 'checking' | 'signin' | 'board';

function App({ api }: { api: ApiClient }) {
  const [phase, setPhase] = useState<Phase>('checking');
  const kitchen = useMemo(() => createKitchen(api, config.value.wsUrl || '/ws'), [api]);

  useEffect(() => {
    const unsubscribe = api.onAuthError(() => setPhase('signin'));
    let cancelled = false;
    const check = async (attempt = 0): Promise<void> => {
      try {
        await api.get('/staff/me');
        if (!cancelled) setPhase('board');
      } catch (caught) {
        if (cancelled) return;
        if (isApiError(caught) && (caught.isAuth || caught.status === 403)) setPhase('signin');
        else setTimeout(() => void check(attempt + 1), Math.min(10_000, 1_000 * 2 ** attempt));
      }
    };
    void check();
    return () => {
      cancelled = true;
      unsubscribe();
    };
  }, [api]);

  if (phase === 'checking') {
    return (
      <main class="k-center">
        <Spinner />
      </main>
    );
  }
  if (phase === 'signin') {
    // The language picked here stays with the tablet (the board itself has no room for the switch).
    return (
      <>
        <div class="k-signin-lang">
          <LangSwitch />
        </div>
        <StaffSignIn api={api} title={t('kitchen.title')} onSignedIn={() => setPhase('board')} />
      </>
    );
  }
  return (
    <KitchenBoardView
      kitchen={kitchen}
      onSignOut={() => {
        void api.post('/staff/logout', {}).catch(() => undefined);
        setPhase('signin');
      }}
    />
  );
}

// The tablet's kept language from the first paint: screen readers pick their voice by it (switching sets it too).
document.documentElement.lang = lang.value;
keepTitle(() => `${t('kitchen.title')} · Plato`);

void loadConfig()
  .catch(() => undefined)
  .then((cfg) => render(<App api={createApiClient(cfg?.apiBase ?? '/api')} />, document.getElementById('app')!));
