/**
 * Server shapes only the staff console reads (the shared ones live in web/shared/types.ts).
 * Money is integer minor units; dates are ISO strings (UTC).
 */
import type { ItemStatus, MenuItem, OrderStatus, PaymentMethod, PaymentStatus, SessionMode, SpiceLevel, StaffRole } from '../shared/types.ts';

/** GET /api/staff/me */
export interface StaffMe {
  userId: string;
  username: string;
  role: StaffRole;
  restaurantId: string;
}

export interface FloorDevice {
  deviceId: string;
  customerName?: string;
  lastActivityAt: string;
}

export interface FloorSession {
  sessionId: string;
  mode: SessionMode;
  status: 'OPEN' | 'CLOSED';
  openedAt: string;
  devices: FloorDevice[];
}

/** GET /api/staff/tables → {tables} */
export interface FloorTable {
  tableId: string;
  number: string;
  floor: string;
  session: FloorSession | null;
}

/** POST /api/staff/tables/:tableId/sessions → 201 */
export interface OpenedSession {
  sessionId: string;
  pin: string;
  mode: SessionMode;
  table?: { tableId: string; number: string; floor: string };
  openedAt?: string;
}

export interface StaffOrderItem {
  index: number;
  menuItemId: string;
  menuItemName: string;
  quantity: number;
  price: number;
  total: number;
  spiceLevel?: SpiceLevel;
  notes?: string;
  modifiers: { groupId: string; optionId: string; name: string; price: number }[];
  station: string;
  itemStatus: ItemStatus;
  addedByDeviceId: string;
}

/** An order as GET /api/staff/orders and the staff pushes give it (functions/services/order-views.ts). */
export interface StaffOrder {
  orderId: string;
  orderNumber: string;
  status: OrderStatus;
  paymentStatus: PaymentStatus;
  paymentMethod?: PaymentMethod;
  items: StaffOrderItem[];
  subtotal: number;
  tax: number;
  total: number;
  orderDate: string;
  updatedAt: string;
  tableNumber: string;
  deviceId: string;
  rejectionReason?: string;
  sessionId: string;
  tableId: string;
  floorNumber: string;
  customerName?: string;
  confirmedAt?: string;
  createdAt: string;
}

export interface BillShare {
  label: string;
  amount: number;
  deviceId?: string;
  name?: string;
}

/** GET /api/staff/sessions/:sessionId/bill */
export interface StaffBill {
  orders: { orderId: string; orderNumber: string; total: number; paymentStatus: PaymentStatus }[];
  subtotal: number;
  tax: number;
  total: number;
  paid: number;
  due: number;
  currency: string;
  reference: string;
  upi?: { link: string; qrSvg: string };
  sessionId: string;
  tableId: string;
  tableNumber: string;
  floor: string;
  mode: SessionMode;
  status: 'OPEN' | 'CLOSED';
  devices: BillShare[];
}

/** GET /api/staff/qr-codes */
export interface QrSheet {
  origin: string;
  floors: { floor: string; tables: { tableId: string; number: string; url: string; svg: string }[] }[];
}

/** A dish as the staff menu answers give it (PATCH/POST): where it sits and whether it was deleted. */
export interface StaffMenuItem extends MenuItem {
  category: string;
  sortOrder?: number;
  deleted?: boolean;
}

/** Body of POST /api/staff/menu/items and PATCH /api/staff/menu/items/:id (partial). */
export interface MenuItemInput {
  name: string;
  description: string;
  price: number;
  category: string;
  isVeg: boolean;
  isAvailable: boolean;
  station: string;
  spiceLevels: SpiceLevel[];
  modifierGroups: { groupId: string; name: string; min: number; max: number; options: { id: string; name: string; price: number }[] }[];
  sortOrder?: number;
}

export type PaymentOutcome = 'paid' | 'failed';
