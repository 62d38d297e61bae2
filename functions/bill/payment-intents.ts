/**
 * Paying from the phone. POST /api/payments starts one payment intent per Idempotency-Key: the
 * amount is computed here from the bill (the whole of it, one of n equal shares, or this phone's
 * share by device or by dish), never taken from the client. The provider's payment page is created
 * with the intent's id as its reference, so a second tap, a reload or a retry after a network drop
 * finds the same intent and the same page: one intent, one page, at most one charge.
 */
import { guestActor } from '../core/events.ts';
import { ObjectId } from 'mongodb';
import type { GuestPrincipal } from '../auth/principal.ts';
import { DomainError } from '../core/errors.ts';
import { ProviderError, providerFailure, type PaymentProvider } from '../core/payment-provider.ts';
import { isDuplicateKeyError as isDuplicateKey } from '../data/duplicate-key.ts';
import type { IntentScope, PaymentIntentDoc } from '../data/payment-documents.ts';
import { findIntent, findIntentByKey, findOpenIntentOfDevice, insertIntent, markPageOpened } from '../data/payments-store.ts';
import { paymentProvider } from '../payments/provider.ts';
import type { RequestOrigin } from '../data/audit.ts';
import { guestBill, guestSplit } from './bill.ts';
import { afterPaymentCommit as afterCommit, guestFilter, toGuestIntent, type GuestIntentView } from './payment-views.ts';
import { restaurant } from '../data/restaurant.ts';

/** How long the payment page takes payments (Razorpay needs at least 15 minutes). */
export const PAYMENT_PAGE_MINUTES = 20;

async function requireProvider(): Promise<PaymentProvider> {
  const provider = await paymentProvider();
  if (!provider) throw new DomainError('PAYMENTS_UNAVAILABLE', 'This restaurant does not take payments online: ask your waiter');
  return provider;
}

/** The amount the guest's choice comes to now, from the same bill and splits the phone shows. */
async function amountFor(guest: GuestPrincipal, scope: IntentScope): Promise<number> {
  if (scope.kind === 'bill') return (await guestBill(guest)).due;
  if (scope.kind === 'equal') {
    const share = (await guestSplit(guest, { by: 'equal', n: scope.n })).shares[scope.index];
    if (!share) throw new DomainError('VALIDATION_FAILED', 'There is no such share', { details: [{ path: 'body.scope.index', code: 'too_big', message: `The bill has ${scope.n} shares` }] });
    return share.amount;
  }
  const spec = scope.kind === 'device' ? ({ by: 'device' } as const) : ({ by: 'item', shared: scope.shared } as const);
  return (await guestSplit(guest, spec)).shares.find((share) => share.isYou)?.amount ?? 0;
}

/** Creates the provider's payment page for an intent still `creating` (first try, or a retry after a lost answer). */
async function openPaymentPage(provider: PaymentProvider, intent: PaymentIntentDoc, returnOrigin: string): Promise<PaymentIntentDoc> {
  const settings = await restaurant();
  let created;
  try {
    created = await provider.createPayment({
      reference: intent._id.toHexString(),
      amountMinor: intent.amount,
      currency: intent.currency,
      description: `${settings.name} · ${intent.tableNumber}`,
      returnUrl: `${returnOrigin}/?table=${intent.tableId.toHexString()}&payment=${intent._id.toHexString()}`,
      expiresAt: intent.expiresAt,
    });
  } catch (error) {
    if (error instanceof ProviderError) {
      // Left `creating`: a retry with the same Idempotency-Key asks the provider again (it knows the reference).
      throw providerFailure(error, 'the payment page could not be opened and nothing was charged');
    }
    throw error;
  }
  const updated = await markPageOpened(intent, { providerRef: created.providerRef, checkoutUrl: created.checkoutUrl }, new Date());
  // Someone else (a concurrent retry, or a webhook) moved it first: theirs stands.
  return updated ?? (await findIntent(intent.restaurantId, intent._id))!;
}

export interface StartPaymentInput {
  scope: IntentScope;
  idempotencyKey: string;
  /** Where the payment page sends the guest back to: the app's own origin. */
  returnOrigin: string;
}

/** POST /api/payments. `created` is false when the Idempotency-Key named an intent that already existed. */
export async function startPayment(guest: GuestPrincipal, input: StartPaymentInput, origin: RequestOrigin = {}): Promise<{ created: boolean; payment: GuestIntentView }> {
  const provider = await requireProvider();
  const resume = async (existing: PaymentIntentDoc) => {
    if (!existing.sessionId.equals(guest.sessionId) || existing.deviceId !== guest.deviceId) {
      throw new DomainError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key belongs to another payment: use a new one');
    }
    const intent = existing.status === 'creating' ? await openPaymentPage(provider, existing, input.returnOrigin) : existing;
    return { created: false, payment: toGuestIntent(intent) };
  };

  const known = await findIntentByKey(guest.restaurantId, input.idempotencyKey);
  if (known) return resume(known);

  // One payment at a time per phone: an open page is resumed, not doubled.
  const now = new Date();
  const open = await findOpenIntentOfDevice(guestFilter(guest), guest.deviceId, now);
  // A concurrent request with the same key inserted it a moment ago.
  if (open?.idempotencyKey === input.idempotencyKey) return resume(open);
  if (open) {
    throw new DomainError('IN_PROGRESS', 'A payment from this phone is already open: finish or cancel it first', { details: { payment: toGuestIntent(open) } });
  }

  const amount = await amountFor(guest, input.scope);
  if (amount <= 0) throw new DomainError('UNPROCESSABLE', 'There is nothing to pay for this choice');
  const settings = await restaurant();
  const intent: PaymentIntentDoc = {
    _id: new ObjectId(),
    restaurantId: guest.restaurantId,
    idempotencyKey: input.idempotencyKey,
    sessionId: guest.sessionId,
    tableId: guest.tableId,
    tableNumber: guest.tableNumber ?? '',
    deviceId: guest.deviceId,
    ...(guest.mode === 'INDIVIDUAL' ? { billDeviceId: guest.deviceId } : {}),
    scope: input.scope,
    amount,
    currency: settings.currency,
    provider: provider.name,
    status: 'creating',
    settled: false,
    flags: [],
    refunds: [],
    refunded: 0,
    history: [],
    expiresAt: new Date(now.getTime() + PAYMENT_PAGE_MINUTES * 60_000),
    createdAt: now,
    updatedAt: now,
  };
  try {
    await insertIntent(intent);
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    // A concurrent tap with the same key won the insert: continue with its intent.
    return resume((await findIntentByKey(guest.restaurantId, input.idempotencyKey))!);
  }
  const opened = await openPaymentPage(provider, intent, input.returnOrigin);
  await afterCommit([{ type: 'PaymentStarted', actor: guestActor(guest), intent: opened }], origin);
  return { created: true, payment: toGuestIntent(opened) };
}
