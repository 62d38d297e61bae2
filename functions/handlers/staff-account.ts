/**
 * The signed-in staff member: GET /api/staff/me, POST /api/staff/logout. Kept apart from login
 * (handlers/staff-auth.ts) because neither touches a store: their functions bundle without the
 * MongoDB driver (see their `needs` in routes.ts).
 */
import { STAFF_COOKIE, clearedCookie } from '../auth/cookies.ts';
import { reply } from '../http/route.ts';
import { staffRoute } from '../http/staff-route.ts';

/**
 * Staff JWTs are stateless: signing out clears the cookie and the token lapses at its expiry
 * (12 h). The route needs no store.
 */
export const logout = staffRoute({}, async () => reply(undefined, { status: 204, cookies: [clearedCookie(STAFF_COOKIE)] }));

export const me = staffRoute({}, async ({ staff }) => ({
  userId: staff.userId,
  username: staff.username,
  role: staff.role,
  restaurantId: staff.restaurantId,
}));
