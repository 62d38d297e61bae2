/**
 * Kitchen display routes (KITCHEN role or above; CANCELLED needs MANAGER, checked in the service).
 * Every body returned here went through the kitchen output schemas (contract/kitchen.ts).
 */
import { kitchenRoutes } from '../contract/kitchen.ts';
import { staffRoute } from '../http/staff-route.ts';
import * as kitchenStats from '../services/kitchen-stats.ts';
import * as kitchen from '../services/kitchen.ts';

export const listTickets = staffRoute(kitchenRoutes.listTickets, async ({ staff, query }) =>
  kitchen.kitchenBoard(staff.restaurantId, { station: query.station, status: query.status }),
);

export const setItemStatus = staffRoute(kitchenRoutes.setItemStatus, async ({ staff, params, body, ip, userAgent }) => ({
  ticket: await kitchen.setItemStatus(staff, { orderId: params.orderId, itemIndex: params.itemIndex, status: body.status, from: body.from }, { ip, userAgent }),
}));

export const bump = staffRoute(kitchenRoutes.bump, async ({ staff, params }) => ({
  ticket: await kitchen.bump(staff, params.orderId),
}));

export const recall = staffRoute(kitchenRoutes.recall, async ({ staff, params }) => ({
  ticket: await kitchen.recall(staff, params.orderId),
}));

export const allDay = staffRoute(kitchenRoutes.allDay, async ({ staff, query }) =>
  kitchenStats.allDay(staff.restaurantId, { station: query.station }),
);
