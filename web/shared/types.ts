/**
 * Every server shape the web apps read, in one place: the types inferred from the edge contract
 * (functions/contract/, zod; type-only imports, erased at build time, so no server code reaches a
 * bundle) under the names the apps use. The contract describes JSON as it travels: money is integer
 * minor units, dates are ISO strings (UTC). `Json<T>` turns Date fields into strings for app-side types.
 */
import type {
  BillRequestAnswer,
  CartLineView,
  CartView,
  CustomerView,
  GuestBillView,
  GuestOrderView,
  GuestSessionView,
  JoinedSession,
  MenuCategory as ContractMenuCategory,
  MenuItemChange as ContractMenuItemChange,
  MenuView,
  OrderItemView,
  PlaceOrderBody as ContractPlaceOrderBody,
  PublicMenuItem,
  ServerPush,
  ClientAction,
  SessionMe as ContractSessionMe,
  SplitShare as ContractSplitShare,
  SplitView,
  StaffSession,
  TablePhone as ContractTablePhone,
  UpiOffer as ContractUpiOffer,
} from '../../functions/contract/index.ts';

export type { AddCartItem, CartLineModifier, MenuItemTranslation, ModifierGroup, ModifierOption, UpdateCartItem } from '../../functions/contract/index.ts';
export type { ItemStatus, OrderStatus, PaymentMethod, PaymentStatus, SessionMode, SpiceLevel } from '../../functions/core/enums.ts';
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

/** The error envelope of every 4xx/5xx (its `code` is one of the stable error codes). */
export type { ErrorEnvelope } from '../../functions/contract/index.ts';

// ---------- Menu (functions/contract/menu.ts) ----------
export type MenuItem = PublicMenuItem;
/** A dish in a `menu.updated` push: also where it sits on the menu and whether it was deleted. */
export type MenuItemChange = ContractMenuItemChange;
export type MenuCategory = ContractMenuCategory;
export type MenuRestaurant = MenuView['restaurant'];
export type Menu = MenuView;

// ---------- Sessions (functions/contract/sessions.ts) ----------
/** POST /api/sessions/join → 200 (the token also comes as the HttpOnly cookie, the only place the apps use it). */
export type JoinResponse = JoinedSession;
/** GET /api/sessions/me → 200: everything a reloaded phone needs to resume (functions/sessions/handlers/sessions.ts `me`). */
export type SessionMe = ContractSessionMe;
/** Where the phone stands, without its cart and orders. */
export type GuestSession = GuestSessionView;
/** Where the phone sits, as /sessions/me gives it. */
export type TableRef = SessionMe['table'];
/** POST /api/customers/identify → the customer record */
export type Customer = CustomerView;

// ---------- Cart (functions/contract/cart.ts) ----------
export type CartLine = CartLineView;
export type Cart = CartView;

// ---------- Orders (functions/contract/orders.ts) ----------
/** An item of an order; `index` is its position in the order, which kitchen item routes name. */
export type OrderItem = OrderItemView;
/** A guest's view of an order (GET /api/orders → {orders}, POST /api/orders → 201, `order.updated`). */
export type Order = GuestOrderView;
/** POST /api/orders body (header Idempotency-Key) */
export type PlaceOrderBody = ContractPlaceOrderBody;

// ---------- Bill (functions/contract/bill.ts) ----------
export type UpiOffer = ContractUpiOffer;
/** GET /api/bill: the table's bill (FAMILY) or this phone's (INDIVIDUAL); cancelled orders left out. */
export type Bill = GuestBillView;
/** A phone at the table (GET /api/bill `phones`), whether or not it ordered. */
export type TablePhone = ContractTablePhone;
/** POST /api/bill/request → 200; also pushed to the table as `bill.requested`. */
export type BillRequested = BillRequestAnswer;
/** The server's label is English ("Share 1 of 3", the guest's name, "Guest 2"); the app shows its own words. */
export type SplitShare = ContractSplitShare;
/** GET /api/bill/split?by=equal&n= | by=device | by=item&shares=: what is still due, in shares adding up to `total`. */
export type BillSplit = SplitView;

// ---------- Staff (used by the kitchen and staff apps) ----------
/** POST /api/staff/login → 200 (functions/floor/handlers/staff-auth.ts sends the StaffSession's fields). */
export type StaffLoginResponse = StaffSession;

// ---------- WebSocket ----------
/** Messages the server pushes: one union discriminated on `type` (functions/contract/pushes.ts). */
export type ServerMessage = ServerPush;

/** Messages a client sends. Staff apps connect to `/ws?channel=kitchen` or `/ws?channel=staff`. */
export type ClientMessage = ClientAction;
