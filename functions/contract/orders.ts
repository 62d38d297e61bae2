/** Orders: guests placing and listing theirs; staff listing, approving, rejecting, cancelling and recording payment. */
import * as z from 'zod';
import { ITEM_STATUSES, ORDER_STATUSES, PAYMENT_METHODS, PAYMENT_STATUSES, SPICE_LEVELS } from '../core/enums.ts';
import { idParams, isoDate, money, objectId, route, routeContracts, uuid } from './common.ts';

export const OrderItemView = z.object({
  /** The item's position in the order, which kitchen item routes name. */
  index: z.number().int(),
  menuItemId: z.string(),
  menuItemName: z.string(),
  quantity: z.number().int(),
  /** Unit price including modifiers, minor units. */
  price: money,
  total: money,
  spiceLevel: z.enum(SPICE_LEVELS).optional(),
  notes: z.string().optional(),
  modifiers: z.array(z.object({ groupId: z.string(), optionId: z.string(), name: z.string(), price: money })),
  station: z.string(),
  itemStatus: z.enum(ITEM_STATUSES),
  addedByDeviceId: z.string(),
});

/** A guest's view of an order (never the customer's phone). */
export const GuestOrderView = z.object({
  orderId: z.string(),
  orderNumber: z.string(),
  status: z.enum(ORDER_STATUSES),
  paymentStatus: z.enum(PAYMENT_STATUSES),
  paymentMethod: z.string().optional(),
  items: z.array(OrderItemView),
  subtotal: money,
  tax: money,
  total: money,
  /** UTC ISO date; the app shows it in the restaurant's time zone. */
  orderDate: isoDate,
  updatedAt: isoDate,
  tableNumber: z.string(),
  deviceId: z.string(),
  rejectionReason: z.string().optional(),
});

/** An order as the staff console and the staff pushes give it. */
export const StaffOrderView = GuestOrderView.extend({
  sessionId: z.string(),
  tableId: z.string(),
  floorNumber: z.string(),
  customerName: z.string().optional(),
  confirmedAt: isoDate.optional(),
  createdAt: isoDate,
  /** The kitchen took the ticket off its screens. */
  bumpedAt: isoDate.optional(),
});

export const PlaceOrderBody = z.strictObject({
  /** The cart version the phone showed: a changed cart is refused (409 CART_CHANGED) with the new one. */
  cartVersion: z.number().int().min(0),
  paymentMethod: z.enum(PAYMENT_METHODS).optional(),
});

export const StaffOrdersQuery = z.strictObject({
  status: z.enum(ORDER_STATUSES).optional(),
  sessionId: objectId.optional(),
});

const reason = z.string().trim().min(1).max(200);
export const RejectOrderBody = z.strictObject({ reason });
export const CancelOrderBody = z.strictObject({ reason: reason.optional() }).optional();

/** A waiter records how an order (or a whole table session) was paid. */
export const PaymentBody = z.strictObject({
  method: z.enum(PAYMENT_METHODS),
  status: z.enum(['paid', 'failed']),
});

const OrderParams = idParams('orderId');
const StaffOrderAnswer = z.object({ order: StaffOrderView });

export const orderRoutes = routeContracts('orders', {
  placeOrder: route({
    summary: 'Place the cart as an order, exactly once per Idempotency-Key (a replay answers the same order with `Idempotent-Replayed: true`)',
    body: PlaceOrderBody,
    headers: { 'idempotency-key': uuid },
    response: GuestOrderView,
    status: 201,
  }),
  listOrders: route({ summary: "The table's orders (FAMILY) or this phone's (INDIVIDUAL), oldest first", response: z.object({ orders: z.array(GuestOrderView) }) }),
  staffListOrders: route({ summary: 'Orders for the staff console: pending first', query: StaffOrdersQuery, response: z.object({ orders: z.array(StaffOrderView) }) }),
  confirmOrder: route({ summary: 'A waiter approves a pending order', params: OrderParams, response: StaffOrderAnswer }),
  rejectOrder: route({
    summary: 'A waiter refuses a pending order: its dishes go back to the cart',
    params: OrderParams,
    body: RejectOrderBody,
    response: z.object({ order: StaffOrderView, cartVersion: z.number().int().optional() }),
  }),
  cancelOrder: route({ summary: 'A manager cancels an order', params: OrderParams, body: CancelOrderBody, response: StaffOrderAnswer }),
  recordPayment: route({ summary: "Record an order's payment", params: OrderParams, body: PaymentBody, response: StaffOrderAnswer }),
});

export type OrderItemView = z.infer<typeof OrderItemView>;
export type GuestOrderView = z.infer<typeof GuestOrderView>;
export type StaffOrderView = z.infer<typeof StaffOrderView>;
export type PlaceOrderBody = z.input<typeof PlaceOrderBody>;
export type PaymentOutcome = z.infer<typeof PaymentBody>['status'];
