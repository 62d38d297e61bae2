/**
 * The local runtime for integration tests: one stack per test file (the functions keep per-process
 * singletons, and vitest runs each file in its own process), on a random port, with the demo seed.
 *
 *   let t: TestStack;
 *   beforeAll(async () => { t = await startTestStack({ env: { PIN_MAX_ATTEMPTS: '5' } }); });
 *   afterAll(() => t?.stop());
 *
 *   const waiter = await t.loginAs('WAITER');
 *   const table = await t.openTable('T-3', 'FAMILY');          // { tableId, sessionId, pin, ... }
 *   const again = await t.freshTable('T-3');                   // closes T-3's open session first
 *   const guest = await t.joinTable(table.code, table.pin);    // { sessionToken, deviceId, ... } (a table id works too)
 *   const me = await t.api.get('/api/sessions/me', { token: guest.sessionToken });
 *   const socket = await t.connectWs({ token: guest.sessionToken }); // closed by t.stop()
 *
 *   const dal = await t.dish('Dal Makhani');                   // the demo menu's item by name
 *   const cart = await t.addToCart(guest, 'Masala Chai', 3, { notes: 'less sugar' }); // 200 or the test fails
 *   const order = await t.orderCart(guest, cart.version);     // 201 or the test fails; the order
 *   const placed = await t.placeOrder(guest, { cartVersion: cart.version }, key); // the raw answer
 *   const unkeyed = await t.placeOrder(guest, { cartVersion: 1 }, null);  // no Idempotency-Key header
 *   const stored = await t.collection('carts').findOne({ sessionId }); // the stack's MongoDB, through the driver
 *
 * The seed opens T-1 for the `npm start` demo: tests open other tables.
 *
 * The menu is fetched once (`t.menuItems()`, `t.dish(name)`): ids, names and prices hold, availability
 * may have changed since. MongoDB, to check what was stored or to arm fail points: `t.collection(name)`
 * and `t.db()` (the functions' database) and `t.mongoClient()` (admin commands) share the test's own
 * driver client, appName "plato-tests", created on first use.
 *
 * Cleanup: `t.stop()` closes every socket opened with `t.connectWs`, then that MongoDB client, then
 * the stack: `afterAll(() => t?.stop())` is all a test file needs.
 */
import { randomUUID } from 'node:crypto';
import { MongoClient, ObjectId, type Collection, type Db, type Document } from 'mongodb';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../local/stack.ts';
import type { StaffRole } from '../../functions/core/roles.ts';
import type { CartView } from '../../functions/cart/cart-views.ts';
import type { MenuView, PublicMenuItem } from '../../functions/core/menu.ts';
import type { GuestOrderView } from '../../functions/orders/order-views.ts';
import { apiClient, type ApiClient, type ApiResponse } from './http.ts';
import { RAISED_RATES } from './raised-rates.ts';
import { connectWs, type TestWs, type WsConnectOptions } from './ws.ts';

export const TEST_PASSWORD = 'plato-test-password-1';

/** The seed's staff login for each role. */
export const USERNAME_OF: Record<StaffRole, string> = { ADMIN: 'admin', MANAGER: 'manager', WAITER: 'waiter', KITCHEN: 'kitchen' };

export interface StaffLogin {
  token: string;
  role: StaffRole;
  username: string;
  restaurantId: string;
  expiresAt: string;
}

export interface OpenedTable {
  tableId: string;
  /** What the table's QR link carries (`?table=`), to join with. */
  code: string;
  tableNumber: string;
  floor: string;
  sessionId: string;
  pin: string;
  mode: 'FAMILY' | 'INDIVIDUAL';
}

export interface JoinedGuest {
  sessionId: string;
  sessionToken: string;
  deviceId: string;
  mode: 'FAMILY' | 'INDIVIDUAL';
  table: { number: string; floor: string };
  expiresAt: string;
}

export interface TestStack {
  stack: LocalStack;
  baseUrl: string;
  wsUrl: string;
  api: ApiClient;
  /** Signs in as the seed's user for `role` (cached per role for the life of the stack). */
  loginAs(role: StaffRole): Promise<StaffLogin>;
  /** The seeded table's id by number ("T-3"). */
  tableId(tableNumber: string): Promise<string>;
  /** Opens a session on a table as the waiter (or `as`); fails the test unless it answers 201. */
  openTable(tableNumber: string, mode?: 'FAMILY' | 'INDIVIDUAL', as?: StaffRole): Promise<OpenedTable>;
  /** Like openTable, but first closes the table's open session, if any (as ADMIN, so unpaid orders do not stop it). */
  freshTable(tableNumber: string, mode?: 'FAMILY' | 'INDIVIDUAL', as?: StaffRole): Promise<OpenedTable>;
  /** The table's current code (what its QR link carries), read from MongoDB. */
  tableCode(tableId: string): Promise<string>;
  /**
   * Joins a table with its PIN through its QR link's code (looked up when given the table's id);
   * fails the test unless it answers 200. To re-join as a device that still has a live token, pass
   * that token (`presenting`), as the browser's cookie would.
   */
  joinTable(tableIdOrCode: string, pin: string, deviceId?: string, presenting?: string): Promise<JoinedGuest>;
  /**
   * Identifies the guest with a name and number and verifies the number with the one-time code the
   * local runtime "texted" (GET /__local/sms), so the customer is linked; fails the test unless
   * both answer 200. Returns the customer.
   */
  identifyVerified(guest: JoinedGuest, name: string, phone: string): Promise<Record<string, unknown>>;
  /** Closes a session as the waiter (or `as`); fails the test unless it answers 200. */
  closeTable(sessionId: string, as?: StaffRole): Promise<void>;
  /** Opens a WebSocket on the stack's /ws; `stop()` closes it (closing it earlier is fine). */
  connectWs(options?: WsConnectOptions): Promise<TestWs>;
  /**
   * Every dish of the public menu (GET /api/menu), in menu order. Fetched once, on first use, and
   * kept: ids, names and prices hold, availability may since have changed.
   */
  menuItems(): Promise<PublicMenuItem[]>;
  /** The dish named `name` on the demo menu (from `menuItems()`); throws if there is none. */
  dish(name: string): Promise<PublicMenuItem>;
  /**
   * Adds `quantity` of the dish named `name` to the guest's cart (POST /api/cart/items, with `extra`
   * fields such as modifierOptionIds, spiceLevel, notes); fails the test unless it answers 200.
   * Returns the cart.
   */
  addToCart(guest: JoinedGuest, name: string, quantity?: number, extra?: Record<string, unknown>): Promise<CartView>;
  /**
   * POST /api/orders as the guest and returns the answer, whatever its status. `key` is the
   * Idempotency-Key: a fresh UUID when omitted, none at all when `null`.
   */
  placeOrder(guest: JoinedGuest, body: unknown, key?: string | null): Promise<ApiResponse>;
  /** Places the guest's cart at `cartVersion` with a fresh Idempotency-Key; fails the test unless it answers 201. */
  orderCart(guest: JoinedGuest, cartVersion: number): Promise<GuestOrderView>;
  /**
   * The test's own driver client on the stack's MongoDB (appName "plato-tests", so fail points
   * aimed at the functions' client, appName "plato", never hit it). Connected on first use, closed
   * by `stop()`.
   */
  mongoClient(): Promise<MongoClient>;
  /** The functions' database (MONGODB_DB) through `mongoClient()`. */
  db(): Promise<Db>;
  /** A collection of the functions' database through `mongoClient()`; the driver connects on its first operation. */
  collection<T extends Document = Document>(name: string): Collection<T>;
  /** Closes the sockets from `connectWs`, the test's MongoDB client, then the stack. */
  stop(): Promise<void>;
}

function expectStatus(what: string, expected: number, response: { status: number; body: unknown }): void {
  if (response.status !== expected) {
    throw new Error(`${what}: expected ${expected}, got ${response.status} ${JSON.stringify(response.body)}`);
  }
}

export async function startTestStack(options: { env?: Record<string, string> } & Partial<LocalStackOptions> = {}): Promise<TestStack> {
  const stack = await startLocalStack({
    port: 0,
    quiet: true,
    demoPassword: TEST_PASSWORD,
    ...options,
    // Browser (e2e) tests reach the stack over plain http://127.0.0.1, so cookies are not Secure-only
    // by default here; pass COOKIE_SECURE: 'true' to test the production attributes.
    // A test file is one client (one IP, a few tokens) making hundreds of requests: the per-client
    // rates are raised here so tests of other features are not refused; the rate tests set their own.
    env: { COOKIE_SECURE: 'false', ...RAISED_RATES, ...options.env },
  });
  const api = apiClient(stack.baseUrl);
  const logins = new Map<StaffRole, Promise<StaffLogin>>();
  const tableIds = new Map<string, string>();

  const loginAs = (role: StaffRole): Promise<StaffLogin> => {
    let login = logins.get(role);
    if (!login) {
      login = api.post<StaffLogin>('/api/staff/login', { username: USERNAME_OF[role], password: TEST_PASSWORD }).then((response) => {
        expectStatus(`login as ${role}`, 200, response);
        return response.body;
      });
      login.catch(() => logins.delete(role));
      logins.set(role, login);
    }
    return login;
  };

  const tableId = async (tableNumber: string): Promise<string> => {
    if (!tableIds.has(tableNumber)) {
      const { token } = await loginAs('WAITER');
      const response = await api.get<{ tables: { tableId: string; number: string }[] }>('/api/staff/tables', { token });
      expectStatus('list tables', 200, response);
      for (const table of response.body.tables) tableIds.set(table.number, table.tableId);
    }
    const id = tableIds.get(tableNumber);
    if (!id) throw new Error(`No table ${tableNumber} in the seed`);
    return id;
  };

  const openTable = async (tableNumber: string, mode: 'FAMILY' | 'INDIVIDUAL' = 'FAMILY', as: StaffRole = 'WAITER'): Promise<OpenedTable> => {
    const id = await tableId(tableNumber);
    const { token } = await loginAs(as);
    const response = await api.post(`/api/staff/tables/${id}/sessions`, { mode }, { token });
    expectStatus(`open ${tableNumber}`, 201, response);
    return {
      tableId: id,
      code: await tableCode(id),
      tableNumber,
      floor: response.body.table.floor,
      sessionId: response.body.sessionId,
      pin: response.body.pin,
      mode: response.body.mode,
    };
  };

  const closeTable = async (sessionId: string, as: StaffRole = 'WAITER'): Promise<void> => {
    const { token } = await loginAs(as);
    const response = await api.post(`/api/staff/sessions/${sessionId}/close`, undefined, { token });
    expectStatus('close', 200, response);
  };

  let menu: Promise<PublicMenuItem[]> | undefined;
  const menuItems = (): Promise<PublicMenuItem[]> => {
    if (!menu) {
      menu = api.get<MenuView>('/api/menu').then((response) => {
        expectStatus('menu', 200, response);
        return response.body.categories.flatMap((category) => category.items);
      });
      menu.catch(() => (menu = undefined));
    }
    return menu;
  };
  const dish = async (name: string): Promise<PublicMenuItem> => {
    const item = (await menuItems()).find((candidate) => candidate.name === name);
    if (!item) throw new Error(`no ${name} on the demo menu`);
    return item;
  };

  const placeOrder = (guest: JoinedGuest, body: unknown, key: string | null = randomUUID()): Promise<ApiResponse> =>
    api.post('/api/orders', body, { token: guest.sessionToken, headers: key === null ? {} : { 'idempotency-key': key } });

  let mongo: MongoClient | undefined;
  const client = (): MongoClient => {
    if (!stack.mongoUri) throw new Error('This stack runs without MongoDB');
    return (mongo ??= new MongoClient(stack.mongoUri, { appName: 'plato-tests' }));
  };
  const database = (): Db => client().db(process.env.MONGODB_DB);

  const sockets = new Set<TestWs>();

  const tableCode = async (id: string): Promise<string> => {
    const table = await database().collection('tables').findOne({ _id: new ObjectId(id) }, { projection: { code: 1 } });
    if (typeof table?.code !== 'string') throw new Error(`Table ${id} has no code`);
    return table.code;
  };

  return {
    stack,
    baseUrl: stack.baseUrl,
    wsUrl: stack.wsUrl,
    api,
    loginAs,
    tableId,
    openTable,
    freshTable: async (tableNumber, mode = 'FAMILY', as = 'WAITER') => {
      const { token } = await loginAs('ADMIN');
      const list = await api.get<{ tables: { number: string; session: { sessionId: string } | null }[] }>('/api/staff/tables', { token });
      expectStatus('list tables', 200, list);
      const open = list.body.tables.find((table) => table.number === tableNumber)?.session;
      if (open) await closeTable(open.sessionId, 'ADMIN');
      return openTable(tableNumber, mode, as);
    },
    tableCode,
    identifyVerified: async (guest, name, phone) => {
      expectStatus('identify', 200, await api.post('/api/customers/identify', { name, phone }, { token: guest.sessionToken }));
      const outbox = (await (await fetch(`${stack.baseUrl}/__local/sms`)).json()) as { messages: { to: string; text: string }[] };
      const text = outbox.messages.filter((m) => m.to.endsWith(phone)).at(-1)?.text ?? '';
      const verified = await api.post('/api/customers/verify', { code: /\b(\d{6})\b/.exec(text)?.[1] ?? '' }, { token: guest.sessionToken });
      expectStatus('verify', 200, verified);
      return verified.body;
    },
    joinTable: async (ref, pin, deviceId, presenting) => {
      const table = /^[a-f0-9]{24}$/.test(ref) ? await tableCode(ref) : ref;
      const response = await api.post<JoinedGuest>(
        '/api/sessions/join',
        { table, pin, ...(deviceId ? { deviceId } : {}) },
        { token: presenting },
      );
      expectStatus('join', 200, response);
      return response.body;
    },
    closeTable,
    connectWs: async (wsOptions) => {
      const socket = await connectWs(stack.wsUrl, wsOptions);
      sockets.add(socket);
      return socket;
    },
    menuItems,
    dish,
    addToCart: async (guest, name, quantity = 1, extra = {}) => {
      const response = await api.post<CartView>('/api/cart/items', { menuItemId: (await dish(name)).id, quantity, ...extra }, { token: guest.sessionToken });
      expectStatus(`add ${quantity} × ${name}`, 200, response);
      return response.body;
    },
    placeOrder,
    orderCart: async (guest, cartVersion) => {
      const response = await placeOrder(guest, { cartVersion });
      expectStatus('place the order', 201, response);
      return response.body as GuestOrderView;
    },
    mongoClient: () => client().connect(),
    db: async () => {
      await client().connect();
      return database();
    },
    collection: (name) => database().collection(name),
    stop: async () => {
      await Promise.all([...sockets].map((socket) => socket.close()));
      sockets.clear();
      await mongo?.close();
      mongo = undefined;
      await stack.stop();
    },
  };
}
