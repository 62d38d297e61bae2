/**
 * The signed-in staff member: GET /api/staff/me, POST /api/staff/logout. Neither writes a store;
 * their authentication reads the user document, as every staff route's does.
 */
import { STAFF_COOKIE, clearedCookie } from '../auth/cookies.ts';
import { reply } from '../http/route.ts';
import { staffRoute } from '../http/staff-route.ts';

/**
 * Signing out of this device clears its cookie; the token itself lapses at its expiry (12 h).
 * Ending every session of a user is POST /api/staff/users/{userId}/sign-out (services/staff-users.ts).
 */
export const logout = staffRoute({}, async () => reply(undefined, { status: 204, cookies: [clearedCookie(STAFF_COOKIE)] }));

export const me = staffRoute({}, async ({ staff }) => ({
  userId: staff.userId,
  username: staff.username,
  role: staff.role,
  restaurantId: staff.restaurantId,
}));
