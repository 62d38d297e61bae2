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

/** The view with each optional field that has a value: one left empty is absent, never null, undefined or "". */
function withPresent<V extends object>(view: V, optional: { [K in keyof V]?: V[K] | null }): V {
  for (const [key, value] of Object.entries(optional)) if (value) (view as Record<string, unknown>)[key] = value;
  return view;
}

function itemViews(order: Order): OrderItemView[] {
  return order.items.map((item, index) =>
    withPresent<OrderItemView>(
      {
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
      },
      { spiceLevel: item.spiceLevel, notes: item.notes },
    ),
  );
}

/** The guest's view: field by field, so nothing stored on the order leaks by accident. */
export function toGuestOrder(order: Order): GuestOrderView {
  return withPresent<GuestOrderView>(
    {
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
    },
    { paymentMethod: order.paymentMethod, rejectionReason: order.rejectionReason },
  );
}

/** The staff console's view: the guest's plus where and who (the name only; the phone stays in the store). */
export function toStaffOrder(order: Order): StaffOrderView {
  return withPresent<StaffOrderView>(
    {
      ...toGuestOrder(order),
      sessionId: order.sessionId.toHexString(),
      tableId: order.tableId.toHexString(),
      floorNumber: order.floorNumber,
      createdAt: order.createdAt.toISOString(),
    },
    { customerName: order.customerName, confirmedAt: order.confirmedAt?.toISOString(), bumpedAt: order.bumpedAt?.toISOString() },
  );
}
