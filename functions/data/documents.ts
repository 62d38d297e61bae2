/**
 * Shapes of the MongoDB documents Plato owns. Every document carries restaurantId and every query
 * is scoped by it: restaurants share one database (and a POS shares it too). Money is integer
 * minor units (paise for INR), except the money fields the POS documented on orders, which carry the
 * POS's unit (see core/pos-money.ts). Dates are stored as UTC Date values.
 */
import type { ObjectId } from 'mongodb';
import type { CartLine, MenuItem, NameTranslation, Order } from '../core/entities.ts';
import type { PaymentMethod, SessionMode } from '../core/enums.ts';
import type { StaffRole } from '../core/roles.ts';

export {
  ITEM_STATUSES,
  ORDER_STATUSES,
  PAYMENT_METHODS,
  PAYMENT_STATUSES,
  SESSION_MODES,
  SPICE_LEVELS,
  type ItemStatus,
  type OrderStatus,
  type PaymentMethod,
  type PaymentStatus,
  type SessionMode,
  type SpiceLevel,
} from '../core/enums.ts';
export {
  NAME_KINDS,
  type CartLine,
  type CartLineModifier,
  type MenuItemTranslation,
  type ModifierGroup,
  type ModifierOption,
  type NameKind,
  type NameTranslation,
  type OrderItem,
  type Translations,
} from '../core/entities.ts';

export type MenuItemDoc = MenuItem<ObjectId>;
/** `digital_menu_customer_orders`, in the shape the POS team documented (seed 002) plus Plato's fields (core/entities.ts). */
export type OrderDoc = Order<ObjectId>;

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





export interface TableDoc {
  _id: ObjectId; // tableId
  restaurantId: string;
  number: string; // "T-12"
  /**
   * The number trimmed and in lower case (core/table-names.ts), under a unique index: two consoles
   * adding "P-1" and "p-1" at once cannot both succeed. Tables from before it have none; the store's
   * check (tables-store.ts tableNumberTaken) compares every table's number the same way.
   */
  numberKey?: string;
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
  /** The one-time code sent to customerPhone, waiting to be entered (sessions/phone-verification.ts). */
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
   * A copy of the PIN guard's state for the staff floor (sessions/pin-guard.ts): wrong PINs in the
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
