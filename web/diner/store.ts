/**
 * The diner's state (signals) and everything that changes it: HTTP calls, WebSocket pushes,
 * resume after reload, re-entering the PIN. Views only read signals and call these actions.
 */
import { batch, computed, signal } from '@preact/signals';
import { onPaymentUpdated, resumeFromReturnLink, type Payment } from './online-pay.tsx';
import { createApiClient, isApiError, type ApiError, type RequestOptions } from '../shared/api.ts';
import { config, loadConfig } from '../shared/config.ts';
import { errorText } from '../shared/error-text.ts';
import { money, time } from '../shared/format.ts';
import { lang, t } from '../shared/i18n.ts';
import { menuIn } from '../shared/menu-language.ts';
import { chooseMenuLang, menuLangPick } from './menu-language.ts';
import { readPref, writePref } from '../shared/storage.ts';
import type {
  AddCartItem,
  Bill,
  BillRequested,
  Cart,
  JoinResponse,
  Menu,
  MenuItem,
  MenuItemChange,
  Order,
  PaymentMethod,
  ServerMessage,
  SessionMe,
  SessionMode,
  TableRef,
} from '../shared/types.ts';
import { HEARTBEATS } from '../shared/heartbeat.ts';
import { connectSocket, type LiveSocket } from '../shared/ws.ts';
import { pendingFor, submitOrder, unresolvedPending } from './placement.ts';

export type Phase = 'boot' | 'noTable' | 'unknownTable' | 'visitEnded' | 'bootError' | 'pin' | 'identify' | 'ready' | 'closed';
export type Tab = 'menu' | 'cart' | 'orders' | 'bill';
export type PlaceState = 'idle' | 'placing' | 'retrying' | 'unknown';

export interface Guest {
  sessionId: string;
  mode: SessionMode;
  table: TableRef;
  deviceId: string;
  customerName?: string;
}

/** The `?table=` of the QR link: the table's code (or its id, on a card printed before codes). */
export const tableLink = new URLSearchParams(globalThis.location?.search ?? '').get('table') ?? '';

/** The link this phone joined its session with, so a QR code of another table asks for that table's PIN. */
const JOINED_LINK = 'joinedLink';
const joinedThisLink = (me: SessionMe): boolean => {
  const joined = readPref<{ sessionId: string; link: string }>(JOINED_LINK);
  return (joined?.sessionId === me.session.sessionId && joined.link === tableLink) || me.table.tableId === tableLink;
};

export let api = createApiClient('/api');

export const phase = signal<Phase>('boot');
/** The token expired or was revoked while the app was in use: the PIN sheet opens over the kept view. */
export const needPin = signal(false);
export const guest = signal<Guest | null>(null);
export const menu = signal<Menu | null>(null);
export const cart = signal<Cart | null>(null);
export const orders = signal<Order[]>([]);
export const bill = signal<Bill | null>(null);
export const tab = signal<Tab>('menu');
export const placeState = signal<PlaceState>('idle');
/**
 * What a notice says: a catalogue key with its parameters, worded only when shown (so a notice on
 * screen follows a language switch), or words the server sent (its error messages, in English).
 */
export type Words = { key: string; params?: Record<string, string | number> } | { text: string };
export const words = (key: string, params?: Record<string, string | number>): Words => (params ? { key, params } : { key });
/** Reads the language signal: a view calling it re-renders in the new language. */
export const wordsText = (w: Words): string => ('text' in w ? w.text : t(w.key, w.params));
export const notice = signal<{ words: Words; tone: 'info' | 'success' | 'warn' | 'error'; id: number } | null>(null);
export const socketStale = signal(false);

export const currency = computed(() => menu.value?.restaurant.currency ?? config.value.currency);
export const timeZone = computed(() => menu.value?.restaurant.timeZone ?? config.value.timeZone);
/** An amount in the menu's currency. */
export const price = (minor: number): string => money(minor, currency.value);
/** HH:mm in the menu's time zone. */
export const clock = (value: string | number | Date): string => time(value, timeZone.value);
export const cartCount = computed(() => cart.value?.lines.reduce((n, line) => n + line.quantity, 0) ?? 0);
/** The language dishes are shown in (menu-language.ts): the guest's pick, else the app's, else the default. */
export const menuLang = computed(() => chooseMenuLang(menu.value?.restaurant, menuLangPick.value, lang.value));
/** The menu in the guest's menu language, each text falling back to the restaurant's default language. */
export const shownMenu = computed(() => menuIn(menu.value, menuLang.value));
/** Dishes by id, in the guest's language. */
export const itemsById = computed(() => {
  const map = new Map<string, MenuItem>();
  for (const category of shownMenu.value?.categories ?? []) for (const item of category.items) map.set(item.id, item);
  return map;
});
/** A dish's name in the guest's language; `stored` (the default language's, as the cart or order keeps it) for a dish no longer on the menu. */
export const dishName = (menuItemId: string, stored: string): string => itemsById.value.get(menuItemId)?.name ?? stored;
/** An option's name in the guest's language, likewise. */
export const optionName = (menuItemId: string, optionId: string, stored: string): string =>
  itemsById.value.get(menuItemId)?.modifierGroups.flatMap((group) => group.options).find((option) => option.id === optionId)?.name ?? stored;

let socket: LiveSocket | null = null;
/** When the last order this phone had not seen arrived (its cart push then needs no notice of its own). */
let lastNewOrderAt = 0;
let noticeSeq = 0;
let noticeTimer: ReturnType<typeof setTimeout> | undefined;

export function say(what: Words, tone: 'info' | 'success' | 'warn' | 'error' = 'info', ms = 5000): void {
  clearTimeout(noticeTimer);
  notice.value = { words: what, tone, id: ++noticeSeq };
  noticeTimer = setTimeout(() => (notice.value = null), ms);
}

/** Keeps the newest cart: an HTTP answer may arrive after a newer push. */
export function setCart(next: Cart | undefined | null): void {
  if (!next) return;
  const current = cart.value;
  if (!current || next.version >= current.version) cart.value = next;
}

function upsertOrder(order: Order): void {
  const list = orders.value;
  const index = list.findIndex((o) => o.orderId === order.orderId);
  orders.value = index === -1 ? [order, ...list] : list.map((o, i) => (i === index ? order : o));
}

function networkWords(error: unknown): Words {
  return words(isApiError(error) && error.isNetwork ? 'common.networkError' : 'common.error');
}

// ---------- Boot, join, resume ----------

export async function boot(): Promise<void> {
  const cfg = await loadConfig().catch(() => config.value);
  api = createApiClient(cfg.apiBase);
  api.onAuthError(onAuthLost);
  const menuLoad = loadMenu();
  try {
    const me = await api.get<SessionMe>('/sessions/me');
    const otherTable = tableLink && !joinedThisLink(me);
    if (otherTable) {
      phase.value = 'pin';
    } else {
      await menuLoad;
      resume(me);
      return;
    }
  } catch (error) {
    if (!(isApiError(error) && error.status === 401)) {
      // Not signed in is the normal first visit; anything else is a network problem worth showing.
      if (!isApiError(error) || error.isNetwork || error.status >= 500) {
        phase.value = 'bootError';
        return;
      }
    }
    phase.value = tableLink ? await tablePhase() : 'noTable';
  }
  await menuLoad;
}

/**
 * Before the PIN keypad: an unknown (or retired) table code gets its own page, and the link of a
 * table whose visit just ended says so. A link printed before codes (the table's id) always gets the
 * keypad: the server tells nothing about ids (functions/services/table-status.ts), join does.
 * Anything unexpected falls back to the keypad.
 */
async function tablePhase(): Promise<Phase> {
  try {
    const status = await api.get<{ state: 'open' | 'ended' | 'notOpen' | 'idLink' }>(`/tables/${encodeURIComponent(tableLink)}`);
    return status.state === 'ended' ? 'visitEnded' : 'pin';
  } catch (error) {
    return isApiError(error) && (error.status === 404 || error.status === 400) ? 'unknownTable' : 'pin';
  }
}

export async function loadMenu(): Promise<void> {
  try {
    menu.value = await api.get<Menu>('/menu');
  } catch {
    if (!menu.value && phase.value === 'boot') phase.value = 'bootError';
  }
}

function resume(me: SessionMe): void {
  batch(() => {
    guest.value = {
      sessionId: me.session.sessionId,
      mode: me.session.mode,
      table: me.table,
      deviceId: me.device.deviceId,
      customerName: me.device.customerName,
    };
    writePref('deviceId', me.device.deviceId);
    cart.value = me.cart;
    orders.value = me.orders;
    bill.value = null;
    needPin.value = false;
    const skipped = readPref<string>('identified') === me.session.sessionId;
    phase.value = me.device.customerName || skipped ? 'ready' : 'identify';
  });
  openSocket();
  void resumePendingOrder();
  // Back from the payment page: show the bill and the payment's state.
  if (new URLSearchParams(location.search).has('payment')) {
    tab.value = 'bill';
    void resumeFromReturnLink();
  }
}

export type JoinResult = { ok: true } | { ok: false; error: ApiError | undefined };

export async function join(pin: string): Promise<JoinResult> {
  try {
    const deviceId = readPref<string>('deviceId');
    await api.post<JoinResponse>('/sessions/join', { table: tableLink, pin, ...(deviceId ? { deviceId } : {}) });
    const me = await api.get<SessionMe>('/sessions/me');
    writePref(JOINED_LINK, { sessionId: me.session.sessionId, link: tableLink });
    // A re-entry after expiry keeps the view; a closed-and-reopened table starts a new session.
    resume(me);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: isApiError(error) ? error : undefined };
  }
}

function onAuthLost(): void {
  if (phase.value === 'ready' || phase.value === 'identify') {
    needPin.value = true;
    socket?.close();
    socket = null;
  }
}

/** A one-time code was sent to the number: the identify screen asks for it (or the guest skips). */
export const codeSent = signal<{ phone: string } | null>(null);

/** Records the name and number; where the restaurant verifies numbers, a code is sent to it. */
export async function identify(name: string, phone: string): Promise<string | null> {
  try {
    const answer = await api.post<{ verification: 'sent' | 'off' }>('/customers/identify', { name, phone });
    if (guest.value) guest.value = { ...guest.value, customerName: name };
    if (answer.verification === 'sent') codeSent.value = { phone };
    else phase.value = 'ready';
    return null;
  } catch (error) {
    if (isApiError(error) && error.status === 400) return t('identify.phoneInvalid');
    if (isApiError(error) && error.status === 429) return t('identify.tooMany');
    return wordsText(networkWords(error));
  }
}

/** The code from the text message: the restaurant recognises the guest from now on. */
export async function verifyPhone(code: string): Promise<string | null> {
  try {
    await api.post('/customers/verify', { code });
    codeSent.value = null;
    phase.value = 'ready';
    return null;
  } catch (error) {
    if (isApiError(error) && (error.code === 'CODE_INVALID' || error.status === 400)) return t('identify.codeInvalid');
    if (isApiError(error) && error.status === 429) return t('identify.tooMany');
    return wordsText(networkWords(error));
  }
}

export function skipIdentify(): void {
  codeSent.value = null;
  if (guest.value) writePref('identified', guest.value.sessionId);
  phase.value = 'ready';
}

export async function leaveTable(): Promise<void> {
  await api.post('/sessions/logout').catch(() => undefined);
  socket?.close();
  socket = null;
  batch(() => {
    guest.value = null;
    cart.value = null;
    orders.value = [];
    phase.value = tableLink ? 'pin' : 'noTable';
  });
}

// ---------- Live updates ----------

/**
 * This phone's socket as the server names it (from the `sync` reply). Cart changes send it so the
 * server's push about them skips this socket: the HTTP answer already has the cart. A stale id only
 * means one redundant push.
 */
let ownConnectionId: string | undefined;
const fromThisSocket = (): RequestOptions | undefined =>
  ownConnectionId ? { headers: { 'x-plato-connection-id': ownConnectionId } } : undefined;

function openSocket(): void {
  socket?.close();
  ownConnectionId = undefined;
  socket = connectSocket({
    url: config.value.wsUrl,
    onMessage: handlePush,
    heartbeat: HEARTBEATS.guest,
    onResync: (reconnected) => {
      socket?.send({ action: 'sync' });
      if (reconnected) {
        void loadMenu();
        if (tab.value === 'bill') void loadBill();
        void resumePendingOrder();
      }
    },
  });
  const live = socket;
  // Mirror the socket's staleness and, after repeated failures, check whether the token is still good
  // (a refused upgrade carries no reason the browser can read).
  let probed = false;
  const watch = setInterval(() => {
    if (socket !== live) return clearInterval(watch);
    socketStale.value = live.stale.value && live.attempts.value > 0;
    if (live.attempts.value >= 3 && !probed) {
      probed = true;
      api.get('/cart').then(
        (fresh) => setCart(fresh as Cart),
        () => undefined,
      );
    }
    if (live.attempts.value === 0) probed = false;
  }, 1000);
}

export function handlePush(message: ServerMessage): void {
  switch (message.type) {
    case 'cart.updated': {
      const next = (message as { cart: Cart }).cart;
      const before = cart.value;
      setCart(next);
      // Our own change may come back as a push before its HTTP answer: decide a moment later. An
      // order taking the lines out of the cart has its own notice.
      if (before && next.version > before.version && linesKey(next) !== linesKey(before)) {
        setTimeout(() => {
          const ordered = next.lines.length === 0 && Date.now() - lastNewOrderAt < 5000;
          if (!ownVersions.has(next.version) && !ordered) say(words('cart.updatedByOther'));
        }, 1200);
      }
      break;
    }
    case 'menu.updated':
      // New category names (or languages): the menu is loaded again; dishes come with the push.
      if ((message as { names?: true }).names) {
        void loadMenu();
        break;
      }
      applyMenuChanges((message as { items: MenuItemChange[] }).items ?? []);
      say(words('menu.updated'));
      break;
    case 'order.updated': {
      const order = (message as { order: Order }).order;
      const before = orders.value.find((o) => o.orderId === order.orderId);
      if (order.status === 'cancelled' && before?.status === 'pending') {
        say(words('orders.rejectedNotice', { number: order.orderNumber, reason: order.rejectionReason ?? '' }), 'warn', 10000);
      }
      if (!before) {
        lastNewOrderAt = Date.now();
        // A table-mate ordered (FAMILY): this phone's placement has its own "placed" notice.
        if (order.deviceId !== guest.value?.deviceId) say(words('orders.placedByTable', { number: order.orderNumber }), 'success');
      }
      // One message per kitchen change: the dishes that just turned READY are told by name.
      order.items.forEach((item, i) => {
        if (before && item.itemStatus === 'READY' && before.items[i] && before.items[i].itemStatus !== 'READY') {
          say(words('orders.itemReady', { name: item.menuItemName }), 'success');
        }
      });
      upsertOrder(order);
      if (bill.value) void loadBill();
      break;
    }
    case 'payment.updated':
      onPaymentUpdated((message as unknown as { payment: Payment }).payment);
      if (bill.value) void loadBill();
      break;
    case 'bill.requested': {
      const request = message as { type: 'bill.requested' } & BillRequested;
      const known = bill.value?.requestedAt === request.requestedAt;
      billAskedFor(request);
      if (!known && !request.alreadyRequested) say(words('bill.askedNotice'), 'success');
      break;
    }
    case 'sync': {
      const sync = message as { connectionId?: string; cart?: Cart | null; orders?: Order[] };
      ownConnectionId = sync.connectionId;
      setCart(sync.cart);
      if (sync.orders) orders.value = sync.orders;
      break;
    }
    case 'session.closed':
      socket?.close();
      socket = null;
      phase.value = 'closed';
      break;
    case 'error': {
      const code = (message as { error?: { code?: string } }).error?.code;
      if (code === 'TOKEN_EXPIRED' || code === 'TOKEN_INVALID') onAuthLost();
      break;
    }
  }
}

/** Availability and price edits apply in place; a new, moved or deleted dish reloads the menu (ETag: cheap). */
export function applyMenuChanges(changed: MenuItemChange[]): void {
  const current = menu.value;
  if (!current || changed.length === 0) return;
  const byId = new Map<string, MenuItem>();
  for (const change of changed) {
    const { category, sortOrder, deleted, ...item } = change;
    const home = current.categories.find((c) => c.items.some((i) => i.id === item.id));
    if (!home || deleted || (category !== undefined && category !== home.name)) {
      void loadMenu();
      return;
    }
    byId.set(item.id, item);
  }
  menu.value = {
    ...current,
    categories: current.categories.map((category) => ({
      ...category,
      items: category.items.map((item) => byId.get(item.id) ?? item),
    })),
  };
}

// ---------- Cart ----------

/** Cart versions produced by this phone's own requests (no "changed by another guest" notice for them). */
const ownVersions = new Set<number>();

/** What a guest would notice in a cart: its lines, not the sold-out flags or the version. */
export function linesKey(c: Cart): string {
  return c.lines.map((l) => `${l.lineId}:${l.quantity}:${l.spiceLevel ?? ''}:${l.notes ?? ''}`).join('|');
}

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
            lastNewOrderAt = Date.now();
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
function billAskedFor({ requestedAt, method }: BillRequested): void {
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
