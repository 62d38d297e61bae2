/**
 * Paying from the phone: a Pay button per choice (the whole bill, an equal share, this phone's
 * share), the provider's payment page, and the payment's state live (pending, paid, failed,
 * expired). The state and the calls are in payment.ts.
 */
import { useEffect, useState } from 'preact/hooks';
import { Banner, Button } from '../shared/components.tsx';
import { t } from '../shared/i18n.ts';
import type { PaymentScope as IntentScope } from '../../functions/contract/bill.ts';
import { loadBill } from './actions.ts';
import { OPEN, pay, payError, payment } from './payment.ts';

/** The followed payment's state, and a way back to its page while it is open. */
export function PaymentStatus() {
  const p = payment.value;
  useEffect(() => {
    if (p?.status === 'paid') void loadBill();
  }, [p?.status]);
  if (payError.value) return <Banner tone="error">{payError.value}</Banner>;
  if (!p) return null;
  const tone = p.status === 'paid' ? 'success' : OPEN.has(p.status) ? 'info' : 'warn';
  return (
    <div data-testid="payment-status" data-status={p.status}>
      <Banner tone={tone}>{t('pay.status.' + p.status)}</Banner>
      {p.checkoutUrl && OPEN.has(p.status) && (
        <a class="btn btn-secondary btn-block" href={p.checkoutUrl}>
          {t('pay.continue')}
        </a>
      )}
    </div>
  );
}

export function PayButton({ scope, amount, label }: { scope: IntentScope; amount: string; label?: string }) {
  const [busy, setBusy] = useState(false);
  return (
    <Button
      variant="primary"
      block
      busy={busy}
      data-testid="pay-online"
      onClick={async () => {
        setBusy(true);
        await pay(scope);
        setBusy(false);
      }}
    >
      {label ?? t('pay.online', { amount })}
    </Button>
  );
}
