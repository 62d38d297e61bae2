/**
 * Orders as MongoDB stores them, for integration tests that write a state straight into the orders
 * collection (the kitchen's screens, reports, retention): one builder, each field overridable.
 * Unit tests of the pure rules use orders.ts (core/'s shapes, no driver).
 */
import { randomUUID } from 'node:crypto';
import { ObjectId } from 'mongodb';
import type { OrderDoc, OrderItem } from '../../functions/data/documents.ts';

export const ORDERS_COLLECTION = process.env.COLLECTION_ORDERS || 'digital_menu_customer_orders';

/** One dish of an order: a NEW Paneer Tikka for the GRILL at 250.00, overridable. */
export function orderLine(overrides: Partial<OrderItem> = {}): OrderItem {
  return {
    menuItemId: new ObjectId().toHexString(),
    menuItemName: 'Paneer Tikka',
    quantity: 1,
    price: 250,
    total: 250,
    priceMinor: 25000,
    totalMinor: 25000,
    modifiers: [],
    station: 'GRILL',
    itemStatus: 'NEW',
    addedByDeviceId: 'fixture-device',
    ...overrides,
  };
}

/**
 * A confirmed, unpaid FAMILY order placed now by an identified guest. Its amounts follow its items
 * at its tax rate (5% unless overridden) unless `amountsMinor` is given; the POS amounts are major units.
 */
export function orderDoc(overrides: Partial<OrderDoc> = {}): OrderDoc {
  const items = overrides.items ?? [];
  const taxRateBps = overrides.taxRateBps ?? 500;
  const subtotal = items.reduce((sum, item) => sum + item.totalMinor, 0);
  const tax = Math.round((subtotal * taxRateBps) / 10_000);
  const amountsMinor = overrides.amountsMinor ?? { subtotal, tax, total: subtotal + tax };
  const at = overrides.orderDate ?? new Date();
  return {
    _id: new ObjectId(),
    restaurantId: 'demo',
    orderNumber: 'A-001',
    sessionId: new ObjectId(),
    tableId: new ObjectId(),
    deviceId: 'fixture-device',
    idempotencyKey: randomUUID(),
    customerName: 'Asha Rao',
    customerPhone: '9876543210',
    items,
    subtotal: amountsMinor.subtotal / 100,
    tax: amountsMinor.tax / 100,
    total: amountsMinor.total / 100,
    amountsMinor,
    taxRateBps,
    sessionMode: 'FAMILY',
    status: 'confirmed',
    paymentStatus: 'pending',
    paymentMethod: 'CASH',
    tableNumber: 'T-1',
    floorNumber: 'Ground Floor',
    orderDate: at,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}
