/** Staff sign-in: POST /api/staff/login (signing out and `me` are in handlers/staff-account.ts). */
import * as z from 'zod';
import { STAFF_COOKIE, credentialCookie } from '../auth/cookies.ts';
import { publicRoute, reply } from '../http/route.ts';
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
