/**
 * What each audience sees of an order. Guests see their dishes, prices and statuses (never the
 * customer's phone, never another session's data); staff additionally see table, device and who
 * ordered. The kitchen's view — no prices, no customer — is `toKitchenTicket` in kitchen-tickets.ts, checked
 * there by a strict output schema; nothing here is ever sent to a kitchen socket.
 *
 * Amounts are minor units, from the order's minor-unit fields (never the POS's documented ones,
 * whose unit is a deployment setting), and are the order's billable amounts: dishes a manager cancelled after ordering are not
 * charged (see billableTotals).
 */
import type { Order } from '../core/entities.ts';
import { billableTotals } from '../core/bill-totals.ts';
import type { GuestOrderView, OrderItemView, StaffOrderView } from '../contract/orders.ts';

/** The views' shapes are the edge contract's (contract/orders.ts): one definition for the API, the pushes and the apps. */
export type { GuestOrderView, OrderItemView, StaffOrderView };

function itemViews(order: Order): OrderItemView[] {
  return order.items.map((item, index) => {
    const view: OrderItemView = {
      index,
      menuItemId: item.menuItemId,
      menuItemName: item.menuItemName,
      quantity: item.quantity,
      price: item.priceMinor,
      total: item.totalMinor,
      modifiers: (item.modifiers ?? []).map(({ groupId, optionId, name, price }) => ({ groupId, optionId, name, price })),
      station: item.station,
      itemStatus: item.itemStatus,
      addedByDeviceId: item.addedByDeviceId,
    };
    if (item.spiceLevel) view.spiceLevel = item.spiceLevel;
    if (item.notes) view.notes = item.notes;
    return view;
  });
}

/** The guest's view: field by field, so nothing stored on the order leaks by accident. */
export function toGuestOrder(order: Order): GuestOrderView {
  const view: GuestOrderView = {
    orderId: order._id.toHexString(),
    orderNumber: order.orderNumber,
    status: order.status,
    paymentStatus: order.paymentStatus,
    items: itemViews(order),
    ...billableTotals(order),
    orderDate: order.orderDate.toISOString(),
    updatedAt: (order.updatedAt ?? order.orderDate).toISOString(),
    tableNumber: order.tableNumber,
    deviceId: order.deviceId,
  };
  if (order.paymentMethod) view.paymentMethod = order.paymentMethod;
  if (order.rejectionReason) view.rejectionReason = order.rejectionReason;
  return view;
}

/** The staff console's view: the guest's plus where and who (the name only; the phone stays in the store). */
export function toStaffOrder(order: Order): StaffOrderView {
  const view: StaffOrderView = {
    ...toGuestOrder(order),
    sessionId: order.sessionId.toHexString(),
    tableId: order.tableId.toHexString(),
    floorNumber: order.floorNumber,
    createdAt: order.createdAt.toISOString(),
  };
  if (order.customerName) view.customerName = order.customerName;
  if (order.confirmedAt) view.confirmedAt = order.confirmedAt.toISOString();
  if (order.bumpedAt) view.bumpedAt = order.bumpedAt.toISOString();
  return view;
}
