/** Staff sign-in: POST /api/staff/login, POST /api/staff/logout, GET /api/staff/me. */
import * as z from 'zod';
import { STAFF_COOKIE, clearedCookie, credentialCookie } from '../auth/cookies.ts';
import { publicRoute, reply, staffRoute } from '../http/route.ts';
import { loginStaff } from '../services/staff-auth.ts';

const LoginBody = z.strictObject({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
});

export const login = publicRoute({ body: LoginBody }, async ({ body, ip, userAgent }) => {
  const session = await loginStaff(body.username, body.password, { ip, userAgent });
  return reply(
    {
      token: session.token,
      role: session.role,
      restaurantId: session.restaurantId,
      username: session.username,
      expiresAt: session.expiresAt,
    },
    { cookies: [credentialCookie(STAFF_COOKIE, session.token, session.expiresAt)] },
  );
});

/**
 * Staff JWTs are stateless: signing out clears the cookie and the token lapses at its expiry
 * (12 h). The route needs no store (see its `needs` in routes.ts).
 */
export const logout = staffRoute({}, async () => reply(undefined, { status: 204, cookies: [clearedCookie(STAFF_COOKIE)] }));

export const me = staffRoute({}, async ({ staff }) => ({
  userId: staff.userId,
  username: staff.username,
  role: staff.role,
  restaurantId: staff.restaurantId,
}));
