/**
 * Staff authentication: a valid staff JWT AND a user who may still use it. Every staff request
 * (HTTP routes through http/staff-route.ts, kitchen and staff sockets at WebSocket $connect) comes
 * here, so ending a user's sessions takes effect on the very next request.
 *
 * The user document must exist in this restaurant, not be disabled, and carry the token's version
 * (UserDoc.tokenVersion, raised when sessions must end: disabled, role changed, password reset,
 * "sign out everywhere"), and the token's own sign-in (`sid`) must not have been signed out. A role change raises the version, so a token never holds a stale role;
 * the principal takes the role from the document all the same. One indexed read by _id with a
 * projection per request.
 */
import { ObjectId } from 'mongodb';
import { DomainError } from '../core/errors.ts';
import { isObjectIdHex } from '../core/ids.ts';
import { roleAtLeast, type StaffRole } from '../core/roles.ts';
import { findStaffAccount, revokeSignIn as revokeStaffSignIn } from '../data/staff-users-store.ts';
import type { StaffPrincipal } from './principal.ts';
import { looksLikeJwt, verifyStaffToken, type VerifiedStaffToken } from './staff-token.ts';

/** The answer for a token whose session has ended: like an expired one, so the apps ask for a sign-in. */
export const sessionEnded = (): DomainError => new DomainError('TOKEN_EXPIRED', 'Your session has ended; sign in again');

export async function authenticateStaffToken(token: string): Promise<StaffPrincipal> {
  return staffAccountPrincipal(await verifyStaffToken(token));
}

/**
 * The credential a staff caller presented (an HTTP request's cookie or Bearer token, a socket's
 * `?token=` or cookie), verified as a staff JWT: UNAUTHENTICATED when there is none, FORBIDDEN
 * when it is not a staff token (a guest's), TOKEN_INVALID / TOKEN_EXPIRED when it does not verify.
 */
export async function verifyStaffCredential(token: string | undefined): Promise<VerifiedStaffToken> {
  if (!token) throw new DomainError('UNAUTHENTICATED', 'Sign in first');
  if (!looksLikeJwt(token)) throw new DomainError('FORBIDDEN', 'Staff only');
  return verifyStaffToken(token);
}

/** FORBIDDEN unless `role` ranks at least `minRole`. */
export function assertStaffRole(role: StaffRole, minRole: StaffRole): void {
  if (!roleAtLeast(role, minRole)) throw new DomainError('FORBIDDEN', `This needs the ${minRole} role or above`);
}

/** A staff caller over HTTP: a verified credential of an account that may still use it, with at least `minRole`. */
export async function authenticateStaffCredential(token: string | undefined, minRole: StaffRole): Promise<StaffPrincipal> {
  const staff = await staffAccountPrincipal(await verifyStaffCredential(token));
  assertStaffRole(staff.role, minRole);
  return staff;
}

/** The user-document half of authenticateStaffToken, for a token already verified. */
export async function staffAccountPrincipal(claims: VerifiedStaffToken): Promise<StaffPrincipal> {
  if (!isObjectIdHex(claims.userId)) throw new DomainError('TOKEN_INVALID', 'Invalid staff token');
  const user = await findStaffAccount(claims.restaurantId, new ObjectId(claims.userId), claims.sessionId);
  if (!user || user.disabled || (user.tokenVersion ?? 0) !== claims.tokenVersion) throw sessionEnded();
  if (claims.sessionId && (user.revokedSessions?.length ?? 0) > 0) throw sessionEnded();
  return { kind: 'staff', userId: claims.userId, username: user.username, role: user.role, restaurantId: claims.restaurantId, sessionId: claims.sessionId };
}

/**
 * Ends one sign-in (its own sign-out): its `sid` joins the user's revoked list until the token
 * would have expired; entries past their expiry are dropped in the same update. Tokens without a
 * `sid` (older than sign-in ids) cannot be told apart and simply lapse.
 */
export async function revokeStaffSession(claims: VerifiedStaffToken): Promise<boolean> {
  if (!claims.sessionId || !isObjectIdHex(claims.userId)) return false;
  const now = new Date();
  return revokeStaffSignIn(claims.restaurantId, new ObjectId(claims.userId), claims.sessionId, claims.expiresAt ?? now, now);
}
