/**
 * The kitchen display's state (signals): the board, loaded over HTTP and kept current from the
 * kitchen WebSocket (push.ts), reloaded on every (re)connect so no ticket is ever missed. What the
 * cook's taps do over HTTP is in actions.ts; the server's answer (or push) is the truth.
 */
import { computed, effect, signal } from '@preact/signals';
import { isApiError, type ApiClient } from '../shared/api.ts';
import { readPref, writePref } from '../shared/storage.ts';
import { HEARTBEATS } from '../shared/heartbeat.ts';
import { connectSocket, type LiveSocket } from '../shared/ws.ts';
import { createTicketActions, type LastChange, type Notice } from './actions.ts';
import { applyRemoval, applyTicket, emptyBoard, replaceBumped, replaceOpen, sortedTickets, allDayCounts, type BoardState } from './board.ts';
import { floorNames, stationNames } from './names.ts';
import { kitchenPushHandler } from './push.ts';
import { beepAlarm, beepNewTicket } from './sound.ts';
import type { AllDayAnswer, KitchenBoard, KitchenTicket, KitchenTicketList, TicketTime, Urgency } from './types.ts';
import { DEFAULT_URGENCY, clockOffset } from './urgency.ts';

export type { LastChange, Notice } from './actions.ts';

const STATION_PREF = 'kitchen.station';
const ALARM_REPEAT_MS = 20_000;
const UNDO_WINDOW_MS = 30_000;
/** How often the average ticket times are refreshed (they also refresh after every reload). */
const STATS_REFRESH_MS = 30_000;

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
  /** The first connection after sign-in is still being made: the board just loaded, nothing was missed yet. */
  const connecting = computed(() => socket.value?.connecting.value ?? true);

  let generation = 0;
  let stopped = false;
  let everLive = false;
  const timers: ReturnType<typeof setInterval>[] = [];
  const disposers: (() => void)[] = [];

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

  const onMessage = kitchenPushHandler({
    accept,
    remove(ticket, reason) {
      const view = forStation(ticket, station.value);
      if (view) board.value = applyRemoval(board.value, view, reason);
    },
    syncOpen(orders, serverTime) {
      const { state, added } = replaceOpen(board.value, orders, serverTime);
      board.value = state;
      if (added.length) beepNewTicket();
    },
    reconnect: () => socket.value?.reconnectNow(),
  });

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

  const actions = createTicketActions(api, { busy, lastChange, accept, flash, load, ownSocket });

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
    connecting,
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

    ...actions,
  };
}
