/**
 * Exactly-once order placement from a phone on a flaky network.
 *
 * The Idempotency-Key is created once per cart version and kept in localStorage (it is not a
 * credential) together with the exact body, before the first request leaves. Every retry — after
 * a timeout, a dropped connection, a 5xx, a 409 IN_PROGRESS or a reload of the page — sends the
 * SAME key and the SAME body, so the server either replays the first answer or places the order
 * once. The key is dropped only on a definitive answer: 201, or a 4xx that says the order was not
 * and will not be placed (CART_CHANGED, ITEM_UNAVAILABLE, ...). A 401 is not definitive: the guest
 * re-enters the PIN and the same key is retried within the same table session.
 */
import { ApiError, isApiError, type ApiClient } from '../shared/api.ts';
import { readPref, uuid, writePref } from '../shared/storage.ts';
import type { Order, PaymentMethod, PlaceOrderBody } from '../shared/types.ts';

export interface PendingOrder {
  key: string;
  sessionId: string;
  body: PlaceOrderBody;
  createdAt: number;
}

export interface PendingStore {
  read(): PendingOrder | undefined;
  write(pending: PendingOrder | undefined): void;
}

export const localPendingStore: PendingStore = {
  read: () => readPref<PendingOrder>('pendingOrder'),
  write: (pending) => writePref('pendingOrder', pending),
};

/**
 * The pending placement for this session and cart version: the stored one when it matches
 * (same key again), else a new key, stored before it is used.
 */
export function pendingFor(
  sessionId: string,
  cartVersion: number,
  paymentMethod: PaymentMethod | undefined,
  store: PendingStore = localPendingStore,
  now: number = Date.now(),
): PendingOrder {
  const existing = store.read();
  if (existing && existing.sessionId === sessionId && existing.body.cartVersion === cartVersion && existing.body.paymentMethod === paymentMethod) {
    return existing;
  }
  const body: PlaceOrderBody = paymentMethod ? { cartVersion, paymentMethod } : { cartVersion };
  const pending: PendingOrder = { key: uuid(), sessionId, body, createdAt: now };
  store.write(pending);
  return pending;
}

/** A placement still waiting for a definitive answer in this session (e.g. after a reload). */
export function unresolvedPending(sessionId: string, store: PendingStore = localPendingStore): PendingOrder | undefined {
  const existing = store.read();
  if (!existing) return undefined;
  if (existing.sessionId !== sessionId) {
    // Another (closed) table session: the server cannot be asked about it any more.
    store.write(undefined);
    return undefined;
  }
  return existing;
}

export type PlacementOutcome =
  | { kind: 'placed'; order: Order }
  /** Definitively not placed; the key is dropped. */
  | { kind: 'refused'; error: ApiError }
  /** The guest must sign in again; the key is kept. */
  | { kind: 'auth'; error: ApiError }
  /** Still no definitive answer after the attempts; the key is kept for the next try. */
  | { kind: 'unknown'; error: ApiError };

export interface SubmitOptions {
  maxAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
  onRetry?: (attempt: number, error: ApiError) => void;
  store?: PendingStore;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function submitOrder(api: ApiClient, pending: PendingOrder, options: SubmitOptions = {}): Promise<PlacementOutcome> {
  const { maxAttempts = 6, sleep = defaultSleep, onRetry, store = localPendingStore } = options;
  let last: ApiError | undefined;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    try {
      const order = await api.post<Order>('/orders', pending.body, { headers: { 'idempotency-key': pending.key }, timeoutMs: 20_000 });
      store.write(undefined);
      return { kind: 'placed', order };
    } catch (caught) {
      const error = isApiError(caught) ? caught : new ApiError(0, 'NETWORK', String(caught));
      last = error;
      if (error.isAuth) return { kind: 'auth', error };
      if (!error.isTransient) {
        store.write(undefined);
        return { kind: 'refused', error };
      }
      if (attempt === maxAttempts) break;
      onRetry?.(attempt, error);
      const waitMs = error.retryAfter !== undefined ? error.retryAfter * 1000 : Math.min(8_000, 1_000 * 2 ** (attempt - 1));
      await sleep(waitMs);
    }
  }
  return { kind: 'unknown', error: last! };
}
