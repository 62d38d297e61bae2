/**
 * Server shapes only the staff console reads (the shared ones live in web/shared/types.ts): the
 * server's exported types where it has one (type-only imports, erased at build time), hand-written
 * only for answers a handler shapes itself. Money is integer minor units; dates are ISO strings (UTC).
 */
import type { StaffBillView } from '../../functions/services/bill.ts';
import type { ReconcileReport } from '../../functions/services/payment-admin.ts';
import type { StaffIntentView } from '../../functions/services/payment-views.ts';
import type { MenuItemChange, MenuItemInput as ServerMenuItemInput } from '../../functions/services/menu.ts';
import type { StaffOrderView } from '../../functions/services/order-views.ts';
import type { NewStaffUser as ServerNewStaffUser, StaffUserChange as ServerStaffUserChange, StaffUserView } from '../../functions/services/staff-users.ts';
import type { FloorTable as ServerFloorTable, OpenedSession as ServerOpenedSession } from '../../functions/services/table-sessions.ts';
import type { Json, SplitShare, StaffRole } from '../shared/types.ts';

/** GET /api/staff/me */
export interface StaffMe {
  userId: string;
  username: string;
  role: StaffRole;
  restaurantId: string;
}

/** GET /api/staff/tables → {tables} */
export type FloorTable = Json<ServerFloorTable>;
export type FloorSession = NonNullable<FloorTable['session']>;
export type FloorDevice = FloorSession['devices'][number];

/** POST /api/staff/tables/:tableId/sessions → 201 */
export type OpenedSession = Json<Pick<ServerOpenedSession, 'sessionId' | 'pin' | 'mode' | 'openedAt'>> & {
  table: { tableId: string; number: string; floor: string };
};

/** An order as GET /api/staff/orders and the staff pushes give it. */
export type StaffOrder = StaffOrderView;

/** What each phone at the table ordered and owes. */
export type BillShare = SplitShare;
/** An online payment as the staff bill and the refund answer give it (flags and refunds included). */
export type OnlinePayment = StaffIntentView;
/** GET /api/staff/sessions/:sessionId/bill */
export type StaffBill = StaffBillView & { onlinePayments: OnlinePayment[] };
/** POST /api/staff/payments/check */
export type PaymentsCheck = ReconcileReport;

/** One table's printable QR card: its link carries the table's code. */
export interface QrCard {
  tableId: string;
  number: string;
  url: string;
  svg: string;
}

/** GET /api/staff/qr-codes */
export interface QrSheet {
  origin: string;
  floors: { floor: string; tables: QrCard[] }[];
}

/** A dish as the staff menu answers give it (PATCH/POST): where it sits and whether it was deleted. */
export type StaffMenuItem = MenuItemChange;

/**
 * Body of POST /api/staff/menu/items and PATCH /api/staff/menu/items/:id (partial): the service's
 * input, where the create body defaults image ('') and sortOrder (0) (functions/handlers/staff-menu.ts).
 */
export type MenuItemInput = Omit<ServerMenuItemInput, 'image' | 'sortOrder'> & Partial<Pick<ServerMenuItemInput, 'image' | 'sortOrder'>>;

export type PaymentOutcome = 'paid' | 'failed';

/** A staff account as GET/POST/PATCH /api/staff/users give it (ADMIN only). */
export type StaffUser = Json<StaffUserView>;
/** Body of POST /api/staff/users. */
export type NewStaffUser = ServerNewStaffUser;
/** Body of PATCH /api/staff/users/:userId. */
export type StaffUserChange = ServerStaffUserChange;

// ---------- Menu languages and names (functions/services/menu-names.ts) ----------
export type { NameKind } from '../../functions/data/documents.ts';
/** GET/PUT /api/staff/menu/names → the languages (default first) and every category, station and floor with its translations. */
export type { MenuNamesView as MenuNames, MenuNamesInput } from '../../functions/services/menu-names.ts';
