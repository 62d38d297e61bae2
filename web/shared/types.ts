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
/** POST /api/sessions/join → 200 */
export interface JoinResponse {
  sessionId: string;
  sessionToken: string;
  deviceId: string;
  mode: SessionMode;
  table: TableRef;
  expiresAt: string;
}
/** GET /api/sessions/me → 200 */
export interface SessionMe {
  session: { sessionId: string; mode: SessionMode; status: 'OPEN' | 'CLOSED'; openedAt?: string };
  table: TableRef;
  device: { deviceId: string; customerName?: string; customerId?: string; expiresAt?: string };
  /** May be null while the server has not wired carts into /me: the app then calls GET /api/cart. */
  cart: Cart | null;
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
  menuItemId?: string;
  menuItemName: string;
  quantity: number;
  price: number;
  total: number;
  spiceLevel?: SpiceLevel;
  notes?: string;
  modifiers: CartLineModifier[];
  station?: string;
  itemStatus: ItemStatus;
  addedByDeviceId?: string;
}
export interface Order {
  orderId: string;
  orderNumber: string;
  status: OrderStatus;
  paymentStatus?: PaymentStatus;
  items: OrderItem[];
  subtotal: number;
  tax: number;
  total: number;
  orderDate: string;
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
export interface Bill {
  orders: Order[];
  subtotal: number;
  tax: number;
  total: number;
  paid: number;
  due: number;
  upi?: UpiOffer;
}
export interface SplitShare {
  /** by=device: the device and its guest's name; by=equal: absent. */
  deviceId?: string;
  name?: string;
  amount: number;
  upi?: UpiOffer;
}
export interface BillSplit {
  by: 'equal' | 'device';
  total: number;
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
