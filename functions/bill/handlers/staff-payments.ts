/**
 * Online payments for managers.
 *
 *   POST /api/staff/payments/{intentId}/refund {amount?, reason}   full (no amount) or partial refund through the provider
 *   POST /api/staff/payments/check {olderThanMinutes?}             look up open payments at the provider (reconciliation)
 */
import { paymentRoutes } from '../../contract/payments.ts';
import { reply } from '../../http/route.ts';
import { staffRoute } from '../../http/staff-route.ts';
import { checkPayments as check, refundPayment } from '../payment-admin.ts';

export const refund = staffRoute(paymentRoutes.refund, async ({ staff, params, body, ip, userAgent }) =>
  reply({ payment: await refundPayment(staff, params.intentId, body, { ip, userAgent }) }),
);

export const checkPayments = staffRoute(paymentRoutes.checkPayments, async ({ staff, body, ip, userAgent }) => check(staff, body?.olderThanMinutes ?? 5, { ip, userAgent }));
