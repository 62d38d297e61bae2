/**
 * Optional name and 10-digit phone (POST /api/customers/identify); where the restaurant verifies
 * numbers, then the 6-digit code texted to it (POST /api/customers/verify). Skippable at each step:
 * the name is on the orders either way, the restaurant only recognises a verified number.
 */
import { useState } from 'preact/hooks';
import { Banner, Button, Field } from '../shared/components.tsx';
import { t } from '../shared/i18n.ts';
import { identify, skipIdentify, verifyPhone } from './session.ts';
import { codeSent } from './store.ts';

export const PHONE_PATTERN = /^[0-9]{10}$/;

export function Identify() {
  return codeSent.value ? <CodeEntry phone={codeSent.value.phone} /> : <NameAndPhone />;
}

function CodeEntry({ phone }: { phone: string }) {
  const [code, setCode] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    if (!/^\d{6}$/.test(code)) {
      setFailure(t('identify.codeInvalid'));
      return;
    }
    setBusy(true);
    setFailure(await verifyPhone(code));
    setBusy(false);
  }

  return (
    <section class="page" aria-labelledby="code-title">
      <h1 id="code-title">{t('identify.codeTitle')}</h1>
      <p class="muted">{t('identify.codeHelp', { phone })}</p>
      {failure && <Banner tone="error">{failure}</Banner>}
      <form onSubmit={submit} noValidate>
        <Field
          label={t('identify.code')}
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          value={code}
          onInput={(e) => setCode(e.currentTarget.value.replace(/\D/g, '').slice(0, 6))}
        />
        <div class="stack">
          <Button type="submit" size="lg" block busy={busy}>
            {t('identify.codeSubmit')}
          </Button>
          <Button variant="secondary" size="lg" block onClick={skipIdentify}>
            {t('identify.codeSkip')}
          </Button>
        </div>
      </form>
    </section>
  );
}

function NameAndPhone() {
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [errors, setErrors] = useState<{ name?: string; phone?: string }>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    const next = {
      name: name.trim() ? undefined : t('identify.nameInvalid'),
      phone: PHONE_PATTERN.test(phone) ? undefined : t('identify.phoneInvalid'),
    };
    setErrors(next);
    if (next.name || next.phone) return;
    setBusy(true);
    setFailure(await identify(name.trim(), phone));
    setBusy(false);
  }

  return (
    <section class="page" aria-labelledby="identify-title">
      <h1 id="identify-title">{t('identify.title')}</h1>
      <p class="muted">{t('identify.help')}</p>
      {failure && <Banner tone="error">{failure}</Banner>}
      <form onSubmit={submit} noValidate>
        <Field label={t('identify.name')} autoComplete="name" maxLength={60} value={name} error={errors.name} onInput={(e) => setName(e.currentTarget.value)} />
        <Field
          label={t('identify.phone')}
          type="tel"
          inputMode="numeric"
          autoComplete="tel-national"
          maxLength={10}
          value={phone}
          error={errors.phone}
          onInput={(e) => setPhone(e.currentTarget.value.replace(/\D/g, '').slice(0, 10))}
        />
        <div class="stack">
          <Button type="submit" size="lg" block busy={busy}>
            {t('identify.submit')}
          </Button>
          <Button variant="secondary" size="lg" block onClick={skipIdentify}>
            {t('identify.skip')}
          </Button>
        </div>
      </form>
    </section>
  );
}
