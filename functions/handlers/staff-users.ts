/**
 * Staff accounts, for ADMINs (the console's Team section): GET/POST /api/staff/users,
 * PATCH /api/staff/users/{userId}, POST /api/staff/users/{userId}/sign-out.
 * Rules and session ending are in services/staff-users.ts.
 */
import * as z from 'zod';
import { STAFF_COOKIE, credentialCookie } from '../auth/cookies.ts';
import { issueStaffToken } from '../auth/staff-token.ts';
import { DISPLAY_NAME_MAX_LENGTH, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, USERNAME_PATTERN } from '../core/staff-users.ts';
import { reply } from '../http/route.ts';
import { idParams } from '../http/schemas.ts';
import { staffRoute } from '../http/staff-route.ts';
import { STAFF_ROLES } from '../core/roles.ts';
import { createStaffUser, listStaffUsers, signOutStaffUser, updateStaffUser } from '../services/staff-users.ts';

const username = z.string().trim().regex(USERNAME_PATTERN, 'must be 1-64 letters, digits, . _ or -');
const password = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`);
const displayName = z.string().trim().max(DISPLAY_NAME_MAX_LENGTH);
const role = z.enum(STAFF_ROLES);

const CreateBody = z.strictObject({ username, displayName: displayName.optional(), role, password });
const UpdateBody = z.strictObject({
  displayName: displayName.nullable().optional(),
  role: role.optional(),
  disabled: z.boolean().optional(),
  password: password.optional(),
});
const NoBody = z.strictObject({}).optional();

export const listUsers = staffRoute({}, async () => ({ users: await listStaffUsers() }));

export const createUser = staffRoute({ body: CreateBody }, async ({ body, staff, ip, userAgent }) =>
  reply(await createStaffUser(staff, body, { ip, userAgent }), { status: 201 }),
);

export const updateUser = staffRoute({ body: UpdateBody, params: idParams('userId') }, async ({ body, params, staff, ip, userAgent }) => {
  const updated = await updateStaffUser(staff, params.userId, body, { ip, userAgent });
  if (!(updated.sessionsEnded && params.userId === staff.userId)) return updated.user;
  // An admin who reset their own password ended their other sessions; this device signs in again.
  const { token, expiresAt } = await issueStaffToken({ ...staff, role: updated.user.role, tokenVersion: updated.tokenVersion });
  return reply(updated.user, { cookies: [credentialCookie(STAFF_COOKIE, token, expiresAt)] });
});

export const signOutUser = staffRoute({ body: NoBody, params: idParams('userId') }, async ({ params, staff, ip, userAgent }) => {
  await signOutStaffUser(staff, params.userId, { ip, userAgent });
  return reply(undefined, { status: 204 });
});
