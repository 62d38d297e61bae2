/**
 * The kitchen display's live state and actions: loads the board over HTTP, keeps it current from
 * the kitchen WebSocket, reloads everything on every (re)connect so no ticket is ever missed, and
 * turns taps into PATCH/POST calls. The server's answer (or push) is the truth; a 409 means another
 * tablet got there first, so the board reloads and says so.
 */
import { computed, effect, signal } from '@preact/signals';
import { isApiError, type ApiClient } from '../shared/api.ts';
import { errorText } from '../shared/error-text.ts';
import { t } from '../shared/i18n.ts';
import { readPref, writePref } from '../shared/storage.ts';
import type { ItemStatus, ServerMessage } from '../shared/types.ts';
import { HEARTBEATS } from '../shared/heartbeat.ts';
import { connectSocket, type LiveSocket } from '../shared/ws.ts';
import { applyRemoval, applyTicket, emptyBoard, replaceBumped, replaceOpen, sortedTickets, allDayCounts, type BoardState } from './board.ts';
import { dishLabel, floorNames, stationNames } from './names.ts';
import { beepAlarm, beepNewTicket } from './sound.ts';
import type { AllDayAnswer, KitchenBoard, KitchenItem, KitchenPush, KitchenTicket, KitchenTicketList, TicketReply, TicketTime, Urgency } from './types.ts';
import { DEFAULT_URGENCY, clockOffset, nextStatus, previousStatus } from './urgency.ts';

const STATION_PREF = 'kitchen.station';
const ALARM_REPEAT_MS = 20_000;
const UNDO_WINDOW_MS = 30_000;
/** How often the average ticket times are refreshed (they also refresh after every reload). */
const STATS_REFRESH_MS = 30_000;

export interface LastChange {
  orderId: string;
  orderNumber: string;
  index: number;
  name: string;
  from: ItemStatus;
  to: ItemStatus;
  at: number;
}

export interface Notice {
  tone: 'info' | 'warn' | 'error';
  text: string;
}

const isOpen = (ticket: KitchenTicket) => (ticket.status === 'confirmed' || ticket.status === 'preparing') && !ticket.bumpedAt;

function forStation(ticket: KitchenTicket, station: string | undefined): KitchenTicket | undefined {
  if (!station) return ticket;
  const items = ticket.items.filter((item) => item.station === station);
  return items.length ? { ...ticket, items } : undefined;
}

export type KitchenController = ReturnType<typeof createKitchen>;

export function createKitchen(api: ApiClient, wsBase: string) {
  const board = signal<BoardState>(emptyBoard());
  const urgency = signal<Urgency>(DEFAULT_URGENCY);
  const stations = signal<string[]>([]);
  const station = signal<string | undefined>(readPref<string>(STATION_PREF) || undefined);
  const offsetMs = signal(0);
  /** The server's clock, ticking every second: ages and urgency are computed against it. */
  const serverNow = signal(Date.now());
  const loaded = signal(false);
  const loadFailed = signal(false);
  const notice = signal<Notice | undefined>(undefined);
  const busy = signal<ReadonlySet<string>>(new Set());
  const lastChange = signal<LastChange | undefined>(undefined);
  const socket = signal<LiveSocket | undefined>(undefined);

  const ticketTimes = signal<TicketTime[]>([]);

  const tickets = computed(() => sortedTickets(board.value));
  // A bumped ticket's dishes still to cook are still to cook: they count until served or cancelled.
  const allDay = computed(() => allDayCounts([...board.value.tickets.values(), ...board.value.bumped]));
  /** Down or silent for 45 s (the shared socket's watchdog): the screen must say so loudly. */
  const stale = computed(() => socket.value?.stale.value ?? true);

  let generation = 0;
  let stopped = false;
  let everLive = false;
  const timers: ReturnType<typeof setInterval>[] = [];
  const disposers: (() => void)[] = [];

  function setBusy(key: string, on: boolean): void {
    const next = new Set(busy.value);
    if (on) next.add(key);
    else next.delete(key);
    busy.value = next;
  }

  function flash(next: Notice): void {
    notice.value = next;
    const shown = next;
    setTimeout(() => {
      if (notice.value === shown) notice.value = undefined;
    }, 6_000);
  }

  /** A ticket the server sent us (reply or push), filtered to this screen's station. */
  function accept(ticket: KitchenTicket, { created = false } = {}): void {
    const view = forStation(ticket, station.value);
    if (!view) return;
    if (isOpen(view)) {
      const result = applyTicket(board.value, view);
      board.value = result.state;
      if (result.isNew && (created || loaded.value)) beepNewTicket();
    } else {
      board.value = applyRemoval(board.value, view, view.bumpedAt ? 'bumped' : view.status);
    }
  }

  /** Loads the open tickets and the recall list; run at start, on every (re)connect and after a 409. */
  async function load(): Promise<void> {
    const mine = ++generation;
    const query = station.value ? `&station=${encodeURIComponent(station.value)}` : '';
    try {
      const sentAt = Date.now();
      const open = await api.get<KitchenBoard>(`/kitchen/orders?status=open${query}`);
      if (mine !== generation || stopped) return;
      offsetMs.value = clockOffset(open.serverTime, sentAt, Date.now());
      serverNow.value = Date.now() + offsetMs.value;
      urgency.value = open.urgency;
      stations.value = open.stations;
      stationNames.value = open.stationNames;
      floorNames.value = open.floorNames;
      const { state, added } = replaceOpen(board.value, open.orders, open.serverTime);
      board.value = state;
      if (loaded.value && added.length > 0) beepNewTicket(); // missed while disconnected
      loaded.value = true;
      loadFailed.value = false;
      const bumped = await api.get<KitchenTicketList>(`/kitchen/orders?status=bumped${query}`);
      if (mine !== generation || stopped) return;
      board.value = replaceBumped(board.value, bumped.orders);
      void loadStats();
    } catch (error) {
      if (mine !== generation || stopped) return;
      if (isApiError(error) && error.isAuth) return; // the app signs out
      loadFailed.value = true;
      setTimeout(() => {
        if (mine === generation && !stopped) void load();
      }, 3_000);
    }
  }

  /** The average ticket time per station over the last hour (from GET /kitchen/all-day). */
  async function loadStats(): Promise<void> {
    const query = station.value ? `?station=${encodeURIComponent(station.value)}` : '';
    try {
      const answer = await api.get<AllDayAnswer>(`/kitchen/all-day${query}`);
      if (!stopped) ticketTimes.value = answer.ticketTimes;
    } catch {
      // Figures only: the next refresh tries again.
    }
  }

  function onMessage(message: ServerMessage): void {
    const push = message as KitchenPush;
    switch (push.type) {
      case 'order.created':
        accept(push.ticket, { created: true });
        break;
      case 'kitchen.ticket':
        accept(push.ticket);
        break;
      case 'kitchen.ticket_removed':
        if (forStation(push.ticket, station.value)) board.value = applyRemoval(board.value, forStation(push.ticket, station.value)!, push.reason);
        break;
      case 'sync': {
        const { state, added } = replaceOpen(board.value, push.orders ?? [], push.serverTime);
        board.value = state;
        if (added.length) beepNewTicket();
        break;
      }
      default:
        if ((message as { type: string; error?: { code?: string } }).type === 'error') socket.value?.reconnectNow();
    }
  }

  function connect(): void {
    socket.value?.close();
    const params = new URLSearchParams({ channel: 'kitchen' });
    if (station.value) params.set('station', station.value);
    const separator = wsBase.includes('?') ? '&' : '?';
    socket.value = connectSocket({
      url: `${wsBase}${separator}${params}`,
      onMessage,
      heartbeat: HEARTBEATS.kitchen,
      // Every open, the first included: reload over HTTP so nothing pushed while down is missed. A
      // new socket also asks for its id (the sync reply names it), which this tablet's changes send.
      onResync: () => {
        if (!socket.value?.connectionId) socket.value?.send({ action: 'sync' });
        void load();
      },
    });
  }

  /** Names this tablet's socket on a change: the change's push skips it, the answer carries the ticket. */
  function ownSocket(): { headers: Record<string, string> } | undefined {
    const id = socket.value?.connectionId;
    return id ? { headers: { 'x-plato-connection-id': id } } : undefined;
  }

  async function changeItem(ticket: KitchenTicket, item: KitchenItem, to: ItemStatus, remember: boolean): Promise<void> {
    const key = `${ticket.orderId}:${item.index}`;
    if (busy.value.has(key)) return;
    setBusy(key, true);
    try {
      const reply = await api.patch<TicketReply>(`/kitchen/orders/${ticket.orderId}/items/${item.index}`, { status: to, from: item.itemStatus }, ownSocket());
      accept(reply.ticket);
      lastChange.value = remember
        ? { orderId: ticket.orderId, orderNumber: ticket.orderNumber, index: item.index, name: dishLabel(item), from: item.itemStatus, to, at: Date.now() }
        : undefined;
    } catch (error) {
      handleActionError(error);
    } finally {
      setBusy(key, false);
    }
  }

  function handleActionError(error: unknown): void {
    if (isApiError(error) && error.isAuth) return;
    if (isApiError(error) && error.status === 409) {
      flash({ tone: 'warn', text: t('kitchen.changedElsewhere', { message: errorText(error) }) });
      void load();
    } else if (isApiError(error) && error.status === 403) {
      flash({ tone: 'error', text: errorText(error) });
    } else if (isApiError(error) && error.status === 404) {
      flash({ tone: 'warn', text: errorText(error) });
      void load();
    } else {
      flash({ tone: 'error', text: t('kitchen.actionFailed') });
    }
  }

  return {
    board,
    tickets,
    allDay,
    ticketTimes,
    urgency,
    stations,
    station,
    serverNow,
    loaded,
    loadFailed,
    notice,
    busy,
    lastChange,
    stale,
    socket,

    start(): void {
      stopped = false;
      void load();
      connect();
      timers.push(
        setInterval(() => void loadStats(), STATS_REFRESH_MS),
        setInterval(() => {
          serverNow.value = Date.now() + offsetMs.value;
          const last = lastChange.value;
          if (last && Date.now() - last.at > UNDO_WINDOW_MS) lastChange.value = undefined;
        }, 1_000),
      );
      // The alarm: once when the screen goes stale, then again every 20 s until it is live again.
      let alarmTimer: ReturnType<typeof setInterval> | undefined;
      disposers.push(
        effect(() => {
          const isStale = stale.value;
          if (isStale && everLive && !alarmTimer) {
            beepAlarm();
            alarmTimer = setInterval(beepAlarm, ALARM_REPEAT_MS);
          }
          if (!isStale) {
            everLive = true;
            clearInterval(alarmTimer);
            alarmTimer = undefined;
          }
        }),
        () => clearInterval(alarmTimer),
      );
      // The server closes this tablet's socket when the account's sessions end (disabled, new role,
      // new password, signed out everywhere): ask at once whether we are still signed in; a 401
      // sends the app to sign-in. Anything else (a network drop) is left to the reconnect.
      let wasConnected = false;
      disposers.push(
        effect(() => {
          const connected = socket.value?.connected.value ?? false;
          if (wasConnected && !connected && !stopped) void api.get('/staff/me').catch(() => undefined);
          wasConnected = connected;
        }),
      );
    },

    stop(): void {
      stopped = true;
      generation++;
      socket.value?.close();
      socket.value = undefined;
      timers.splice(0).forEach(clearInterval);
      disposers.splice(0).forEach((dispose) => dispose());
    },

    /** Remembered on this tablet: a preference, not a credential. */
    setStation(next: string | undefined): void {
      if (next === station.value) return;
      station.value = next;
      writePref(STATION_PREF, next);
      board.value = emptyBoard();
      ticketTimes.value = [];
      loaded.value = false;
      lastChange.value = undefined;
      void load();
      connect();
    },

    reconnectNow(): void {
      socket.value?.reconnectNow();
      void load();
    },

    /** One tap: the next step (NEW → COOKING → READY → SERVED). */
    advance(ticket: KitchenTicket, item: KitchenItem): Promise<void> {
      const to = nextStatus(item.itemStatus);
      return to ? changeItem(ticket, item, to, true) : Promise.resolve();
    },

    /** Long press: one step back. */
    stepBack(ticket: KitchenTicket, item: KitchenItem): Promise<void> {
      const to = previousStatus(item.itemStatus);
      return to ? changeItem(ticket, item, to, false) : Promise.resolve();
    },

    /** Undo the last tap made on this screen (within 30 s). */
    async undo(): Promise<void> {
      const last = lastChange.value;
      if (!last) return;
      const key = `${last.orderId}:${last.index}`;
      if (busy.value.has(key)) return;
      setBusy(key, true);
      try {
        const reply = await api.patch<TicketReply>(`/kitchen/orders/${last.orderId}/items/${last.index}`, { status: last.from, from: last.to }, ownSocket());
        accept(reply.ticket);
        lastChange.value = undefined;
      } catch (error) {
        lastChange.value = undefined;
        handleActionError(error);
      } finally {
        setBusy(key, false);
      }
    },

    async bump(ticket: KitchenTicket): Promise<void> {
      const key = `bump:${ticket.orderId}`;
      if (busy.value.has(key)) return;
      setBusy(key, true);
      try {
        const reply = await api.post<TicketReply>(`/kitchen/orders/${ticket.orderId}/bump`, {}, ownSocket());
        accept(reply.ticket);
        if (lastChange.value?.orderId === ticket.orderId) lastChange.value = undefined;
      } catch (error) {
        handleActionError(error);
      } finally {
        setBusy(key, false);
      }
    },

    async recall(ticket: KitchenTicket): Promise<void> {
      const key = `recall:${ticket.orderId}`;
      if (busy.value.has(key)) return;
      setBusy(key, true);
      try {
        const reply = await api.post<TicketReply>(`/kitchen/orders/${ticket.orderId}/recall`, {}, ownSocket());
        accept(reply.ticket);
      } catch (error) {
        handleActionError(error);
      } finally {
        setBusy(key, false);
      }
    },
  };
}
