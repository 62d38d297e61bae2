/**
 * Turning a cart into an order, the pure part: every line priced again from the current menu, and
 * the order document built from the priced items. The order service loads the cart and the menu,
 * calls these inside its transaction and writes what they return.
 */
import { isOrderable, resolveModifiers, unorderableReason } from './cart-rules.ts';
import type { CartLine, EntityId, MenuItem, Order, OrderItem } from './entities.ts';
import type { PaymentMethod, SessionMode } from './enums.ts';
import { DomainError } from './errors.ts';
import { posItemAmounts, posOrderAmounts, type PosMoney } from './pos-money.ts';
import { lineTotalOf, totals, unitPriceWithModifiers } from './pricing.ts';
import { dishNameTranslations, optionNameTranslations } from './translations.ts';

/** Per line: why it cannot be ordered now. */
export interface UnavailableLine {
  lineId: string;
  menuItemId: string;
  name: string;
  reason: 'sold_out' | 'not_on_menu' | 'options_changed';
}

/**
 * Prices every cart line again from the current menu: the dish's name, base price, station and the
 * chosen options' current prices, in minor units and in the POS's documented unit (`money`). Throws 409 ITEM_UNAVAILABLE naming every line that is sold out,
 * gone, or whose chosen options are no longer offered.
 */
export function priceCartLines(lines: readonly CartLine[], menu: ReadonlyMap<string, MenuItem>, restaurantId: string, money: PosMoney): OrderItem[] {
  const unavailable: UnavailableLine[] = [];
  const items: OrderItem[] = [];
  for (const line of lines) {
    const dish = menu.get(line.menuItemId);
    if (!isOrderable(dish, restaurantId)) {
      const reason = unorderableReason(dish, restaurantId) ?? 'not_on_menu';
      unavailable.push({ lineId: line.lineId, menuItemId: line.menuItemId, name: line.name, reason });
      continue;
    }
    const { modifiers, problems } = resolveModifiers(dish, line.modifiers.map((modifier) => modifier.optionId));
    if (problems.length > 0) {
      unavailable.push({ lineId: line.lineId, menuItemId: line.menuItemId, name: line.name, reason: 'options_changed' });
      continue;
    }
    const priced = { unitPrice: dish.price, quantity: line.quantity, modifiers };
    const minor = { priceMinor: unitPriceWithModifiers(priced), totalMinor: lineTotalOf(priced) };
    const item: OrderItem = {
      menuItemId: line.menuItemId,
      menuItemName: dish.name,
      quantity: line.quantity,
      ...posItemAmounts(minor, money),
      ...minor,
      modifiers,
      station: dish.station,
      itemStatus: 'NEW',
      addedByDeviceId: line.addedByDeviceId,
    };
    const nameTranslations = dishNameTranslations(dish);
    if (nameTranslations) item.nameTranslations = nameTranslations;
    const modifierTranslations = optionNameTranslations(dish, modifiers.map((modifier) => modifier.optionId));
    if (modifierTranslations) item.modifierTranslations = modifierTranslations;
    if (line.spiceLevel) item.spiceLevel = line.spiceLevel;
    if (line.notes) item.notes = line.notes;
    items.push(item);
  }
  if (unavailable.length > 0) {
    const names = [...new Set(unavailable.map((line) => line.name))].join(', ');
    throw new DomainError('ITEM_UNAVAILABLE', `Not available right now: ${names}. Remove it from the cart to order.`, {
      details: { lineIds: unavailable.map((line) => line.lineId), lines: unavailable },
    });
  }
  return items;
}

/** The guest placing an order: their table session, table and phone (the guest principal carries these). */
export interface OrderingGuest<Id extends EntityId> {
  restaurantId: string;
  sessionId: Id;
  tableId: Id;
  tableNumber?: string;
  floor?: string;
  deviceId: string;
  mode: SessionMode;
  customerId?: Id;
  customerName?: string;
  customerPhone?: string;
}

export interface OrderInput<Id extends EntityId> {
  /** The new order's id. */
  orderId: Id;
  guest: OrderingGuest<Id>;
  items: OrderItem[];
  orderNumber: string;
  orderKey: string;
  body: { cartVersion: number; paymentMethod?: PaymentMethod };
  taxRateBps: number;
  approval: 'auto' | 'waiter';
  money: PosMoney;
  now: Date;
}

/** The order document a placement inserts: priced items, amounts in both units, placed (and, without waiter approval, confirmed) now. */
export function buildOrder<Id extends EntityId>({ orderId, guest, items, orderNumber, orderKey, body, taxRateBps, approval, money, now }: OrderInput<Id>): Order<Id> {
  const amountsMinor = totals(items.map((item) => ({ unitPrice: item.priceMinor, quantity: item.quantity })), taxRateBps);
  const order: Order<Id> = {
    _id: orderId,
    restaurantId: guest.restaurantId,
    orderNumber,
    sessionId: guest.sessionId,
    tableId: guest.tableId,
    deviceId: guest.deviceId,
    idempotencyKey: orderKey,
    items: items.map((item) => ({ ...item, timings: { placedAt: now } })),
    cartVersion: body.cartVersion,
    ...posOrderAmounts(amountsMinor, money),
    amountsMinor,
    status: approval === 'waiter' ? 'pending' : 'confirmed',
    paymentStatus: 'pending',
    paymentMethod: body.paymentMethod ?? '',
    tableNumber: guest.tableNumber ?? '',
    floorNumber: guest.floor ?? '',
    orderDate: now,
    createdAt: now,
    updatedAt: now,
    taxRateBps,
    sessionMode: guest.mode,
    timings: { placedAt: now },
  };
  if (approval !== 'waiter') order.confirmedAt = now;
  if (guest.customerId) order.customerId = guest.customerId;
  if (guest.customerName) order.customerName = guest.customerName;
  if (guest.customerPhone) order.customerPhone = guest.customerPhone;
  return order;
}

