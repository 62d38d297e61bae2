/**
 * The diner's WebSocket: opened once the guest is in, re-synced on every (re)connect, and each push
 * applied to the state (cart, menu, orders, payment, bill, the session's end). A push that only
 * echoes this phone's own change is applied silently. The menu is loaded again on a resync only when
 * the `sync` reply's `menuVersion` differs from the one the shown menu was checked at.
 */
import { config } from '../shared/config.ts';
import { HEARTBEATS } from '../shared/heartbeat.ts';
import type { BillRequested, Cart, MenuItem, MenuItemChange, Order, ServerMessage } from '../shared/types.ts';
import { connectSocket, type LiveSocket } from '../shared/ws.ts';
import { billAskedFor, loadBill, loadMenu, noteNewOrder, orderedJustNow, ownVersions, resumePendingOrder } from './actions.ts';
import { onPaymentUpdated, type Payment } from './payment.ts';
import {
  api,
  bill,
  cart,
  guest,
  linesKey,
  menu,
  needPin,
  noticesSaid,
  orders,
  phase,
  say,
  setCart,
  setOwnConnectionId,
  socketStale,
  tab,
  upsertOrder,
  words,
} from './store.ts';

let socket: LiveSocket | null = null;

/** The menu version the shown menu is known to match (from a `sync` reply); undefined: not known. */
let menuVersionShown: string | undefined;
/** A resync after a reconnect or wake asked for a `sync`: its reply decides whether the menu is loaded again. */
let menuCheckPending = false;

/**
 * On a `sync` reply: after a reconnect or wake, the menu is loaded again unless its version is the
 * one already shown (a server that sends none: always, as before). The first open's reply only notes
 * the version: the menu was just loaded. A menu push applied in place forgets it (one reload later).
 */
function checkMenuVersion(version: string | undefined): void {
  const afterWake = menuCheckPending;
  menuCheckPending = false;
  if (version !== undefined && version === menuVersionShown) return;
  if (!afterWake && menuVersionShown === undefined) {
    menuVersionShown = version;
    return;
  }
  const before = menu.value;
  void loadMenu().then(() => {
    if (menu.value !== before) menuVersionShown = version;
  });
}

export function closeSocket(): void {
  socket?.close();
  socket = null;
}

/** The token expired or was revoked while in use: the PIN sheet opens over the kept view. */
export function onAuthLost(): void {
  if (phase.value === 'ready' || phase.value === 'identify') {
    needPin.value = true;
    closeSocket();
  }
}

export function openSocket(): void {
  socket?.close();
  setOwnConnectionId(undefined);
  socket = connectSocket({
    url: config.value.wsUrl,
    onMessage: handlePush,
    heartbeat: HEARTBEATS.guest,
    onResync: (reconnected) => {
      if (socket?.send({ action: 'sync' })) menuCheckPending ||= reconnected;
      else if (reconnected) void loadMenu();
      if (reconnected) {
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
      // order taking the lines out of the cart has its own notice. Whatever was said meanwhile is
      // newer news (above all a table-mate's order placed right after this change) and stays.
      if (before && next.version > before.version && linesKey(next) !== linesKey(before)) {
        const saidBefore = noticesSaid();
        setTimeout(() => {
          const ordered = next.lines.length === 0 && orderedJustNow();
          if (!ownVersions.has(next.version) && !ordered && noticesSaid() === saidBefore) say(words('cart.updatedByOther'));
        }, 1200);
      }
      break;
    }
    case 'menu.updated':
      menuVersionShown = undefined;
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
        noteNewOrder();
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
      const sync = message as { connectionId?: string; cart?: Cart | null; orders?: Order[]; menuVersion?: string };
      setOwnConnectionId(sync.connectionId);
      checkMenuVersion(sync.menuVersion);
      setCart(sync.cart);
      if (sync.orders) orders.value = sync.orders;
      break;
    }
    case 'session.closed':
      closeSocket();
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
