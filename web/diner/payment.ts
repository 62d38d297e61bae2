/**
 * Paying from the phone, its state and calls: one Idempotency-Key per choice (the whole bill, an equal
 * share, this phone's share), kept in sessionStorage until the payment ends, so a double tap, a reload
 * or a dropped answer resumes the same payment; the payment's state from `payment.updated` pushes.
 */
import { signal } from '@preact/signals';
import { isApiError } from '../shared/api.ts';
import { errorText } from '../shared/error-text.ts';
import type { Json } from '../shared/types.ts';
import type { GuestIntentView } from '../../functions/contract/bill.ts';
import type { PaymentScope as IntentScope } from '../../functions/contract/bill.ts';
import { isObjectIdHex } from '../../functions/core/ids.ts';
import { api } from './store.ts';

export type Payment = Json<GuestIntentView>;

/** The payment this phone is following (started here, or named by the return link's ?payment=). */
export const payment = signal<Payment | null>(null);
export const payError = signal<string | undefined>(undefined);

const KEY_PREFIX = 'plato.pay.';
export const OPEN = new Set(['creating', 'pending', 'authorized']);

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

/** From the socket's push handler (live.ts). */
export function onPaymentUpdated(update: Payment): void {
  if (!payment.value || payment.value.intentId === update.intentId) payment.value = update;
  if (!OPEN.has(update.status)) forgetKeys();
}

/** Back from the payment page: /?table=…&payment=<intentId>. */
export async function resumeFromReturnLink(): Promise<void> {
  const intentId = new URLSearchParams(location.search).get('payment');
  if (!isObjectIdHex(intentId)) return;
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
