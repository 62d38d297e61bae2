/** A table session's bill and its payment, for waiters (WAITER and above). */
import { staffRoute } from '../http/route.ts';
import { idParams } from '../http/schemas.ts';
import { sessionBill as bill } from '../services/bill.ts';
import { recordSessionPayment as record } from '../services/payments.ts';
import { PaymentBody } from './staff-orders.ts';

const SessionParams = idParams('sessionId');

export const sessionBill = staffRoute({ params: SessionParams }, async ({ params }) => bill(params.sessionId));

export const recordSessionPayment = staffRoute({ params: SessionParams, body: PaymentBody }, async ({ staff, params, body, ip, userAgent }) =>
  record(staff, params.sessionId, body, { ip, userAgent }),
);
