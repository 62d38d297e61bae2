/**
 * The domain's entities as Plato and the POS store them (the MongoDB documents of data/documents.ts
 * are these with the driver's ObjectId as `Id`). Pure shapes: no driver, no I/O, so the rules in
 * core/ and their unit tests take them without importing MongoDB.
 */
import type { ItemTimings, OrderTimings } from './kitchen-timings.ts';
import type { DishPhoto } from './photos.ts';
import type { ItemStatus, OrderStatus, PaymentStatus, SessionMode, SpiceLevel } from './enums.ts';

/** What an entity's id can do in the domain: name itself as hex (MongoDB's ObjectId does). */
export interface EntityId {
  toHexString(): string;
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

export interface MenuItem<Id extends EntityId = EntityId> {
  _id: Id;
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
export interface Order<Id extends EntityId = EntityId> {
  _id: Id; // orderId
  restaurantId: string;
  orderNumber: string; // short, per restaurant per day, e.g. "A-042"
  sessionId: Id;
  tableId: Id;
  deviceId: string;
  idempotencyKey: string;
  customerId?: Id;
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
