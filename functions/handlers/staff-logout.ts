/**
 * POST /api/staff/logout: clears this browser's staff cookie, whatever state the token is in (a
 * tablet whose session an admin ended must still be able to drop it), so it is public and touches no
 * store; the token itself lapses at its expiry (12 h). Ending every session of a user is
 * POST /api/staff/users/{userId}/sign-out (services/staff-users.ts).
 */
import { STAFF_COOKIE, clearedCookie } from '../auth/cookies.ts';
import { publicRoute, reply } from '../http/route.ts';

export const logout = publicRoute({}, async () => reply(undefined, { status: 204, cookies: [clearedCookie(STAFF_COOKIE)] }));
