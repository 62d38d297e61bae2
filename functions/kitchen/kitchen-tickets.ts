/**
 * The kitchen's view of an order (a ticket) and the messages a kitchen socket gets about it.
 *
 * The kitchen never sees money or who the guest is. Every kitchen payload (HTTP and WebSocket) is
 * built field by field by toKitchenTicket and then parsed by a strict output schema: a field added
 * to the mapping by mistake (a price, a phone number) makes the parse throw instead of leaking.
 */
import type { Order } from '../core/entities.ts';
import type { OrderStatus } from '../core/enums.ts';
import { ticketForStation } from '../core/kitchen-board.ts';
import { KitchenPushSchema, KitchenTicketSchema, type KitchenPush, type KitchenTicket } from '../contract/kitchen.ts';

// The only shapes that ever leave for a kitchen screen are the contract's (contract/kitchen.ts).
export {
  KitchenBoardSchema,
  KitchenItemSchema,
  KitchenPushSchema,
  KitchenTicketListSchema,
  KitchenTicketSchema,
  type KitchenBoard,
  type KitchenItem,
  type KitchenPush,
  type KitchenTicket,
  type KitchenTicketList,
} from '../contract/kitchen.ts';

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
