import { describe, expect, it } from 'vitest';
import { countAllDay, ticketForStation } from '../../../functions/core/kitchen-board.ts';
import {
  KitchenTicketSchema,
  isOpenTicket,
  kitchenMessageFor,
  toKitchenTicket,
} from '../../../functions/kitchen/kitchen-tickets.ts';
import { orderItem, testOrder } from '../../support/orders.ts';

const FORBIDDEN_KEYS = ['price', 'total', 'subtotal', 'tax', 'paymentStatus', 'paymentMethod', 'customerName', 'customerPhone', 'phone', 'customerId'];

function keysDeep(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => keysDeep(v, out));
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      out.push(key);
      keysDeep(inner, out);
    }
  }
  return out;
}

const item = orderItem;
const order = testOrder;

describe('toKitchenTicket', () => {
  it('keeps what the kitchen needs and nothing about money or the guest', () => {
    const doc = order();
    const ticket = toKitchenTicket(doc);
    expect(ticket).toEqual({
      orderId: doc._id.toHexString(),
      orderNumber: 'A-007',
      table: { number: 'T-4', floor: 'Ground Floor' },
      orderDate: '2025-01-31T18:30:00.000Z',
      items: [
        { index: 0, name: 'Paneer Tikka', quantity: 2, modifiers: ['Extra cheese'], spiceLevel: 'more-spicy', notes: 'no onion', station: 'TANDOOR', itemStatus: 'NEW' },
        { index: 1, name: 'Masala Chai', quantity: 1, modifiers: [], spiceLevel: undefined, notes: undefined, station: 'BAR', itemStatus: 'NEW' },
      ],
      status: 'confirmed',
      bumpedAt: undefined,
      updatedAt: '2025-01-31T18:30:00.000Z',
    });
    const keys = keysDeep(JSON.parse(JSON.stringify(ticket)));
    for (const key of FORBIDDEN_KEYS) expect(keys).not.toContain(key);
  });

  it('the output schema refuses any extra field instead of passing it on', () => {
    const ticket = toKitchenTicket(order());
    expect(KitchenTicketSchema.safeParse({ ...ticket, total: 75600 }).success).toBe(false);
    expect(KitchenTicketSchema.safeParse({ ...ticket, items: [{ ...ticket.items[0], price: 32000 }] }).success).toBe(false);
    expect(KitchenTicketSchema.safeParse({ ...ticket, table: { ...ticket.table, customerPhone: '9876543210' } }).success).toBe(false);
  });
});

describe('ticketForStation', () => {
  it('keeps only the station items with their original indices, or nothing', () => {
    const ticket = toKitchenTicket(order());
    expect(ticketForStation(ticket, 'BAR')?.items.map((i) => [i.index, i.name])).toEqual([[1, 'Masala Chai']]);
    expect(ticketForStation(ticket, 'GRILL')).toBeUndefined();
    expect(ticketForStation(ticket, undefined)).toBe(ticket);
  });
});

describe('isOpenTicket', () => {
  it('shows confirmed and preparing orders until bumped; never pending ones', () => {
    expect(isOpenTicket({ status: 'confirmed' })).toBe(true);
    expect(isOpenTicket({ status: 'preparing' })).toBe(true);
    expect(isOpenTicket({ status: 'preparing', bumpedAt: new Date() })).toBe(false);
    expect(isOpenTicket({ status: 'pending' })).toBe(false);
    expect(isOpenTicket({ status: 'completed' })).toBe(false);
    expect(isOpenTicket({ status: 'cancelled' })).toBe(false);
  });
});

describe('countAllDay', () => {
  it('counts NEW and COOKING quantities per item and station across tickets', () => {
    const a = toKitchenTicket(order());
    const b = toKitchenTicket(
      order({
        items: [
          item({ quantity: 3, itemStatus: 'COOKING' }),
          item({ quantity: 5, itemStatus: 'READY' }),
          item({ menuItemName: 'Masala Chai', station: 'BAR', quantity: 2, itemStatus: 'SERVED' }),
          item({ quantity: 1, itemStatus: 'CANCELLED' }),
        ],
      }),
    );
    expect(countAllDay([a, b])).toEqual([
      { name: 'Paneer Tikka', station: 'TANDOOR', quantity: 5, new: 2, cooking: 3, tickets: 2 },
      { name: 'Masala Chai', station: 'BAR', quantity: 1, new: 1, cooking: 0, tickets: 1 },
    ]);
    expect(countAllDay([a, b], 'BAR')).toEqual([{ name: 'Masala Chai', station: 'BAR', quantity: 1, new: 1, cooking: 0, tickets: 1 }]);
  });
});

describe('kitchenMessageFor', () => {
  it('sends open tickets, a removal once bumped or completed, and nothing to a station with no part in it', () => {
    const doc = order();
    const ticket = toKitchenTicket(doc);
    expect(kitchenMessageFor(doc, ticket, undefined, true)?.type).toBe('order.created');
    expect(kitchenMessageFor(doc, ticket, 'BAR')).toMatchObject({ type: 'kitchen.ticket', ticket: { items: [{ index: 1 }] } });
    expect(kitchenMessageFor(doc, ticket, 'GRILL')).toBeUndefined();
    const bumped = { ...doc, bumpedAt: new Date() };
    expect(kitchenMessageFor(bumped, toKitchenTicket(bumped), undefined)).toMatchObject({ type: 'kitchen.ticket_removed', reason: 'bumped' });
    const done = { ...doc, status: 'completed' as const };
    expect(kitchenMessageFor(done, toKitchenTicket(done), 'TANDOOR')).toMatchObject({ type: 'kitchen.ticket_removed', reason: 'completed' });
  });
});
