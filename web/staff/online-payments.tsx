/**
 * The table's online payments on the staff bill: each payment's state, its refunds and any flag a
 * webhook raised (an amount or currency that differs from what Plato asked for: never counted as
 * paid). A MANAGER refunds a paid payment, fully or in part, with a reason, and can ask the provider
 * about payments still open ("Check payments", the same pass the 5-minute schedule makes).
 */
import { useId, useState } from 'preact/hooks';
import { Banner, Button, Sheet } from '../shared/components.tsx';
import { config } from '../shared/config.ts';
import { minorDigits, money, time } from '../shared/format.ts';
import { guestLabel } from '../shared/guest-name.ts';
import { t } from '../shared/i18n.ts';
import { useConsole } from './console.ts';
import { formatMoneyInput, parseMoneyInput } from './money-input.ts';
import { describeError } from './store.ts';
import { roleAtLeast } from '../../functions/core/roles.ts';

import { useBusyAction } from './busy-action.ts';
import type { OnlinePayment } from './types.ts';

const STATUS_TONE: Record<string, string> = { paid: 'badge-success', pending: 'badge-warn', authorized: 'badge-info', failed: 'badge-danger', expired: '', cancelled: '' };
const REFUND_TONE: Record<string, string> = { processed: 'badge-success', failed: 'badge-danger' };

/** "₹120.00", or "120.00 USD" when the provider reported another currency than the restaurant's. */
function reported(amountMinor: number | undefined, currency: string | undefined): string {
  if (amountMinor === undefined) return t('staff.online.unknownAmount');
  if (!currency || currency.toUpperCase() === config.value.currency.toUpperCase()) return money(amountMinor);
  return `${formatMoneyInput(amountMinor, minorDigits(currency.toUpperCase()))} ${currency.toUpperCase()}`;
}

export function OnlinePayments({ payments, tableNumber, onChanged }: { payments: OnlinePayment[]; tableNumber: string; onChanged: () => void }) {
  const c = useConsole();
  const isManager = roleAtLeast(c.role.value, 'MANAGER');
  const [refunding, setRefunding] = useState<OnlinePayment>();
  const [checking, setChecking] = useState(false);
  if (payments.length === 0) return null;

  async function check() {
    setChecking(true);
    try {
      const report = await c.checkPayments();
      c.flash(report.errors > 0 ? 'warn' : 'success', () => t('staff.online.checked', { checked: report.checked, changed: report.changed.length, errors: report.errors }));
      onChanged();
    } catch (caught) {
      c.flash('error', () => describeError(caught));
    } finally {
      setChecking(false);
    }
  }

  const open = payments.some((payment) => payment.status === 'pending' || payment.status === 'authorized');
  return (
    <section class="s-online" aria-labelledby="online-title" data-testid="online-payments">
      <div class="spread">
        <h4 id="online-title">{t('staff.online.title')}</h4>
        {isManager && open && (
          <Button variant="ghost" busy={checking} onClick={() => void check()} data-testid="check-payments">
            {t('staff.online.check')}
          </Button>
        )}
      </div>
      <ul class="s-online-list">
        {payments.map((payment) => {
          const left = payment.amount - payment.refunded;
          return (
            <li key={payment.intentId} class="s-online-item" data-testid="online-payment" data-status={payment.status} data-flagged={payment.flags.length > 0 ? 'true' : undefined}>
              <div class="spread">
                <span>
                  {guestLabel(undefined, payment.deviceId)} · {t('staff.online.scope.' + payment.scope)} <span class="muted">· {time(payment.createdAt)}</span>
                </span>
                <span class="num">{money(payment.amount)}</span>
              </div>
              <div class="row s-badges">
                <span class={'badge ' + (STATUS_TONE[payment.status] ?? '')} data-testid="online-status">
                  {t('staff.online.status.' + payment.status)}
                </span>
                {payment.refunded > 0 && (
                  <span class="badge badge-info" data-testid="online-refunded">
                    {t(left === 0 ? 'staff.online.refundedAll' : 'staff.online.refundedPart', { amount: money(payment.refunded) })}
                  </span>
                )}
              </div>
              {payment.flags.map((flag) => (
                <Banner key={flag.at + flag.providerEvent} tone="error">
                  <span data-testid="online-flag">
                    {t('staff.online.flag.' + flag.reason, { reported: reported(flag.amountMinor, flag.currency), expected: money(payment.amount) })} {t('staff.online.flagHelp')}
                  </span>
                </Banner>
              ))}
              {payment.refunds.length > 0 && (
                <ul class="s-refunds">
                  {payment.refunds.map((refund) => (
                    <li key={refund.refundId} class="spread" data-testid="online-refund">
                      <span>
                        {t('staff.online.refundLine', { amount: money(refund.amount), reason: refund.reason, by: refund.by })} <span class="muted">· {time(refund.at)}</span>
                      </span>
                      <span class={'badge ' + (REFUND_TONE[refund.status] ?? 'badge-warn')}>{t('staff.online.refundStatus.' + refund.status)}</span>
                    </li>
                  ))}
                </ul>
              )}
              {isManager && payment.status === 'paid' && left > 0 && (
                <Button variant="secondary" onClick={() => setRefunding(payment)} data-testid="refund-open">
                  {t('staff.online.refund')}
                </Button>
              )}
            </li>
          );
        })}
      </ul>
      <RefundDialog payment={refunding} tableNumber={tableNumber} onClose={() => setRefunding(undefined)} onDone={onChanged} />
    </section>
  );
}

function RefundDialog({ payment, tableNumber, onClose, onDone }: { payment: OnlinePayment | undefined; tableNumber: string; onClose: () => void; onDone: () => void }) {
  const c = useConsole();
  const digits = minorDigits(config.value.currency);
  const left = payment ? payment.amount - payment.refunded : 0;
  const [amountText, setAmountText] = useState<string>();
  const [reason, setReason] = useState('');
  const { busy, error, setError, run } = useBusyAction();
  const amountId = useId();
  const reasonId = useId();
  const shown = amountText ?? formatMoneyInput(left, digits);

  const close = () => {
    if (busy) return;
    setAmountText(undefined);
    setReason('');
    setError(undefined);
    onClose();
  };

  async function submit(event: Event) {
    event.preventDefault();
    if (!payment || busy) return;
    const amount = parseMoneyInput(shown, digits);
    if (amount === undefined || amount <= 0 || amount > left) {
      setError(t('staff.online.refundAmountInvalid', { max: money(left) }));
      return;
    }
    if (!reason.trim()) {
      setError(t('staff.reasonRequired'));
      return;
    }
    await run(async () => {
      await c.refundPayment(payment.intentId, amount === left ? undefined : amount, reason.trim());
      c.flash('success', () => t('staff.online.refunded', { amount: money(amount), table: tableNumber }));
      setAmountText(undefined);
      setReason('');
      onClose();
      onDone();
    });
  }

  return (
    <Sheet open={Boolean(payment)} title={t('staff.online.refundTitle', { table: tableNumber })} onClose={close}>
      {payment && (
        <form onSubmit={submit} data-testid="refund-dialog">
          <p class="s-dialog-body">{t('staff.online.refundBody', { paid: money(payment.amount), left: money(left) })}</p>
          <div class="field">
            <label for={amountId}>{t('staff.online.refundAmount')}</label>
            <input id={amountId} class="input num" inputMode="decimal" value={shown} onInput={(e) => setAmountText(e.currentTarget.value)} data-testid="refund-amount" />
          </div>
          <div class="field">
            <label for={reasonId}>{t('staff.online.refundReason')}</label>
            <textarea id={reasonId} class="input" required maxLength={200} value={reason} onInput={(e) => setReason(e.currentTarget.value)} data-testid="refund-reason" />
          </div>
          {error && (
            <Banner tone="error">
              <span data-testid="refund-error">{error}</span>
            </Banner>
          )}
          <div class="s-dialog-actions">
            <Button variant="secondary" onClick={close} disabled={busy}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" variant="danger" busy={busy} data-testid="refund-confirm">
              {t('staff.online.refundConfirm')}
            </Button>
          </div>
        </form>
      )}
    </Sheet>
  );
}
