/**
 * The kitchen's view of an order (a ticket) and the messages a kitchen socket gets about it.
 *
 * The kitchen never sees money or who the guest is. Every kitchen payload (HTTP and WebSocket) is
 * built field by field by toKitchenTicket and then parsed by a strict output schema: a field added
 * to the mapping by mistake (a price, a phone number) makes the parse throw instead of leaking.
 */
import * as z from 'zod';
import type { Order } from '../core/entities.ts';
import { ITEM_STATUSES, ORDER_STATUSES, SPICE_LEVELS, type OrderStatus } from '../core/enums.ts';
import { ticketForStation } from '../core/kitchen-board.ts';

// The only shapes that ever leave for a kitchen screen.

export const STATION_PATTERN = /^[A-Z][A-Z0-9_]{0,23}$/;

const isoDate = z.iso.datetime();

export const KitchenItemSchema = z.strictObject({
  index: z.number().int().min(0),
  /** In the restaurant's default language; the screen shows `nameTranslations[its language]` when there is one. */
  name: z.string(),
  nameTranslations: z.record(z.string(), z.string()).optional(),
  quantity: z.number().int().positive(),
  modifiers: z.array(z.string()),
  /** Per modifier (same order): its name in other languages. */
  modifierTranslations: z.array(z.record(z.string(), z.string())).optional(),
  spiceLevel: z.enum(SPICE_LEVELS).optional(),
  notes: z.string().optional(),
  station: z.string(),
  itemStatus: z.enum(ITEM_STATUSES),
});

export const KitchenTicketSchema = z.strictObject({
  orderId: z.string(),
  orderNumber: z.string(),
  table: z.strictObject({ number: z.string(), floor: z.string() }),
  orderDate: isoDate,
  items: z.array(KitchenItemSchema),
  status: z.enum(ORDER_STATUSES),
  bumpedAt: isoDate.optional(),
  /** Lets a screen drop a push older than what it already shows (pushes and reloads can cross). */
  updatedAt: isoDate,
});

export const KitchenTicketListSchema = z.strictObject({
  serverTime: isoDate,
  orders: z.array(KitchenTicketSchema),
});

/** GET /api/kitchen/orders: the open tickets plus what a screen needs to show them (no money, no guests). */
export const KitchenBoardSchema = z.strictObject({
  serverTime: isoDate,
  urgency: z.strictObject({ urgentMinutes: z.number().int().min(1), criticalMinutes: z.number().int().min(1) }),
  stations: z.array(z.string()),
  /** Station → its name per language (the default language's is the station itself). */
  stationNames: z.record(z.string(), z.record(z.string(), z.string())),
  floorNames: z.record(z.string(), z.record(z.string(), z.string())),
  orders: z.array(KitchenTicketSchema),
});

/** Every WebSocket message a kitchen socket receives from this module. */
export const KitchenPushSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('order.created'), ticket: KitchenTicketSchema }),
  z.strictObject({ type: z.literal('kitchen.ticket'), ticket: KitchenTicketSchema }),
  z.strictObject({
    type: z.literal('kitchen.ticket_removed'),
    orderId: z.string(),
    reason: z.enum(['bumped', 'completed', 'cancelled', 'pending']),
    ticket: KitchenTicketSchema,
  }),
]);

export type KitchenItem = z.infer<typeof KitchenItemSchema>;
export type KitchenTicket = z.infer<typeof KitchenTicketSchema>;
export type KitchenTicketList = z.infer<typeof KitchenTicketListSchema>;
export type KitchenBoard = z.infer<typeof KitchenBoardSchema>;
export type KitchenPush = z.infer<typeof KitchenPushSchema>;

/** The order fields a ticket is built from: nothing else is read. */
export type TicketSource = Pick<
  Order,
  '_id' | 'orderNumber' | 'tableNumber' | 'floorNumber' | 'orderDate' | 'items' | 'status' | 'bumpedAt' | 'updatedAt'
>;

/** The kitchen's view of an order: explicit fields only, checked by the strict output schema. */
export function toKitchenTicket(order: TicketSource): KitchenTicket {
  return KitchenTicketSchema.parse({
    orderId: order._id.toHexString(),
    orderNumber: order.orderNumber,
    table: { number: order.tableNumber, floor: order.floorNumber },
    orderDate: order.orderDate.toISOString(),
    items: order.items.map((item, index) => ({
      index,
      name: item.menuItemName,
      nameTranslations: item.nameTranslations ? { ...item.nameTranslations } : undefined,
      quantity: item.quantity,
      modifiers: (item.modifiers ?? []).map((modifier) => modifier.name),
      modifierTranslations: item.modifierTranslations ? (item.modifiers ?? []).map((modifier) => ({ ...item.modifierTranslations?.[modifier.optionId] })) : undefined,
      spiceLevel: item.spiceLevel ?? undefined,
      notes: item.notes || undefined,
      station: item.station,
      itemStatus: item.itemStatus,
    })),
    status: order.status,
    bumpedAt: order.bumpedAt ? order.bumpedAt.toISOString() : undefined,
    updatedAt: (order.updatedAt ?? order.orderDate).toISOString(),
  });
}

/** On the screens: confirmed or cooking, not bumped. Pending orders await the waiter and never show. */
export const OPEN_STATUSES: readonly OrderStatus[] = ['confirmed', 'preparing'];
export const isOpenTicket = (order: Pick<Order, 'status' | 'bumpedAt'>): boolean =>
  OPEN_STATUSES.includes(order.status) && !order.bumpedAt;

// Messages

function removalReason(order: Pick<Order, 'status' | 'bumpedAt'>): 'bumped' | 'completed' | 'cancelled' | 'pending' {
  if (order.bumpedAt) return 'bumped';
  if (order.status === 'completed' || order.status === 'cancelled' || order.status === 'pending') return order.status;
  return 'bumped';
}

/** The message one kitchen socket should get for this ticket, or undefined when its station has no part in it. */
export function kitchenMessageFor(
  order: Pick<Order, 'status' | 'bumpedAt'>,
  ticket: KitchenTicket,
  station: string | undefined,
  created = false,
): KitchenPush | undefined {
  const view = ticketForStation(ticket, station);
  if (!view) return undefined;
  const message: KitchenPush = isOpenTicket(order)
    ? { type: created ? 'order.created' : 'kitchen.ticket', ticket: view }
    : { type: 'kitchen.ticket_removed', orderId: view.orderId, reason: removalReason(order), ticket: view };
  return KitchenPushSchema.parse(message);
}
