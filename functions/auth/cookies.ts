/**
 * Credentials travel in HttpOnly, Secure, SameSite=Strict cookies for browsers, or as
 * `Authorization: Bearer` for other clients. The same token value works both ways.
 *
 * Served over HTTPS (COOKIE_SECURE, the default) every cookie carries the `__Host-` prefix: the
 * browser then accepts it only from this exact host, Secure, with Path=/ and no Domain, so a
 * sibling subdomain cannot plant or shadow a credential. Plain-HTTP local runs keep the bare names
 * (browsers refuse `__Host-` cookies without Secure). Callers always use the bare names below.
 */
import { config } from '../platform/config.ts';

export const GUEST_COOKIE = 'plato_guest';
export const STAFF_COOKIE = 'plato_staff';

/** The name a cookie really has: `__Host-<name>` when served over HTTPS. */
export const cookieName = (name: string): string => (config().cookieSecure ? `__Host-${name}` : name);

export function credentialCookie(name: string, value: string, expiresAt: Date): string {
  // Rounded up: a cookie that died before its token would make a re-joining phone look like another
  // device whose token is still live (and lose its INDIVIDUAL cart). Outliving the token is harmless.
  const maxAge = Math.max(0, Math.ceil((expiresAt.getTime() - Date.now()) / 1000));
  return [`${cookieName(name)}=${value}`, 'Path=/', `Max-Age=${maxAge}`, 'HttpOnly', 'SameSite=Strict', config().cookieSecure ? 'Secure' : '']
    .filter(Boolean)
    .join('; ');
}

export function clearedCookie(name: string): string {
  return [`${cookieName(name)}=`, 'Path=/', 'Max-Age=0', 'HttpOnly', 'SameSite=Strict', config().cookieSecure ? 'Secure' : '']
    .filter(Boolean)
    .join('; ');
}

/** Reads one of our cookies (by its bare name; the `__Host-` prefix is added when in force) from API Gateway v2's `cookies` array (or a raw Cookie header, as on $connect). */
export function readCookie(cookies: readonly string[] | undefined, cookieHeader: string | undefined, name: string): string | undefined {
  const pairs = [...(cookies ?? []), ...(cookieHeader ? cookieHeader.split(';') : [])];
  const wanted = cookieName(name);
  for (const pair of pairs) {
    const index = pair.indexOf('=');
    if (index > 0 && pair.slice(0, index).trim() === wanted) return pair.slice(index + 1).trim();
  }
  return undefined;
}

export function bearerToken(authorization: string | undefined): string | undefined {
  const match = authorization?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1];
}
