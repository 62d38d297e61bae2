/**
 * PIN entry: a numeric keypad (and the phone's own keyboard), attempts left, lockout countdown. A
 * locked table keeps the keypad usable: the waiter's new PIN lifts the lockout at once.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { Banner, Button } from '../shared/components.tsx';
import { errorText } from '../shared/error-text.ts';
import { formatCountdown } from '../shared/format.ts';
import { t } from '../shared/i18n.ts';
import { join } from './session.ts';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** Kept across remounts (the sheet and the page share it) so a lockout survives switching views. */
let blockedUntil = 0;

export function PinEntry({ expired, headingLevel = 1 }: { expired?: boolean; headingLevel?: 1 | 2 }) {
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [now, setNow] = useState(Date.now());
  const input = useRef<HTMLInputElement>(null);
  const secondsLeft = Math.max(0, Math.ceil((blockedUntil - now) / 1000));
  const locked = secondsLeft > 0;

  useEffect(() => {
    if (!locked) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [locked]);

  useEffect(() => {
    if (!locked && blockedUntil) setError(undefined);
  }, [locked]);

  useEffect(() => input.current?.focus(), []);

  async function submit(value: string) {
    if (value.length !== 4 || busy) return;
    setBusy(true);
    setError(undefined);
    const result = await join(value);
    setBusy(false);
    if (result.ok) {
      blockedUntil = 0;
      return;
    }
    setPin('');
    let e = result.error;
    const left = (e?.details as { attemptsLeft?: number } | undefined)?.attemptsLeft;
    if (e?.code === 'PIN_INVALID' && left === 0 && e.retryAfter === undefined) {
      // The last allowed failure starts the lockout on the server; its length comes with the next
      // answer, which the server refuses before counting (429 PIN_BLOCKED + Retry-After).
      const probe = await join(value);
      if (!probe.ok && probe.error?.code === 'PIN_BLOCKED') e = probe.error;
    }
    if (e?.code === 'PIN_INVALID' && left === 0 && e.retryAfter !== undefined) {
      blockedUntil = Date.now() + e.retryAfter * 1000;
      setNow(Date.now());
    } else if (e?.code === 'PIN_INVALID') {
      setError(left === undefined ? t('pin.invalidNoCount') : left === 1 ? t('pin.invalidOne') : t('pin.invalid', { n: left }));
    } else if (e?.code === 'PIN_BLOCKED' || e?.status === 429) {
      blockedUntil = Date.now() + (e.retryAfter ?? 900) * 1000;
      setNow(Date.now());
      setError(undefined);
    } else if (e?.code === 'NO_OPEN_SESSION') {
      setError(t('pin.noSession'));
    } else if (!e || e.isNetwork) {
      setError(t('common.networkError'));
    } else {
      setError(errorText(e));
    }
    input.current?.focus();
  }

  function update(next: string) {
    const digits = next.replace(/\D/g, '').slice(0, 4);
    setPin(digits);
    if (digits.length === 4) void submit(digits);
  }

  const Heading = headingLevel === 1 ? 'h1' : 'h2';
  return (
    <section class="pin" aria-labelledby="pin-title">
      {headingLevel === 1 && <Heading id="pin-title">{t('pin.title')}</Heading>}
      {headingLevel === 2 && <span id="pin-title" class="visually-hidden">{t('pin.title')}</span>}
      {expired && <Banner tone="info">{t('pin.expired')}</Banner>}
      <p class="muted" id="pin-help">
        {t('pin.help')}
      </p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void submit(pin);
        }}
      >
        <label for="pin-input" class="visually-hidden">
          {t('pin.label')}
        </label>
        <input
          ref={input}
          id="pin-input"
          class="input pin-input"
          inputMode="numeric"
          autoComplete="off"
          pattern="[0-9]*"
          maxLength={4}
          value={pin}
          aria-describedby="pin-help pin-status"
          aria-invalid={error ? 'true' : undefined}
          onInput={(event) => update(event.currentTarget.value)}
        />
        <div id="pin-status" class="pin-status" aria-live="polite">
          {locked ? (
            <Banner tone="error">{t('pin.blocked', { time: formatCountdown(secondsLeft) })}</Banner>
          ) : error ? (
            <Banner tone="error">{error}</Banner>
          ) : (
            <span class="visually-hidden">{t('pin.progress', { n: pin.length })}</span>
          )}
        </div>
        <div class="keypad">
          {KEYS.map((key) => (
            <Button key={key} variant="secondary" size="lg" disabled={busy} onClick={() => update(pin + key)} aria-label={t('pin.digit', { d: key })}>
              {key}
            </Button>
          ))}
          <Button variant="ghost" size="lg" disabled={busy || !pin} onClick={() => setPin('')}>
            {t('pin.clear')}
          </Button>
          <Button variant="secondary" size="lg" disabled={busy} onClick={() => update(pin + '0')} aria-label={t('pin.digit', { d: 0 })}>
            0
          </Button>
          <Button variant="ghost" size="lg" disabled={busy || !pin} onClick={() => setPin(pin.slice(0, -1))} aria-label={t('pin.delete')}>
            <span aria-hidden="true">⌫</span>
          </Button>
        </div>
        <Button type="submit" size="lg" block busy={busy} disabled={pin.length !== 4}>
          {t('pin.submit')}
        </Button>
      </form>
    </section>
  );
}
