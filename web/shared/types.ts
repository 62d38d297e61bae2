/**
 * Every server shape the web apps read, in one place: when the server's field names settle,
 * fixing the apps is an edit here. Money is integer minor units; dates are ISO strings (UTC).
 */

export type SpiceLevel = 'no-spicy' | 'less-spicy' | 'regular' | 'more-spicy';
export type SessionMode = 'FAMILY' | 'INDIVIDUAL';
export type ItemStatus = 'NEW' | 'COOKING' | 'READY' | 'SERVED' | 'CANCELLED';
export type OrderStatus = 'pending' | 'confirmed' | 'preparing' | 'completed' | 'cancelled';
export type PaymentStatus = 'pending' | 'paid' | 'failed';
export type PaymentMethod = 'CASH' | 'CARD' | 'UPI';
export type StaffRole = 'KITCHEN' | 'WAITER' | 'MANAGER' | 'ADMIN';

/** GET /config.json */
export interface AppConfig {
  restaurantId: string;
  name: string;
  currency: string;
  locale: string;
  timeZone: string;
  apiBase: string;
  wsUrl: string;
}

/** The error envelope of every 4xx/5xx. */
export interface ErrorEnvelope {
  error: { code: string; message: string; details?: unknown };
}

// ---------- Menu ----------
export interface ModifierOption {
  id: string;
  name: string;
  price: number;
}
export interface ModifierGroup {
  groupId: string;
  name: string;
  min: number;
  max: number;
  options: ModifierOption[];
}
export interface MenuItem {
  id: string;
  name: string;
  description: string;
  price: number;
  isVeg: boolean;
  image: string;
  isAvailable: boolean;
  station: string;
  modifierGroups: ModifierGroup[];
  spiceLevels: SpiceLevel[];
}
/** A dish in a `menu.updated` push: also where it sits on the menu and whether it was deleted. */
export interface MenuItemChange extends MenuItem {
  category?: string;
  sortOrder?: number;
  deleted?: boolean;
}
export interface MenuCategory {
  name: string;
  items: MenuItem[];
}
export interface MenuRestaurant {
  name: string;
  currency: string;
  /** Percent for display (5 = 5%). */
  taxRate: number;
  timeZone: string;
}
export interface Menu {
  restaurant: MenuRestaurant;
  categories: MenuCategory[];
}

// ---------- Sessions ----------
export interface TableRef {
  tableId?: string;
  number: string;
  floor: string;
}
/** POST /api/sessions/join → 200 (the token also comes as the HttpOnly cookie, the only place the apps use it). */
export interface JoinResponse {
  sessionId: string;
  sessionToken: string;
  deviceId: string;
  mode: SessionMode;
  table: TableRef;
  expiresAt: string;
}
/** GET /api/sessions/me → 200: everything a reloaded phone needs to resume. */
export interface SessionMe {
  session: { sessionId: string; mode: SessionMode; status: 'OPEN' | 'CLOSED'; openedAt: string };
  table: TableRef;
  device: { deviceId: string; customerName?: string; customerId?: string; expiresAt: string };
  /** The table's cart (FAMILY) or this phone's (INDIVIDUAL). */
  cart: Cart;
  /** The table's orders (FAMILY) or this phone's (INDIVIDUAL), oldest first, live statuses. */
  orders: Order[];
}
/** POST /api/customers/identify → the customer record */
export interface Customer {
  customerId?: string;
  name: string;
  phoneNumber?: string;
  visitCount?: number;
}

// ---------- Cart ----------
export interface CartLineModifier {
  groupId: string;
  optionId: string;
  name: string;
  price: number;
}
export interface CartLine {
  lineId: string;
  menuItemId: string;
  name: string;
  unitPrice: number;
  quantity: number;
  modifiers: CartLineModifier[];
  spiceLevel?: SpiceLevel | null;
  notes?: string | null;
  addedByDeviceId: string;
  addedByName?: string | null;
  addedAt?: string;
  lineTotal: number;
}
export interface Cart {
  version: number;
  lines: CartLine[];
  subtotal: number;
  tax: number;
  total: number;
  unavailableLineIds: string[];
}
export interface AddCartItem {
  menuItemId: string;
  quantity: number;
  modifierOptionIds?: string[];
  spiceLevel?: SpiceLevel;
  notes?: string;
}
export interface UpdateCartItem {
  quantity?: number;
  spiceLevel?: SpiceLevel;
  notes?: string;
  expectedVersion?: number;
}

// ---------- Orders ----------
export interface OrderItem {
  /** Position on the order: what `order.item_status` pushes refer to. */
  index: number;
  menuItemId: string;
  menuItemName: string;
  quantity: number;
  /** Unit price including modifiers. */
  price: number;
  total: number;
  spiceLevel?: SpiceLevel;
  notes?: string;
  modifiers: CartLineModifier[];
  station: string;
  itemStatus: ItemStatus;
  addedByDeviceId: string;
}
/** A guest's view of an order (GET /api/orders → {orders}, POST /api/orders → 201, `order.updated`). */
export interface Order {
  orderId: string;
  orderNumber: string;
  status: OrderStatus;
  paymentStatus: PaymentStatus;
  paymentMethod?: PaymentMethod;
  items: OrderItem[];
  /** What the order costs now (dishes cancelled after ordering are not charged). */
  subtotal: number;
  tax: number;
  total: number;
  orderDate: string;
  updatedAt: string;
  tableNumber: string;
  /** The phone that placed it. */
  deviceId: string;
  rejectionReason?: string;
}
/** POST /api/orders body (header Idempotency-Key) */
export interface PlaceOrderBody {
  cartVersion: number;
  paymentMethod?: PaymentMethod;
}

// ---------- Bill ----------
export interface UpiOffer {
  link: string;
  qrSvg: string;
}
/** GET /api/bill: the table's bill (FAMILY) or this phone's (INDIVIDUAL); cancelled orders left out. */
export interface Bill {
  orders: Order[];
  subtotal: number;
  tax: number;
  total: number;
  paid: number;
  due: number;
  currency: string;
  /** What a UPI payment's note carries ("T-4 bill 001,002"). */
  reference: string;
  /** Only while something is due and the restaurant takes UPI. */
  upi?: UpiOffer;
}
export interface SplitShare {
  /** The server's English label ("Share 1 of 3", the guest's name, "Guest 2"); the app shows its own words. */
  label: string;
  amount: number;
  /** by=device / by=item: the phone this share is for, and its guest's name when they gave one. */
  deviceId?: string;
  name?: string;
  /** This share is the asking phone's. */
  isYou?: boolean;
  upi?: UpiOffer;
}
/** GET /api/bill/split?by=equal&n= | by=device | by=item&shares=: what is still due, in shares adding up to `total`. */
export interface BillSplit {
  by: 'equal' | 'device' | 'item';
  total: number;
  currency: string;
  shares: SplitShare[];
}

// ---------- Staff (used by the kitchen and staff apps) ----------
export interface StaffLoginResponse {
  token: string;
  role: StaffRole;
  restaurantId: string;
  expiresAt: string;
}

// ---------- WebSocket ----------
/** Messages the server pushes. `type` is the discriminator. */
export type ServerMessage =
  | { type: 'pong' }
  | { type: 'cart.updated'; cart: Cart }
  | { type: 'menu.updated'; items: MenuItemChange[] }
  | { type: 'order.updated'; order: Order }
  | { type: 'order.item_status'; orderId: string; itemIndex: number; status: ItemStatus }
  | { type: 'session.closed' }
  | { type: 'sync'; cart?: Cart; orders?: Order[] }
  | { type: 'error'; error: { code: string; message: string } }
  | { type: string; [key: string]: unknown };

/** Messages a client sends. Staff apps connect to `/ws?channel=kitchen` or `/ws?channel=staff`. */
export type ClientMessage = { action: 'ping' } | { action: 'sync' };
