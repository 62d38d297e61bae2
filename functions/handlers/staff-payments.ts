/**
 * Online payments for managers.
 *
 *   POST /api/staff/payments/{intentId}/refund {amount?, reason}   full (no amount) or partial refund through the provider
 *   POST /api/staff/payments/check {olderThanMinutes?}             look up open payments at the provider (reconciliation)
 */
import * as z from 'zod';
import { reply } from '../http/route.ts';
import { staffRoute } from '../http/staff-route.ts';
import { idParams } from '../http/schemas.ts';
import { checkPayments as check, refundPayment } from '../services/payment-admin.ts';

const RefundBody = z.strictObject({ amount: z.number().int().min(1).max(100_000_000).optional(), reason: z.string().trim().min(1).max(200) });
const CheckBody = z.strictObject({ olderThanMinutes: z.number().int().min(0).max(1440).optional() }).optional();

export const refund = staffRoute({ params: idParams('intentId'), body: RefundBody }, async ({ staff, params, body, ip, userAgent }) =>
  reply({ payment: await refundPayment(staff, params.intentId, body, { ip, userAgent }) }),
);

export const checkPayments = staffRoute({ body: CheckBody }, async ({ staff, body, ip, userAgent }) => check(staff, body?.olderThanMinutes ?? 5, { ip, userAgent }));
