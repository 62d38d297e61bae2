/**
 * The single source of truth for every route Plato serves.
 *
 * The CDK stack (lib/) creates one API Gateway route per entry and one Lambda function per function
 * group (FUNCTION_GROUPS: a capability such as the cart or the kitchen), which serves every route
 * naming that group through functions/dispatch.ts; the local runtime (local/) serves the same entries
 * through its API Gateway emulator, in containers per function group;
 * the HTTP middleware reads `auth` from here by the event's routeKey, so authorization
 * is declared once, next to the route.
 */

// Contracts are named by id and imported as a type only: no function's bundle builds another's schemas.
import type { RouteContractId } from './contract/route-contracts.ts';
import type { StaffRole } from './core/roles.ts';

/**
 * The Lambda functions: one per capability, each serving every route that names it (functions/dispatch.ts
 * picks the handler by the event's route key). Grouping keeps the stack far below CloudFormation's 500
 * resources and each restaurant's MongoDB connections small (one client per warm container of a group,
 * not per route); a group's role is the union of its routes' needs and nothing more.
 *
 * Memory buys CPU: Lambda gives a function CPU in proportion to its memory (one vCPU at 1,769 MB, so
 * 256 MB is about a seventh of one). Loading a MongoDB bundle is CPU-bound: `npm run bench` (section
 * init) measures 165–180 ms on a full core for each MongoDB group (edge: 128 ms), so a cold start's
 * module init takes ~0.3 s at 1,024 MB, ~0.6 s at 512 MB and ~1.2 s at 256 MB. Once warm,
 * a request mostly waits on MongoDB and DynamoDB, where more memory only costs more. Hence:
 * - 1,024 MB (~0.6 vCPU) for what guests and the kitchen wait on (joining, cart, orders, the kitchen,
 *   the WebSocket $connect and sync): cold starts a guest notices, and order placement's CPU work;
 * - 512 MB for the staff console and the bill, asked less often and by people who are not waiting on a
 *   dish (staff sign-in hashes a password, which is why it is not 256);
 * - 256 MB for `edge`, which carries no MongoDB driver and answers heartbeats in a few milliseconds;
 * - 512 MB for `payments` and `payments-webhook`, like the bill they settle; `payments` waits on the
 *   provider's API (a payment link, a refund, a pass over open payments), hence 30 s (API Gateway's
 *   own limit) rather than 10;
 * - setup runs once per deploy and creates indexes: 512 MB and 120 s.
 */
export const FUNCTION_GROUPS = {
  edge: { memoryMb: 256, timeoutSeconds: 10, what: 'requests that need no MongoDB: the 404/405 fallback, WebSocket ping, $default and $disconnect' },
  guest: { memoryMb: 1024, timeoutSeconds: 10, what: 'guests joining a table and their session, the menu, identification and favourites, health' },
  cart: { memoryMb: 1024, timeoutSeconds: 10, what: "the guests' carts" },
  orders: { memoryMb: 1024, timeoutSeconds: 10, what: 'placing and listing orders' },
  bill: { memoryMb: 512, timeoutSeconds: 10, what: 'the bill, splits, bill requests and payments' },
  kitchen: { memoryMb: 1024, timeoutSeconds: 10, what: 'the kitchen display' },
  'staff-floor': { memoryMb: 512, timeoutSeconds: 10, what: 'staff sign-in and sign-out, the floor, table sessions and PINs, order approval' },
  'staff-admin': { memoryMb: 512, timeoutSeconds: 10, what: "menu editing, staff accounts, managers' reports and the day's close, guests' data rights and their daily retention run" },
  ws: { memoryMb: 1024, timeoutSeconds: 10, what: 'WebSocket $connect and sync' },
  payments: { memoryMb: 512, timeoutSeconds: 30, what: "calls to the payment provider's API: starting a guest's payment, refunds, checking open payments (by a manager and every 5 minutes)" },
  'payments-webhook': { memoryMb: 512, timeoutSeconds: 10, what: "the payment provider's signed webhooks (public, no provider SDK)" },
  setup: { memoryMb: 512, timeoutSeconds: 120, what: 'the deploy-time setup task (indexes, restaurant settings)' },
  // sharp decodes and encodes on the CPU: 1,536 MB (~0.9 vCPU) resizes a phone photo in well under a second.
  media: { memoryMb: 1536, timeoutSeconds: 30, what: "resizing a dish photo at upload (sharp), invoked by the staff-admin function" },
} as const satisfies Record<string, { memoryMb: number; timeoutSeconds: number; what: string }>;

export type FunctionGroup = keyof typeof FUNCTION_GROUPS;
export const FUNCTION_GROUP_NAMES = Object.keys(FUNCTION_GROUPS) as FunctionGroup[];

/**
 * The capability slice (a folder of functions/) that holds each function group's handlers, under
 * `<slice>/handlers/`, with the slice's use cases, views and pushes beside them. Other slices reach a
 * slice only through its `index.ts`; the kernel (http/, auth/, realtime/, platform/, data/, payments/,
 * core/, contract/ and effects.ts) is shared.
 */
export const SLICE_OF_GROUP = {
  edge: 'gateway',
  ws: 'gateway',
  guest: 'sessions',
  cart: 'cart',
  orders: 'orders',
  bill: 'bill',
  payments: 'bill',
  'payments-webhook': 'bill',
  kitchen: 'kitchen',
  'staff-floor': 'floor',
  'staff-admin': 'admin',
  media: 'admin',
  setup: 'admin',
} as const satisfies Record<FunctionGroup, string>;

export type Slice = (typeof SLICE_OF_GROUP)[FunctionGroup];

/** public: no credentials; diner: a guest session token; staff: a staff JWT with at least `minRole`. */
export type RouteAuth = { kind: 'public' } | { kind: 'diner' } | { kind: 'staff'; minRole: StaffRole };

/** What a handler touches, so the stack grants exactly that and the bundler can leave the driver out. */
export interface HandlerNeeds {
  mongo: boolean;
  /** DynamoDB tables the handler reads or writes (keys of TABLES in tables.ts). */
  tables: readonly ('connections' | 'idempotency' | 'rateLimits')[];
  /** Posts to WebSocket connections through the @connections management API. */
  push: boolean;
  /** Sends text messages (one-time codes) through SNS: the stack grants sns:Publish to phone numbers. */
  sms?: boolean;
  /**
   * The media bucket (functions/core/photos.ts): `sign` signs uploads to uploads/* and invokes the
   * resize function; `resize` reads uploads/*, writes media/* and deletes uploads/* (and carries sharp).
   */
  media?: 'sign' | 'resize';
}

export interface HandlerRef {
  /** The Lambda function (capability) that serves this handler. */
  group: FunctionGroup;
  /** Module under functions/<slice of the group>/handlers/, without extension (see handlerFile). */
  module: string;
  /** Named export of that module. */
  export: string;
  needs: HandlerNeeds;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRoute {
  method: HttpMethod;
  /** API Gateway path syntax: `/api/staff/tables/{tableId}/sessions`. */
  path: string;
  auth: RouteAuth;
  /**
   * The id of the route's request and answer schemas (functions/contract/, e.g. `cart.addItem`): its
   * handler validates through the contract of this id (http/route.ts refuses another), and
   * docs/openapi.json is generated from it (functions/contract/route-contracts.ts).
   */
  contract: RouteContractId;
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

/** `in_('cart')('cart', 'addItem', needs)`: a handler served by the cart function. */
const in_ =
  (group: FunctionGroup) =>
  (module: string, exportName: string, needs: HandlerNeeds): HandlerRef => ({ group, module, export: exportName, needs });

const edge = in_('edge');
const guest = in_('guest');
const cart = in_('cart');
const orders = in_('orders');
const bill = in_('bill');
const kitchen = in_('kitchen');
const staffFloor = in_('staff-floor');
const staffAdmin = in_('staff-admin');
const ws = in_('ws');
const payments = in_('payments');
const paymentsWebhook = in_('payments-webhook');

export const HTTP_ROUTES: readonly HttpRoute[] = [
  { method: 'GET', path: '/api/health', auth: PUBLIC, contract: 'staff.health', handler: guest('health', 'health', mongo('connections')) },

  // Staff authentication and floor
  { method: 'POST', path: '/api/staff/login', auth: PUBLIC, contract: 'staff.login', handler: staffFloor('staff-auth', 'login', mongo('rateLimits')) },
  // Public: signing out clears this browser's cookie even when its session was already ended; a live
  // sign-in is revoked (MongoDB) and its sockets closed, so it is served with sign-in, not by `edge`.
  { method: 'POST', path: '/api/staff/logout', auth: PUBLIC, contract: 'staff.logout', handler: staffFloor('staff-logout', 'logout', mongoPush()) },
  { method: 'GET', path: '/api/staff/me', auth: staff('KITCHEN'), contract: 'staff.me', handler: staffFloor('staff-account', 'me', mongo()) },
  // Staff accounts (the console's Team section); ending a user's sessions closes their sockets.
  { method: 'GET', path: '/api/staff/users', auth: staff('ADMIN'), contract: 'staff.listUsers', handler: staffAdmin('staff-users', 'listUsers', mongo()) },
  { method: 'POST', path: '/api/staff/users', auth: staff('ADMIN'), contract: 'staff.createUser', handler: staffAdmin('staff-users', 'createUser', mongo()) },
  { method: 'PATCH', path: '/api/staff/users/{userId}', auth: staff('ADMIN'), contract: 'staff.updateUser', handler: staffAdmin('staff-users', 'updateUser', mongoPush()) },
  { method: 'POST', path: '/api/staff/users/{userId}/sign-out', auth: staff('ADMIN'), contract: 'staff.signOutUser', handler: staffAdmin('staff-users', 'signOutUser', mongoPush()) },
  // WAITER: the floor names the guests at each table, which the kitchen never sees.
  { method: 'GET', path: '/api/staff/tables', auth: staff('WAITER'), contract: 'staff.listTables', handler: staffFloor('staff-tables', 'listTables', mongo()) },
  { method: 'GET', path: '/api/staff/qr-codes', auth: staff('WAITER'), contract: 'staff.qrCodes', handler: staffFloor('staff-tables', 'qrCodes', mongo()) },
  // Adding, renaming or moving, and removing tables (the console's Tables on the QR page): MANAGER.
  { method: 'POST', path: '/api/staff/tables', auth: staff('MANAGER'), contract: 'staff.createTable', handler: staffFloor('staff-tables', 'createTable', mongoPush()) },
  { method: 'PATCH', path: '/api/staff/tables/{tableId}', auth: staff('MANAGER'), contract: 'staff.updateTable', handler: staffFloor('staff-tables', 'updateTable', mongoPush()) },
  { method: 'DELETE', path: '/api/staff/tables/{tableId}', auth: staff('MANAGER'), contract: 'staff.deleteTable', handler: staffFloor('staff-tables', 'deleteTable', mongoPush()) },
  // A new QR link for a table: its printed card stops working, so only a manager may.
  { method: 'POST', path: '/api/staff/tables/{tableId}/code', auth: staff('MANAGER'), contract: 'staff.rotateCode', handler: staffFloor('staff-tables', 'rotateCode', mongo()) },
  { method: 'POST', path: '/api/staff/tables/{tableId}/sessions', auth: staff('WAITER'), contract: 'staff.openSession', handler: staffFloor('staff-sessions', 'openSession', mongoPush()) },
  { method: 'POST', path: '/api/staff/sessions/{sessionId}/pin', auth: staff('WAITER'), contract: 'staff.regeneratePin', handler: staffFloor('staff-sessions', 'regeneratePin', mongo('rateLimits')) },
  { method: 'POST', path: '/api/staff/sessions/{sessionId}/close', auth: staff('WAITER'), contract: 'staff.closeSession', handler: staffFloor('staff-sessions', 'closeSession', mongoPush()) },
  { method: 'GET', path: '/api/staff/sessions/{sessionId}/bill', auth: staff('WAITER'), contract: 'bill.sessionBill', handler: bill('staff-billing', 'sessionBill', mongo()) },
  { method: 'POST', path: '/api/staff/sessions/{sessionId}/payment', auth: staff('WAITER'), contract: 'bill.recordSessionPayment', handler: bill('staff-billing', 'recordSessionPayment', mongoPush()) },

  // Guests: joining a table and resuming. Every diner write counts against its token's request rate
  // (http/diner-route.ts), so those routes reach rateLimits.
  { method: 'POST', path: '/api/sessions/join', auth: PUBLIC, contract: 'sessions.join', handler: guest('sessions', 'join', mongoPush('rateLimits')) },
  // What the QR link opens onto; it takes the link's value (a table code, or an id on a link printed before codes).
  { method: 'GET', path: '/api/tables/{tableId}', auth: PUBLIC, contract: 'sessions.table', handler: guest('sessions', 'table', mongo()) },
  { method: 'GET', path: '/api/sessions/me', auth: DINER, contract: 'sessions.me', handler: guest('sessions', 'me', mongo()) },
  { method: 'POST', path: '/api/sessions/logout', auth: DINER, contract: 'sessions.logout', handler: guest('sessions', 'logout', mongoPush('rateLimits')) },
  // A phone number links a customer only once verified with a one-time code sent to it.
  { method: 'POST', path: '/api/customers/identify', auth: DINER, contract: 'sessions.identify', handler: guest('customers', 'identify', { ...mongoPush('rateLimits'), sms: true }) },
  { method: 'POST', path: '/api/customers/verify', auth: DINER, contract: 'sessions.verify', handler: guest('customers', 'verify', mongoPush('rateLimits')) },
  // A returning guest's favourites (sessions/handlers/favorites.ts): starred and most-ordered dishes.
  { method: 'GET', path: '/api/customers/favorites', auth: DINER, contract: 'sessions.listFavorites', handler: guest('favorites', 'listFavorites', mongo()) },
  { method: 'PUT', path: '/api/customers/favorites/{itemId}', auth: DINER, contract: 'sessions.starDish', handler: guest('favorites', 'starDish', mongo('rateLimits')) },
  { method: 'DELETE', path: '/api/customers/favorites/{itemId}', auth: DINER, contract: 'sessions.unstarDish', handler: guest('favorites', 'unstarDish', mongo('rateLimits')) },

  // Menu
  { method: 'GET', path: '/api/menu', auth: PUBLIC, contract: 'menu.getMenu', handler: guest('menu', 'getMenu', mongo()), cacheable: true },
  { method: 'POST', path: '/api/staff/menu/items', auth: staff('MANAGER'), contract: 'menu.createItem', handler: staffAdmin('staff-menu', 'createItem', mongoPush()) },
  // WAITER may only toggle isAvailable; any other field needs MANAGER (checked in the domain core).
  { method: 'PATCH', path: '/api/staff/menu/items/{itemId}', auth: staff('WAITER'), contract: 'menu.updateItem', handler: staffAdmin('staff-menu', 'updateItem', mongoPush()) },
  { method: 'DELETE', path: '/api/staff/menu/items/{itemId}', auth: staff('MANAGER'), contract: 'menu.deleteItem', handler: staffAdmin('staff-menu', 'deleteItem', mongoPush()) },
  // A dish's photo: a presigned upload straight to the media bucket, then the commit has it resized.
  { method: 'POST', path: '/api/staff/menu/items/{itemId}/photo/upload', auth: staff('MANAGER'), contract: 'menu.startPhotoUpload', handler: staffAdmin('staff-menu-photo', 'startUpload', { ...mongo(), media: 'sign' }) },
  { method: 'PUT', path: '/api/staff/menu/items/{itemId}/photo', auth: staff('MANAGER'), contract: 'menu.commitPhoto', handler: staffAdmin('staff-menu-photo', 'commit', { ...mongoPush(), media: 'sign' }) },
  { method: 'DELETE', path: '/api/staff/menu/items/{itemId}/photo', auth: staff('MANAGER'), contract: 'menu.removePhoto', handler: staffAdmin('staff-menu-photo', 'remove', mongoPush()) },
  // The menu's languages and the translated names of categories, stations and floors.
  { method: 'GET', path: '/api/staff/menu/names', auth: staff('WAITER'), contract: 'menu.getNames', handler: staffAdmin('staff-menu-names', 'getNames', mongo()) },
  // New names reach every guest's menu live (menu.updated with `names`).
  { method: 'PUT', path: '/api/staff/menu/names', auth: staff('MANAGER'), contract: 'menu.putNames', handler: staffAdmin('staff-menu-names', 'putNames', mongoPush()) },

  // Cart
  { method: 'GET', path: '/api/cart', auth: DINER, contract: 'cart.getCart', handler: cart('cart', 'getCart', mongo()) },
  { method: 'POST', path: '/api/cart/items', auth: DINER, contract: 'cart.addItem', handler: cart('cart', 'addItem', mongoPush('rateLimits')) },
  { method: 'PATCH', path: '/api/cart/items/{lineId}', auth: DINER, contract: 'cart.updateItem', handler: cart('cart', 'updateItem', mongoPush('rateLimits')) },
  { method: 'DELETE', path: '/api/cart/items/{lineId}', auth: DINER, contract: 'cart.removeItem', handler: cart('cart', 'removeItem', mongoPush('rateLimits')) },
  { method: 'DELETE', path: '/api/cart', auth: DINER, contract: 'cart.clearCart', handler: cart('cart', 'clearCart', mongoPush('rateLimits')) },

  // Orders, bill and payment
  { method: 'POST', path: '/api/orders', auth: DINER, contract: 'orders.placeOrder', handler: orders('orders', 'placeOrder', mongoPush('idempotency', 'rateLimits')) },
  { method: 'GET', path: '/api/orders', auth: DINER, contract: 'orders.listOrders', handler: orders('orders', 'listOrders', mongo()) },
  { method: 'GET', path: '/api/bill', auth: DINER, contract: 'bill.getBill', handler: bill('bill', 'getBill', mongo()) },
  { method: 'GET', path: '/api/bill/split', auth: DINER, contract: 'bill.splitBill', handler: bill('bill', 'splitBill', mongo()) },
  { method: 'POST', path: '/api/bill/request', auth: DINER, contract: 'bill.requestBill', handler: bill('bill', 'requestBill', mongoPush('rateLimits')) },
  // Paying from the phone (bill/payment-intents.ts). Starting a payment, refunds, the manager's check
  // and the scheduled reconciliation call the provider's API (the razorpay package): the payments group.
  // The provider's webhook is public but signature-verified, and bundles no SDK: payments-webhook.
  { method: 'POST', path: '/api/payments', auth: DINER, contract: 'bill.startPayment', handler: payments('payments', 'startGuestPayment', mongoPush('rateLimits')) },
  { method: 'GET', path: '/api/payments', auth: DINER, contract: 'bill.listPayments', handler: bill('guest-payments', 'listGuestPayments', mongo()) },
  { method: 'GET', path: '/api/payments/{intentId}', auth: DINER, contract: 'bill.getPayment', handler: bill('guest-payments', 'getGuestPayment', mongo()) },
  { method: 'POST', path: '/api/payments/webhook', auth: PUBLIC, contract: 'bill.webhook', handler: paymentsWebhook('payment-webhook', 'webhook', mongoPush()) },
  { method: 'POST', path: '/api/staff/payments/{intentId}/refund', auth: staff('MANAGER'), contract: 'bill.refund', handler: payments('staff-payments', 'refund', mongoPush()) },
  { method: 'POST', path: '/api/staff/payments/check', auth: staff('MANAGER'), contract: 'bill.checkPayments', handler: payments('staff-payments', 'checkPayments', mongoPush()) },
  { method: 'GET', path: '/api/staff/orders', auth: staff('WAITER'), contract: 'orders.staffListOrders', handler: staffFloor('staff-orders', 'listOrders', mongo()) },
  { method: 'POST', path: '/api/staff/orders/{orderId}/confirm', auth: staff('WAITER'), contract: 'orders.confirmOrder', handler: staffFloor('staff-orders', 'confirmOrder', mongoPush()) },
  { method: 'POST', path: '/api/staff/orders/{orderId}/reject', auth: staff('WAITER'), contract: 'orders.rejectOrder', handler: staffFloor('staff-orders', 'rejectOrder', mongoPush()) },
  { method: 'POST', path: '/api/staff/orders/{orderId}/cancel', auth: staff('MANAGER'), contract: 'orders.cancelOrder', handler: staffFloor('staff-orders', 'cancelOrder', mongoPush()) },
  { method: 'POST', path: '/api/staff/orders/{orderId}/payment', auth: staff('WAITER'), contract: 'orders.recordPayment', handler: bill('staff-orders', 'recordPayment', mongoPush()) },

  // Kitchen display
  { method: 'GET', path: '/api/kitchen/orders', auth: staff('KITCHEN'), contract: 'kitchen.listTickets', handler: kitchen('kitchen', 'listTickets', mongo()) },
  { method: 'PATCH', path: '/api/kitchen/orders/{orderId}/items/{itemIndex}', auth: staff('KITCHEN'), contract: 'kitchen.setItemStatus', handler: kitchen('kitchen', 'setItemStatus', mongoPush()) },
  { method: 'POST', path: '/api/kitchen/orders/{orderId}/bump', auth: staff('KITCHEN'), contract: 'kitchen.bump', handler: kitchen('kitchen', 'bump', mongoPush()) },
  { method: 'POST', path: '/api/kitchen/orders/{orderId}/recall', auth: staff('KITCHEN'), contract: 'kitchen.recall', handler: kitchen('kitchen', 'recall', mongoPush()) },
  { method: 'GET', path: '/api/kitchen/all-day', auth: staff('KITCHEN'), contract: 'kitchen.allDay', handler: kitchen('kitchen', 'allDay', mongo()) },

  // Managers' reports and the day's close (admin/handlers/staff-reports.ts); reopening a closed day is ADMIN's.
  { method: 'GET', path: '/api/staff/reports/{report}', auth: staff('MANAGER'), contract: 'staff.getReport', handler: staffAdmin('staff-reports', 'getReport', mongo()) },
  { method: 'POST', path: '/api/staff/reports/day-close', auth: staff('MANAGER'), contract: 'staff.closeDay', handler: staffAdmin('staff-reports', 'closeDay', mongo()) },
  { method: 'POST', path: '/api/staff/reports/day-close/reopen', auth: staff('ADMIN'), contract: 'staff.reopenDay', handler: staffAdmin('staff-reports', 'reopenDay', mongo()) },

  // Guests' data rights (admin/handlers/staff-data-rights.ts): the phone number in the body, never the URL.
  { method: 'POST', path: '/api/staff/data-rights/export', auth: staff('MANAGER'), contract: 'staff.exportData', handler: staffAdmin('staff-data-rights', 'exportData', mongo()) },
  { method: 'POST', path: '/api/staff/data-rights/erase', auth: staff('MANAGER'), contract: 'staff.eraseData', handler: staffAdmin('staff-data-rights', 'eraseData', mongo()) },
];

export const WS_ROUTES: readonly WsRoute[] = [
  // $connect counts per network and per token (rateLimits) and closes the oldest sockets past a
  // credential's cap (push). Every action counts against its socket's message rate, kept on the
  // socket's own record (realtime/message-rate.ts: the same update checks the record is still there);
  // sync also re-checks the credential in MongoDB (ws.ts).
  { routeKey: '$connect', handler: ws('ws', 'connect', mongoPush('rateLimits')) },
  { routeKey: '$disconnect', handler: edge('ws', 'disconnect', { mongo: false, tables: ['connections'], push: false }) },
  { routeKey: '$default', handler: edge('ws', 'unknownAction', { mongo: false, tables: ['connections'], push: true }) },
  // rateLimits: a kitchen tablet's ping claims the kitchen's shared pong (gateway/kitchen-beat.ts).
  { routeKey: 'ping', handler: edge('ws', 'ping', { mongo: false, tables: ['connections', 'rateLimits'], push: true }) },
  { routeKey: 'sync', handler: ws('ws', 'sync', mongoPush('rateLimits')) },
];

/**
 * API Gateway's `$default` HTTP route: answers every request no route matched with the error
 * envelope, 405 METHOD_NOT_ALLOWED when the path exists under another method, else 404 NOT_FOUND.
 */
export const HTTP_DEFAULT_ROUTE: HttpRoute = {
  method: 'GET', // unused: the fallback serves every method
  path: '$default',
  auth: PUBLIC,
  contract: 'edge.notFound',
  handler: edge('fallback', 'notFound', { mongo: false, tables: [], push: false }),
};

/**
 * A handler that is not a route: run on every deploy (a custom resource), on an EventBridge schedule,
 * or `onDemand`, invoked by another function through the Lambda API.
 */
export type TaskHandler = HandlerRef & { schedule?: { everyMinutes: number }; onDemand?: true };

/**
 * Handlers that are not routes (at most one per function group: functions/dispatch.ts serves it under
 * the key `task`):
 * - `setup` creates MongoDB indexes and writes the restaurant's settings. The CDK stack runs it on
 *   every deploy (a custom resource served by the function itself); the local runtime runs it at start.
 * - `reconcile` looks up open online payments at the provider every 5 minutes, catching webhooks
 *   that never arrived (lib/task-schedules.ts); locally a manager's "check payments" does the same.
 * - `resize` writes a dish photo's served copies when a manager commits it (functions/admin/menu-photos.ts).
 * - `anonymiseGuestData` removes guests' names and phones from orders past the retention period, daily
 *   (the staff-admin function, which serves data rights; locally on a timer: local/schedules.ts).
 */
export const TASK_HANDLERS: readonly TaskHandler[] = [
  in_('setup')('setup', 'setup', mongo()),
  { ...in_('payments')('payments-reconcile', 'reconcile', mongoPush()), schedule: { everyMinutes: 5 } },
  { ...in_('media')('media', 'resize', { ...noStore(), media: 'resize' }), onDemand: true },
  { ...staffAdmin('retention', 'anonymiseGuestData', mongo()), schedule: { everyMinutes: 24 * 60 } },
];

/** A handler's module, relative to functions/: `cart/handlers/cart.ts` for the cart group's `cart`. */
export const handlerFile = (ref: Pick<HandlerRef, 'group' | 'module'>): string => `${SLICE_OF_GROUP[ref.group]}/handlers/${ref.module}.ts`;

/** API Gateway's routeKey for an HTTP route, e.g. `POST /api/sessions/join`. */
export const routeKeyOf = (route: Pick<HttpRoute, 'method' | 'path'>): string => `${route.method} ${route.path}`;

const byRouteKey = new Map(HTTP_ROUTES.map((route) => [routeKeyOf(route), route]));

export function httpRouteByKey(routeKey: string): HttpRoute | undefined {
  return byRouteKey.get(routeKey);
}

/** Every distinct handler, keyed `module.export`. */
export function allHandlers(): Map<string, HandlerRef> {
  const handlers = new Map<string, HandlerRef>();
  for (const handler of [...[...HTTP_ROUTES, HTTP_DEFAULT_ROUTE, ...WS_ROUTES].map((r) => r.handler), ...TASK_HANDLERS.map(({ schedule: _, onDemand: __, ...ref }) => ref)]) {
    handlers.set(`${handler.module}.${handler.export}`, handler);
  }
  return handlers;
}

/** One Lambda function: its handlers, the routes it serves and the union of their needs. */
export interface FunctionGroupSpec {
  group: FunctionGroup;
  memoryMb: number;
  timeoutSeconds: number;
  what: string;
  /** `module.export` → handler. */
  handlers: Map<string, HandlerRef>;
  httpRoutes: HttpRoute[];
  wsRoutes: WsRoute[];
  tasks: HandlerRef[];
  needs: HandlerNeeds;
}

/** What a function needs is what any of its handlers needs (the CDK grants it; the local runtime bundles by it). */
export const unionOfNeeds = (refs: Iterable<HandlerRef>): HandlerNeeds => {
  const list = [...refs];
  return {
    mongo: list.some((ref) => ref.needs.mongo),
    tables: [...new Set(list.flatMap((ref) => ref.needs.tables))].sort(),
    push: list.some((ref) => ref.needs.push),
    sms: list.some((ref) => ref.needs.sms === true),
    ...(list.some((ref) => ref.needs.media) ? { media: list.some((ref) => ref.needs.media === 'resize') ? ('resize' as const) : ('sign' as const) } : {}),
  };
};

/** The function groups that serve at least one route or task, in FUNCTION_GROUPS order. */
export function functionGroups(): Map<FunctionGroup, FunctionGroupSpec> {
  const groups = new Map<FunctionGroup, FunctionGroupSpec>();
  for (const group of FUNCTION_GROUP_NAMES) {
    const httpRoutes = [...HTTP_ROUTES, HTTP_DEFAULT_ROUTE].filter((route) => route.handler.group === group);
    const wsRoutes = WS_ROUTES.filter((route) => route.handler.group === group);
    const tasks = TASK_HANDLERS.filter((task) => task.group === group);
    const handlers = new Map<string, HandlerRef>();
    for (const ref of [...httpRoutes.map((r) => r.handler), ...wsRoutes.map((r) => r.handler), ...tasks]) handlers.set(`${ref.module}.${ref.export}`, ref);
    if (handlers.size === 0) continue;
    groups.set(group, { group, ...FUNCTION_GROUPS[group], handlers, httpRoutes, wsRoutes, tasks, needs: unionOfNeeds(handlers.values()) });
  }
  return groups;
}
