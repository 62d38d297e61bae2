/** Staff sign-in: POST /api/staff/login, POST /api/staff/logout, GET /api/staff/me. */
import { z } from 'zod';
import { STAFF_COOKIE, clearedCookie, credentialCookie } from '../auth/cookies.ts';
import { publicRoute, reply, staffRoute } from '../http/route.ts';
import { loginStaff, logoutStaff } from '../services/staff-auth.ts';

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

export const logout = staffRoute({}, async ({ staff, ip, userAgent }) => {
  await logoutStaff(staff, { ip, userAgent });
  return reply(undefined, { status: 204, cookies: [clearedCookie(STAFF_COOKIE)] });
});

export const me = staffRoute({}, async ({ staff }) => ({
  userId: staff.userId,
  username: staff.username,
  role: staff.role,
  restaurantId: staff.restaurantId,
}));
