/**
 * A table whose PIN is being guessed: how many wrong PINs in the current window, and when a lockout
 * ends (guests cannot join until then). "New PIN" lifts it in one tap: the new PIN starts afresh
 * and shows in the table panel, to read out to the guests.
 */
import { useState } from 'preact/hooks';
import { Button } from '../shared/components.tsx';
import { time } from '../shared/format.ts';
import { t } from '../shared/i18n.ts';
import { useConsole } from './console.ts';
import { describeError } from './store.ts';
import type { FloorTable } from './types.ts';

export type FloorLockout = NonNullable<NonNullable<FloorTable['session']>['lockout']>;

/** "Locked until 14:32 · 5 wrong PINs", or "3 of 5 wrong PINs". */
export function lockoutText(lockout: FloorLockout): string {
  return lockout.lockedUntil
    ? t('staff.lockout.locked', { time: time(lockout.lockedUntil), n: lockout.attempts })
    : t('staff.lockout.attempts', { n: lockout.attempts, limit: lockout.limit });
}

/** The lockout line with its one-tap "New PIN" (floor card, `openPanel`, and table panel). */
export function LockoutNotice({ table, openPanel = false }: { table: FloorTable; openPanel?: boolean }) {
  const c = useConsole();
  const [busy, setBusy] = useState(false);
  const session = table.session;
  const lockout = session?.lockout;
  if (!session || !lockout) return null;

  async function renew() {
    setBusy(true);
    try {
      await c.regeneratePin(session!.sessionId);
      if (openPanel) c.selectedTableId.value = table.tableId;
      void c.load();
    } catch (error) {
      c.flash('error', describeError(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class={'s-lockout' + (lockout.lockedUntil ? ' is-locked' : '')} role="status" data-testid={`lockout-${table.number}`}>
      <span>{lockoutText(lockout)}</span>
      {/* The floor card has room for the line and the button only: the panel says what to do. */}
      {lockout.lockedUntil && !openPanel && <span class="muted">{t('staff.lockout.help')}</span>}
      <Button variant={lockout.lockedUntil ? 'primary' : 'secondary'} busy={busy} onClick={renew} data-testid={`lockout-new-pin-${table.number}`}>
        {t('staff.pin.regenerate')}
      </Button>
    </div>
  );
}
