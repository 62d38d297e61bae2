/** Staff order routes: the console's list, waiter approval, manager cancellation (roles in routes.ts); an order's payment is the bill's. */
import { orderRoutes } from '../../contract/orders.ts';
import { staffRoute } from '../../http/staff-route.ts';
import { cancelOrder as cancel, confirmOrder as confirm, listStaffOrders, rejectOrder as reject } from '../staff-orders.ts';

export const listOrders = staffRoute(orderRoutes.staffListOrders, async ({ query }) => ({ orders: await listStaffOrders(query) }));

export const confirmOrder = staffRoute(orderRoutes.confirmOrder, async ({ staff, params, ip, userAgent }) => ({
  order: await confirm(staff, params.orderId, { ip, userAgent }),
}));

export const rejectOrder = staffRoute(orderRoutes.rejectOrder, async ({ staff, params, body, ip, userAgent }) =>
  reject(staff, params.orderId, body.reason, { ip, userAgent }),
);

export const cancelOrder = staffRoute(orderRoutes.cancelOrder, async ({ staff, params, body, ip, userAgent }) => ({ order: await cancel(staff, params.orderId, body?.reason, { ip, userAgent }) }),
);
