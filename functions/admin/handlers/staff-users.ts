/**
 * Staff accounts, for ADMINs (the console's Team section): GET/POST /api/staff/users,
 * PATCH /api/staff/users/{userId}, POST /api/staff/users/{userId}/sign-out.
 * Rules and session ending are in admin/staff-users.ts.
 */
import { staffRoutes } from '../../contract/staff.ts';
import { STAFF_COOKIE, credentialCookie } from '../../auth/cookies.ts';
import { issueStaffToken } from '../../auth/staff-token.ts';
import { reply } from '../../http/route.ts';
import { staffRoute } from '../../http/staff-route.ts';
import { createStaffUser, listStaffUsers, signOutStaffUser, updateStaffUser } from '../staff-users.ts';

export const listUsers = staffRoute(staffRoutes.listUsers, async () => ({ users: await listStaffUsers() }));

export const createUser = staffRoute(staffRoutes.createUser, async ({ body, staff, ip, userAgent }) =>
  reply(await createStaffUser(staff, body, { ip, userAgent }), { status: 201 }),
);

export const updateUser = staffRoute(staffRoutes.updateUser, async ({ body, params, staff, ip, userAgent }) => {
  const updated = await updateStaffUser(staff, params.userId, body, { ip, userAgent });
  if (!(updated.sessionsEnded && params.userId === staff.userId)) return updated.user;
  // An admin who reset their own password ended their other sessions; this device signs in again.
  const { token, expiresAt } = await issueStaffToken({ ...staff, role: updated.user.role, tokenVersion: updated.tokenVersion });
  return reply(updated.user, { cookies: [credentialCookie(STAFF_COOKIE, token, expiresAt)] });
});

export const signOutUser = staffRoute(staffRoutes.signOutUser, async ({ params, staff, ip, userAgent }) => {
  await signOutStaffUser(staff, params.userId, { ip, userAgent });
  return reply(undefined, { status: 204 });
});
