/**
 * Paying from the phone: a Pay button per choice (the whole bill, an equal share, this phone's
 * share), the provider's payment page, and the payment's state live (pending, paid, failed,
 * expired) from `payment.updated` pushes. One Idempotency-Key per choice, kept in sessionStorage
 * until the payment ends, so a double tap, a reload or a dropped answer resumes the same payment.
 */
import { signal } from '@preact/signals';
import { useEffect, useState } from 'preact/hooks';
import { isApiError } from '../shared/api.ts';
import { errorText } from '../shared/error-text.ts';
import { Banner, Button } from '../shared/components.tsx';
import { t } from '../shared/i18n.ts';
import type { Json } from '../shared/types.ts';
import type { GuestIntentView, PaymentScope as IntentScope } from '../../functions/contract/bill.ts';
import { api, loadBill } from './store.ts';

export type Payment = Json<GuestIntentView>;

/** The payment this phone is following (started here, or named by the return link's ?payment=). */
export const payment = signal<Payment | null>(null);
const payError = signal<string | undefined>(undefined);

const KEY_PREFIX = 'plato.pay.';
const OPEN = new Set(['creating', 'pending', 'authorized']);

function keyFor(scope: IntentScope): string {
  const name = KEY_PREFIX + JSON.stringify(scope);
  let key = sessionStorage.getItem(name);
  if (!key) {
    key = crypto.randomUUID();
    sessionStorage.setItem(name, key);
  }
  return key;
}

function forgetKeys(): void {
  for (const name of Object.keys(sessionStorage)) if (name.startsWith(KEY_PREFIX)) sessionStorage.removeItem(name);
}

/** From the store's socket handler. */
export function onPaymentUpdated(update: Payment): void {
  if (!payment.value || payment.value.intentId === update.intentId) payment.value = update;
  if (!OPEN.has(update.status)) forgetKeys();
}

/** Back from the payment page: /?table=…&payment=<intentId>. */
export async function resumeFromReturnLink(): Promise<void> {
  const intentId = new URLSearchParams(location.search).get('payment');
  if (!intentId || !/^[a-f0-9]{24}$/.test(intentId)) return;
  try {
    const { payment: found } = await api.get<{ payment: Payment }>(`/payments/${intentId}`);
    onPaymentUpdated(found);
  } catch {
    // Not this table's payment (or gone): nothing to follow.
  }
}

export async function pay(scope: IntentScope): Promise<void> {
  payError.value = undefined;
  try {
    const { payment: started } = await api.post<{ payment: Payment }>('/payments', { scope }, { headers: { 'idempotency-key': keyFor(scope) }, timeoutMs: 20_000 });
    payment.value = started;
    if (started.checkoutUrl) location.assign(started.checkoutUrl);
  } catch (error) {
    if (isApiError(error) && error.code === 'IN_PROGRESS') {
      payment.value = (error.details as { payment: Payment }).payment;
      return;
    }
    // In the guest's language, keyed by error.code: a provider that is down or refuses says so.
    payError.value = errorText(error);
  }
}

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
