/** A staff order route the bill function serves: recording one order's payment (roles in routes.ts). */
import { orderRoutes } from '../../contract/orders.ts';
import { staffRoute } from '../../http/staff-route.ts';
import { recordOrderPayment } from '../payments.ts';

export const recordPayment = staffRoute(orderRoutes.recordPayment, async ({ staff, params, body, ip, userAgent }) => ({
  order: await recordOrderPayment(staff, params.orderId, body, { ip, userAgent }),
}));
