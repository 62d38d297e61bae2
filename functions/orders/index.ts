/**
 * The orders slice: what other slices use of placed orders and their views.
 * Other slices import it as a namespace (`import * as Orders from '../orders/index.ts'`), never its files.
 */
export { listGuestOrders, listGuestOrdersFor } from './orders.ts';
export { toGuestOrder, toStaffOrder } from './order-views.ts';
export type { GuestOrderView, StaffOrderView } from './order-views.ts';
