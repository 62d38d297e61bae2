/** The orders slice's views of a stored order: what the guest and the staff each see of it. */
import { describe, expect, it } from 'vitest';
import { toGuestOrder, toStaffOrder } from '../../../functions/orders/order-views.ts';
import { orderItem, testOrder } from '../../support/orders.ts';

describe('order views', () => {
  it('never carry the customer phone; the guest view has no customer name either', () => {
    const now = new Date('2025-11-14T11:30:00Z');
    const stored = testOrder({ items: [orderItem()], customerName: 'Ravi', customerPhone: '9812345678', orderDate: now, createdAt: now, updatedAt: now });
    const guest = toGuestOrder(stored);
    const staff = toStaffOrder(stored);
    expect(JSON.stringify(guest)).not.toMatch(/9812345678|Ravi|idempotency|customer/i);
    expect(JSON.stringify(staff)).not.toContain('9812345678');
    expect(staff.customerName).toBe('Ravi');
    expect(guest).toMatchObject({ orderId: stored._id.toHexString(), orderDate: '2025-11-14T11:30:00.000Z', total: stored.amountsMinor.total });
  });
});
