/**
 * A guest's online payments, read back (the bill function: no provider SDK needed to read MongoDB).
 *
 *   GET  /api/payments            this table's (INDIVIDUAL: this phone's) payments
 *   GET  /api/payments/{intentId} one of them
 *
 * Starting a payment is functions/bill/handlers/payments.ts, in the payments function.
 */
import { dinerRoute } from '../../http/diner-route.ts';
import { reply } from '../../http/route.ts';
import { paymentRoutes } from '../../contract/payments.ts';
import { guestPayment, guestPayments } from '../payment-views.ts';

export const listGuestPayments = dinerRoute(paymentRoutes.listPayments, async ({ guest }) => guestPayments(guest));

export const getGuestPayment = dinerRoute(paymentRoutes.getPayment, async ({ guest, params }) => reply({ payment: await guestPayment(guest, params.intentId) }));
