/** Staff sign-in: POST /api/staff/login (signing out and `me` are in floor/handlers/staff-account.ts). */
import { staffRoutes } from '../../contract/staff.ts';
import { STAFF_COOKIE, credentialCookie, readCookie } from '../../auth/cookies.ts';
import { DEVICE_COOKIE, deviceCookieFor, knownDevice } from '../../auth/device-cookie.ts';
import { header } from '../../http/request.ts';
import { publicRoute, reply } from '../../http/route.ts';
import { loginStaff } from '../staff-auth.ts';

export const login = publicRoute(staffRoutes.login, async ({ body, event, ip, userAgent }) => {
  const device = await knownDevice(readCookie(event.cookies, header(event, 'cookie'), DEVICE_COOKIE), body.username);
  const session = await loginStaff(body.username, body.password, { ip, userAgent }, device);
  return reply(
    {
      token: session.token,
      role: session.role,
      restaurantId: session.restaurantId,
      username: session.username,
      expiresAt: session.expiresAt,
    },
    // The device cookie makes this browser a known device for this username (see floor/staff-auth.ts).
    { cookies: [credentialCookie(STAFF_COOKIE, session.token, session.expiresAt), await deviceCookieFor(session.username)] },
  );
});
