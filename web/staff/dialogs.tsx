/**
 * Confirmation dialogs on the shared Sheet (native modal <dialog>: focus trapped, Esc closes, focus
 * returns to the opener). Irreversible actions — payments, closing a table, a new PIN — go through
 * one, with the server's refusal shown inside it rather than lost in a toast.
 */
import type { ComponentChildren } from 'preact';
import { useId, useState } from 'preact/hooks';
import { Banner, Button, Sheet } from '../shared/components.tsx';
import { t } from '../shared/i18n.ts';
import { useBusyAction } from './busy-action.ts';

export interface ConfirmRequest {
  title: string;
  body: ComponentChildren;
  confirmLabel: string;
  tone?: 'primary' | 'danger';
  /** A reason to type before confirming: required (reject) or optional (cancel). */
  reason?: { label: string; required: boolean; maxLength?: number };
  /** Runs the action; a thrown error stays in the dialog. Resolve to close it. */
  run: (reason: string) => Promise<void>;
  /** Turns a refusal into a clearer sentence (e.g. the 403 for closing an unpaid table). */
  explain?: (error: unknown) => string | undefined;
}

export function ConfirmDialog({ request, onClose }: { request: ConfirmRequest | undefined; onClose: () => void }) {
  const { busy, error, setError, run } = useBusyAction();
  const [reason, setReason] = useState('');
  const reasonId = useId();

  const close = () => {
    if (busy) return;
    setError(undefined);
    setReason('');
    onClose();
  };

  async function submit(event: Event) {
    event.preventDefault();
    if (!request || busy) return;
    if (request.reason?.required && !reason.trim()) {
      setError(t('staff.reasonRequired'));
      return;
    }
    await run(async () => {
      await request.run(reason.trim());
      setReason('');
      onClose();
    }, request.explain);
  }

  return (
    <Sheet open={Boolean(request)} title={request?.title ?? ''} onClose={close}>
      {request && (
        <form onSubmit={submit} data-testid="confirm-dialog">
          <div class="s-dialog-body">{request.body}</div>
          {request.reason && (
            <div class="field">
              <label for={reasonId}>{request.reason.label}</label>
              <textarea
                id={reasonId}
                class="input"
                required={request.reason.required}
                maxLength={request.reason.maxLength ?? 200}
                value={reason}
                onInput={(e) => setReason(e.currentTarget.value)}
              />
            </div>
          )}
          {error && (
            <Banner tone="error">
              <span data-testid="confirm-error">{error}</span>
            </Banner>
          )}
          <div class="s-dialog-actions">
            <Button variant="secondary" onClick={close} disabled={busy}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" variant={request.tone === 'danger' ? 'danger' : 'primary'} busy={busy} data-testid="confirm-action">
              {request.confirmLabel}
            </Button>
          </div>
        </form>
      )}
    </Sheet>
  );
}
