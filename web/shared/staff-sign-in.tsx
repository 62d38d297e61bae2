/**
 * Staff sign-in form shared by the kitchen display and the staff console: POST /api/staff/login
 * sets the HttpOnly staff cookie; the returned role is all the app keeps (in memory).
 */
import { useState } from 'preact/hooks';
import type { ApiClient } from './api.ts';
import { Banner, Button, Field } from './components.tsx';
import { errorText } from './error-text.ts';
import { t } from './i18n.ts';
import type { StaffLoginResponse } from './types.ts';

export function StaffSignIn({ api, title, onSignedIn }: { api: ApiClient; title: string; onSignedIn: (login: StaffLoginResponse) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const login = await api.post<StaffLoginResponse>('/staff/login', { username, password });
      onSignedIn(login);
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    // A light card: its text takes the surface's colour, not the page's (the kitchen's page text is light on dark).
    <main class="card" style={{ maxWidth: '420px', margin: '10vh auto', padding: 'var(--space-5)', color: 'var(--c-text)' }}>
      <h1>{title}</h1>
      {error && <Banner tone="error">{error}</Banner>}
      <form onSubmit={submit}>
        <Field label={t('common.username')} autoComplete="username" value={username} required onInput={(e) => setUsername(e.currentTarget.value)} />
        <Field label={t('common.password')} type="password" autoComplete="current-password" value={password} required onInput={(e) => setPassword(e.currentTarget.value)} />
        <Button type="submit" size="lg" block busy={busy}>
          {t('common.signIn')}
        </Button>
      </form>
    </main>
  );
}
