/**
 * The single source of truth for every route Plato serves.
 *
 * The CDK stack (lib/) creates one API Gateway route and one Lambda function per entry;
 * the local runtime (local/) serves the same entries through its API Gateway emulator;
 * the HTTP middleware reads `auth` from here by the event's routeKey, so authorization
 * is declared once, next to the route.
 */

export const STAFF_ROLES = ['KITCHEN', 'WAITER', 'MANAGER', 'ADMIN'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** public: no credentials; diner: a guest session token; staff: a staff JWT with at least `minRole`. */
export type RouteAuth = { kind: 'public' } | { kind: 'diner' } | { kind: 'staff'; minRole: StaffRole };

/** What a handler touches, so the stack grants exactly that and the bundler can leave the driver out. */
export interface HandlerNeeds {
  mongo: boolean;
  /** DynamoDB tables the handler reads or writes (keys of TABLES in tables.ts). */
  tables: readonly ('connections' | 'idempotency' | 'rateLimits')[];
  /** Posts to WebSocket connections through the @connections management API. */
  push: boolean;
}

export interface HandlerRef {
  /** Module under functions/handlers/, without extension. */
  module: string;
  /** Named export of that module. */
  export: string;
  needs: HandlerNeeds;
  memoryMb?: number;
  timeoutSeconds?: number;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRoute {
  method: HttpMethod;
  /** API Gateway path syntax: `/api/staff/tables/{tableId}/sessions`. */
  path: string;
  auth: RouteAuth;
  handler: HandlerRef;
  /** CloudFront may cache this route (by ETag); everything else under /api is uncached. */
  cacheable?: boolean;
}

export interface WsRoute {
  /** `$connect`, `$disconnect`, `$default`, or an action name matched on `$request.body.action`. */
  routeKey: string;
  handler: HandlerRef;
}

const noStore = (): HandlerNeeds => ({ mongo: false, tables: [], push: false });
const mongo = (...tables: HandlerNeeds['tables']): HandlerNeeds => ({ mongo: true, tables, push: false });
const mongoPush = (...tables: HandlerNeeds['tables']): HandlerNeeds => ({
  mongo: true,
  tables: ['connections', ...tables],
  push: true,
});

const PUBLIC: RouteAuth = { kind: 'public' };
const DINER: RouteAuth = { kind: 'diner' };
const staff = (minRole: StaffRole): RouteAuth => ({ kind: 'staff', minRole });

const h = (module: string, exportName: string, needs: HandlerNeeds, extra: Partial<HandlerRef> = {}): HandlerRef => ({
  module,
  export: exportName,
  needs,
  ...extra,
});

export const HTTP_ROUTES: readonly HttpRoute[] = [
  { method: 'GET', path: '/api/health', auth: PUBLIC, handler: h('health', 'health', mongo('connections')) },

  // Staff authentication and floor
  { method: 'POST', path: '/api/staff/login', auth: PUBLIC, handler: h('staff-auth', 'login', mongo('rateLimits'), { memoryMb: 512 }) },
  // Public: signing out clears this browser's cookie even when its session was already ended.
  { method: 'POST', path: '/api/staff/logout', auth: PUBLIC, handler: h('staff-logout', 'logout', noStore()) },
  { method: 'GET', path: '/api/staff/me', auth: staff('KITCHEN'), handler: h('staff-account', 'me', mongo()) },
  // Staff accounts (the console's Team section); ending a user's sessions closes their sockets.
  { method: 'GET', path: '/api/staff/users', auth: staff('ADMIN'), handler: h('staff-users', 'listUsers', mongo()) },
  { method: 'POST', path: '/api/staff/users', auth: staff('ADMIN'), handler: h('staff-users', 'createUser', mongo(), { memoryMb: 512 }) },
  { method: 'PATCH', path: '/api/staff/users/{userId}', auth: staff('ADMIN'), handler: h('staff-users', 'updateUser', mongoPush(), { memoryMb: 512 }) },
  { method: 'POST', path: '/api/staff/users/{userId}/sign-out', auth: staff('ADMIN'), handler: h('staff-users', 'signOutUser', mongoPush()) },
  { method: 'GET', path: '/api/staff/tables', auth: staff('KITCHEN'), handler: h('staff-tables', 'listTables', mongo()) },
  { method: 'GET', path: '/api/staff/qr-codes', auth: staff('WAITER'), handler: h('staff-tables', 'qrCodes', mongo()) },
  { method: 'POST', path: '/api/staff/tables/{tableId}/sessions', auth: staff('WAITER'), handler: h('staff-sessions', 'openSession', mongoPush()) },
  { method: 'POST', path: '/api/staff/sessions/{sessionId}/pin', auth: staff('WAITER'), handler: h('staff-sessions', 'regeneratePin', mongo('rateLimits')) },
  { method: 'POST', path: '/api/staff/sessions/{sessionId}/close', auth: staff('WAITER'), handler: h('staff-sessions', 'closeSession', mongoPush()) },
  { method: 'GET', path: '/api/staff/sessions/{sessionId}/bill', auth: staff('WAITER'), handler: h('staff-billing', 'sessionBill', mongo()) },
  { method: 'POST', path: '/api/staff/sessions/{sessionId}/payment', auth: staff('WAITER'), handler: h('staff-billing', 'recordSessionPayment', mongoPush()) },

  // Guests: joining a table and resuming
  { method: 'POST', path: '/api/sessions/join', auth: PUBLIC, handler: h('sessions', 'join', mongoPush('rateLimits')) },
  { method: 'GET', path: '/api/sessions/me', auth: DINER, handler: h('sessions', 'me', mongo()) },
  { method: 'POST', path: '/api/sessions/logout', auth: DINER, handler: h('sessions', 'logout', mongoPush()) },
  { method: 'POST', path: '/api/customers/identify', auth: DINER, handler: h('customers', 'identify', mongoPush()) },

  // Menu
  { method: 'GET', path: '/api/menu', auth: PUBLIC, handler: h('menu', 'getMenu', mongo()), cacheable: true },
  { method: 'POST', path: '/api/staff/menu/items', auth: staff('MANAGER'), handler: h('staff-menu', 'createItem', mongoPush()) },
  // WAITER may only toggle isAvailable; any other field needs MANAGER (checked in the domain core).
  { method: 'PATCH', path: '/api/staff/menu/items/{itemId}', auth: staff('WAITER'), handler: h('staff-menu', 'updateItem', mongoPush()) },
  { method: 'DELETE', path: '/api/staff/menu/items/{itemId}', auth: staff('MANAGER'), handler: h('staff-menu', 'deleteItem', mongoPush()) },

  // Cart
  { method: 'GET', path: '/api/cart', auth: DINER, handler: h('cart', 'getCart', mongo()) },
  { method: 'POST', path: '/api/cart/items', auth: DINER, handler: h('cart', 'addItem', mongoPush()) },
  { method: 'PATCH', path: '/api/cart/items/{lineId}', auth: DINER, handler: h('cart', 'updateItem', mongoPush()) },
  { method: 'DELETE', path: '/api/cart/items/{lineId}', auth: DINER, handler: h('cart', 'removeItem', mongoPush()) },
  { method: 'DELETE', path: '/api/cart', auth: DINER, handler: h('cart', 'clearCart', mongoPush()) },

  // Orders, bill and payment
  { method: 'POST', path: '/api/orders', auth: DINER, handler: h('orders', 'placeOrder', mongoPush('idempotency'), { memoryMb: 1024 }) },
  { method: 'GET', path: '/api/orders', auth: DINER, handler: h('orders', 'listOrders', mongo()) },
  { method: 'GET', path: '/api/bill', auth: DINER, handler: h('bill', 'getBill', mongo()) },
  { method: 'GET', path: '/api/bill/split', auth: DINER, handler: h('bill', 'splitBill', mongo()) },
  { method: 'POST', path: '/api/bill/request', auth: DINER, handler: h('bill', 'requestBill', mongoPush()) },
  // Paying from the phone (services/payment-intents.ts); the provider's webhook is public but signature-verified.
  { method: 'POST', path: '/api/payments', auth: DINER, handler: h('payments', 'startGuestPayment', mongoPush()) },
  { method: 'GET', path: '/api/payments', auth: DINER, handler: h('payments', 'listGuestPayments', mongo()) },
  { method: 'GET', path: '/api/payments/{intentId}', auth: DINER, handler: h('payments', 'getGuestPayment', mongo()) },
  { method: 'POST', path: '/api/payments/webhook', auth: PUBLIC, handler: h('payment-webhook', 'webhook', mongoPush()) },
  { method: 'POST', path: '/api/staff/payments/{intentId}/refund', auth: staff('MANAGER'), handler: h('staff-payments', 'refund', mongoPush()) },
  { method: 'POST', path: '/api/staff/payments/check', auth: staff('MANAGER'), handler: h('staff-payments', 'checkPayments', mongoPush()) },
  { method: 'GET', path: '/api/staff/orders', auth: staff('WAITER'), handler: h('staff-orders', 'listOrders', mongo()) },
  { method: 'POST', path: '/api/staff/orders/{orderId}/confirm', auth: staff('WAITER'), handler: h('staff-orders', 'confirmOrder', mongoPush()) },
  { method: 'POST', path: '/api/staff/orders/{orderId}/reject', auth: staff('WAITER'), handler: h('staff-orders', 'rejectOrder', mongoPush()) },
  { method: 'POST', path: '/api/staff/orders/{orderId}/cancel', auth: staff('MANAGER'), handler: h('staff-orders', 'cancelOrder', mongoPush()) },
  { method: 'POST', path: '/api/staff/orders/{orderId}/payment', auth: staff('WAITER'), handler: h('staff-orders', 'recordPayment', mongoPush()) },

  // Kitchen display
  { method: 'GET', path: '/api/kitchen/orders', auth: staff('KITCHEN'), handler: h('kitchen', 'listTickets', mongo()) },
  { method: 'PATCH', path: '/api/kitchen/orders/{orderId}/items/{itemIndex}', auth: staff('KITCHEN'), handler: h('kitchen', 'setItemStatus', mongoPush()) },
  { method: 'POST', path: '/api/kitchen/orders/{orderId}/bump', auth: staff('KITCHEN'), handler: h('kitchen', 'bump', mongoPush()) },
  { method: 'POST', path: '/api/kitchen/orders/{orderId}/recall', auth: staff('KITCHEN'), handler: h('kitchen', 'recall', mongoPush()) },
  { method: 'GET', path: '/api/kitchen/all-day', auth: staff('KITCHEN'), handler: h('kitchen', 'allDay', mongo()) },
];

export const WS_ROUTES: readonly WsRoute[] = [
  { routeKey: '$connect', handler: h('ws', 'connect', mongo('connections')) },
  { routeKey: '$disconnect', handler: h('ws', 'disconnect', { mongo: false, tables: ['connections'], push: false }) },
  { routeKey: '$default', handler: h('ws', 'unknownAction', { mongo: false, tables: ['connections'], push: true }) },
  { routeKey: 'ping', handler: h('ws', 'ping', { mongo: false, tables: ['connections'], push: true }) },
  { routeKey: 'sync', handler: h('ws', 'sync', mongoPush()) },
];

/**
 * API Gateway's `$default` HTTP route: answers every request no route matched with the error
 * envelope, 405 METHOD_NOT_ALLOWED when the path exists under another method, else 404 NOT_FOUND.
 */
export const HTTP_DEFAULT_ROUTE: HttpRoute = {
  method: 'GET', // unused: the fallback serves every method
  path: '$default',
  auth: PUBLIC,
  handler: h('fallback', 'notFound', { mongo: false, tables: [], push: false }),
};

/**
 * Handlers that are not routes: `setup` creates MongoDB indexes and writes the restaurant's settings.
 * The CDK stack runs it on every deploy (a Trigger); the local runtime runs it at start.
 */
export const TASK_HANDLERS: readonly HandlerRef[] = [h('setup', 'setup', mongo(), { timeoutSeconds: 120 })];

/** Handlers an EventBridge schedule invokes (lib/payments-schedule.ts): open payments looked up at the provider. */
export const SCHEDULED_HANDLERS: readonly (HandlerRef & { everyMinutes: number })[] = [
  { ...h('payments-reconcile', 'reconcile', mongoPush(), { timeoutSeconds: 120 }), everyMinutes: 5 },
];

/** API Gateway's routeKey for an HTTP route, e.g. `POST /api/sessions/join`. */
export const routeKeyOf = (route: Pick<HttpRoute, 'method' | 'path'>): string => `${route.method} ${route.path}`;

const byRouteKey = new Map(HTTP_ROUTES.map((route) => [routeKeyOf(route), route]));

export function httpRouteByKey(routeKey: string): HttpRoute | undefined {
  return byRouteKey.get(routeKey);
}

/** Every distinct handler, keyed `module.export`: one Lambda function each. */
export function allHandlers(): Map<string, HandlerRef> {
  const handlers = new Map<string, HandlerRef>();
  for (const handler of [...[...HTTP_ROUTES, HTTP_DEFAULT_ROUTE, ...WS_ROUTES].map((r) => r.handler), ...TASK_HANDLERS, ...SCHEDULED_HANDLERS.map(({ everyMinutes: _, ...ref }) => ref)]) {
    handlers.set(`${handler.module}.${handler.export}`, handler);
  }
  return handlers;
}

const roleRank = (role: StaffRole): number => STAFF_ROLES.indexOf(role);
export const roleAtLeast = (role: StaffRole, minRole: StaffRole): boolean => roleRank(role) >= roleRank(minRole);
