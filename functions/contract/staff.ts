/** Staff: signing in and out, accounts, the floor (tables, sessions, PINs, QR codes), reports and guests' data rights. */
import * as z from 'zod';
import { DAY_PATTERN } from '../core/business-day.ts';
import { PAYMENT_METHODS, SESSION_MODES } from '../core/enums.ts';
import { STAFF_ROLES } from '../core/roles.ts';
import { TABLE_FLOOR_MAX_LENGTH, TABLE_NUMBER_MAX_LENGTH } from '../core/table-names.ts';
import { DISPLAY_NAME_MAX_LENGTH, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, USERNAME_PATTERN } from '../core/staff-users.ts';
import { idParams, isoDate, money, noBody, phone, route, routeContracts } from './common.ts';
import { healthRoutes } from './health.ts';

// ---------- views ----------

/** POST /api/staff/login → 200 (the token also comes as the HttpOnly cookie). */
export const StaffSession = z.object({
  token: z.string(),
  role: z.enum(STAFF_ROLES),
  restaurantId: z.string(),
  username: z.string(),
  expiresAt: isoDate,
});

export const StaffMe = z.object({ userId: z.string(), username: z.string(), role: z.enum(STAFF_ROLES), restaurantId: z.string() });

/** A staff account as the API shows it: never the password hash or the token version. */
export const StaffUserView = z.object({
  userId: z.string(),
  username: z.string(),
  displayName: z.string().optional(),
  role: z.enum(STAFF_ROLES),
  disabled: z.boolean(),
  createdAt: isoDate,
  updatedAt: isoDate,
});

export const PinLockoutView = z.object({ attempts: z.number().int(), limit: z.number().int(), lockedUntil: isoDate.optional() });

/** A table on the floor, with its open session (never a PIN). */
export const FloorTable = z.object({
  tableId: z.string(),
  number: z.string(),
  floor: z.string(),
  session: z
    .object({
      sessionId: z.string(),
      mode: z.enum(SESSION_MODES),
      status: z.enum(['OPEN', 'CLOSED']),
      openedAt: isoDate,
      /** Phones currently joined, one entry per device. */
      devices: z.array(z.object({ deviceId: z.string(), customerName: z.string().optional(), lastActivityAt: isoDate })),
      /** A guest asked for the bill and no payment has been recorded since. */
      billRequest: z.object({ at: isoDate, customerName: z.string().optional(), method: z.enum(PAYMENT_METHODS).optional() }).optional(),
      /** Wrong PINs in the current window, and the lockout in force: a new PIN lifts it. */
      lockout: PinLockoutView.optional(),
      paidOnline: money.optional(),
    })
    .nullable(),
});

/** POST /api/staff/tables/{tableId}/sessions → 201: the only time the PIN leaves the server (and on regeneration). */
export const OpenedSession = z.object({
  sessionId: z.string(),
  pin: z.string(),
  mode: z.enum(SESSION_MODES),
  table: z.object({ tableId: z.string(), number: z.string(), floor: z.string() }),
  openedAt: isoDate,
});

export const ClosedSession = z.object({ sessionId: z.string(), tableId: z.string(), status: z.literal('CLOSED'), closedAt: isoDate, disconnected: z.number().int() });

/** One table's printable QR card: its link carries the table's code. */
export const QrCard = z.object({ tableId: z.string(), number: z.string(), url: z.string(), svg: z.string() });
export const QrSheet = z.object({ origin: z.string(), floors: z.array(z.object({ floor: z.string(), tables: z.array(QrCard) })) });

/** A business day's totals, as recorded by a day close and shown by the summary report (minor units). */
export const DayTotals = z.object({
  orders: z.number().int(),
  cancelled: z.number().int(),
  cancelledValue: money,
  gross: money,
  tax: money,
  net: money,
  unpaidOrders: z.number().int(),
  unpaid: money,
  tables: z.number().int(),
  guests: z.number().int(),
  identifiedGuests: z.number().int(),
  averageOrderValue: money,
  byMethod: z.array(z.object({ method: z.string(), orders: z.number().int(), amount: money, refunded: money.optional(), net: money.optional() })),
  refunds: z.number().int().optional(),
  refunded: money.optional(),
  netAfterRefunds: money.optional(),
});

/** POST /api/staff/reports/close-day → 201, …/reopen-day → 200: the day's close as recorded. */
export const DayCloseView = z.object({
  day: z.string(),
  status: z.enum(['closed', 'reopened']),
  totals: DayTotals,
  closedAt: isoDate,
  closedBy: z.string(),
  reopenedAt: isoDate.optional(),
  reopenedBy: z.string().optional(),
  reopenReason: z.string().optional(),
});

const reportDayFields = { day: z.string(), from: isoDate, to: isoDate, timeZone: z.string(), dayStart: z.string(), currency: z.string() };
const count = z.number().int();
const spread = z.object({ count, p50Seconds: z.number().nullable(), p90Seconds: z.number().nullable() });

/**
 * POST /api/staff/data-rights/export → 200: everything kept about a phone number, as stored (the
 * customer record and the orders in the POS team's shape), and the table visits that named it.
 */
export const DataExport = z.object({
  phoneNumber: z.string(),
  exportedAt: isoDate,
  customer: z.record(z.string(), z.unknown()).nullable(),
  orders: z.array(z.record(z.string(), z.unknown())),
  tableVisits: z.array(z.object({ tableNumber: z.string(), floor: z.string(), openedAt: isoDate, closedAt: isoDate.optional(), names: z.array(z.string()) })),
});

/** GET /api/staff/reports/{report} as JSON, one shape per report (`orders`, and any report with `?format=csv`, is text/csv). */
export const ReportView = z.union([
  z.object({ ...reportDayFields, totals: DayTotals, close: DayCloseView.nullable() }).describe('summary'),
  z
    .object({
      ...reportDayFields,
      dishes: z.array(z.object({ menuItemId: z.string(), name: z.string(), category: z.string(), station: z.string(), quantity: count, revenue: money })),
      categories: z.array(z.object({ category: z.string(), quantity: count, revenue: money })),
      modifiers: z.array(z.object({ name: z.string(), quantity: count, revenue: money })),
    })
    .describe('items'),
  z.object({ ...reportDayFields, hours: z.array(z.object({ hour: count, orders: count, revenue: money })) }).describe('hours'),
  z
    .object({
      ...reportDayFields,
      stations: z.array(z.object({ station: z.string(), placedToReady: spread, readyToServed: spread })),
      slowest: z.array(z.object({ menuItemId: z.string(), name: z.string(), station: z.string(), count, p50Seconds: z.number(), p90Seconds: z.number() })),
    })
    .describe('kitchen'),
  z
    .object({
      ...reportDayFields,
      turns: z.array(z.object({ tableNumber: z.string(), floor: z.string(), openedAt: isoDate, closedAt: isoDate.optional(), minutes: z.number().optional() })),
      closed: count,
      stillOpen: count,
      p50Minutes: z.number().nullable(),
      p90Minutes: z.number().nullable(),
      averageMinutes: z.number().nullable(),
    })
    .describe('tables'),
]);

// ---------- requests ----------

export const LoginBody = z.strictObject({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
});

const username = z.string().trim().regex(USERNAME_PATTERN, 'must be 1-64 letters, digits, . _ or -');
const password = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`);
const displayName = z.string().trim().max(DISPLAY_NAME_MAX_LENGTH);
const role = z.enum(STAFF_ROLES);

export const NewStaffUserBody = z.strictObject({ username, displayName: displayName.optional(), role, password });
/** PATCH body: displayName null (or empty) removes it. */
export const StaffUserChangeBody = z.strictObject({
  displayName: displayName.nullable().optional(),
  role: role.optional(),
  disabled: z.boolean().optional(),
  password: password.optional(),
});

export const OpenSessionBody = z.strictObject({ mode: z.enum(SESSION_MODES) });

/** "T-12", "Patio 3": what the staff and the QR card call the table; unique per restaurant, any case. */
const tableNumber = z.string().trim().min(1, 'must not be empty').max(TABLE_NUMBER_MAX_LENGTH, `must be at most ${TABLE_NUMBER_MAX_LENGTH} characters`);
/** "Ground Floor", "Terrace": the floor view groups tables by it. */
const tableFloor = z.string().trim().min(1, 'must not be empty').max(TABLE_FLOOR_MAX_LENGTH, `must be at most ${TABLE_FLOOR_MAX_LENGTH} characters`);
export const NewTableBody = z.strictObject({ number: tableNumber, floor: tableFloor });
export const TableChangeBody = z
  .strictObject({ number: tableNumber.optional(), floor: tableFloor.optional() })
  .refine((body) => body.number !== undefined || body.floor !== undefined, 'give a number or a floor');

export const REPORTS = ['summary', 'items', 'hours', 'kitchen', 'tables', 'orders'] as const;
const day = z.string().regex(DAY_PATTERN, 'must be a date, YYYY-MM-DD');
export const ReportParams = z.strictObject({ report: z.enum(REPORTS) });
export const ReportQuery = z.strictObject({ date: day.optional(), format: z.enum(['json', 'csv']).optional() });
export const DayCloseBody = z.strictObject({ date: day });
export const ReopenDayBody = z.strictObject({ date: day, reason: z.string().trim().min(1).max(200) });

/** The phone number goes in the body, never in the URL: URLs end up in access logs. */
export const PhoneBody = z.strictObject({ phone });

const UserParams = idParams('userId');
const SessionParams = idParams('sessionId');

export const staffRoutes = routeContracts('staff', {
  // Its schema lives in health.ts, so the guest function that serves it builds none of the others.
  health: healthRoutes.health,
  login: route({ summary: 'Sign in (sets the staff cookie)', body: LoginBody, response: StaffSession }),
  logout: route({ summary: 'Sign out: ends this sign-in and clears the cookie, even when the session had already ended', status: 204 }),
  me: route({ summary: 'The signed-in staff member', response: StaffMe }),
  listUsers: route({ summary: 'Staff accounts', response: z.object({ users: z.array(StaffUserView) }) }),
  createUser: route({ summary: 'Create a staff account', body: NewStaffUserBody, response: StaffUserView, status: 201 }),
  updateUser: route({ summary: 'Change a staff account (a password reset or role change ends its sessions)', body: StaffUserChangeBody, params: UserParams, response: StaffUserView }),
  signOutUser: route({ summary: "End every session of a user and close its sockets", body: noBody, params: UserParams, status: 204 }),
  listTables: route({ summary: 'The floor: every table with its open session', response: z.object({ tables: z.array(FloorTable) }) }),
  qrCodes: route({ summary: 'A printable sheet: one SVG QR code per table', response: QrSheet }),
  createTable: route({ summary: 'Add a table (with its QR code; a number already used is 409 TABLE_EXISTS)', body: NewTableBody, response: FloorTable, status: 201 }),
  updateTable: route({ summary: 'Rename or move a table (a number already used is 409 TABLE_EXISTS)', body: TableChangeBody, params: idParams('tableId'), response: FloorTable }),
  deleteTable: route({ summary: 'Remove a table (one being served is 409 TABLE_IN_USE; its past orders keep its number)', params: idParams('tableId'), status: 204 }),
  rotateCode: route({ summary: 'A new QR link for a table: the printed one stops working', body: noBody, params: idParams('tableId'), response: QrCard }),
  openSession: route({ summary: 'Open a table with a fresh PIN', body: OpenSessionBody, params: idParams('tableId'), response: OpenedSession, status: 201 }),
  regeneratePin: route({ summary: 'A new PIN (lifts a lockout)', body: noBody, params: SessionParams, response: z.object({ sessionId: z.string(), pin: z.string() }) }),
  closeSession: route({ summary: 'Close a table (unpaid: MANAGER and above)', body: noBody, params: SessionParams, response: ClosedSession }),
  getReport: route({ summary: "One business day's report, as JSON or CSV (`orders` is CSV only)", params: ReportParams, query: ReportQuery, response: ReportView }),
  closeDay: route({ summary: "Record the day's totals (a closed day is 409)", body: DayCloseBody, response: DayCloseView, status: 201 }),
  reopenDay: route({ summary: 'Reopen a closed day', body: ReopenDayBody, response: DayCloseView }),
  exportData: route({ summary: "Everything kept about a phone number's guest", body: PhoneBody, response: DataExport }),
  eraseData: route({
    summary: "Erase a phone number's personal data (amounts stay)",
    body: PhoneBody,
    response: z.object({ erased: z.object({ customers: z.number().int(), orders: z.number().int(), tableSessions: z.number().int() }) }),
  }),
});

export type StaffSession = z.infer<typeof StaffSession>;
export type DayCloseView = z.infer<typeof DayCloseView>;
export type ReportView = z.infer<typeof ReportView>;
export type DataExport = z.infer<typeof DataExport>;
export type StaffMe = z.infer<typeof StaffMe>;
export type StaffUserView = z.infer<typeof StaffUserView>;
export type FloorTable = z.infer<typeof FloorTable>;
export type OpenedSession = z.infer<typeof OpenedSession>;
export type QrCard = z.infer<typeof QrCard>;
export type QrSheet = z.infer<typeof QrSheet>;
export type NewStaffUser = z.input<typeof NewStaffUserBody>;
export type StaffUserChange = z.input<typeof StaffUserChangeBody>;
