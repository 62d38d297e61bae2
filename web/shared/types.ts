/**
 * Every server shape the web apps read, in one place. The server's exported types ARE the contract:
 * this file re-exports them (type-only imports, erased at build time, so no server code reaches a
 * bundle) under the names the apps use, and adds only what the server has no type for (the config
 * file, the WebSocket union, request bodies built by the apps). Money is integer minor units; dates
 * are ISO strings (UTC) — `Json<T>` turns a server type's Date fields into the strings JSON carries.
 */
import type { CartView, CartLineView } from '../../functions/services/cart.ts';
import type {
  BillRequestAnswer,
  GuestBillView,
  SplitShare as ServerSplitShare,
  SplitView,
  TablePhone as ServerTablePhone,
  UpiOffer as ServerUpiOffer,
} from '../../functions/services/bill.ts';
import type { CustomerView } from '../../functions/services/customers.ts';
import type { MenuCategory as ServerMenuCategory, MenuItemChange as ServerMenuItemChange, MenuView, PublicMenuItem } from '../../functions/services/menu.ts';
import type { GuestOrderView, OrderItemView } from '../../functions/services/order-views.ts';
import type { PlaceOrderBody as ServerPlaceOrderBody } from '../../functions/services/orders.ts';
import type { ItemStatus, SpiceLevel } from '../../functions/data/documents.ts';
import type { StaffSession } from '../../functions/services/staff-auth.ts';
import type { GuestSessionView, JoinedSession } from '../../functions/services/table-sessions.ts';

export type {
  CartLineModifier,
  ItemStatus,
  MenuItemTranslation,
  ModifierGroup,
  ModifierOption,
  OrderStatus,
  PaymentMethod,
  PaymentStatus,
  SessionMode,
  SpiceLevel,
} from '../../functions/data/documents.ts';
export type { StaffRole } from '../../functions/core/roles.ts';

/** A server type as it arrives over JSON: Date fields become ISO strings. */
export type Json<T> = T extends Date
  ? string
  : T extends readonly (infer U)[]
    ? Json<U>[]
    : T extends object
      ? { [K in keyof T]: Json<T[K]> }
      : T;

/** GET /config.json */
export type { PublicConfig as AppConfig } from './public-config.ts';

/** The error envelope of every 4xx/5xx. */
export interface ErrorEnvelope {
  error: { code: string; message: string; details?: unknown };
}

// ---------- Menu (functions/services/menu.ts) ----------
export type MenuItem = PublicMenuItem;
/** A dish in a `menu.updated` push: also where it sits on the menu and whether it was deleted. */
export type MenuItemChange = ServerMenuItemChange;
export type MenuCategory = ServerMenuCategory;
export type MenuRestaurant = MenuView['restaurant'];
export type Menu = MenuView;

// ---------- Sessions (functions/services/table-sessions.ts, customers.ts) ----------
/** POST /api/sessions/join → 200 (the token also comes as the HttpOnly cookie, the only place the apps use it). */
export type JoinResponse = Json<JoinedSession>;
/** GET /api/sessions/me → 200: everything a reloaded phone needs to resume (functions/handlers/sessions.ts `me`). */
export type SessionMe = Json<GuestSessionView> & {
  /** The table's cart (FAMILY) or this phone's (INDIVIDUAL). */
  cart: Cart;
  /** The table's orders (FAMILY) or this phone's (INDIVIDUAL), oldest first, live statuses. */
  orders: Order[];
};
/** Where the phone sits, as /sessions/me gives it. */
export type TableRef = SessionMe['table'];
/** POST /api/customers/identify → the customer record */
export type Customer = Json<CustomerView>;

// ---------- Cart (functions/services/cart.ts) ----------
export type CartLine = CartLineView;
export type Cart = CartView;
/** POST /api/cart/items body */
export interface AddCartItem {
  menuItemId: string;
  quantity: number;
  modifierOptionIds?: string[];
  spiceLevel?: SpiceLevel;
  notes?: string;
}
/** PATCH /api/cart/items/:lineId body */
export interface UpdateCartItem {
  quantity?: number;
  spiceLevel?: SpiceLevel;
  notes?: string;
  expectedVersion?: number;
}

// ---------- Orders (functions/services/order-views.ts) ----------
/** An item of an order; `index` is its position in the order, which kitchen item routes name. */
export type OrderItem = OrderItemView;
/** A guest's view of an order (GET /api/orders → {orders}, POST /api/orders → 201, `order.updated`). */
export type Order = GuestOrderView;
/** POST /api/orders body (header Idempotency-Key) */
export type PlaceOrderBody = ServerPlaceOrderBody;

// ---------- Bill (functions/services/bill.ts) ----------
export type UpiOffer = ServerUpiOffer;
/** GET /api/bill: the table's bill (FAMILY) or this phone's (INDIVIDUAL); cancelled orders left out. */
export type Bill = Json<GuestBillView>;
/** A phone at the table (GET /api/bill `phones`), whether or not it ordered. */
export type TablePhone = ServerTablePhone;
/** POST /api/bill/request → 200; also pushed to the table as `bill.requested`. */
export type BillRequested = BillRequestAnswer;
/** The server's label is English ("Share 1 of 3", the guest's name, "Guest 2"); the app shows its own words. */
export type SplitShare = ServerSplitShare;
/** GET /api/bill/split?by=equal&n= | by=device | by=item&shares=: what is still due, in shares adding up to `total`. */
export type BillSplit = SplitView;

// ---------- Staff (used by the kitchen and staff apps) ----------
/** POST /api/staff/login → 200 (functions/handlers/staff-auth.ts sends the StaffSession's fields). */
export type StaffLoginResponse = Json<StaffSession>;

// ---------- WebSocket ----------
/** Messages the server pushes. `type` is the discriminator. */
export type ServerMessage =
  | { type: 'pong' }
  | { type: 'cart.updated'; cart: Cart }
  | { type: 'menu.updated'; items: MenuItemChange[]; names?: true }
  | { type: 'order.updated'; order: Order }
  | ({ type: 'bill.requested' } & BillRequested)
  | { type: 'session.closed' }
  | { type: 'sync'; serverTime: string; connectionId: string; cart?: Cart | null; orders?: Order[] }
  | { type: 'error'; error: { code: string; message: string } }
  | { type: string; [key: string]: unknown };

/** Messages a client sends. Staff apps connect to `/ws?channel=kitchen` or `/ws?channel=staff`. */
export type ClientMessage = { action: 'ping' } | { action: 'sync' };
