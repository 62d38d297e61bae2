/** Staff JWTs: HS256 via `jose`, 12 h by default, carrying sub, role, restaurantId and username. */
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { DomainError } from '../core/errors.ts';
import { config } from '../platform/config.ts';
import { secrets } from '../platform/secrets.ts';
import { STAFF_ROLES, type StaffRole } from '../routes.ts';
import type { StaffPrincipal } from './principal.ts';

const ISSUER = 'plato';
const AUDIENCE = 'plato-staff';

let keyPromise: Promise<Uint8Array> | undefined;
const signingKey = (): Promise<Uint8Array> =>
  (keyPromise ??= secrets().then(({ jwtSecret }) => new TextEncoder().encode(jwtSecret)));

export async function issueStaffToken(user: { userId: string; username: string; role: StaffRole; restaurantId: string }) {
  const expiresAt = new Date(Date.now() + config().staffTokenTtlSeconds * 1000);
  const token = await new SignJWT({ role: user.role, restaurantId: user.restaurantId, username: user.username })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(user.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(await signingKey());
  return { token, expiresAt };
}

/** Verifies signature (HS256 only: `alg: none` and others are refused), expiry, issuer, audience and restaurant. */
export async function verifyStaffToken(token: string): Promise<StaffPrincipal> {
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
    return {
      kind: 'staff',
      userId: payload.sub,
      role,
      restaurantId: payload.restaurantId,
      username: typeof payload.username === 'string' ? payload.username : '',
    };
  } catch (error) {
    if (error instanceof DomainError) throw error;
    if (error instanceof joseErrors.JWTExpired) throw new DomainError('TOKEN_EXPIRED', 'Your sign-in has expired');
    throw new DomainError('TOKEN_INVALID', 'Invalid staff token');
  }
}

export const looksLikeJwt = (token: string): boolean => token.split('.').length === 3;
