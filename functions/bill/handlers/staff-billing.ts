/**
 * A table session's bill and its payment, for waiters (WAITER and above). Both bodies carry a
 * `status` field, so they go out through reply() (a bare object with `status` would be read as a Reply).
 */
import { reply } from '../../http/route.ts';
import { staffRoute } from '../../http/staff-route.ts';
import { billRoutes } from '../../contract/bill.ts';
import { sessionBill as bill } from '../bill.ts';
import { sessionPayments } from '../payment-views.ts';
import { withBillUpi } from '../upi-offers.ts';
import { recordSessionPayment as record } from '../payments.ts';

/** The bill, with the session's online payments (their refunds and any flags for a manager). */
export const sessionBill = staffRoute(billRoutes.sessionBill, async ({ params }) => {
  const [view, onlinePayments] = await Promise.all([bill(params.sessionId).then(withBillUpi), sessionPayments(params.sessionId)]);
  return reply({ ...view, onlinePayments });
});

export const recordSessionPayment = staffRoute(billRoutes.recordSessionPayment, async ({ staff, params, body, ip, userAgent }) =>
  reply(await record(staff, params.sessionId, body, { ip, userAgent })),
);
