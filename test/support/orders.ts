/**
 * Orders for unit tests of the pure rules: core/'s entity shapes with plain ids, no MongoDB driver.
 * One dish and one order, each overridable field by field.
 */
import { randomBytes } from 'node:crypto';
import type { EntityId, Order, OrderItem } from '../../functions/core/entities.ts';

/** An id as the domain sees one (24 hex digits, like MongoDB's), without the driver. */
export interface TestId extends EntityId {
  readonly hex: string;
}

export const testId = (hex: string = randomBytes(12).toString('hex')): TestId => ({ hex, toHexString: () => hex });

export const ORDERED_AT = new Date('2025-01-31T18:30:00.000Z');

export function orderItem(overrides: Partial<OrderItem> = {}): OrderItem {
  return {
    menuItemId: testId().toHexString(),
    menuItemName: 'Paneer Tikka',
    quantity: 2,
    price: 320,
    total: 640,
    priceMinor: 32000,
    totalMinor: 64000,
    spiceLevel: 'more-spicy',
    notes: 'no onion',
    modifiers: [{ groupId: 'g', optionId: 'o', name: 'Extra cheese', price: 4000 }],
    station: 'TANDOOR',
    itemStatus: 'NEW',
    addedByDeviceId: 'device-0001',
    ...overrides,
  };
}

/** A confirmed FAMILY order of two dishes (a Paneer Tikka for the TANDOOR, a Masala Chai for the BAR), from an identified guest. */
export function testOrder(overrides: Partial<Order<TestId>> = {}): Order<TestId> {
  return {
    _id: testId(),
    restaurantId: 'demo',
    orderNumber: 'A-007',
    sessionId: testId(),
    tableId: testId(),
    deviceId: 'device-0001',
    idempotencyKey: '3b241101-e2bb-4255-8caf-4136c566a962',
    customerId: testId(),
    customerName: 'Asha',
    customerPhone: '9876543210',
    items: [orderItem(), orderItem({ menuItemName: 'Masala Chai', station: 'BAR', spiceLevel: undefined, notes: undefined, modifiers: [], quantity: 1 })],
    subtotal: 720,
    tax: 36,
    total: 756,
    amountsMinor: { subtotal: 72000, tax: 3600, total: 75600 },
    taxRateBps: 500,
    sessionMode: 'FAMILY',
    status: 'confirmed',
    paymentStatus: 'pending',
    paymentMethod: 'CASH',
    tableNumber: 'T-4',
    floorNumber: 'Ground Floor',
    orderDate: ORDERED_AT,
    createdAt: ORDERED_AT,
    updatedAt: ORDERED_AT,
    ...overrides,
  };
}
