/**
 * Shapes of the MongoDB documents Plato owns. Every document carries restaurantId and every query
 * is scoped by it: restaurants share one database (and a POS shares it too). Money is integer
 * minor units (paise for INR), except the money fields the POS documented on orders, which carry the
 * POS's unit (see core/pos-money.ts). Dates are stored as UTC Date values.
 */
import type { ObjectId } from 'mongodb';
import type { ItemTimings, OrderTimings } from '../core/kitchen-timings.ts';
import type { DishPhoto } from '../core/photos.ts';
import type { StaffRole } from '../core/roles.ts';

export const SPICE_LEVELS = ['no-spicy', 'less-spicy', 'regular', 'more-spicy'] as const;
export type SpiceLevel = (typeof SPICE_LEVELS)[number];

export const SESSION_MODES = ['FAMILY', 'INDIVIDUAL'] as const;
export type SessionMode = (typeof SESSION_MODES)[number];

export const ITEM_STATUSES = ['NEW', 'COOKING', 'READY', 'SERVED', 'CANCELLED'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

export const ORDER_STATUSES = ['pending', 'confirmed', 'preparing', 'completed', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const PAYMENT_STATUSES = ['pending', 'paid', 'failed'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const PAYMENT_METHODS = ['CASH', 'CARD', 'UPI'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export interface RestaurantDoc {
  _id: string; // the restaurantId (the stack's RESTAURANT_ID, e.g. the slug "demo")
  restaurantId: string;
  slug: string;
  name: string;
  currency: string; // ISO 4217, e.g. INR
  /** Tax rate in basis points (500 = 5%). */
  taxRateBps: number;
  timeZone: string; // IANA, default Asia/Kolkata
  /** When the business day starts, HH:MM in timeZone (reports and closing the day); 04:00 when absent. */
  dayStart?: string;
  /** Guests' names and phones on orders are anonymised this many days after the order; 365 when absent. */
  guestDataRetentionDays?: number;
  locale: string; // default en-IN
  orderApproval: 'auto' | 'waiter';
  /**
   * Whether a guest's phone number is verified by a one-time SMS code before it links a customer
   * record ('sms', the default when absent) or never links one ('off': name and phone are only
   * recorded on the session's orders).
   */
  phoneVerification?: 'sms' | 'off';
  /** UPI virtual payment address; when set the bill offers a UPI link and QR code. */
  upiVpa?: string;
  /** Kitchen ticket urgency thresholds, minutes since the order. */
  urgency: { urgentMinutes: number; criticalMinutes: number };
  stations: string[];
  /** The languages the menu may carry (ISO 639-1 codes; the default one first); absent: DEFAULT_LANGUAGES. */
  languages?: string[];
  /** The default language: what `name` fields hold and orders store (the POS reads them). Absent: "en". */
  defaultLanguage?: string;
  /** Translations of category, station and floor names (an array: names may hold "." or "$", which keys may not). */
  names?: NameTranslation[];
  createdAt: Date;
  updatedAt: Date;
}

/** Language code → text in that language. The default language's text is never here: it is the name itself. */
export type Translations = Record<string, string>;

export const NAME_KINDS = ['category', 'station', 'floor'] as const;
export type NameKind = (typeof NAME_KINDS)[number];

export interface NameTranslation {
  kind: NameKind;
  /** The name in the default language, as dishes, tables and orders carry it. */
  name: string;
  translations: Translations;
}

/** A dish's texts in one more language; what is missing falls back to the default language. */
export interface MenuItemTranslation {
  name?: string;
  description?: string;
  /** groupId → the modifier group's name. */
  groups?: Record<string, string>;
  /** option id → the option's name (ids are unique within a dish). */
  options?: Record<string, string>;
}

export interface TableDoc {
  _id: ObjectId; // tableId
  restaurantId: string;
  number: string; // "T-12"
  floor: string; // "Ground Floor"
  sortOrder: number;
  /**
   * What the table's QR code carries (`/?table=<code>`): 128 random bits, base64url (core/table-code.ts).
   * Replaced by "New link" in the staff console, after which the old printed code stops working.
   * Tables from before codes existed get one at setup.
   */
  code?: string;
  /**
   * The printed links of old carry the table's id. They keep working until the table's code is
   * first rotated, which sets this; tables created with a code never had an id link.
   */
  idLinkRetired?: boolean;
  codeRotatedAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

export interface UserDoc {
  _id: ObjectId;
  restaurantId: string;
  username: string;
  /** scrypt$N$r$p$salt(base64)$hash(base64) */
  passwordHash: string;
  role: StaffRole;
  displayName?: string;
  disabled?: boolean;
  /**
   * The version every staff JWT of this user carries (`ver`; 0 when absent). Raised whenever the
   * user's sessions must end (disabled, role changed, password reset, "sign out everywhere"):
   * a token whose version differs is refused at once (auth/staff-session.ts).
   */
  tokenVersion?: number;
  /**
   * Single sign-ins ended by their own sign-out (the JWT's `sid`), kept until the token would have
   * expired: a revoked `sid` is refused like an ended version.
   */
  revokedSessions?: { sid: string; expiresAt: Date }[];
  createdAt: Date;
  updatedAt: Date;
}

export interface CustomerTokenEntry {
  tokenHash: string; // SHA-256 hex of the 32-byte token; the token itself is never stored
  deviceId: string;
  expiresAt: Date;
  issuedAt: Date;
  lastActivityAt: Date;
  revokedAt?: Date;
  /** Set only once the phone number was verified (or never, where verification is off). */
  customerId?: ObjectId;
  customerName?: string;
  /** The number the guest gave, recorded on this session's orders whether verified or not. */
  customerPhone?: string;
  /** The one-time code sent to customerPhone, waiting to be entered (services/phone-verification.ts). */
  phoneCheck?: { codeHash: string; expiresAt: Date; wrong: number };
}

export interface TableSessionDoc {
  _id: ObjectId; // sessionId
  restaurantId: string;
  tableId: ObjectId;
  tableNumber: string;
  floor: string;
  mode: SessionMode;
  status: 'OPEN' | 'CLOSED';
  pinHash: string;
  pinVersion: number;
  customerTokens: CustomerTokenEntry[];
  openedBy: { userId: ObjectId; username: string };
  openedAt: Date;
  closedAt?: Date;
  closedBy?: { userId: ObjectId; username: string };
  /** A guest asked for the bill and no payment has been recorded since (the staff floor shows it). */
  billRequest?: BillRequest;
  /**
   * A copy of the PIN guard's state for the staff floor (services/pin-guard.ts): wrong PINs in the
   * current window and the lockout, for the PIN version they were made against. DynamoDB decides.
   */
  pinLockout?: { pinVersion: number; failures?: number; limit?: number; windowEndsAt?: Date; lockedUntil?: Date };
  updatedAt: Date;
}

/** The staff floor's view of a table's PIN guard. */
export interface PinLockoutView {
  /** Wrong PINs counted in the current window. */
  attempts: number;
  limit: number;
  /** When the lockout in force ends; guests' right PINs are refused until then, or until a new PIN. */
  lockedUntil?: Date;
}

export interface BillRequest {
  at: Date;
  deviceId: string;
  customerName?: string;
  /** How the guest means to pay, when they said. */
  method?: PaymentMethod;
}

export interface CustomerDoc {
  _id: ObjectId;
  restaurantId: string;
  name: string;
  phoneNumber: string; // 10 digits
  visitCount: number;
  favorites: string[];
  firstVisit: Date;
  lastVisit: Date;
  /** Table sessions already counted as a visit, so identifying twice in one visit counts once. */
  visitSessionIds: ObjectId[];
  loginStatus: 'loggedin' | 'loggedout';
  createdAt: Date;
  updatedAt: Date;
}

export interface ModifierOption {
  id: string;
  name: string;
  price: number; // minor units, added to the unit price
}

export interface ModifierGroup {
  groupId: string;
  name: string;
  min: number;
  max: number;
  options: ModifierOption[];
}

export interface MenuItemDoc {
  _id: ObjectId;
  restaurantId: string;
  name: string;
  description: string;
  price: number; // minor units
  category: string;
  isVeg: boolean;
  image: string;
  /** The dish's photo, resized at upload (functions/core/photos.ts); Plato's field, the POS ignores it. */
  photo?: DishPhoto;
  isAvailable: boolean;
  station: string;
  modifierGroups: ModifierGroup[];
  spiceLevels: SpiceLevel[];
  sortOrder: number;
  /** Language code → the dish's texts in that language (Plato's field; the POS reads `name`, the default language). */
  translations?: Record<string, MenuItemTranslation>;
  deletedAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

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
  unitPrice: number; // base price when added, minor units (modifiers priced separately)
  quantity: number; // 1..50
  modifiers: CartLineModifier[];
  spiceLevel?: SpiceLevel;
  notes?: string;
  addedByDeviceId: string;
  addedByName?: string;
  addedAt: Date;
}

/** FAMILY: one cart per session (owner "TABLE"); INDIVIDUAL: one per device (owner = deviceId). */
export interface CartDoc {
  _id: ObjectId;
  restaurantId: string;
  sessionId: ObjectId;
  owner: string;
  version: number;
  lines: CartLine[];
  updatedAt: Date;
}

export const FAMILY_CART_OWNER = 'TABLE';

export interface OrderItem {
  menuItemId: string;
  /** In the restaurant's default language, as the POS expects. */
  menuItemName: string;
  /** Plato's: the dish's name in the menu's other languages when ordered (the kitchen shows its own language). */
  nameTranslations?: Translations;
  /** Plato's: the chosen options' names in the other languages, by option id (for the kitchen). */
  modifierTranslations?: Record<string, Translations>;
  quantity: number;
  /** Documented (seed 002): unit price including modifiers, in the POS's unit (major by default; core/pos-money.ts). */
  price: number;
  /** Documented: price × quantity, in the POS's unit. */
  total: number;
  /** Unit price including modifiers, exact minor units: what Plato computes with. */
  priceMinor: number;
  /** priceMinor × quantity, minor units. */
  totalMinor: number;
  spiceLevel?: SpiceLevel;
  notes?: string;
  /** Plato's field: option prices in minor units. */
  modifiers: { groupId: string; optionId: string; name: string; price: number }[];
  station: string;
  itemStatus: ItemStatus;
  /** Device (and name) that added the line: drives per-device bills in FAMILY mode splits. */
  addedByDeviceId: string;
  statusUpdatedAt?: Date;
  /** Plato's kitchen timing data (core/kitchen-timings.ts); absent on orders placed before it existed. */
  timings?: ItemTimings;
}

/** `digital_menu_customer_orders`, in the shape the POS team documented (seed 002) plus Plato's fields. */
export interface OrderDoc {
  _id: ObjectId; // orderId
  restaurantId: string;
  orderNumber: string; // short, per restaurant per day, e.g. "A-042"
  sessionId: ObjectId;
  tableId: ObjectId;
  deviceId: string;
  idempotencyKey: string;
  customerId?: ObjectId;
  customerName?: string;
  customerPhone?: string;
  items: OrderItem[];
  /** Documented (seed 002), in the POS's unit (major by default): what a POS or an accountant reads. */
  subtotal: number;
  tax: number;
  total: number;
  /** The same amounts in exact minor units: the only ones Plato's arithmetic reads. */
  amountsMinor: { subtotal: number; tax: number; total: number };
  /** The tax rate the order was priced with: its bill never changes when the restaurant's rate does. */
  taxRateBps: number;
  /** The table session's mode when placed: who at the table hears about this order. */
  sessionMode: SessionMode;
  status: OrderStatus;
  paymentStatus: PaymentStatus;
  paymentMethod: string;
  tableNumber: string;
  floorNumber: string;
  /** Kitchen: set when the ticket is bumped off the screen, cleared on recall. */
  bumpedAt?: Date;
  /** The cart version this order took (and emptied): tells a phone whose Place lost the race which order took its dishes. */
  cartVersion?: number;
  /** The ticket's times, derived from its items' (core/kitchen-timings.ts orderTimings). */
  timings?: OrderTimings;
  rejectionReason?: string;
  /** For waiter approval: the kitchen sees the order only once confirmed. */
  confirmedAt?: Date;
  orderDate: Date;
  createdAt: Date;
  updatedAt: Date;
}

/** `day_closes`: a business day's totals as a manager closed it. _id is `<restaurantId>:<YYYY-MM-DD>`. */
export interface DayCloseDoc {
  _id: string;
  restaurantId: string;
  day: string;
  status: 'closed' | 'reopened';
  /** The day's summary at closing, minor units. */
  totals: DayTotals;
  from: Date;
  to: Date;
  closedAt: Date;
  closedBy: { userId: string; username: string };
  reopenedAt?: Date;
  reopenedBy?: { userId: string; username: string };
  reopenReason?: string;
  updatedAt: Date;
}

export interface DayTotals {
  orders: number;
  cancelled: number;
  cancelledValue: number;
  gross: number;
  tax: number;
  net: number;
  unpaidOrders: number;
  unpaid: number;
  tables: number;
  guests: number;
  identifiedGuests: number;
  averageOrderValue: number;
  /**
   * Paid orders by method. `refunded` is what was given back that day from payments of that method
   * (online payments are the only ones refunded through Plato: method ONLINE), `net` the amount less it.
   * Day closes recorded before refunds were reported lack `refunded`, `net` and the three fields below.
   */
  byMethod: { method: string; orders: number; amount: number; refunded?: number; net?: number }[];
  /** Refunds given that business day (not failed ones): how many, and how much in minor units. */
  refunds?: number;
  refunded?: number;
  /** gross less refunded. */
  netAfterRefunds?: number;
}

export interface AuditDoc {
  _id?: ObjectId;
  restaurantId: string;
  actor: { kind: 'staff' | 'guest' | 'anonymous' | 'system'; id?: string; username?: string; deviceId?: string };
  action: string; // STAFF_LOGIN, SESSION_OPENED, PIN_ATTEMPT, ORDER_PLACED, ...
  outcome: 'success' | 'failure' | 'blocked'; // blocked: refused by a rate limit or lockout
  tableId?: ObjectId;
  sessionId?: ObjectId;
  orderId?: ObjectId;
  details?: Record<string, unknown>;
  ip?: string;
  userAgent?: string;
  time: Date;
  /** TTL index: removed 90 days after `time`. */
  expiresAt: Date;
}
