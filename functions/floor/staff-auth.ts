/**
 * Staff sign-in. Unknown usernames and wrong passwords get the same answer after the same work
 * (a scrypt verification against a decoy hash), so the login reveals nothing about who exists.
 *
 * Limits (OWASP's credential-stuffing and lockout guidance):
 * - every sign-in counts against its network's request rate (request-limits.ts);
 * - failures are counted (rate-limit.ts failure counters: only failures count, sign-ins that arrive
 *   together never block each other, however many guesses run in parallel at most the limit learn
 *   their outcome) per username (10 per 15 minutes) AND per network (30 per 15 minutes, across
 *   usernames), so guessing across many usernames from one place is stopped too;
 * - a device that has signed in as this username before (a signed device cookie, auth/device-cookie.ts)
 *   is counted on its own budget instead: failures elsewhere never lock the rightful user out of
 *   their own tablet, and a stolen cookie still gets only its own few guesses.
 */
import { auditActor, staffActor } from '../core/events.ts';
import { decoyPasswordHash, verifyPassword } from '../auth/passwords.ts';
import { issueStaffToken } from '../auth/staff-token.ts';
import { DomainError } from '../core/errors.ts';
import { findUserForSignIn } from '../data/staff-users-store.ts';
import { config } from '../platform/config.ts';
import type { StaffRole } from '../core/roles.ts';
import { audit, type RequestOrigin } from '../data/audit.ts';
import { afterCommit } from '../effects.ts';
import { countAttempt, failuresSoFar, type WindowLimit } from '../data/rate-limit.ts';
import { networkOf, takeRequest } from '../http/request-limits.ts';

export interface StaffSession {
  token: string;
  role: StaffRole;
  restaurantId: string;
  username: string;
  expiresAt: Date;
}

/** The limiter's subject: case-insensitive, so `Admin` and `admin` share one budget. */
const loginSubject = (username: string): string => username.trim().toLowerCase();

/**
 * The failure budgets a sign-in is counted on: the known device's own, or else the username's and
 * the network's.
 */
function failureLimits(username: string, ip: string | undefined, knownDevice: string | undefined): WindowLimit[] {
  const { limits } = config();
  const windowSeconds = limits.loginWindowSeconds;
  if (knownDevice) return [{ scope: 'login-device', subject: knownDevice, limit: limits.loginFailuresPerDevice, windowSeconds }];
  return [
    { scope: 'login', subject: loginSubject(username), limit: limits.loginFailuresPerUser, windowSeconds },
    { scope: 'login-ip', subject: networkOf(ip), limit: limits.loginFailuresPerIp, windowSeconds },
  ];
}

/**
 * @param knownDevice the nonce of a valid device cookie signed for this username (auth/device-cookie.ts), if any
 */
export async function loginStaff(
  username: string,
  password: string,
  origin: RequestOrigin = {},
  knownDevice?: string,
): Promise<StaffSession> {
  const { restaurantId } = config();

  const refuse = async (retryAfterSeconds: number): Promise<never> => {
    await afterCommit([{ type: 'StaffLoginRefused', username, outcome: 'blocked', details: { reason: 'RATE_LIMITED', knownDevice: Boolean(knownDevice) } }], origin);
    throw new DomainError('RATE_LIMITED', 'Too many failed sign-ins; try again later', { retryAfterSeconds });
  };
  // A known device is not held to its network's request rate either: a flood from the same Wi-Fi must not stop it.
  if (!knownDevice) await takeRequest('loginPerIp', networkOf(origin.ip), 'Too many sign-ins from this network; try again shortly');
  const limits = failureLimits(username, origin.ip, knownDevice);
  for (const before of await Promise.all(limits.map((limit) => failuresSoFar(limit)))) {
    if (!before.withinLimit) await refuse(before.retryAfterSeconds);
  }

  const user = await findUserForSignIn(restaurantId, username);
  // Always one scrypt verification, whether or not the user exists.
  const passwordOk = await verifyPassword(password, user?.passwordHash ?? (await decoyPasswordHash()));
  const ok = Boolean(user && passwordOk && !user.disabled);
  for (const counted of await Promise.all(limits.map((limit) => countAttempt(limit, !ok)))) {
    if (!counted.withinLimit) await refuse(counted.retryAfterSeconds);
  }
  if (!user || !ok) {
    await afterCommit([{ type: 'StaffLoginRefused', username, outcome: 'failure', details: { reason: 'INVALID_CREDENTIALS' } }], origin);
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
  await audit({ action: 'STAFF_LOGIN', outcome: 'success', actor: auditActor(staffActor({ userId, username: user.username })), ...origin });
  // The JWT's exp has whole seconds: report exactly that instant.
  return { token, role: user.role, restaurantId, username: user.username, expiresAt: new Date(Math.floor(expiresAt.getTime() / 1000) * 1000) };
}
