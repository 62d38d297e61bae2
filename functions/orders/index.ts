/**
 * The orders slice: what other slices use of placed orders and their views.
 * Other slices import it as a namespace (`import * as Orders from '../orders/index.ts'`), never its files.
 *
 * Its names read as the business does: `Orders.staffView(order)`, `Orders.ofGuest(guest)`.
 */
export { listGuestOrders as ofGuest, listGuestOrdersFor as ofSocket } from './guest-orders.ts';
export { toGuestOrder as guestView, toStaffOrder as staffView } from './order-views.ts';
export type { GuestOrderView as GuestView, StaffOrderView as StaffView } from './order-views.ts';
