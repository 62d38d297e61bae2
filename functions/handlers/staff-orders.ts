/** Staff order routes: the console's list, waiter approval, manager cancellation, payment (roles in routes.ts). */
import * as z from 'zod';
import { ORDER_STATUSES, PAYMENT_METHODS } from '../data/documents.ts';
import { staffRoute } from '../http/staff-route.ts';
import { idParams, objectId } from '../http/schemas.ts';
import { cancelOrder as cancel, confirmOrder as confirm, listStaffOrders, rejectOrder as reject } from '../services/staff-orders.ts';
import { recordOrderPayment } from '../services/payments.ts';

const OrderParams = idParams('orderId');

const ListQuery = z.strictObject({
  status: z.enum(ORDER_STATUSES).optional(),
  sessionId: objectId.optional(),
});

const reason = z.string().trim().min(1).max(200);

export const PaymentBody = z.strictObject({
  method: z.enum(PAYMENT_METHODS),
  status: z.enum(['paid', 'failed']),
});

export const listOrders = staffRoute({ query: ListQuery }, async ({ query }) => ({ orders: await listStaffOrders(query) }));

export const confirmOrder = staffRoute({ params: OrderParams }, async ({ staff, params, ip, userAgent }) => ({
  order: await confirm(staff, params.orderId, { ip, userAgent }),
}));

export const rejectOrder = staffRoute({ params: OrderParams, body: z.strictObject({ reason }) }, async ({ staff, params, body, ip, userAgent }) =>
  reject(staff, params.orderId, body.reason, { ip, userAgent }),
);

export const cancelOrder = staffRoute(
  { params: OrderParams, body: z.strictObject({ reason: reason.optional() }).optional() },
  async ({ staff, params, body, ip, userAgent }) => ({ order: await cancel(staff, params.orderId, body?.reason, { ip, userAgent }) }),
);

export const recordPayment = staffRoute({ params: OrderParams, body: PaymentBody }, async ({ staff, params, body, ip, userAgent }) => ({
  order: await recordOrderPayment(staff, params.orderId, body, { ip, userAgent }),
}));
