/** Guests at the table: joining with the PIN, resuming, leaving; identifying with a phone number; favourites. */
import * as z from 'zod';
import { SESSION_MODES } from '../core/enums.ts';
import { OBJECT_ID_PATTERN } from '../core/ids.ts';
import { CartView } from './cart.ts';
import { deviceId, isoDate, noBody, phone, pin, route, routeContracts, tableLink } from './common.ts';
import { GuestOrderView } from './orders.ts';

// ---------- views ----------

/** POST /api/sessions/join → 200 (the token also comes as the HttpOnly cookie, the only place the apps use it). */
export const JoinedSession = z.object({
  sessionId: z.string(),
  /** Shown once; only its SHA-256 hash is stored. */
  sessionToken: z.string(),
  deviceId: z.string(),
  mode: z.enum(SESSION_MODES),
  table: z.object({ number: z.string(), floor: z.string() }),
  expiresAt: isoDate,
});

export const GuestSessionView = z.object({
  session: z.object({ sessionId: z.string(), mode: z.enum(SESSION_MODES), status: z.enum(['OPEN', 'CLOSED']), openedAt: isoDate }),
  table: z.object({ tableId: z.string(), number: z.string(), floor: z.string() }),
  device: z.object({ deviceId: z.string(), customerId: z.string().optional(), customerName: z.string().optional(), expiresAt: isoDate }),
});

/** GET /api/sessions/me: everything a reloaded phone needs to resume. */
export const SessionMe = GuestSessionView.extend({
  /** The table's cart (FAMILY) or this phone's (INDIVIDUAL). */
  cart: CartView,
  /** The table's orders (FAMILY) or this phone's (INDIVIDUAL), oldest first, live statuses. */
  orders: z.array(GuestOrderView),
});

/** What a QR link opens onto: the PIN keypad (open), a visit that ended, a table not open, or an old id link. */
export const TableStatus = z.union([
  z.object({ table: z.object({ number: z.string(), floor: z.string() }), state: z.enum(['open', 'ended', 'notOpen']) }),
  z.object({ state: z.literal('idLink') }),
]);

export const CustomerView = z.object({
  customerId: z.string(),
  name: z.string(),
  phoneNumber: z.string(),
  visitCount: z.number().int(),
  favorites: z.array(z.string()),
  firstVisit: isoDate,
  lastVisit: isoDate,
  loginStatus: z.enum(['loggedin', 'loggedout']),
});

export const IdentifyAnswer = z.object({
  name: z.string(),
  /** `sent`: a code went to the number, enter it to be recognised; `off`: this restaurant links no one. */
  verification: z.enum(['sent', 'off']),
});

export const Favorites = z.object({
  /** Starred menu item ids, oldest star first. */
  starred: z.array(z.string()),
  /** The most-ordered dishes, most first. */
  frequent: z.array(z.object({ menuItemId: z.string(), quantity: z.number().int() })),
});

// ---------- requests ----------

/** `table`: the `?table=` value of the QR link (the table's code, or its id on a link printed before codes). */
export const JoinBody = z.strictObject({ table: tableLink, pin, deviceId: deviceId.optional() });
export const IdentifyBody = z.strictObject({ name: z.string().trim().min(1).max(60), phone });
export const VerifyBody = z.strictObject({ code: z.string().regex(/^\d{6}$/, 'must be 6 digits') });
// A menu item's id as the menu gives it (a lowercase ObjectId hex string).
const FavoriteParams = z.strictObject({ itemId: z.string().regex(OBJECT_ID_PATTERN, 'must be a menu item id') });

export const sessionRoutes = routeContracts('sessions', {
  join: route({ summary: "Join a table's open session with its PIN (sets the guest cookie)", body: JoinBody, response: JoinedSession }),
  table: route({ summary: 'What a QR link opens onto', params: z.strictObject({ tableId: tableLink }), response: TableStatus }),
  me: route({ summary: 'Resume: the session, the cart and the orders', response: SessionMe }),
  logout: route({ summary: 'Leave the table (clears the guest cookie)', body: noBody, status: 204 }),
  identify: route({ summary: 'Give a name and phone number (a one-time code is sent where numbers are verified)', body: IdentifyBody, response: IdentifyAnswer }),
  verify: route({ summary: 'The one-time code: the customer is recognised and linked', body: VerifyBody, response: CustomerView }),
  listFavorites: route({ summary: "A returning guest's starred and most-ordered dishes", response: Favorites }),
  starDish: route({ summary: 'Star a dish', params: FavoriteParams, response: Favorites }),
  unstarDish: route({ summary: 'Unstar a dish', params: FavoriteParams, response: Favorites }),
});

export type JoinedSession = z.infer<typeof JoinedSession>;
export type GuestSessionView = z.infer<typeof GuestSessionView>;
export type SessionMe = z.infer<typeof SessionMe>;
export type TableStatus = z.infer<typeof TableStatus>;
export type CustomerView = z.infer<typeof CustomerView>;
export type Favorites = z.infer<typeof Favorites>;
