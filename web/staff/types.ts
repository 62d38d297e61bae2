/**
 * Server shapes only the staff console reads (the shared ones live in web/shared/types.ts): the types
 * inferred from the edge contract (functions/contract/; type-only imports, erased at build time).
 * Money is integer minor units; dates are ISO strings (UTC).
 */
import type {
  FloorTable as ContractFloorTable,
  MenuItemChange,
  MenuItemFields,
  NewStaffUser as ContractNewStaffUser,
  OpenedSession as ContractOpenedSession,
  QrCard as ContractQrCard,
  QrSheet as ContractQrSheet,
  ReconcileReport,
  StaffBillView,
  StaffIntentView,
  StaffMe as ContractStaffMe,
  StaffOrderView,
  StaffUserChange as ContractStaffUserChange,
  StaffUserView,
} from '../../functions/contract/index.ts';
import type { SplitShare } from '../shared/types.ts';

/** GET /api/staff/me */
export type StaffMe = ContractStaffMe;

/** GET /api/staff/tables → {tables} */
export type FloorTable = ContractFloorTable;
export type FloorSession = NonNullable<FloorTable['session']>;
export type FloorDevice = FloorSession['devices'][number];

/** POST /api/staff/tables/:tableId/sessions → 201 */
export type OpenedSession = ContractOpenedSession;

/** An order as GET /api/staff/orders and the staff pushes give it. */
export type StaffOrder = StaffOrderView;

/** What each phone at the table ordered and owes. */
export type BillShare = SplitShare;
/** An online payment as the staff bill and the refund answer give it (flags and refunds included). */
export type OnlinePayment = StaffIntentView;
/** GET /api/staff/sessions/:sessionId/bill */
export type StaffBill = StaffBillView;
/** POST /api/staff/payments/check */
export type PaymentsCheck = ReconcileReport;

/** One table's printable QR card: its link carries the table's code. */
export type QrCard = ContractQrCard;

/** GET /api/staff/qr-codes */
export type QrSheet = ContractQrSheet;

/** A dish as the staff menu answers give it (PATCH/POST): where it sits and whether it was deleted. */
export type StaffMenuItem = MenuItemChange;

/**
 * Body of POST /api/staff/menu/items and PATCH /api/staff/menu/items/:id (partial): the service's
 * fields, where the create body defaults image ('') and sortOrder (0) (functions/contract/menu.ts).
 */
export type MenuItemInput = Omit<MenuItemFields, 'image' | 'sortOrder'> & Partial<Pick<MenuItemFields, 'image' | 'sortOrder'>>;

export type PaymentOutcome = 'paid' | 'failed';

/** A staff account as GET/POST/PATCH /api/staff/users give it (ADMIN only). */
export type StaffUser = StaffUserView;
/** Body of POST /api/staff/users. */
export type NewStaffUser = ContractNewStaffUser;
/** Body of PATCH /api/staff/users/:userId. */
export type StaffUserChange = ContractStaffUserChange;

// ---------- Menu languages and names (functions/contract/menu.ts) ----------
export type { NameKind } from '../../functions/core/entities.ts';
/** GET/PUT /api/staff/menu/names → the languages (default first) and every category, station and floor with its translations. */
export type { MenuNamesView as MenuNames, MenuNamesInput } from '../../functions/contract/menu.ts';
