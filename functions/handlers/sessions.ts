/**
 * Guests at the table: POST /api/sessions/join (table id + PIN → session token),
 * GET /api/sessions/me (resume after a reload), POST /api/sessions/logout, and GET /api/tables/{tableId}
 * (what the QR link opens onto: an unknown table, a visit that ended, or the PIN keypad).
 */
import * as z from 'zod';
import { GUEST_COOKIE, bearerToken, clearedCookie, credentialCookie, readCookie } from '../auth/cookies.ts';
import { header } from '../http/request.ts';
import { publicRoute, reply } from '../http/route.ts';
import { dinerRoute } from '../http/diner-route.ts';
import { deviceId, idParams, objectId, pin } from '../http/schemas.ts';
import { getCartView } from '../services/cart.ts';
import { listGuestOrders } from '../services/orders.ts';
import { guestSessionView, joinTableSession, logoutGuest } from '../services/table-sessions.ts';
import { tableStatus } from '../services/table-status.ts';

const JoinBody = z.strictObject({ tableId: objectId, pin, deviceId: deviceId.optional() });

export const join = publicRoute({ body: JoinBody }, async ({ body, event, ip, userAgent }) => {
  // A phone re-joining carries its current token (the browser sends the cookie): it proves the deviceId is its own.
  const presentedToken = bearerToken(header(event, 'authorization')) ?? readCookie(event.cookies, header(event, 'cookie'), GUEST_COOKIE);
  const joined = await joinTableSession({ ...body, presentedToken }, { ip, userAgent });
  return reply(joined, { cookies: [credentialCookie(GUEST_COOKIE, joined.sessionToken, joined.expiresAt)] });
});

/** Everything a reloaded or reconnected phone needs to resume exactly where it was. */
export const me = dinerRoute({}, async ({ guest }) => {
  const [view, cart, orders] = await Promise.all([guestSessionView(guest), getCartView(guest), listGuestOrders(guest)]);
  return { ...view, cart, orders };
});

export const logout = dinerRoute({ body: z.strictObject({}).optional() }, async ({ guest, ip, userAgent }) => {
  await logoutGuest(guest, { ip, userAgent });
  return reply(undefined, { status: 204, cookies: [clearedCookie(GUEST_COOKIE)] });
});

export const table = publicRoute({ params: idParams('tableId') }, async ({ params }) => tableStatus(params.tableId));
