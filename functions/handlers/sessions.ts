/**
 * Guests at the table: POST /api/sessions/join (table id + PIN → session token),
 * GET /api/sessions/me (resume after a reload), POST /api/sessions/logout.
 */
import { z } from 'zod';
import { GUEST_COOKIE, clearedCookie, credentialCookie } from '../auth/cookies.ts';
import { dinerRoute, publicRoute, reply } from '../http/route.ts';
import { deviceId, objectId, pin } from '../http/schemas.ts';
import { guestSessionView, joinTableSession, logoutGuest } from '../services/table-sessions.ts';

const JoinBody = z.strictObject({ tableId: objectId, pin, deviceId: deviceId.optional() });

export const join = publicRoute({ body: JoinBody }, async ({ body, ip, userAgent }) => {
  const joined = await joinTableSession(body, { ip, userAgent });
  return reply(joined, { cookies: [credentialCookie(GUEST_COOKIE, joined.sessionToken, joined.expiresAt)] });
});

export const me = dinerRoute({}, async ({ guest }) => {
  const view = await guestSessionView(guest);
  // The cart and orders sections come from the carts and orders services once they are wired in.
  return { ...view, cart: null, orders: [] };
});

export const logout = dinerRoute({ body: z.strictObject({}).optional() }, async ({ guest, ip, userAgent }) => {
  await logoutGuest(guest, { ip, userAgent });
  return reply(undefined, { status: 204, cookies: [clearedCookie(GUEST_COOKIE)] });
});
