/**
 * The diner's state: signals the views read, and the few helpers every action shares (notices, the
 * newest cart, the API client). What changes the state lives beside it: session.ts (boot, PIN,
 * identify, leave), actions.ts (menu, cart, placing, bill), live.ts (the WebSocket's pushes) and
 * payment.ts (paying online).
 */
import { computed, signal } from '@preact/signals';
import { createApiClient, isApiError, type RequestOptions } from '../shared/api.ts';
import { config } from '../shared/config.ts';
import { money, time } from '../shared/format.ts';
import { lang, t } from '../shared/i18n.ts';
import { menuIn } from '../shared/menu-language.ts';
import { chooseMenuLang, menuLangPick } from './menu-language.ts';
import type { Bill, Cart, Menu, MenuItem, Order, SessionMode, TableRef } from '../shared/types.ts';

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

export let api = createApiClient('/api');

/** At boot, once config.json names the API's base. */
export function setApiBase(base: string): typeof api {
  api = createApiClient(base);
  return api;
}

export const phase = signal<Phase>('boot');
/** The token expired or was revoked while the app was in use: the PIN sheet opens over the kept view. */
export const needPin = signal(false);
export const guest = signal<Guest | null>(null);
/** The table the QR link names, as its status answered before the PIN (not for a card printed before codes). */
export const linkedTable = signal<Pick<TableRef, 'number' | 'floor'> | null>(null);
export const menu = signal<Menu | null>(null);
export const cart = signal<Cart | null>(null);
export const orders = signal<Order[]>([]);
export const bill = signal<Bill | null>(null);
const TABS: readonly Tab[] = ['menu', 'cart', 'orders', 'bill'];
/** The tab a link opens (`/?table=…#cart` goes straight to the cart); the menu when it names none. */
export const tabOfHash = (hash: string): Tab => TABS.find((id) => `#${id}` === hash) ?? 'menu';
export const tab = signal<Tab>(tabOfHash(globalThis.location?.hash ?? ''));
export const placeState = signal<PlaceState>('idle');
/** A one-time code was sent to the number: the identify screen asks for it (or the guest skips). */
export const codeSent = signal<{ phone: string } | null>(null);
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

let noticeSeq = 0;
let noticeTimer: ReturnType<typeof setTimeout> | undefined;

/** How many notices have been said so far: a notice decided later checks that none came meanwhile. */
export const noticesSaid = (): number => noticeSeq;

export function say(what: Words, tone: 'info' | 'success' | 'warn' | 'error' = 'info', ms = 5000): void {
  clearTimeout(noticeTimer);
  notice.value = { words: what, tone, id: ++noticeSeq };
  noticeTimer = setTimeout(() => (notice.value = null), ms);
}

export function networkWords(error: unknown): Words {
  return words(isApiError(error) && error.isNetwork ? 'common.networkError' : 'common.error');
}

/** Keeps the newest cart: an HTTP answer may arrive after a newer push. */
export function setCart(next: Cart | undefined | null): void {
  if (!next) return;
  const current = cart.value;
  if (!current || next.version >= current.version) cart.value = next;
}

export function upsertOrder(order: Order): void {
  const list = orders.value;
  const index = list.findIndex((o) => o.orderId === order.orderId);
  orders.value = index === -1 ? [order, ...list] : list.map((o, i) => (i === index ? order : o));
}

/** What a guest would notice in a cart: its lines, not the sold-out flags or the version. */
export function linesKey(c: Cart): string {
  return c.lines.map((l) => `${l.lineId}:${l.quantity}:${l.spiceLevel ?? ''}:${l.notes ?? ''}`).join('|');
}

/**
 * This phone's socket as the server names it (from the `sync` reply). Cart changes send it so the
 * server's push about them skips this socket: the HTTP answer already has the cart. A stale id only
 * means one redundant push.
 */
let ownConnectionId: string | undefined;
export const setOwnConnectionId = (id: string | undefined): void => {
  ownConnectionId = id;
};
export const fromThisSocket = (): RequestOptions | undefined =>
  ownConnectionId ? { headers: { 'x-plato-connection-id': ownConnectionId } } : undefined;
