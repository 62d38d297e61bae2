/**
 * POST /api/staff/logout: ends this sign-in and clears this browser's staff cookie. It stays public:
 * a tablet whose session an admin ended (or whose token expired) must still be able to drop its
 * cookie, so a token that no longer verifies is simply not revoked. A verified token's sign-in
 * (`sid`) is revoked at once (auth/staff-session.ts) and its sockets are closed. Ending every
 * session of a user is POST /api/staff/users/{userId}/sign-out (admin/staff-users.ts).
 */
import { STAFF_COOKIE, clearedCookie } from '../../auth/cookies.ts';
import { revokeStaffSession } from '../../auth/staff-session.ts';
import { looksLikeJwt, verifyStaffToken, type VerifiedStaffToken } from '../../auth/staff-token.ts';
import { credential } from '../../http/request.ts';
import { staffRoutes } from '../../contract/staff.ts';
import { publicRoute, reply } from '../../http/route.ts';
import { closeStaffSessionSockets } from '../../realtime/socket-credentials.ts';
import { afterCommit } from '../../effects.ts';

async function verifiedOrNothing(token: string | undefined): Promise<VerifiedStaffToken | undefined> {
  if (!token || !looksLikeJwt(token)) return undefined;
  try {
    return await verifyStaffToken(token);
  } catch {
    return undefined; // expired or invalid: nothing to revoke, the cookie is cleared all the same
  }
}

export const logout = publicRoute(staffRoutes.logout, async ({ event, ip, userAgent }) => {
  const claims = await verifiedOrNothing(credential(event, STAFF_COOKIE));
  if (claims?.sessionId && (await revokeStaffSession(claims))) {
    await closeStaffSessionSockets(claims.restaurantId, claims.userId, claims.sessionId);
    await afterCommit([{ type: 'StaffLoggedOut', userId: claims.userId, username: claims.username }], { ip, userAgent });
  }
  return reply(undefined, { status: 204, cookies: [clearedCookie(STAFF_COOKIE)] });
});
