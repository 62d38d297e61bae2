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
 *   const guest = await t.joinTable(table.tableId, table.pin); // { sessionToken, deviceId, ... }
 *   const me = await t.api.get('/api/sessions/me', { token: guest.sessionToken });
 *   const socket = await t.connectWs({ token: guest.sessionToken });
 *
 * The seed opens T-1 for the `npm start` demo: tests open other tables.
 */
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../local/stack.ts';
import type { StaffRole } from '../../functions/routes.ts';
import { apiClient, type ApiClient } from './http.ts';
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
  /**
   * Joins a table with its PIN; fails the test unless it answers 200. To re-join as a device that
   * still has a live token, pass that token (`presenting`), as the browser's cookie would.
   */
  joinTable(tableId: string, pin: string, deviceId?: string, presenting?: string): Promise<JoinedGuest>;
  /** Closes a session as the waiter (or `as`); fails the test unless it answers 200. */
  closeTable(sessionId: string, as?: StaffRole): Promise<void>;
  connectWs(options?: WsConnectOptions): Promise<TestWs>;
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
    env: { COOKIE_SECURE: 'false', ...options.env },
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
    joinTable: async (id, pin, deviceId, presenting) => {
      const response = await api.post<JoinedGuest>(
        '/api/sessions/join',
        { tableId: id, pin, ...(deviceId ? { deviceId } : {}) },
        { token: presenting },
      );
      expectStatus('join', 200, response);
      return response.body;
    },
    closeTable,
    connectWs: (wsOptions) => connectWs(stack.wsUrl, wsOptions),
    stop: () => stack.stop(),
  };
}
