/**
 * The orders slice: what other slices use of placed orders and their views.
 * Other slices import it as a namespace (`import * as Orders from '../orders/index.ts'`), never its files.
 *
 * The business names (`Orders.staffView(order)`, `Orders.ofGuest(guest)`) are the ones to use; the
 * older names stay exported only while slices outside orders/cart/bill still read them.
 */
export { listGuestOrders as ofGuest, listGuestOrdersFor as ofSocket } from './orders.ts';
export { toGuestOrder as guestView, toStaffOrder as staffView } from './order-views.ts';
export type { GuestOrderView as GuestView, StaffOrderView as StaffView } from './order-views.ts';

export { listGuestOrders, listGuestOrdersFor } from './orders.ts';
export { toGuestOrder, toStaffOrder } from './order-views.ts';
export type { GuestOrderView, StaffOrderView } from './order-views.ts';
