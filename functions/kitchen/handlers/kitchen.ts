/**
 * Kitchen display routes (KITCHEN role or above; CANCELLED needs MANAGER, checked in the service).
 * Every body returned here went through the kitchen output schemas (contract/kitchen.ts).
 */
import { kitchenRoutes } from '../../contract/kitchen.ts';
import { callerConnectionId } from '../../http/request.ts';
import { staffRoute } from '../../http/staff-route.ts';
import * as kitchenStats from '../kitchen-stats.ts';
import * as kitchen from '../kitchen.ts';

export const listTickets = staffRoute(kitchenRoutes.listTickets, async ({ staff, query }) =>
  kitchen.kitchenBoard(staff.restaurantId, { station: query.station, status: query.status }),
);

// The calling tablet names its socket (X-Plato-Connection-Id): the change's push skips it, the answer carries the ticket.
export const setItemStatus = staffRoute(kitchenRoutes.setItemStatus, async ({ staff, params, body, ip, userAgent, event }) => ({
  ticket: await kitchen.setItemStatus(
    staff,
    { orderId: params.orderId, itemIndex: params.itemIndex, status: body.status, from: body.from },
    { ip, userAgent },
    callerConnectionId(event),
  ),
}));

export const bump = staffRoute(kitchenRoutes.bump, async ({ staff, params, event }) => ({
  ticket: await kitchen.bump(staff, params.orderId, callerConnectionId(event)),
}));

export const recall = staffRoute(kitchenRoutes.recall, async ({ staff, params, event }) => ({
  ticket: await kitchen.recall(staff, params.orderId, callerConnectionId(event)),
}));

export const allDay = staffRoute(kitchenRoutes.allDay, async ({ staff, query }) =>
  kitchenStats.allDay(staff.restaurantId, { station: query.station }),
);
