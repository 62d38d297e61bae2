/**
 * Staff console: a sign-in shell on the shared pieces, to be replaced by the full app (issue 8).
 */
import { render } from 'preact';
import { useState } from 'preact/hooks';
import '../shared/base.css';
import { createApiClient } from '../shared/api.ts';
import { loadConfig } from '../shared/config.ts';
import { StaffSignIn } from '../shared/staff-sign-in.tsx';
import type { StaffLoginResponse } from '../shared/types.ts';

function App({ api }: { api: ReturnType<typeof createApiClient> }) {
  const [login, setLogin] = useState<StaffLoginResponse>();
  if (!login) return <StaffSignIn api={api} title="Staff console" onSignedIn={setLogin} />;
  return (
    <main class="card" style={{ maxWidth: '420px', margin: '10vh auto' }}>
      <h1>Staff console</h1>
      <p>Signed in ({login.role}).</p>
    </main>
  );
}

void loadConfig()
  .catch(() => undefined)
  .then((cfg) => render(<App api={createApiClient(cfg?.apiBase ?? '/api')} />, document.getElementById('app')!));
