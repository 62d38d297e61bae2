/**
 * Online payments' views and routes (starting a guest's payment, reading it back, the provider's
 * webhook, refunds, checking open payments), listed among the bill routes (ids `bill.startPayment`…,
 * bill.ts) but kept apart from them: the payments functions build none of the bill's schemas at init.
 */
import * as z from 'zod';
import { INTENT_STATUSES } from '../core/payment-provider.ts';
import { deviceId, idParams, money, objectId, route, routeContracts, uuid } from './common.ts';

// ---------- views ----------

export const GuestIntentView = z.object({
  intentId: z.string(),
  status: z.enum(INTENT_STATUSES),
  amount: money,
  currency: z.string(),
  scope: z.enum(['bill', 'equal', 'device', 'item']),
  /** The payment page, while the intent can still be paid. */
  checkoutUrl: z.string().optional(),
  deviceId: z.string(),
  refunded: money,
  createdAt: z.string(),
  expiresAt: z.string(),
});

/** An online payment as the staff bill and the refund answer give it (flags and refunds included). */
export const StaffIntentView = GuestIntentView.extend({
  tableNumber: z.string(),
  settled: z.boolean(),
  flags: z.array(z.object({ at: z.string(), reason: z.string(), providerEvent: z.string(), amountMinor: money.optional(), currency: z.string().optional() })),
  refunds: z.array(z.object({ refundId: z.string(), amount: money, reason: z.string(), status: z.string(), by: z.string(), at: z.string() })),
  history: z.array(z.object({ at: z.string(), from: z.string(), to: z.string(), source: z.string() })),
});

export const ReconcileReport = z.object({
  checked: z.number().int(),
  changed: z.array(z.object({ intentId: z.string(), outcome: z.string() })),
  errors: z.number().int(),
});

// ---------- requests ----------

/** What the guest pays: the whole bill, one of n equal shares, or their phone's share (by device, or by dish). */
export const PaymentScope = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('bill') }),
  z.strictObject({ kind: z.literal('equal'), n: z.number().int().min(2).max(20), index: z.number().int().min(0).max(19) }),
  z.strictObject({ kind: z.literal('device') }),
  z.strictObject({
    kind: z.literal('item'),
    shared: z.array(z.strictObject({ orderId: objectId, itemIndex: z.number().int().min(0).max(199), deviceIds: z.array(deviceId).min(1).max(20) })).min(1).max(50),
  }),
]);
export const StartPaymentBody = z.strictObject({ scope: PaymentScope });

export const RefundBody = z.strictObject({ amount: z.number().int().min(1).max(100_000_000).optional(), reason: z.string().trim().min(1).max(200) });
export const CheckPaymentsBody = z.strictObject({ olderThanMinutes: z.number().int().min(0).max(1440).optional() }).optional();

const IntentParams = idParams('intentId');
const PaymentAnswer = z.object({ payment: GuestIntentView });

export const paymentRoutes = routeContracts('bill', {
  startPayment: route({
    summary: 'Start paying online (201 new, 200 the key’s intent resumed); open `payment.checkoutUrl`',
    body: StartPaymentBody,
    headers: { 'idempotency-key': uuid },
    response: PaymentAnswer,
    status: 201,
  }),
  listPayments: route({ summary: "This table's (INDIVIDUAL: this phone's) online payments", response: z.object({ payments: z.array(GuestIntentView) }) }),
  getPayment: route({ summary: 'One online payment', params: IntentParams, response: PaymentAnswer }),
  webhook: route({ summary: "The payment provider's signed webhook (HMAC over the raw body)", body: z.unknown(), response: z.object({ received: z.literal(true), outcome: z.string() }) }),
  refund: route({ summary: 'Refund an online payment, fully or in part', params: IntentParams, body: RefundBody, response: z.object({ payment: StaffIntentView }) }),
  checkPayments: route({ summary: 'Look up open payments at the provider', body: CheckPaymentsBody, response: ReconcileReport }),
});

export type GuestIntentView = z.infer<typeof GuestIntentView>;
export type StaffIntentView = z.infer<typeof StaffIntentView>;
export type ReconcileReport = z.infer<typeof ReconcileReport>;
export type PaymentScope = z.infer<typeof PaymentScope>;
