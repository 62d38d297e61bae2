/**
 * Recording payments (WAITER and above): one order, or everything a table session still owes.
 * A paid order stays paid (recording it again is 409); a failed payment can be recorded as paid
 * later. Cancelled orders are never charged. Each recording is audited (PAYMENT_RECORDED) and
 * pushed: `order.updated` to the guests who see the order, `table.updated` to the staff consoles.
 * A payment recorded as paid answers the table's bill request (bill/bill.ts requestBill).
 */
import { ObjectId } from 'mongodb';
import type { StaffPrincipal } from '../auth/principal.ts';
import { DomainError, notFound } from '../core/errors.ts';
import type { PaymentMethod } from '../data/documents.ts';
import { clearBillRequest } from '../data/bill-store.ts';
import { findPaymentState, recordPaymentOf, recordSessionPaymentOf } from '../data/orders-store.ts';
import { findSessionState } from '../data/sessions-store.ts';
import { staffActor } from '../core/events.ts';
import type { RequestOrigin } from '../data/audit.ts';
import { billableTotals } from '../core/bill-totals.ts';
import { afterCommit } from '../effects/orders.ts';
import * as Orders from '../orders/index.ts';

export interface PaymentInput {
  method: PaymentMethod;
  status: 'paid' | 'failed';
}

export interface SessionPayment {
  sessionId: string;
  method: PaymentMethod;
  status: 'paid' | 'failed';
  /** The total of the orders recorded, minor units. */
  amount: number;
  orders: Orders.StaffView[];
}

/** The waiter has been to the table: its "bill requested" mark goes (before the consoles reload the floor). */
const answerBillRequest = clearBillRequest;

/** POST /api/staff/orders/:orderId/payment */
export async function recordOrderPayment(staff: StaffPrincipal, orderId: string, input: PaymentInput, origin: RequestOrigin = {}): Promise<Orders.StaffView> {
  const _id = new ObjectId(orderId);
  const updated = await recordPaymentOf(staff.restaurantId, _id, input, new Date());
  if (!updated) {
    const order = await findPaymentState(staff.restaurantId, _id);
    if (!order) throw notFound('Order');
    const message = order.status === 'cancelled' ? 'This order was cancelled: there is nothing to pay' : 'This order is already paid';
    throw new DomainError('STATUS_CONFLICT', message, { details: { status: order.status, paymentStatus: order.paymentStatus } });
  }
  const amount = billableTotals(updated).total;
  if (input.status === 'paid') await answerBillRequest(staff.restaurantId, updated.sessionId);
  await afterCommit(
    [{ type: 'PaymentRecorded', actor: staffActor(staff), scope: 'order', tableId: updated.tableId, sessionId: updated.sessionId, orders: [updated], method: input.method, status: input.status, amount }],
    origin,
  );
  return Orders.staffView(updated);
}

/**
 * POST /api/staff/sessions/:sessionId/payment: every unpaid order of the session at once, in one
 * transaction (an order paid or cancelled meanwhile makes it retry on what is left).
 */
export async function recordSessionPayment(staff: StaffPrincipal, sessionId: string, input: PaymentInput, origin: RequestOrigin = {}): Promise<SessionPayment> {
  const sid = new ObjectId(sessionId);
  const tableSession = await findSessionState(staff.restaurantId, sid);
  if (!tableSession) throw notFound('Table session');
  const recorded = await recordSessionPaymentOf(staff.restaurantId, sid, input);
  if (recorded.length === 0) throw new DomainError('STATUS_CONFLICT', 'This table has nothing left to pay');

  const amount = recorded.reduce((sum, order) => sum + billableTotals(order).total, 0);
  if (input.status === 'paid') await answerBillRequest(staff.restaurantId, sid);
  await afterCommit(
    [{ type: 'PaymentRecorded', actor: staffActor(staff), scope: 'session', tableId: tableSession.tableId, sessionId: sid, orders: recorded, method: input.method, status: input.status, amount }],
    origin,
  );
  return {
    sessionId,
    method: input.method,
    status: input.status,
    amount,
    orders: recorded.map((order) => Orders.staffView(order)),
  };
}
