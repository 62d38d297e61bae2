/**
 * What the guest does, over HTTP: load the menu, change the cart, place the order (placement.ts keeps
 * a tap's order safe across reloads), load and ask for the bill. Each answer is applied to the state
 * (store.ts) at once; the push that follows (live.ts) is then a no-op.
 */
import { isApiError } from '../shared/api.ts';
import { errorText } from '../shared/error-text.ts';
import type { AddCartItem, Bill, BillRequested, Cart, Menu, Order, PaymentMethod } from '../shared/types.ts';
import { pendingFor, submitOrder, unresolvedPending } from './placement.ts';
import { api, bill, cart, dishName, fromThisSocket, guest, menu, networkWords, phase, placeState, say, setCart, tab, upsertOrder, words } from './store.ts';

export async function loadMenu(): Promise<void> {
  try {
    menu.value = await api.get<Menu>('/menu');
  } catch {
    if (!menu.value && phase.value === 'boot') phase.value = 'bootError';
  }
}

// ---------- What this phone did, so its own changes coming back as pushes are not announced ----------

/** Cart versions produced by this phone's own requests (no "changed by another guest" notice for them). */
export const ownVersions = new Set<number>();
/** When the last order this phone had not seen arrived (its cart push then needs no notice of its own). */
let lastNewOrderAt = 0;
export const noteNewOrder = (): void => {
  lastNewOrderAt = Date.now();
};
export const orderedJustNow = (): boolean => Date.now() - lastNewOrderAt < 5000;

// ---------- Cart ----------

async function cartCall(call: () => Promise<Cart>): Promise<boolean> {
  try {
    const next = await call();
    ownVersions.add(next.version);
    setCart(next);
    return true;
  } catch (error) {
    if (isApiError(error) && error.code === 'CART_CHANGED') {
      setCart((error.details as { cart?: Cart } | undefined)?.cart ?? (await api.get<Cart>('/cart').catch(() => null)));
      say(words('cart.changed'), 'warn');
    } else if (isApiError(error) && error.code === 'ITEM_UNAVAILABLE') {
      say(words('cart.itemUnavailable'), 'warn');
      void loadMenu();
    } else if (!(isApiError(error) && error.isAuth)) {
      say(isApiError(error) && !error.isNetwork ? { text: errorText(error) } : networkWords(error), 'error');
    }
    return false;
  }
}

export const addToCart = (body: AddCartItem) => cartCall(() => api.post<Cart>('/cart/items', body, fromThisSocket()));
export const setLineQuantity = (lineId: string, quantity: number) =>
  cartCall(() => api.patch<Cart>(`/cart/items/${encodeURIComponent(lineId)}`, { quantity }, fromThisSocket()));
export const removeLine = (lineId: string) => cartCall(() => api.del<Cart>(`/cart/items/${encodeURIComponent(lineId)}`, fromThisSocket()));

// ---------- Orders ----------

let placing = false;

export async function placeOrder(): Promise<void> {
  const g = guest.value;
  const c = cart.value;
  if (!g || !c || c.lines.length === 0 || placing) return;
  await runPlacement(pendingFor(g.sessionId, c.version, undefined));
}

/** After a reload, a reconnect or a new PIN: finish what an earlier tap started. */
export async function resumePendingOrder(): Promise<void> {
  const g = guest.value;
  if (!g || placing) return;
  const pending = unresolvedPending(g.sessionId);
  if (pending) await runPlacement(pending);
}

async function runPlacement(pending: ReturnType<typeof pendingFor>): Promise<void> {
  placing = true;
  // Placing takes the cart at this version and empties it at the next: that push is our own change.
  ownVersions.add(pending.body.cartVersion + 1);
  placeState.value = 'placing';
  try {
    const outcome = await submitOrder(api, pending, { onRetry: () => (placeState.value = 'retrying') });
    switch (outcome.kind) {
      case 'placed':
        placeState.value = 'idle';
        upsertOrder(outcome.order);
        // The ordered lines left the cart on the server; fetch it rather than guess.
        setCart(await api.get<Cart>('/cart').catch(() => null));
        say(words('cart.placed', { number: outcome.order.orderNumber }), 'success', 6000);
        tab.value = 'orders';
        break;
      case 'refused': {
        placeState.value = 'idle';
        const { error } = outcome;
        if (error.code === 'CART_CHANGED') {
          const details = error.details as { cart?: Cart; reason?: string; order?: Order } | undefined;
          setCart(details?.cart ?? (await api.get<Cart>('/cart').catch(() => null)));
          if (details?.reason === 'placed_by_table' && details.order) {
            // Another phone's Place took the table's cart first: say so, with its dishes, and show it.
            const order = details.order;
            upsertOrder(order);
            // The emptied cart's push may come after this: it is this order, not a change to announce.
            noteNewOrder();
            const dishes = order.items.map((item) => `${item.quantity}× ${dishName(item.menuItemId, item.menuItemName)}`).join(', ');
            say(words('cart.placedByOther', { number: order.orderNumber, dishes }), 'info', 10_000);
            tab.value = 'orders';
          } else {
            say(words(details?.reason === 'prices_changed' ? 'cart.pricesChanged' : 'cart.changed'), 'warn', 8000);
          }
        } else if (error.code === 'ITEM_UNAVAILABLE') {
          setCart(await api.get<Cart>('/cart').catch(() => null));
          void loadMenu();
          say(words('cart.itemUnavailable'), 'warn', 8000);
        } else {
          say({ text: errorText(error) }, 'error', 8000);
        }
        break;
      }
      case 'auth':
        placeState.value = 'idle';
        break;
      case 'unknown':
        placeState.value = 'unknown';
        break;
    }
  } finally {
    placing = false;
  }
}

// ---------- Bill ----------

export async function loadBill(): Promise<void> {
  try {
    bill.value = await api.get<Bill>('/bill');
  } catch (error) {
    if (!(isApiError(error) && error.isAuth)) say(networkWords(error), 'error');
  }
}

/** Marks the loaded bill as asked for (from our own answer or a table-mate's `bill.requested`). */
export function billAskedFor({ requestedAt, method }: BillRequested): void {
  if (bill.value) bill.value = { ...bill.value, requestedAt, ...(method ? { requestedMethod: method } : {}) };
}

/** Tells the staff this table wants to pay (how, if the guest said). */
export async function askForBill(method?: PaymentMethod): Promise<boolean> {
  try {
    const answer = await api.post<BillRequested>('/bill/request', method ? { method } : {});
    billAskedFor(answer);
    say(words('bill.askedNotice'), 'success');
    return true;
  } catch (error) {
    if (!(isApiError(error) && error.isAuth)) say(isApiError(error) && !error.isNetwork ? { text: errorText(error) } : networkWords(error), 'error');
    return false;
  }
}
