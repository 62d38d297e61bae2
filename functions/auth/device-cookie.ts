/**
 * OWASP's device cookie for staff sign-in: after a successful sign-in the browser gets a signed
 * cookie naming the username and a random device nonce. A later sign-in for that username that
 * presents a valid cookie is a known device: it is counted on the device's own failure budget
 * instead of the username's and the network's, so nobody can lock a user out of a device they
 * have used before by failing sign-ins from elsewhere. The signature is an HMAC under a key derived
 * from the JWT secret; the cookie grants nothing by itself (the password is still checked).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { secrets } from '../platform/secrets.ts';
import { credentialCookie } from './cookies.ts';

export const DEVICE_COOKIE = 'plato_device';
const DEVICE_COOKIE_DAYS = 180;

async function sign(payload: string): Promise<string> {
  const key = createHmac('sha256', (await secrets()).jwtSecret).update('plato-device-cookie-v1').digest();
  return createHmac('sha256', key).update(payload).digest('base64url');
}

const usernameKey = (username: string): string => Buffer.from(username.trim().toLowerCase(), 'utf8').toString('base64url');

/** The Set-Cookie for a device that has just signed in as `username`. */
export async function deviceCookieFor(username: string): Promise<string> {
  const payload = `v1.${randomBytes(16).toString('base64url')}.${usernameKey(username)}`;
  const expiresAt = new Date(Date.now() + DEVICE_COOKIE_DAYS * 24 * 3600 * 1000);
  return credentialCookie(DEVICE_COOKIE, `${payload}.${await sign(payload)}`, expiresAt);
}

/** The device's nonce when `value` is a cookie this service signed for `username`; otherwise undefined. */
export async function knownDevice(value: string | undefined, username: string): Promise<string | undefined> {
  if (!value || value.length > 200) return undefined;
  const parts = value.split('.');
  if (parts.length !== 4 || parts[0] !== 'v1') return undefined;
  const payload = parts.slice(0, 3).join('.');
  const expected = Buffer.from(await sign(payload));
  const given = Buffer.from(parts[3]);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  return parts[2] === usernameKey(username) ? parts[1] : undefined;
}
