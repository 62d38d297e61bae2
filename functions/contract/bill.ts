/** The bill, its splits and bill requests; waiters' session bills and payments; guests' online payments and managers' refunds (their schemas: payments.ts). */
import * as z from 'zod';
import { PAYMENT_METHODS } from '../core/enums.ts';
import { deviceId, idParams, money, objectId, queryInt, route, routeContracts } from './common.ts';
import { GuestOrderView, PaymentBody, StaffOrderView } from './orders.ts';
import { paymentRoutes, StaffIntentView } from './payments.ts';

export { CheckPaymentsBody, GuestIntentView, PaymentScope, ReconcileReport, RefundBody, StaffIntentView, StartPaymentBody } from './payments.ts';

// ---------- views ----------

export const UpiOffer = z.object({ link: z.string(), /** The same link as a QR code, SVG markup. */ qrSvg: z.string() });

const BillFields = {
  orders: z.array(GuestOrderView),
  subtotal: money,
  tax: money,
  total: money,
  paid: money,
  /** Paid online and not yet counted against orders (included in `paid`, taken off `due`). */
  paidOnline: money,
  /** Given back to guests from online payments; `netPaid` is `paid` less it. */
  refunded: money,
  netPaid: money,
  due: money,
  currency: z.string(),
  /** What the UPI note carries, e.g. "T-12 bill 004,007". */
  reference: z.string(),
  upi: UpiOffer.optional(),
};

/** A phone at the table: who a dish can be shared with, even if it ordered nothing. */
export const TablePhone = z.object({ deviceId: z.string(), name: z.string().optional() });

/** GET /api/bill: the table's bill (FAMILY) or this phone's (INDIVIDUAL); cancelled orders left out. */
export const GuestBillView = z.object({
  ...BillFields,
  phones: z.array(TablePhone),
  requestedAt: z.string().optional(),
  requestedMethod: z.enum(PAYMENT_METHODS).optional(),
  /** Guests can pay from the phone (the restaurant has a payment provider). */
  payOnline: z.boolean().optional(),
});

export const SplitShare = z.object({
  /** English ("Share 1 of 3", the guest's name, "Guest 2"); the app shows its own words. */
  label: z.string(),
  amount: money,
  deviceId: z.string().optional(),
  name: z.string().optional(),
  isYou: z.boolean().optional(),
  upi: UpiOffer.optional(),
});

export const SplitView = z.object({
  by: z.enum(['equal', 'device', 'item']),
  /** What is split: the amount still due. */
  total: money,
  currency: z.string(),
  reference: z.string(),
  shares: z.array(SplitShare),
});

export const BillRequestAnswer = z.object({
  requestedAt: z.string(),
  method: z.enum(PAYMENT_METHODS).optional(),
  /** The bill had already been asked for a moment ago: nobody was told again. */
  alreadyRequested: z.boolean(),
});

/** GET /api/staff/sessions/{sessionId}/bill: the whole session with a per-device breakdown and its online payments. */
export const StaffBillView = z.object({
  ...BillFields,
  sessionId: z.string(),
  tableId: z.string(),
  tableNumber: z.string(),
  floor: z.string(),
  mode: z.string(),
  status: z.string(),
  devices: z.array(SplitShare),
  onlinePayments: z.array(StaffIntentView),
});

export const SessionPayment = z.object({
  sessionId: z.string(),
  method: z.enum(PAYMENT_METHODS),
  status: z.enum(['paid', 'failed']),
  amount: money,
  orders: z.array(StaffOrderView),
});

// ---------- requests ----------

const MAX_SHARED_DISHES = 50;
const MAX_SHARERS = 20;

const sharedDish = z
  .string()
  .transform((entry, ctx) => {
    const [orderId, itemIndex, devices, ...rest] = entry.split(':');
    const parsed = z
      .object({ orderId: objectId, itemIndex: z.coerce.number().int().min(0).max(199), deviceIds: z.array(deviceId).min(1).max(MAX_SHARERS) })
      .safeParse({ orderId, itemIndex, deviceIds: devices ? devices.split(',') : [] });
    if (rest.length > 0 || !parsed.success) {
      ctx.addIssue({ code: 'custom', message: 'each shared dish is <orderId>:<itemIndex>:<deviceId>,<deviceId>...' });
      return z.NEVER;
    }
    return parsed.data;
  });

/**
 * by=equal&n=3: n equal shares (2..20); by=device: each phone pays for the dishes it added; by=item&shares=
 * <orderId>:<itemIndex>:<deviceA>,<deviceB>;…: as by=device, with each listed dish divided between the listed phones.
 */
export const SplitQuery = z.discriminatedUnion('by', [
  z.strictObject({ by: z.literal('equal'), n: queryInt(2, 20) }),
  z.strictObject({ by: z.literal('device') }),
  z.strictObject({
    by: z.literal('item'),
    shares: z
      .string()
      .max(8_000)
      .transform((value) => value.split(';').filter(Boolean))
      .pipe(z.array(sharedDish).min(1).max(MAX_SHARED_DISHES)),
  }),
]);

export const RequestBillBody = z.strictObject({ method: z.enum(PAYMENT_METHODS).optional() });

const SessionParams = idParams('sessionId');

export const billRoutes = routeContracts('bill', {
  getBill: route({ summary: "The table's bill (FAMILY) or this phone's (INDIVIDUAL)", response: GuestBillView }),
  splitBill: route({ summary: 'What is still due, in shares adding up to `total`', query: SplitQuery, response: SplitView }),
  requestBill: route({ summary: 'Ask for the bill: the staff consoles are told', body: RequestBillBody, response: BillRequestAnswer }),
  sessionBill: route({ summary: "A table session's bill with its online payments", params: SessionParams, response: StaffBillView }),
  recordSessionPayment: route({ summary: "Record a table session's payment", params: SessionParams, body: PaymentBody, response: SessionPayment }),
  // Their schemas live in payments.ts, so the payments functions build none of the bill's.
  startPayment: paymentRoutes.startPayment,
  listPayments: paymentRoutes.listPayments,
  getPayment: paymentRoutes.getPayment,
  webhook: paymentRoutes.webhook,
  refund: paymentRoutes.refund,
  checkPayments: paymentRoutes.checkPayments,
});

export type UpiOffer = z.infer<typeof UpiOffer>;
export type TablePhone = z.infer<typeof TablePhone>;
export type GuestBillView = z.infer<typeof GuestBillView>;
export type SplitShare = z.infer<typeof SplitShare>;
export type SplitView = z.infer<typeof SplitView>;
export type BillRequestAnswer = z.infer<typeof BillRequestAnswer>;
export type StaffBillView = z.infer<typeof StaffBillView>;
