/**
 * The authorization matrix, generated from the route table: every HTTP route × every kind of caller.
 *
 * ROUTES below is the security specification: each route's expected `auth` (checked against
 * functions/routes.ts, so a weakened route fails here) and a recipe that builds a request with real
 * ids, so authorized calls reach the domain. A route in HTTP_ROUTES without an entry fails the test:
 * new routes must be classified here.
 *
 * Expected answers follow only from the route's auth and the caller:
 *   public  → every caller is served (state-changing requests from a foreign Origin: 403 ORIGIN_FORBIDDEN)
 *   diner   → guests of an open session of THIS restaurant; no credential 401 UNAUTHENTICATED, a guest token of
 *             another restaurant 401 TOKEN_INVALID, an expired one 401 TOKEN_EXPIRED, any JWT 403 FORBIDDEN
 *   staff R → staff JWTs of this restaurant with role ≥ R; a lower role or a guest token 403 FORBIDDEN,
 *             no credential 401 UNAUTHENTICATED, expired 401 TOKEN_EXPIRED, another restaurant's, tampered or
 *             `alg: none` 401 TOKEN_INVALID
 * "Served" means not refused: 2xx, or a domain 4xx other than 401/403 (e.g. 409 for a second open).
 * Guests of another session are served, but only with their own data (checked per route).
 */
import { randomUUID } from 'node:crypto';
import { ObjectId } from 'mongodb';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTP_ROUTES, routeKeyOf, type HttpRoute } from '../../functions/routes.ts';
import { STAFF_ROLES, roleAtLeast, type StaffRole } from '../../functions/core/roles.ts';
import { startTestStack, TEST_PASSWORD, USERNAME_OF, type JoinedGuest, type OpenedTable, type TestStack } from '../support/stack.ts';
import type { ApiResponse } from '../support/http.ts';
import { payOnSandbox, signedWebhook } from '../support/payments.ts';
import { expectEnvelope, foreignGuestToken, signStaffJwt, tamperedJwt, unsignedJwtLike } from './helpers.ts';

// ---------------------------------------------------------------- callers

const PRINCIPALS = [
  'anonymous',
  'guest of this session',
  'guest of another session',
  'guest of another restaurant',
  'expired guest token',
  'KITCHEN',
  'WAITER',
  'MANAGER',
  'ADMIN',
  'staff of another restaurant',
  'expired staff token',
  'tampered staff JWT',
  'JWT with alg none',
  'valid cookie, foreign Origin',
  'valid cookie, own Origin',
] as const;
type Principal = (typeof PRINCIPALS)[number];

const FOREIGN_ORIGIN = 'https://evil.example';

type Expectation = { served: true } | { served: false; status: 401 | 403; code: string };

const SERVED: Expectation = { served: true };
const refused = (status: 401 | 403, code: string): Expectation => ({ served: false, status, code });

const isStateChanging = (route: HttpRoute) => route.method !== 'GET';

/** The expected answer for a caller, from the route's auth alone. */
function expectationFor(route: HttpRoute, principal: Principal): Expectation {
  if (principal === 'valid cookie, foreign Origin' && isStateChanging(route)) return refused(403, 'ORIGIN_FORBIDDEN');
  const auth = route.auth;
  if (auth.kind === 'public') return SERVED;
  const cookieCaller = principal === 'valid cookie, foreign Origin' || principal === 'valid cookie, own Origin';
  if (principal === 'anonymous') return refused(401, 'UNAUTHENTICATED');
  if (auth.kind === 'diner') {
    if (principal === 'guest of this session' || principal === 'guest of another session' || cookieCaller) return SERVED;
    if (principal === 'guest of another restaurant') return refused(401, 'TOKEN_INVALID');
    if (principal === 'expired guest token') return refused(401, 'TOKEN_EXPIRED');
    return refused(403, 'FORBIDDEN'); // any staff JWT, valid or not, is not a guest credential
  }
  if ((STAFF_ROLES as readonly string[]).includes(principal)) {
    return roleAtLeast(principal as StaffRole, auth.minRole) ? SERVED : refused(403, 'FORBIDDEN');
  }
  if (cookieCaller) return SERVED; // an ADMIN cookie
  if (principal === 'staff of another restaurant') return refused(401, 'TOKEN_INVALID');
  if (principal === 'expired staff token') return refused(401, 'TOKEN_EXPIRED');
  if (principal === 'tampered staff JWT' || principal === 'JWT with alg none') return refused(401, 'TOKEN_INVALID');
  return refused(403, 'FORBIDDEN'); // guest tokens on staff routes
}

// ---------------------------------------------------------------- the world the calls act on

let t: TestStack;
let item: { id: string; name: string }; // a real, available dish

/** Uploads a small JPEG for `item` as ADMIN (presigned POST to the local media bucket) and returns its key. */
async function uploadedPhotoKey(): Promise<string> {
  const started = await t.api.post(`/api/staff/menu/items/${item.id}/photo/upload`, { contentType: 'image/jpeg', size: 1000 }, { token: tokens.get('ADMIN') });
  expect(started.status).toBe(201);
  const form = new FormData();
  for (const [name, value] of Object.entries(started.body.upload.fields as Record<string, string>)) form.append(name, value);
  const jpeg = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#c84' } }).jpeg().toBuffer();
  form.append('file', new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }));
  expect((await fetch(new URL(started.body.upload.url, t.baseUrl), { method: 'POST', body: form })).status).toBe(204);
  return started.body.key;
}
let home: OpenedTable; // the session "this guest" belongs to
let guest: JoinedGuest; // guest of this session
let homeLineId: string; // a line in this session's cart
let homeOrderId: string; // an order of this session
let other: OpenedTable;
let otherGuest: JoinedGuest; // guest of another session (another table)
let otherLineId: string;
let pinSession: OpenedTable; // a session whose PIN is regenerated

/** A fresh phone at this table that asked for a one-time code for a number of its own (read from the local outbox). */
async function codeSentToFreshGuest(): Promise<{ token: string; code: string }> {
  const fresh = await t.joinTable(home.code, home.pin);
  const phone = `98${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  expect((await t.api.post('/api/customers/identify', { name: 'Matrix', phone }, { token: fresh.sessionToken })).status).toBe(200);
  const { messages } = (await (await fetch(`${t.baseUrl}/__local/sms`)).json()) as { messages: { to: string; text: string }[] };
  const code = /\b(\d{6})\b/.exec(messages.filter((m) => m.to === `+91${phone}`).at(-1)!.text)![1];
  return { token: fresh.sessionToken, code };
}

/** A fresh phone at this table whose number is verified: a known customer. */
async function verifiedFreshGuest(): Promise<string> {
  const { token, code } = await codeSentToFreshGuest();
  expect((await t.api.post('/api/customers/verify', { code }, { token })).status).toBe(200);
  return token;
}
let openTableId: string; // a table that gets opened by the first authorized caller
const tokens = new Map<Principal, string>();

const orders = () => t.collection('digital_menu_customer_orders');

async function addLine(as: JoinedGuest, quantity = 1): Promise<{ lineId: string; version: number }> {
  const { lines, version } = await t.addToCart(as, item.name, quantity);
  return { lineId: lines[lines.length - 1].lineId, version };
}

async function placeOrder(as: JoinedGuest): Promise<string> {
  const { version } = await addLine(as);
  return (await t.orderCart(as, version)).orderId;
}

let orderSource: JoinedGuest; // a separate table whose orders are consumed (rejected, cancelled)
let sourceTable: OpenedTable;

/** A payment intent of this session, started by a new phone at the table. */
async function homeIntent(): Promise<string> {
  const phone = await t.joinTable(home.tableId, home.pin);
  const started = await t.api.post('/api/payments', { scope: { kind: 'bill' } }, { token: phone.sessionToken, headers: { 'idempotency-key': randomUUID() } });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  return started.body.payment.intentId;
}

/** A paid intent (on the order-source table), for refunds. */
async function paidIntent(): Promise<string> {
  await freshOrder();
  const phone = await t.joinTable(sourceTable.tableId, sourceTable.pin);
  const started = await t.api.post('/api/payments', { scope: { kind: 'bill' } }, { token: phone.sessionToken, headers: { 'idempotency-key': randomUUID() } });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  const payment = started.body.payment;
  await payOnSandbox(payment.checkoutUrl, 'success');
  return payment.intentId;
}
/** A new order (pending: this stack has waiter approval), confirmed by a waiter when the kitchen needs it. */
async function freshOrder(confirmed = false): Promise<string> {
  const orderId = await placeOrder(orderSource);
  if (confirmed) {
    const response = await t.api.post(`/api/staff/orders/${orderId}/confirm`, {}, { token: tokens.get('WAITER') });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
  }
  return orderId;
}

let sharedMatrixUser: Promise<string> | undefined;
/** A staff user created for the user-management routes (a fresh one with `fresh`). */
/** A table of the matrix's own (free), for the routes that change or remove one. */
async function matrixTable(): Promise<string> {
  const body = { number: `M-${randomUUID().slice(0, 8)}`, floor: 'Matrix Floor' };
  const response = await t.api.post('/api/staff/tables', body, { token: tokens.get('ADMIN') });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.tableId as string;
}

function matrixUser(fresh = false): Promise<string> {
  const create = async () => {
    const body = { username: `matrix-${randomUUID().slice(0, 8)}`, role: 'WAITER', password: 'matrix-password-1' };
    const response = await t.api.post('/api/staff/users', body, { token: tokens.get('ADMIN') });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body.userId as string;
  };
  if (fresh) return create();
  return (sharedMatrixUser ??= create());
}

async function cartOf(as: JoinedGuest): Promise<{ lines: { lineId: string }[] }> {
  const response = await t.api.get('/api/cart', { token: as.sessionToken });
  expect(response.status).toBe(200);
  return response.body;
}

beforeAll(async () => {
  // Waiter approval, so confirm and reject have pending orders to act on.
  t = await startTestStack({ env: { ORDER_APPROVAL: 'waiter', PHONE_CODES_PER_IP: '1000' } });
  item = (await t.menuItems()).find((i) => i.isAvailable)!;

  home = await t.openTable('T-2', 'FAMILY');
  guest = await t.joinTable(home.tableId, home.pin);
  homeOrderId = await placeOrder(guest);
  homeLineId = (await addLine(guest, 2)).lineId;

  other = await t.openTable('T-3', 'FAMILY');
  otherGuest = await t.joinTable(other.tableId, other.pin);
  otherLineId = (await addLine(otherGuest)).lineId;

  const source = await t.openTable('T-4', 'FAMILY');
  sourceTable = source;
  orderSource = await t.joinTable(source.tableId, source.pin);
  pinSession = await t.openTable('T-5', 'FAMILY');
  openTableId = await t.tableId('T-11');

  const secret = process.env.JWT_SECRET!;
  expect(secret.length).toBeGreaterThanOrEqual(32);
  for (const role of STAFF_ROLES) tokens.set(role, (await t.loginAs(role)).token);
  tokens.set('guest of this session', guest.sessionToken);
  tokens.set('guest of another session', otherGuest.sessionToken);
  tokens.set('guest of another restaurant', (await foreignGuestToken(await t.db(), 'other')).token);
  const expiring = await t.joinTable(home.tableId, home.pin);
  await t.collection('table_sessions').updateOne(
    { _id: new ObjectId(home.sessionId) },
    { $set: { 'customerTokens.$[t].expiresAt': new Date(Date.now() - 60_000) } },
    { arrayFilters: [{ 't.deviceId': expiring.deviceId }] },
  );
  tokens.set('expired guest token', expiring.sessionToken);
  const admin = tokens.get('ADMIN')!;
  const claims = JSON.parse(Buffer.from(admin.split('.')[1], 'base64url').toString());
  tokens.set('staff of another restaurant', await signStaffJwt(secret, { role: 'ADMIN', restaurantId: 'other', sub: claims.sub }));
  const past = Math.floor(Date.now() / 1000) - 3600;
  tokens.set('expired staff token', await signStaffJwt(secret, { role: 'ADMIN', sub: claims.sub, iat: past - 600, exp: past }));
  tokens.set('tampered staff JWT', tamperedJwt(tokens.get('KITCHEN')!));
  tokens.set('JWT with alg none', unsignedJwtLike(admin));
});

afterAll(() => t?.stop());

// ---------------------------------------------------------------- the specification

interface Call {
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Fresh guest tokens for this call (for routes that revoke the caller's token). */
  guestThis?: string;
  guestOther?: string;
  /** A fresh staff token for this call (for routes that revoke the caller's sign-in). */
  staffToken?: string;
}

interface RouteSpec {
  /** The auth this route must have: 'public', 'diner' or 'staff:<minimum role>'. */
  auth: string;
  call: (principal: Principal) => Promise<Call> | Call;
  /** Extra checks on a served answer (isolation of guests of another session, ...). */
  served?: (principal: Principal, response: ApiResponse, call: Call) => Promise<void> | void;
}

const notOurs = (principal: Principal, check: () => void) => {
  if (principal === 'guest of another session') check();
};

const ROUTES: Record<string, RouteSpec> = {
  'GET /api/health': { auth: 'public', call: () => ({ path: '/api/health' }) },
  'POST /api/staff/login': {
    auth: 'public',
    call: () => ({ path: '/api/staff/login', body: { username: 'kitchen', password: TEST_PASSWORD } }),
  },
  'POST /api/staff/logout': {
    auth: 'public',
    // Signing out revokes the caller's sign-in: staff callers sign in afresh for every call.
    call: async (principal) => {
      const role = (STAFF_ROLES as readonly string[]).includes(principal) ? (principal as StaffRole) : principal.startsWith('valid cookie') ? 'ADMIN' : undefined;
      if (!role) return { path: '/api/staff/logout', body: {} };
      const signedIn = await t.api.post('/api/staff/login', { username: USERNAME_OF[role], password: TEST_PASSWORD });
      expect(signedIn.status).toBe(200);
      return { path: '/api/staff/logout', body: {}, staffToken: signedIn.body.token };
    },
  },
  'GET /api/staff/me': { auth: 'staff:KITCHEN', call: () => ({ path: '/api/staff/me' }) },
  'GET /api/staff/users': {
    auth: 'staff:ADMIN',
    call: () => ({ path: '/api/staff/users' }),
    served: (_p, response) => expect(JSON.stringify(response.body)).not.toMatch(/passwordHash|scrypt|tokenVersion/),
  },
  'POST /api/staff/users': {
    auth: 'staff:ADMIN',
    call: () => ({ path: '/api/staff/users', body: { username: `matrix-${randomUUID().slice(0, 8)}`, role: 'WAITER', password: 'matrix-password-1' } }),
  },
  // Users of their own: ending the sessions of a principal's user would break the rest of the matrix.
  'PATCH /api/staff/users/{userId}': {
    auth: 'staff:ADMIN',
    call: async () => ({ path: `/api/staff/users/${await matrixUser()}`, body: { displayName: 'Matrix' } }),
  },
  'POST /api/staff/users/{userId}/sign-out': {
    auth: 'staff:ADMIN',
    call: async () => ({ path: `/api/staff/users/${await matrixUser(true)}/sign-out`, body: {} }),
  },
  'GET /api/staff/tables': {
    auth: 'staff:WAITER',
    call: () => ({ path: '/api/staff/tables' }),
    served: (_p, response) => expect(JSON.stringify(response.body)).not.toMatch(/"pin"|pinHash/i),
  },
  'GET /api/staff/qr-codes': { auth: 'staff:WAITER', call: () => ({ path: '/api/staff/qr-codes' }) },
  // Tables of their own, numbered afresh: the matrix's seeded tables stay as they are.
  'POST /api/staff/tables': {
    auth: 'staff:MANAGER',
    call: () => ({ path: '/api/staff/tables', body: { number: `M-${randomUUID().slice(0, 8)}`, floor: 'Matrix Floor' } }),
    served: (_p, response) => expect(response.body).toMatchObject({ floor: 'Matrix Floor', session: null }),
  },
  'PATCH /api/staff/tables/{tableId}': {
    auth: 'staff:MANAGER',
    call: async () => ({ path: `/api/staff/tables/${await matrixTable()}`, body: { number: `M-${randomUUID().slice(0, 8)}` } }),
  },
  'DELETE /api/staff/tables/{tableId}': {
    auth: 'staff:MANAGER',
    call: async () => ({ path: `/api/staff/tables/${await matrixTable()}` }),
  },
  'POST /api/staff/tables/{tableId}/code': {
    auth: 'staff:MANAGER',
    call: async () => ({ path: `/api/staff/tables/${await t.tableId('T-12')}/code`, body: {} }),
    served: (_p, response) => expect(new URL(response.body.url).searchParams.get('table')).toMatch(/^[A-Za-z0-9_-]{22}$/),
  },
  'POST /api/staff/tables/{tableId}/sessions': {
    auth: 'staff:WAITER',
    call: () => ({ path: `/api/staff/tables/${openTableId}/sessions`, body: { mode: 'FAMILY' } }),
  },
  'POST /api/staff/sessions/{sessionId}/pin': {
    auth: 'staff:WAITER',
    call: () => ({ path: `/api/staff/sessions/${pinSession.sessionId}/pin`, body: {} }),
  },
  'POST /api/staff/sessions/{sessionId}/close': {
    auth: 'staff:WAITER',
    call: async () => ({ path: `/api/staff/sessions/${(await t.freshTable('T-9')).sessionId}/close`, body: {} }),
  },
  'GET /api/staff/sessions/{sessionId}/bill': { auth: 'staff:WAITER', call: () => ({ path: `/api/staff/sessions/${home.sessionId}/bill` }) },
  'POST /api/staff/sessions/{sessionId}/payment': {
    auth: 'staff:WAITER',
    call: () => ({ path: `/api/staff/sessions/${home.sessionId}/payment`, body: { method: 'CASH', status: 'paid' } }),
  },

  'POST /api/sessions/join': {
    auth: 'public',
    call: () => ({ path: '/api/sessions/join', body: { table: home.code, pin: home.pin } }),
  },
  'GET /api/sessions/me': {
    auth: 'diner',
    call: () => ({ path: '/api/sessions/me' }),
    served: (principal, response) => {
      const expected = principal === 'guest of another session' ? other.sessionId : home.sessionId;
      expect(response.body.session.sessionId).toBe(expected);
      notOurs(principal, () => expect(JSON.stringify(response.body)).not.toContain(homeLineId));
    },
  },
  'POST /api/sessions/logout': {
    auth: 'diner',
    // Logging out revokes the caller's token: every call gets fresh guests.
    call: async () => ({
      path: '/api/sessions/logout',
      body: {},
      guestThis: (await t.joinTable(home.tableId, home.pin)).sessionToken,
      guestOther: (await t.joinTable(other.tableId, other.pin)).sessionToken,
    }),
  },
  'POST /api/customers/identify': {
    auth: 'diner',
    call: () => ({ path: '/api/customers/identify', body: { name: 'Asha', phone: '9876543210' } }),
    // Never a customer record before the number is verified.
    served: (_p, response) => expect(Object.keys(response.body).filter((key) => /customerId|visitCount|favorites/.test(key))).toEqual([]),
  },
  'POST /api/customers/verify': {
    auth: 'diner',
    // A fresh phone at this table asks for a code for a number of its own, as the guest of this session.
    call: async () => {
      const { token, code } = await codeSentToFreshGuest();
      return { path: '/api/customers/verify', body: { code }, guestThis: token };
    },
  },
  // This table's own guest is a verified customer; unidentified callers are served a 422 (identify first).
  'GET /api/customers/favorites': { auth: 'diner', call: async () => ({ path: '/api/customers/favorites', guestThis: await verifiedFreshGuest() }) },
  'PUT /api/customers/favorites/{itemId}': {
    auth: 'diner',
    call: async () => ({ path: `/api/customers/favorites/${item.id}`, guestThis: await verifiedFreshGuest() }),
  },
  'DELETE /api/customers/favorites/{itemId}': {
    auth: 'diner',
    call: async () => ({ path: `/api/customers/favorites/${item.id}`, guestThis: await verifiedFreshGuest() }),
  },

  'GET /api/menu': { auth: 'public', call: () => ({ path: '/api/menu' }) },
  'GET /api/tables/{tableId}': { auth: 'public', call: () => ({ path: `/api/tables/${home.code}` }) },
  'POST /api/staff/menu/items': {
    auth: 'staff:MANAGER',
    call: () => ({ path: '/api/staff/menu/items', body: { name: `Matrix dish ${randomUUID().slice(0, 8)}`, price: 1000, category: 'Tests', station: 'GRILL' } }),
  },
  'PATCH /api/staff/menu/items/{itemId}': {
    auth: 'staff:WAITER',
    call: () => ({ path: `/api/staff/menu/items/${item.id}`, body: { isAvailable: true } }),
  },
  'GET /api/staff/menu/names': { auth: 'staff:WAITER', call: () => ({ path: '/api/staff/menu/names' }) },
  'PUT /api/staff/menu/names': {
    auth: 'staff:MANAGER',
    call: () => ({ path: '/api/staff/menu/names', body: { languages: ['en', 'hi'], names: [{ kind: 'floor', name: 'Ground Floor', translations: { hi: 'भूतल' } }] } }),
  },
  'POST /api/staff/menu/items/{itemId}/photo/upload': {
    auth: 'staff:MANAGER',
    call: () => ({ path: `/api/staff/menu/items/${item.id}/photo/upload`, body: { contentType: 'image/jpeg', size: 1000 } }),
  },
  // A real upload for each call (a commit consumes it), signed and stored through the media bucket's stand-in.
  'PUT /api/staff/menu/items/{itemId}/photo': {
    auth: 'staff:MANAGER',
    call: async () => ({ path: `/api/staff/menu/items/${item.id}/photo`, body: { key: await uploadedPhotoKey() } }),
  },
  'DELETE /api/staff/menu/items/{itemId}/photo': { auth: 'staff:MANAGER', call: () => ({ path: `/api/staff/menu/items/${item.id}/photo` }) },
  'DELETE /api/staff/menu/items/{itemId}': {
    auth: 'staff:MANAGER',
    call: async () => {
      const created = await t.api.post('/api/staff/menu/items', { name: `Doomed ${randomUUID().slice(0, 8)}`, price: 500, category: 'Tests', station: 'GRILL' }, { token: tokens.get('ADMIN') });
      expect(created.status).toBe(201);
      return { path: `/api/staff/menu/items/${created.body.id ?? created.body.item?.id}` };
    },
  },

  'GET /api/cart': {
    auth: 'diner',
    call: () => ({ path: '/api/cart' }),
    served: (principal, response) => {
      const lineIds = (response.body.lines as { lineId: string }[]).map((l) => l.lineId);
      if (principal === 'guest of another session') {
        expect(lineIds).toContain(otherLineId);
        expect(lineIds).not.toContain(homeLineId);
      } else {
        expect(lineIds).toContain(homeLineId);
      }
    },
  },
  'POST /api/cart/items': {
    auth: 'diner',
    call: () => ({ path: '/api/cart/items', body: { menuItemId: item.id, quantity: 1 } }),
    served: (principal, response) =>
      notOurs(principal, () => expect((response.body.lines as { lineId: string }[]).map((l) => l.lineId)).not.toContain(homeLineId)),
  },
  'PATCH /api/cart/items/{lineId}': {
    auth: 'diner',
    call: () => ({ path: `/api/cart/items/${homeLineId}`, body: { quantity: 3 } }),
    served: async (principal, response) => {
      if (principal === 'guest of another session') {
        expectEnvelope(response, 404, 'NOT_FOUND');
        const ours = (await cartOf(guest)).lines.find((l) => l.lineId === homeLineId) as { quantity: number } | undefined;
        expect(ours).toBeDefined();
      } else {
        expect(response.status).toBe(200);
      }
    },
  },
  'DELETE /api/cart/items/{lineId}': {
    auth: 'diner',
    call: async () => ({ path: `/api/cart/items/${(await addLine(guest)).lineId}` }),
    served: async (principal, response, call) => {
      if (principal === 'guest of another session') {
        expectEnvelope(response, 404, 'NOT_FOUND');
        expect((await cartOf(guest)).lines.map((l) => l.lineId)).toContain(call.path.split('/').pop());
      } else {
        expect(response.status).toBe(200);
      }
    },
  },
  'DELETE /api/cart': {
    auth: 'diner',
    call: async () => {
      await addLine(guest);
      await addLine(otherGuest);
      return { path: '/api/cart' };
    },
    served: async (principal) => {
      if (principal === 'guest of another session') {
        expect((await cartOf(guest)).lines.length).toBeGreaterThan(0);
        expect((await cartOf(otherGuest)).lines).toEqual([]);
      }
    },
  },

  'POST /api/orders': {
    auth: 'diner',
    call: async () => {
      const { version } = await addLine(guest);
      return { path: '/api/orders', body: { cartVersion: version }, headers: { 'idempotency-key': randomUUID() } };
    },
    served: async (principal, response) => {
      if (principal === 'guest of another session') {
        // Their own cart (another version, or empty): never an order in our session.
        if (response.status === 201) expect(response.body.orderId).not.toBe(homeOrderId);
        const ours = await orders().countDocuments({ _id: response.status === 201 ? new ObjectId(response.body.orderId as string) : new ObjectId(), sessionId: new ObjectId(home.sessionId) });
        expect(ours).toBe(0);
      }
    },
  },
  'GET /api/orders': {
    auth: 'diner',
    call: () => ({ path: '/api/orders' }),
    served: (principal, response) => {
      const ids = (response.body.orders as { orderId: string }[]).map((o) => o.orderId);
      if (principal === 'guest of another session') expect(ids).not.toContain(homeOrderId);
      else expect(ids).toContain(homeOrderId);
    },
  },
  'GET /api/bill': {
    auth: 'diner',
    call: () => ({ path: '/api/bill' }),
    served: (principal, response) => notOurs(principal, () => expect(JSON.stringify(response.body)).not.toContain(homeOrderId)),
  },
  'GET /api/bill/split': {
    auth: 'diner',
    call: () => ({ path: '/api/bill/split?by=equal&n=2' }),
    served: (principal, response) => notOurs(principal, () => expect(JSON.stringify(response.body)).not.toContain(homeOrderId)),
  },
  'POST /api/bill/request': {
    auth: 'diner',
    call: () => ({ path: '/api/bill/request', body: {} }),
    // Another session's guest can only ask for their own table's bill.
    served: async (principal) => {
      if (principal !== 'guest of another session') return;
      const session = await t.collection('table_sessions').findOne({ _id: new ObjectId(home.sessionId) });
      expect(session?.billRequest?.deviceId ?? guest.deviceId).toBe(guest.deviceId);
    },
  },
  'POST /api/payments': {
    auth: 'diner',
    // Each call from a new phone of this table (one open payment per phone).
    call: async () => ({
      path: '/api/payments',
      body: { scope: { kind: 'bill' } },
      headers: { 'idempotency-key': randomUUID() },
      guestThis: (await t.joinTable(home.tableId, home.pin)).sessionToken,
    }),
    served: async (principal, response) =>
      notOurs(principal, () => expect(response.status, 'another table has nothing of ours to pay').toBe(422)),
  },
  'GET /api/payments': {
    auth: 'diner',
    call: () => ({ path: '/api/payments' }),
    served: (principal, response) => notOurs(principal, () => expect(response.body.payments).toEqual([])),
  },
  'GET /api/payments/{intentId}': {
    auth: 'diner',
    call: async () => ({ path: `/api/payments/${await homeIntent()}` }),
    served: (principal, response) => notOurs(principal, () => expectEnvelope(response, 404, 'NOT_FOUND')),
  },
  'POST /api/payments/webhook': {
    auth: 'public',
    // Signed with the webhook secret (its real credential); an event Plato acknowledges and ignores.
    call: () => {
      const hook = signedWebhook('settlement.processed', { settlement: { entity: { id: 'setl_matrix' } } });
      return { path: '/api/payments/webhook', body: JSON.parse(hook.body), headers: hook.headers };
    },
  },
  'POST /api/staff/payments/{intentId}/refund': {
    auth: 'staff:MANAGER',
    call: async () => ({ path: `/api/staff/payments/${await paidIntent()}/refund`, body: { amount: 100, reason: 'Matrix' } }),
  },
  'POST /api/staff/payments/check': { auth: 'staff:MANAGER', call: () => ({ path: '/api/staff/payments/check', body: {} }) },
  'GET /api/staff/orders': { auth: 'staff:WAITER', call: () => ({ path: '/api/staff/orders' }) },
  'POST /api/staff/orders/{orderId}/confirm': {
    auth: 'staff:WAITER',
    call: () => ({ path: `/api/staff/orders/${homeOrderId}/confirm`, body: {} }),
  },
  'POST /api/staff/orders/{orderId}/reject': {
    auth: 'staff:WAITER',
    call: async () => ({ path: `/api/staff/orders/${await freshOrder()}/reject`, body: { reason: 'Kitchen closed' } }),
  },
  'POST /api/staff/orders/{orderId}/cancel': {
    auth: 'staff:MANAGER',
    call: async () => ({ path: `/api/staff/orders/${await freshOrder()}/cancel`, body: { reason: 'Guest left' } }),
  },
  'POST /api/staff/orders/{orderId}/payment': {
    auth: 'staff:WAITER',
    call: async () => ({ path: `/api/staff/orders/${await freshOrder()}/payment`, body: { method: 'UPI', status: 'paid' } }),
  },

  'GET /api/kitchen/orders': {
    auth: 'staff:KITCHEN',
    call: () => ({ path: '/api/kitchen/orders' }),
    served: (_p, response) => expect(JSON.stringify(response.body)).not.toMatch(/"(price|total|subtotal|tax|customerName|customerPhone|paymentStatus)"/),
  },
  'PATCH /api/kitchen/orders/{orderId}/items/{itemIndex}': {
    auth: 'staff:KITCHEN',
    call: async () => ({ path: `/api/kitchen/orders/${await freshOrder(true)}/items/0`, body: { status: 'COOKING' } }),
  },
  'POST /api/kitchen/orders/{orderId}/bump': {
    auth: 'staff:KITCHEN',
    call: async () => ({ path: `/api/kitchen/orders/${await freshOrder(true)}/bump`, body: {} }),
  },
  'POST /api/kitchen/orders/{orderId}/recall': {
    auth: 'staff:KITCHEN',
    call: async () => {
      const orderId = await freshOrder(true);
      const bumped = await t.api.post(`/api/kitchen/orders/${orderId}/bump`, {}, { token: tokens.get('KITCHEN') });
      expect(bumped.status).toBe(200);
      return { path: `/api/kitchen/orders/${orderId}/recall`, body: {} };
    },
  },
  'GET /api/kitchen/all-day': { auth: 'staff:KITCHEN', call: () => ({ path: '/api/kitchen/all-day' }) },
  'GET /api/staff/reports/{report}': { auth: 'staff:MANAGER', call: () => ({ path: '/api/staff/reports/summary' }) },
  // A past day: a second authorized close is 409 (served), a reopen of a day that is not closed too.
  'POST /api/staff/reports/day-close': { auth: 'staff:MANAGER', call: () => ({ path: '/api/staff/reports/day-close', body: { date: '2025-01-01' } }) },
  'POST /api/staff/reports/day-close/reopen': {
    auth: 'staff:ADMIN',
    call: () => ({ path: '/api/staff/reports/day-close/reopen', body: { date: '2025-01-01', reason: 'matrix' } }),
  },
  'POST /api/staff/data-rights/export': { auth: 'staff:MANAGER', call: () => ({ path: '/api/staff/data-rights/export', body: { phone: '9000000099' } }) },
  // A guest of the order-source table identifies with a number of its own, which is then erased.
  'POST /api/staff/data-rights/erase': {
    auth: 'staff:MANAGER',
    call: async () => {
      const phone = `98${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
      // A fresh phone each time: one session may ask for only a few one-time codes an hour.
      const guest = await t.joinTable(home.code, home.pin);
      const identified = await t.api.post('/api/customers/identify', { name: 'Matrix', phone }, { token: guest.sessionToken });
      expect(identified.status).toBe(200);
      return { path: '/api/staff/data-rights/erase', body: { phone } };
    },
  },
};

const authLabel = (route: HttpRoute): string => (route.auth.kind === 'staff' ? `staff:${route.auth.minRole}` : route.auth.kind);

// ---------------------------------------------------------------- the matrix

function credentials(route: HttpRoute, principal: Principal, call: Call): { token?: string; cookie?: string; headers: Record<string, string> } {
  const headers: Record<string, string> = { ...call.headers };
  if (principal === 'anonymous') return { headers };
  if (principal === 'valid cookie, foreign Origin' || principal === 'valid cookie, own Origin') {
    headers.origin = principal === 'valid cookie, own Origin' ? t.baseUrl : FOREIGN_ORIGIN;
    const cookie = route.auth.kind === 'diner' ? `plato_guest=${call.guestThis ?? guest.sessionToken}` : `plato_staff=${call.staffToken ?? tokens.get('ADMIN')}`;
    return { cookie, headers };
  }
  if (principal === 'guest of this session' && call.guestThis) return { token: call.guestThis, headers };
  if (principal === 'guest of another session' && call.guestOther) return { token: call.guestOther, headers };
  if ((STAFF_ROLES as readonly string[]).includes(principal) && call.staffToken) return { token: call.staffToken, headers };
  return { token: tokens.get(principal)!, headers };
}

const servedRoutes = new Map<string, number[]>();

describe('the route table is fully classified', () => {
  it('every route has an entry here, and its auth is the one this specification expects', () => {
    const missing = HTTP_ROUTES.map(routeKeyOf).filter((key) => !(key in ROUTES));
    expect(missing, 'routes without an authorization expectation: classify them in ROUTES').toEqual([]);
    const stale = Object.keys(ROUTES).filter((key) => !HTTP_ROUTES.some((route) => routeKeyOf(route) === key));
    expect(stale, 'ROUTES entries for routes that no longer exist').toEqual([]);
    for (const route of HTTP_ROUTES) expect(`${routeKeyOf(route)} → ${authLabel(route)}`).toBe(`${routeKeyOf(route)} → ${ROUTES[routeKeyOf(route)].auth}`);
  });
});

for (const route of HTTP_ROUTES) {
  const key = routeKeyOf(route);
  describe(key, () => {
    for (const principal of PRINCIPALS) {
      const expected = expectationFor(route, principal);
      const title = expected.served ? `${principal}: served` : `${principal}: ${expected.status} ${expected.code}`;
      it(title, async () => {
        const spec = ROUTES[key];
        expect(spec, `no authorization expectation for ${key}`).toBeDefined();
        const call = await spec.call(principal);
        const { token, cookie, headers } = credentials(route, principal, call);
        const response = await t.api.request(route.method, call.path, call.body, { token, cookie, headers });
        const summary = `${key} as ${principal}: ${response.status} ${JSON.stringify(response.body)?.slice(0, 300)}`;
        if (expected.served) {
          expect(response.status, summary).toBeLessThan(500);
          expect([401, 403], summary).not.toContain(response.status);
          if (response.status >= 400) expectEnvelope(response);
          const statuses = servedRoutes.get(key) ?? [];
          statuses.push(response.status);
          servedRoutes.set(key, statuses);
          await spec.served?.(principal, response, call);
        } else {
          expectEnvelope(response, expected.status, expected.code);
          expect(response.cookies.filter((c) => !/Max-Age=0/.test(c)), `${summary}: no credential may be issued`).toEqual([]);
        }
      });
    }
  });
}

describe('authorized callers reach the domain', () => {
  it('every route answered at least one authorized caller with a 2xx (the recipes use real ids)', () => {
    const without2xx = HTTP_ROUTES.map(routeKeyOf).filter((key) => !(servedRoutes.get(key) ?? []).some((s) => s >= 200 && s < 300));
    expect(without2xx, JSON.stringify(Object.fromEntries(servedRoutes))).toEqual([]);
  });
});

describe('guests of another session cannot reach this session through ids', () => {
  it('a split naming our order is refused and shows nothing of it', async () => {
    const response = await t.api.get(`/api/bill/split?by=item&shares=${homeOrderId}:0:${otherGuest.deviceId}`, { token: otherGuest.sessionToken });
    expect(response.status, JSON.stringify(response.body)).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expectEnvelope(response);
  });

  it("a WebSocket with another restaurant's guest token or staff JWT is refused with 401", async () => {
    const { refusedWith } = await import('../support/ws.ts');
    expect(await refusedWith(t.wsUrl, { token: tokens.get('guest of another restaurant') })).toBe(401);
    expect(await refusedWith(t.wsUrl, { token: tokens.get('staff of another restaurant'), channel: 'kitchen' })).toBe(401);
    expect(await refusedWith(t.wsUrl, { token: tokens.get('JWT with alg none'), channel: 'kitchen' })).toBe(401);
    expect(await refusedWith(t.wsUrl, { token: tokens.get('expired staff token'), channel: 'kitchen' })).toBe(401);
    expect(await refusedWith(t.wsUrl, { token: tokens.get('expired guest token') })).toBe(401);
    expect(await refusedWith(t.wsUrl, { token: tokens.get('tampered staff JWT'), channel: 'staff' })).toBe(401);
    expect(await refusedWith(t.wsUrl, { cookie: `plato_guest=${guest.sessionToken}`, origin: FOREIGN_ORIGIN })).toBe(403);
  });
});
