/**
 * Guests for the crash test: each holds one table (INDIVIDUAL mode, so the cart is hers alone) and
 * loops "add a dish, place the cart" until the runtime dies. What the API acknowledged is recorded,
 * so the checks after a restart know what must have survived.
 */
import { randomUUID } from 'node:crypto';
import { apiClient, type ApiResponse } from '../../support/http.ts';
import { STAFF_PASSWORD } from './runtime.ts';

export interface Placement {
  key: string;
  /** The cart version the order was placed from: placing it empties the cart (version + 1). */
  cartVersion: number;
  /** When the first attempt was sent (its idempotency record cannot stay IN_PROGRESS past this + the function timeout). */
  sentAt: number;
  /** When the last attempt was sent. */
  lastSentAt: number;
}

export interface Guest {
  tableNumber: string;
  sessionId: string;
  token: string;
  /** The highest cart version the API acknowledged (an add to cart, or a placement's emptied cart). */
  ackedCartVersion: number;
  /** A placement sent without a definitive answer yet: retried with its key until it gets one. */
  pending?: Placement;
  /** Idempotency-Key -> the order the API answered 201 with. */
  acked: Map<string, Placement & { orderId: string }>;
}

export const DISH = 'Masala Chai';

export class GuestError extends Error {}

function expectStatus(what: string, response: ApiResponse, status: number): void {
  if (response.status !== status) throw new GuestError(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
}

/** Opens `tableNumbers` as the waiter and joins each with one guest. */
export async function seatGuests(baseUrl: string, tableNumbers: string[]): Promise<Guest[]> {
  const api = apiClient(baseUrl);
  const login = await api.post('/api/staff/login', { username: 'waiter', password: STAFF_PASSWORD });
  expectStatus('waiter login', login, 200);
  const token = login.body.token as string;
  const tables = await api.get<{ tables: { tableId: string; number: string }[] }>('/api/staff/tables', { token });
  expectStatus('list tables', tables, 200);
  // What each table's printed QR card carries (`?table=<code>`), as a guest would scan it.
  const sheet = await api.get<{ floors: { tables: { tableId: string; url: string }[] }[] }>('/api/staff/qr-codes', { token });
  expectStatus('QR sheet', sheet, 200);
  const links = new Map(sheet.body.floors.flatMap((floor) => floor.tables).map((card) => [card.tableId, new URL(card.url).searchParams.get('table')]));
  const guests: Guest[] = [];
  for (const number of tableNumbers) {
    const table = tables.body.tables.find((t) => t.number === number);
    if (!table) throw new GuestError(`no table ${number}`);
    const opened = await api.post(`/api/staff/tables/${table.tableId}/sessions`, { mode: 'INDIVIDUAL' }, { token });
    expectStatus(`open ${number}`, opened, 201);
    const joined = await api.post('/api/sessions/join', { table: links.get(table.tableId), pin: opened.body.pin });
    expectStatus(`join ${number}`, joined, 200);
    guests.push({ tableNumber: number, sessionId: joined.body.sessionId, token: joined.body.sessionToken, ackedCartVersion: 0, acked: new Map() });
  }
  return guests;
}

export async function dishId(baseUrl: string): Promise<string> {
  const menu = await apiClient(baseUrl).get('/api/menu');
  expectStatus('menu', menu, 200);
  const item = (menu.body.categories as { items: { id: string; name: string }[] }[]).flatMap((c) => c.items).find((i) => i.name === DISH);
  if (!item) throw new GuestError(`no ${DISH} on the menu`);
  return item.id;
}

export function placeOrder(baseUrl: string, guest: Guest, placement: Placement): Promise<ApiResponse> {
  placement.lastSentAt = Date.now();
  return apiClient(baseUrl).post('/api/orders', { cartVersion: placement.cartVersion }, { token: guest.token, headers: { 'idempotency-key': placement.key } });
}

/**
 * Records a placement's answer. 201: acknowledged (must survive every later crash). 409
 * IN_PROGRESS: still pending. Anything else is a broken promise, returned as a violation.
 */
export function settlePlacement(guest: Guest, placement: Placement, response: ApiResponse): string | undefined {
  if (response.status === 201) {
    const orderId = response.body.orderId as string;
    const known = guest.acked.get(placement.key);
    if (known && known.orderId !== orderId) return `${guest.tableNumber} key ${placement.key}: replay answered order ${orderId}, first answer was ${known.orderId}`;
    guest.acked.set(placement.key, { ...placement, orderId });
    guest.ackedCartVersion = Math.max(guest.ackedCartVersion, placement.cartVersion + 1);
    if (guest.pending?.key === placement.key) guest.pending = undefined;
    return undefined;
  }
  if (response.status === 409 && response.body?.error?.code === 'IN_PROGRESS') return undefined;
  return `${guest.tableNumber} key ${placement.key} (cart v${placement.cartVersion}): ${response.status} ${JSON.stringify(response.body?.error ?? response.body)}`;
}

/**
 * What a lane's guests are doing, so the test can kill the runtime by progress (acknowledged
 * orders) rather than by wall time, which a loaded machine stretches unpredictably.
 */
export class OrderFlow {
  /** Placements answered 201 since this flow started. */
  acked = 0;
  /** Placement requests sent and not answered yet. */
  placementsInFlight = 0;
  /** How long the last acknowledged placement took, ms. */
  lastPlacementMs = 0;
  /** Placements answered 409 IN_PROGRESS (a key held by the killed run's placement). */
  inProgress = 0;
  private waiters: { count: number; resolve: () => void }[] = [];

  ack(): void {
    this.acked++;
    for (const waiter of this.waiters.filter((w) => this.acked >= w.count)) waiter.resolve();
    this.waiters = this.waiters.filter((w) => this.acked < w.count);
  }

  /** Resolves true once `count` placements were acknowledged, or false after `timeoutMs`. */
  untilAcked(count: number, timeoutMs: number): Promise<boolean> {
    if (this.acked >= count) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.waiters.push({ count, resolve: () => (clearTimeout(timer), resolve(true)) });
    });
  }
}

/**
 * One guest ordering until the runtime dies (a request fails to connect) or `stop()` is true.
 * Violations (answers that break a promise made earlier) are pushed to `violations`.
 */
export async function orderUntilKilled(baseUrl: string, guest: Guest, dish: string, stop: () => boolean, violations: string[], flow: OrderFlow, answered = () => {}): Promise<void> {
  const api = apiClient(baseUrl);
  let inProgressAnswers = 0;
  try {
    for (let first = true; !stop(); first = false) {
      if (!first) answered();
      if (guest.pending) {
        flow.placementsInFlight++;
        const sent = Date.now();
        let response: ApiResponse;
        try {
          response = await placeOrder(baseUrl, guest, guest.pending);
        } finally {
          flow.placementsInFlight--;
        }
        const violation = settlePlacement(guest, guest.pending, response);
        if (violation) {
          violations.push(violation);
          return;
        }
        if (response.status === 201) {
          flow.lastPlacementMs = Date.now() - sent;
          flow.ack();
        }
        // IN_PROGRESS: a placement of the killed run holds the key until its function timeout; back
        // off (0.1, 0.2, 0.4, 0.8, then every 1 s) rather than retry ~100 times meanwhile.
        if (guest.pending) flow.inProgress++;
        if (guest.pending) await new Promise((r) => setTimeout(r, Math.min(100 * 2 ** inProgressAnswers++, 1000)));
        else inProgressAnswers = 0;
        continue;
      }
      const added = await api.post('/api/cart/items', { menuItemId: dish, quantity: 1 }, { token: guest.token });
      if (added.status !== 200) {
        violations.push(`${guest.tableNumber} add to cart: ${added.status} ${JSON.stringify(added.body)}`);
        return;
      }
      guest.ackedCartVersion = Math.max(guest.ackedCartVersion, added.body.version);
      const now = Date.now();
      guest.pending = { key: randomUUID(), cartVersion: added.body.version, sentAt: now, lastSentAt: now };
    }
  } catch {
    // the runtime was killed mid-request: whatever was in flight stays pending
  } finally {
    answered();
  }
}

/**
 * A lane's guests ordering until the runtime dies, started one after another: each once the one
 * before has had its first answer (the first in turn changes every run). A restarted runtime's
 * containers all start cold; guests starting together would cold-start a container per guest in
 * each function group (a container serves one invocation at a time), ~0.35 s of CPU each, where a
 * Lambda's traffic after a deploy ramps up. Once started, they order side by side.
 */
export function orderInTurn(baseUrl: string, guests: Guest[], dish: string, stop: () => boolean, violations: string[], flow: OrderFlow, turn: number): Promise<void[]> {
  let previous = Promise.resolve();
  const ordering = guests.map((_, i) => {
    const guest = guests[(i + turn) % guests.length]!;
    const after = previous;
    let answered!: () => void;
    previous = new Promise<void>((resolve) => (answered = resolve));
    return after.then(() => orderUntilKilled(baseUrl, guest, dish, stop, violations, flow, answered));
  });
  return Promise.all(ordering);
}
