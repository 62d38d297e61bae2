/**
 * The kitchen display. The kitchen never sees money or who the guest is: these strict output schemas
 * are the only shapes that ever leave for a kitchen screen (kitchen/kitchen.ts builds each payload
 * field by field and parses it here, so a field added by mistake — a price, a phone — throws instead
 * of leaking).
 */
import * as z from 'zod';
import { ITEM_STATUSES, ORDER_STATUSES, SPICE_LEVELS } from '../core/enums.ts';
import { idParams, isoDate, objectId, route, routeContracts, station } from './common.ts';

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

/** Every kitchen push (members of the one push union, contract/pushes.ts). */
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

export const AllDayEntrySchema = z.strictObject({
  name: z.string(),
  station: z.string(),
  /** NEW + COOKING quantity: still to cook. */
  quantity: z.number().int().min(0),
  new: z.number().int().min(0),
  cooking: z.number().int().min(0),
  /** Unserved tickets (bumped ones included) containing the item. */
  tickets: z.number().int().min(0),
});

export const TicketTimeSchema = z.strictObject({
  station: z.string(),
  averageSeconds: z.number().int().min(0),
  tickets: z.number().int().min(1),
});

/** GET /api/kitchen/all-day. */
export const AllDaySchema = z.strictObject({
  serverTime: isoDate,
  station: z.string().optional(),
  items: z.array(AllDayEntrySchema),
  /** Average ticket time per station over the last `ticketTimeWindowMinutes`, from placement (or the waiter's confirmation) to ready. */
  ticketTimes: z.array(TicketTimeSchema),
  ticketTimeWindowMinutes: z.number().int().min(1),
});

/** `status` of GET /api/kitchen/orders: open (default), one order status, or the bumped tickets (the recall list). */
export const TICKET_FILTERS = ['open', 'confirmed', 'preparing', 'bumped'] as const;

export const TicketsQuery = z.strictObject({
  station: station.optional(),
  status: z.enum(TICKET_FILTERS).optional(),
});

export const ItemStatusParams = z.strictObject({
  orderId: objectId,
  itemIndex: z.coerce.number().int().min(0).max(199),
});

export const ItemStatusBody = z.strictObject({
  status: z.enum(ITEM_STATUSES),
  /** Optional: the status the tablet showed; a stale tablet gets 409 instead of moving the wrong step. */
  from: z.enum(ITEM_STATUSES).optional(),
});

const TicketAnswer = z.strictObject({ ticket: KitchenTicketSchema });

export const kitchenRoutes = routeContracts('kitchen', {
  listTickets: route({ summary: 'The open tickets of a station (or every station), oldest first', query: TicketsQuery, response: KitchenBoardSchema }),
  setItemStatus: route({ summary: "Move one dish's status (CANCELLED needs MANAGER)", params: ItemStatusParams, body: ItemStatusBody, response: TicketAnswer }),
  bump: route({ summary: 'Take a ticket off the screens', params: idParams('orderId'), response: TicketAnswer }),
  recall: route({ summary: 'Bring a bumped ticket back', params: idParams('orderId'), response: TicketAnswer }),
  allDay: route({ summary: 'What is still to cook, and the average ticket time per station', query: z.strictObject({ station: station.optional() }), response: AllDaySchema }),
});

export type KitchenItem = z.infer<typeof KitchenItemSchema>;
export type KitchenTicket = z.infer<typeof KitchenTicketSchema>;
export type KitchenTicketList = z.infer<typeof KitchenTicketListSchema>;
export type KitchenBoard = z.infer<typeof KitchenBoardSchema>;
export type KitchenPush = z.infer<typeof KitchenPushSchema>;
export type AllDay = z.infer<typeof AllDaySchema>;
export type TicketFilter = (typeof TICKET_FILTERS)[number];
