/**
 * Staff JWTs: HS256 via `jose`, 12 h by default, carrying sub, role, restaurantId, username and
 * `ver` (the user's tokenVersion when signed in) and `sid` (this sign-in, revoked alone by its sign-out). A valid signature is not enough to act: every
 * request also checks the user document (auth/staff-session.ts), so ended sessions stop at once.
 */
import { randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { DomainError } from '../core/errors.ts';
import { config } from '../platform/config.ts';
import { secrets } from '../platform/secrets.ts';
import { STAFF_ROLES, type StaffRole } from '../core/roles.ts';
import type { StaffPrincipal } from './principal.ts';

const ISSUER = 'plato';
const AUDIENCE = 'plato-staff';

let keyPromise: Promise<Uint8Array> | undefined;
const signingKey = (): Promise<Uint8Array> =>
  (keyPromise ??= secrets().then(({ jwtSecret }) => new TextEncoder().encode(jwtSecret)));

export interface StaffTokenSubject {
  userId: string;
  username: string;
  role: StaffRole;
  restaurantId: string;
  /** UserDoc.tokenVersion at sign-in (0 when absent). */
  tokenVersion: number;
}

/**
 * A verified token's claims: who it names, the session version it was issued for and its sign-in
 * id (`sid`; absent from tokens signed before sign-ins had one).
 */
export type VerifiedStaffToken = StaffPrincipal & { tokenVersion: number; sessionId?: string; expiresAt?: Date };

const SID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

export async function issueStaffToken(user: StaffTokenSubject) {
  const expiresAt = new Date(Date.now() + config().staffTokenTtlSeconds * 1000);
  const sid = randomBytes(16).toString('base64url');
  const token = await new SignJWT({ role: user.role, restaurantId: user.restaurantId, username: user.username, ver: user.tokenVersion, sid })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(user.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(await signingKey());
  return { token, expiresAt, sessionId: sid };
}

/**
 * Verifies signature (HS256 only: `alg: none` and others are refused), expiry, issuer, audience and
 * restaurant. Only the token: authenticate with auth/staff-session.ts, which also checks the user.
 */
export async function verifyStaffToken(token: string): Promise<VerifiedStaffToken> {
  try {
    const { payload } = await jwtVerify(token, await signingKey(), {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: AUDIENCE,
      requiredClaims: ['sub', 'exp', 'role', 'restaurantId'],
    });
    const role = payload.role as StaffRole;
    if (!STAFF_ROLES.includes(role) || typeof payload.restaurantId !== 'string' || typeof payload.sub !== 'string') {
      throw new DomainError('TOKEN_INVALID', 'Invalid staff token');
    }
    if (payload.restaurantId !== config().restaurantId) throw new DomainError('TOKEN_INVALID', 'Invalid staff token');
    // Tokens signed before versions existed carry none: version 0, which any ended session has left.
    const tokenVersion = payload.ver ?? 0;
    if (typeof tokenVersion !== 'number' || !Number.isSafeInteger(tokenVersion) || tokenVersion < 0) {
      throw new DomainError('TOKEN_INVALID', 'Invalid staff token');
    }
    if (payload.sid !== undefined && (typeof payload.sid !== 'string' || !SID_PATTERN.test(payload.sid))) {
      throw new DomainError('TOKEN_INVALID', 'Invalid staff token');
    }
    return {
      kind: 'staff',
      userId: payload.sub,
      role,
      restaurantId: payload.restaurantId,
      username: typeof payload.username === 'string' ? payload.username : '',
      tokenVersion,
      sessionId: payload.sid as string | undefined,
      expiresAt: new Date((payload.exp as number) * 1000),
    };
  } catch (error) {
    if (error instanceof DomainError) throw error;
    if (error instanceof joseErrors.JWTExpired) throw new DomainError('TOKEN_EXPIRED', 'Your sign-in has expired');
    throw new DomainError('TOKEN_INVALID', 'Invalid staff token');
  }
}

export const looksLikeJwt = (token: string): boolean => token.split('.').length === 3;
