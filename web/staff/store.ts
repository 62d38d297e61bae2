/**
 * The staff console's live state and actions. The floor (tables + recent orders) loads over HTTP,
 * stays current from the staff WebSocket (`table.updated`, `order.pending`, `order.updated`), and
 * reloads in full on every (re)connect so nothing pushed while the socket was down is missed. Hidden
 * for a minute, the console closes its socket (HEARTBEATS.staff) and reconnects, so reloads, when
 * it is visible again.
 * Every action's answer is applied at once; the push that follows is then a no-op. The table and
 * order actions (floor-actions.ts), the menu (menu-store.ts), the team (team-store.ts) and what each
 * push does (push.ts) live in their own modules; this one holds the floor, the socket and the lifecycle.
 *
 * PINs exist only in memory, only for sessions this screen opened or re-PINned: the server never
 * returns a PIN again.
 */
import { computed, effect, signal } from '@preact/signals';
import { isApiError, type ApiClient } from '../shared/api.ts';
import { errorText } from '../shared/error-text.ts';
import { t } from '../shared/i18n.ts';
import { HEARTBEATS } from '../shared/heartbeat.ts';
import { connectSocket, type LiveSocket } from '../shared/ws.ts';
import { createFloorActions, type ShownPin } from './floor-actions.ts';
import { FLOOR_RELOAD_MS, mergeReload, ordersBySession, upsertOrder } from './floor.ts';
import { createMenuStore } from './menu-store.ts';
import { loadMenuNames } from './names.ts';
import { staffPushHandler } from './push.ts';
import { createTeamStore } from './team-store.ts';
import type { FloorTable, StaffMe, StaffOrder } from './types.ts';

export type View = 'floor' | 'menu' | 'qr' | 'reports' | 'team';

export interface Notice {
  id: number;
  tone: 'info' | 'success' | 'warn' | 'error';
  /** Words from the catalogue are a function, called when shown: a language switch re-words the notice on screen. */
  text: string | (() => string);
}

export const noticeText = (notice: Notice): string => (typeof notice.text === 'function' ? notice.text() : notice.text);

/** A user-facing sentence for a failed action: known codes in the user's language, else the server's message. */
export function describeError(error: unknown): string {
  if (!isApiError(error)) return t('common.error');
  if (error.isNetwork) return t('common.networkError');
  const known: Record<string, string> = {
    SESSION_ALREADY_OPEN: 'staff.error.alreadyOpen',
    SESSION_CLOSED: 'staff.error.sessionClosed',
    RATE_LIMITED: 'staff.error.rateLimited',
    USERNAME_TAKEN: 'staff.error.usernameTaken',
    SELF_LOCKOUT: 'staff.error.selfLockout',
    LAST_ADMIN: 'staff.error.lastAdmin',
    // The catalogue's words (what to do next) rather than the server's English.
    TABLE_EXISTS: 'error.TABLE_EXISTS',
    TABLE_IN_USE: 'error.TABLE_IN_USE',
  };
  if (known[error.code]) return t(known[error.code]);
  return errorText(error);
}

export type StaffConsole = ReturnType<typeof createStaffConsole>;

export function createStaffConsole(api: ApiClient, wsBase: string) {
  const me = signal<StaffMe | undefined>(undefined);
  const tables = signal<FloorTable[]>([]);
  const orders = signal<ReadonlyMap<string, StaffOrder>>(new Map());
  const loaded = signal(false);
  const loadFailed = signal(false);
  const lastLoadedAt = signal<number | undefined>(undefined);
  const socket = signal<LiveSocket | undefined>(undefined);
  const pins = signal<ReadonlyMap<string, ShownPin>>(new Map());
  const notice = signal<Notice | undefined>(undefined);
  /** Bumped per session on every table.updated: an open bill reloads (an online payment, refund or flag moves no order). */
  const sessionStamps = signal<ReadonlyMap<string, number>>(new Map());
  const view = signal<View>('floor');
  const selectedTableId = signal<string | undefined>(undefined);
  const menuStore = createMenuStore(api);
  const teamStore = createTeamStore(api);

  /** Down or silent too long (the shared socket's watchdog): the screen says so loudly. */
  const stale = computed(() => socket.value?.stale.value ?? true);
  /** The first connection after sign-in is still being made: not "offline" yet. */
  const connecting = computed(() => socket.value?.connecting.value ?? true);
  const bySession = computed(() => ordersBySession(orders.value.values()));
  const selectedTable = computed(() => tables.value.find((table) => table.tableId === selectedTableId.value));
  const role = computed(() => me.value?.role);

  let generation = 0;
  let noticeId = 0;
  let stopped = false;
  let tablesTimer: ReturnType<typeof setTimeout> | undefined;
  let refreshTimer: ReturnType<typeof setInterval> | undefined;
  let stopWatchingSocket: (() => void) | undefined;

  function flash(tone: Notice['tone'], text: Notice['text']): void {
    const shown: Notice = { id: ++noticeId, tone, text };
    notice.value = shown;
    setTimeout(() => {
      if (notice.value === shown) notice.value = undefined;
    }, tone === 'error' ? 9_000 : 6_000);
  }

  const openSessionIds = () => new Set(tables.value.flatMap((table) => (table.session ? [table.session.sessionId] : [])));

  /** Tables and the last 24 hours' orders, together. Run at start, on every (re)connect and periodically. */
  async function load(): Promise<void> {
    const mine = ++generation;
    try {
      const [floor, list] = await Promise.all([
        api.get<{ tables: FloorTable[] }>('/staff/tables'),
        api.get<{ orders: StaffOrder[] }>('/staff/orders'),
      ]);
      if (mine !== generation || stopped) return;
      tables.value = floor.tables;
      orders.value = mergeReload(orders.value, list.orders, openSessionIds());
      forgetClosedPins();
      loaded.value = true;
      loadFailed.value = false;
      lastLoadedAt.value = Date.now();
    } catch (error) {
      if (mine !== generation || stopped) return;
      if (isApiError(error) && error.isAuth) return; // the app goes back to sign-in
      loadFailed.value = true;
      setTimeout(() => {
        if (mine === generation && !stopped) void load();
      }, 3_000);
    }
  }

  async function loadTables(): Promise<void> {
    try {
      const floor = await api.get<{ tables: FloorTable[] }>('/staff/tables');
      if (stopped) return;
      tables.value = floor.tables;
      forgetClosedPins();
    } catch {
      /* the next reload or reconnect catches up */
    }
  }

  /** Every order of one session, cancelled ones and those older than the floor's 24-hour window included. */
  async function loadSessionOrders(sessionId: string): Promise<void> {
    try {
      const list = await api.get<{ orders: StaffOrder[] }>(`/staff/orders?sessionId=${encodeURIComponent(sessionId)}`);
      let next = orders.value;
      for (const order of list.orders) next = upsertOrder(next, order);
      orders.value = next;
    } catch {
      /* shown from what the floor already holds */
    }
  }

  function scheduleTables(): void {
    clearTimeout(tablesTimer);
    tablesTimer = setTimeout(() => void loadTables(), 250);
  }

  function forgetClosedPins(): void {
    const open = openSessionIds();
    if ([...pins.value.keys()].every((id) => open.has(id))) return;
    pins.value = new Map([...pins.value].filter(([id]) => open.has(id)));
  }

  function acceptOrder(order: StaffOrder): void {
    orders.value = upsertOrder(orders.value, order);
  }

  const onMessage = staffPushHandler({
    stampSession: (sessionId) => {
      sessionStamps.value = new Map(sessionStamps.value).set(sessionId, (sessionStamps.value.get(sessionId) ?? 0) + 1);
    },
    scheduleTables,
    acceptOrder,
    load,
    flash,
    reconnect: () => socket.value?.reconnectNow(),
  });

  function start(user: StaffMe): void {
    stopped = false;
    me.value = user;
    void loadMenuNames(api);
    socket.value?.close();
    const separator = wsBase.includes('?') ? '&' : '?';
    socket.value = connectSocket({
      url: `${wsBase}${separator}channel=staff`,
      onMessage,
      heartbeat: HEARTBEATS.staff,
      // Every open, and when a tablet wakes up (visible again, back online): the floor as it is now.
      onResync: () => void load(),
    });
    // The server closes a user's sockets when it ends their sessions (disabled, new role, new
    // password, signed out everywhere): ask at once whether we are still signed in. A 401 sends the
    // app back to sign-in (the API client's auth listener); anything else (a network drop) is left
    // to the reconnect. A socket closed because the page is hidden (parked) asks nothing.
    stopWatchingSocket?.();
    let wasConnected = false;
    stopWatchingSocket = effect(() => {
      const connected = socket.value?.connected.value ?? false;
      const parked = socket.value?.parked.value ?? false;
      if (wasConnected && !connected && !parked && !stopped) void api.get('/staff/me').catch(() => undefined);
      wasConnected = connected;
    });
    void load();
    clearInterval(refreshTimer);
    refreshTimer = setInterval(() => {
      if (globalThis.document?.visibilityState !== 'hidden') void load();
    }, FLOOR_RELOAD_MS);
  }

  function stop(): void {
    stopped = true;
    generation += 1;
    stopWatchingSocket?.();
    stopWatchingSocket = undefined;
    socket.value?.close();
    socket.value = undefined;
    clearInterval(refreshTimer);
    clearTimeout(tablesTimer);
    me.value = undefined;
    tables.value = [];
    orders.value = new Map();
    pins.value = new Map();
    loaded.value = false;
    selectedTableId.value = undefined;
    teamStore.users.value = undefined;
    if (view.value === 'team') view.value = 'floor';
  }

  const floorActions = createFloorActions({ api, tables, pins, acceptOrder, scheduleTables });

  return {
    /** The API client, for sections that read without keeping state here (reports). */
    api,
    // state
    me,
    role,
    tables,
    orders,
    bySession,
    loaded,
    loadFailed,
    lastLoadedAt,
    socket,
    stale,
    connecting,
    pins,
    notice,
    sessionStamps,
    view,
    selectedTableId,
    selectedTable,
    // lifecycle
    start,
    stop,
    load,
    loadSessionOrders,
    flash,
    // floor actions (floor-actions.ts)
    ...floorActions,
    // menu (menu-store.ts) and team (team-store.ts)
    ...menuStore,
    ...teamStore,
  };
}
