/**
 * Guests at the table: POST /api/sessions/join (table code + PIN → session token),
 * GET /api/sessions/me (resume after a reload), POST /api/sessions/logout, and GET /api/tables/{tableId}
 * (what the QR link opens onto: an unknown table code, a visit that ended, or the PIN keypad; the
 * path takes the link's value, a code or an old id, as join's `table` does).
 */
import { sessionRoutes } from '../../contract/sessions.ts';
import { GUEST_COOKIE, bearerToken, clearedCookie, credentialCookie, readCookie } from '../../auth/cookies.ts';
import { header } from '../../http/request.ts';
import { publicRoute, reply } from '../../http/route.ts';
import { dinerRoute } from '../../http/diner-route.ts';
import * as Cart from '../../cart/index.ts';
import * as Orders from '../../orders/index.ts';
import { networkOf, takeRequest } from '../../http/request-limits.ts';
import { guestSessionView, joinTableSession, logoutGuest } from '../table-sessions.ts';
import { tableStatus } from '../table-status.ts';

export const join = publicRoute(sessionRoutes.join, async ({ body, event, ip, userAgent }) => {
  // The network's request rate comes first (a flood is refused before any PIN work); the PIN's own
  // per-network and per-table failure limits are the service's.
  await takeRequest('joinPerIp', networkOf(ip), 'Too many join requests from this network; try again shortly');
  // A phone re-joining carries its current token (the browser sends the cookie): it proves the deviceId is its own.
  const presentedToken = bearerToken(header(event, 'authorization')) ?? readCookie(event.cookies, header(event, 'cookie'), GUEST_COOKIE);
  const joined = await joinTableSession({ ...body, presentedToken }, { ip, userAgent });
  return reply(joined, { cookies: [credentialCookie(GUEST_COOKIE, joined.sessionToken, joined.expiresAt)] });
});

/** Everything a reloaded or reconnected phone needs to resume exactly where it was. */
export const me = dinerRoute(sessionRoutes.me, async ({ guest }) => {
  const [view, cart, orders] = await Promise.all([guestSessionView(guest), Cart.of(guest), Orders.ofGuest(guest)]);
  return { ...view, cart, orders };
});

export const logout = dinerRoute(sessionRoutes.logout, async ({ guest, ip, userAgent }) => {
  await logoutGuest(guest, { ip, userAgent });
  return reply(undefined, { status: 204, cookies: [clearedCookie(GUEST_COOKIE)] });
});

/** `tableId`: the QR link's value (a table code, or a table id on a link printed before codes). */
export const table = publicRoute(sessionRoutes.table, async ({ params }) => tableStatus(params.tableId));
