/**
 * The table's PIN in very large digits, right after the table was opened or the PIN regenerated
 * (the only times the server reveals it). Regenerating asks first: the old PIN stops working.
 */
import { useEffect, useRef } from 'preact/hooks';
import { Button } from '../shared/components.tsx';
import { time } from '../shared/format.ts';
import { t } from '../shared/i18n.ts';
import { useConsole } from './console.ts';
import type { ConfirmRequest } from './dialogs.tsx';
import { LockoutNotice } from './lockout.tsx';
import type { FloorTable } from './types.ts';

export function PinCard({ table, ask }: { table: FloorTable; ask: (request: ConfirmRequest) => void }) {
  const c = useConsole();
  const session = table.session!;
  const shown = c.pins.value.get(session.sessionId);
  const ref = useRef<HTMLDivElement>(null);

  // A new PIN takes focus so a screen reader reads it out at once.
  useEffect(() => {
    if (shown) ref.current?.focus({ preventScroll: false });
  }, [shown?.pin, shown?.at]);

  const regenerate = () =>
    ask({
      title: t('staff.pin.regenerateTitle', { table: table.number }),
      body: <p>{t('staff.pin.regenerateBody')}</p>,
      confirmLabel: t('staff.pin.regenerate'),
      run: async () => {
        await c.regeneratePin(session.sessionId);
      },
    });

  return (
    <section class="s-card s-pin-card" aria-labelledby="pin-title" data-testid="pin-card">
      <div class="spread">
        <h3 id="pin-title">{t('staff.pin.title')}</h3>
        {shown && (
          <Button variant="ghost" onClick={() => c.hidePin(session.sessionId)} data-testid="hide-pin">
            {t('staff.pin.hide')}
          </Button>
        )}
      </div>
      <LockoutNotice table={table} />
      {shown ? (
        <div ref={ref} tabIndex={-1} class="s-pin-region">
          <p class="s-pin" data-testid="pin-display" aria-label={t('staff.pin.aria', { digits: shown.pin.split('').join(' ') })}>
            {shown.pin.split('').map((digit, index) => (
              <span key={index} class="s-pin-digit" aria-hidden="true">
                {digit}
              </span>
            ))}
          </p>
          <p class="s-pin-note">
            {shown.regenerated ? t('staff.pin.newNote', { time: time(new Date(shown.at).toISOString()) }) : t('staff.pin.tellGuests')}
          </p>
          <p class="muted s-pin-note">{t('staff.pin.onlyNow')}</p>
        </div>
      ) : (
        <p class="muted">{t('staff.pin.hidden')}</p>
      )}
      <div class="row s-wrap">
        <Button variant="secondary" onClick={regenerate} data-testid="regenerate-pin">
          {t('staff.pin.regenerate')}
        </Button>
        {!shown && <span class="field-hint">{t('staff.pin.regenerateHint')}</span>}
      </div>
    </section>
  );
}
