/**
 * Kitchen display routes (KITCHEN role or above; CANCELLED needs MANAGER, checked in the service).
 * Every body returned here went through the kitchen output schemas in services/kitchen.ts.
 */
import * as z from 'zod';
import { ITEM_STATUSES } from '../data/documents.ts';
import { callerConnectionId } from '../http/request.ts';
import { staffRoute } from '../http/staff-route.ts';
import { idParams, objectId } from '../http/schemas.ts';
import * as kitchenStats from '../services/kitchen-stats.ts';
import * as kitchen from '../services/kitchen.ts';

const station = z.string().regex(kitchen.STATION_PATTERN, 'must be a station code such as GRILL');

const ListQuery = z.strictObject({
  station: station.optional(),
  status: z.enum(kitchen.TICKET_FILTERS).optional(),
});

const ItemParams = z.strictObject({
  orderId: objectId,
  itemIndex: z.coerce.number().int().min(0).max(199),
});

const ItemStatusBody = z.strictObject({
  status: z.enum(ITEM_STATUSES),
  /** Optional: the status the tablet showed; a stale tablet gets 409 instead of moving the wrong step. */
  from: z.enum(ITEM_STATUSES).optional(),
});

export const listTickets = staffRoute({ query: ListQuery }, async ({ staff, query }) =>
  kitchen.kitchenBoard(staff.restaurantId, { station: query.station, status: query.status }),
);

// The calling tablet names its socket (X-Plato-Connection-Id): the change's push skips it, the answer carries the ticket.
export const setItemStatus = staffRoute({ params: ItemParams, body: ItemStatusBody }, async ({ staff, params, body, ip, userAgent, event }) => ({
  ticket: await kitchen.setItemStatus(
    staff,
    { orderId: params.orderId, itemIndex: params.itemIndex, status: body.status, from: body.from },
    { ip, userAgent },
    callerConnectionId(event),
  ),
}));

export const bump = staffRoute({ params: idParams('orderId') }, async ({ staff, params, event }) => ({
  ticket: await kitchen.bump(staff, params.orderId, callerConnectionId(event)),
}));

export const recall = staffRoute({ params: idParams('orderId') }, async ({ staff, params, event }) => ({
  ticket: await kitchen.recall(staff, params.orderId, callerConnectionId(event)),
}));

export const allDay = staffRoute({ query: z.strictObject({ station: station.optional() }) }, async ({ staff, query }) =>
  kitchenStats.allDay(staff.restaurantId, { station: query.station }),
);
