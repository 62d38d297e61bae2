/**
 * Staff sign-in. Unknown usernames and wrong passwords get the same answer after the same work
 * (a scrypt verification against a decoy hash), so the login reveals nothing about who exists.
 * Failed logins are limited per username (10 per 15 minutes by default) with a failure counter
 * (rate-limit.ts): only failures count, sign-ins that arrive together never block each other, and
 * however many guesses run in parallel, at most the limit of them learn their outcome.
 */
import { decoyPasswordHash, verifyPassword } from '../auth/passwords.ts';
import { issueStaffToken } from '../auth/staff-token.ts';
import { DomainError } from '../core/errors.ts';
import { collections } from '../data/mongo.ts';
import { config } from '../platform/config.ts';
import type { StaffRole } from '../routes.ts';
import { audit, auditQuietly, type RequestOrigin } from './audit.ts';
import { countAttempt, failuresSoFar, type WindowLimit } from './rate-limit.ts';

export interface StaffSession {
  token: string;
  role: StaffRole;
  restaurantId: string;
  username: string;
  expiresAt: Date;
}

/** The limiter's subject: case-insensitive, so `Admin` and `admin` share one budget. */
const loginSubject = (username: string): string => username.trim().toLowerCase();

export async function loginStaff(username: string, password: string, origin: RequestOrigin = {}): Promise<StaffSession> {
  const { restaurantId, limits } = config();
  const actor = { kind: 'anonymous' as const, username };

  const limit: WindowLimit = {
    scope: 'login',
    subject: loginSubject(username),
    limit: limits.loginFailuresPerUser,
    windowSeconds: limits.loginWindowSeconds,
  };
  const refuse = async (retryAfterSeconds: number): Promise<never> => {
    await auditQuietly({ action: 'STAFF_LOGIN', outcome: 'blocked', actor, ...origin, details: { reason: 'RATE_LIMITED' } });
    throw new DomainError('RATE_LIMITED', 'Too many failed sign-ins for this user; try again later', { retryAfterSeconds });
  };
  const before = await failuresSoFar(limit);
  if (!before.withinLimit) await refuse(before.retryAfterSeconds);

  const { users } = await collections();
  const user = await users.findOne({ restaurantId, username });
  // Always one scrypt verification, whether or not the user exists.
  const passwordOk = await verifyPassword(password, user?.passwordHash ?? (await decoyPasswordHash()));
  const ok = Boolean(user && passwordOk && !user.disabled);
  const counted = await countAttempt(limit, !ok);
  if (!counted.withinLimit) await refuse(counted.retryAfterSeconds);
  if (!user || !ok) {
    await auditQuietly({ action: 'STAFF_LOGIN', outcome: 'failure', actor, ...origin, details: { reason: 'INVALID_CREDENTIALS' } });
    throw new DomainError('INVALID_CREDENTIALS', 'Wrong username or password');
  }

  const userId = user._id.toHexString();
  const { token, expiresAt } = await issueStaffToken({
    userId,
    username: user.username,
    role: user.role,
    restaurantId,
    tokenVersion: user.tokenVersion ?? 0,
  });
  await audit({ action: 'STAFF_LOGIN', outcome: 'success', actor: { kind: 'staff', id: userId, username: user.username }, ...origin });
  // The JWT's exp has whole seconds: report exactly that instant.
  return { token, role: user.role, restaurantId, username: user.username, expiresAt: new Date(Math.floor(expiresAt.getTime() / 1000) * 1000) };
}
