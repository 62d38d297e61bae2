/**
 * Table PINs: pure rules, no I/O.
 *
 * A PIN has only 10,000 values, so a plain or salted hash of it is reversed by trying them all.
 * The stored hash is therefore keyed: HMAC-SHA256 over a per-session random salt and the PIN, with a
 * key derived from the server secret (JWT_SECRET). Someone holding a copy of the database but not the
 * secret learns nothing; brute force against the live API is stopped by the attempt limits.
 */
import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

export const PIN_PATTERN = /^\d{4}$/;

const SCHEME = 'hmac-sha256';
const KEY_VERSION = 'v1';
const SALT_BYTES = 16;

/** A uniformly random 4-digit PIN ("0000".."9999") from the CSPRNG. */
export function generatePin(): string {
  return String(randomInt(0, 10_000)).padStart(4, '0');
}

/**
 * The PIN hashing key, derived from the server secret so it is never the JWT signing key itself.
 * Changing the secret invalidates the PINs of open sessions (staff regenerate them).
 */
export function derivePinKey(serverSecret: string): Buffer {
  return createHmac('sha256', serverSecret).update(`plato:table-pin:${KEY_VERSION}`).digest();
}

function digest(pin: string, salt: Buffer, key: Buffer): Buffer {
  return createHmac('sha256', key).update(salt).update(':').update(pin, 'utf8').digest();
}

/** `hmac-sha256$v1$<salt base64url>$<mac base64url>`: a fresh random salt on every call. */
export function hashPin(pin: string, key: Buffer, salt: Buffer = randomBytes(SALT_BYTES)): string {
  if (!PIN_PATTERN.test(pin)) throw new Error('A PIN is exactly 4 digits');
  return [SCHEME, KEY_VERSION, salt.toString('base64url'), digest(pin, salt, key).toString('base64url')].join('$');
}

/** Constant-time comparison of a candidate PIN with a stored hash. A malformed hash never matches. */
export function verifyPin(candidate: string, stored: string, key: Buffer): boolean {
  const [scheme, version, saltText, macText] = stored.split('$');
  if (scheme !== SCHEME || version !== KEY_VERSION || !saltText || !macText) return false;
  const expected = Buffer.from(macText, 'base64url');
  // Same work for a malformed candidate as for a wrong one.
  const actual = digest(PIN_PATTERN.test(candidate) ? candidate : '----', Buffer.from(saltText, 'base64url'), key);
  return expected.length === actual.length && timingSafeEqual(expected, actual) && PIN_PATTERN.test(candidate);
}

export interface LockoutPolicy {
  /** Length of the first lockout, seconds (the attempt window: 15 minutes by default). */
  baseSeconds: number;
  /** Longest lockout, seconds (4 hours by default). */
  maxSeconds: number;
}

/**
 * Length of the n-th lockout of one table session (n ≥ 1): base, 2·base, 4·base … capped at max.
 * 15, 30, 60, 120, 240, 240 … minutes with the defaults.
 */
export function lockoutSeconds(blockNumber: number, policy: LockoutPolicy): number {
  if (!Number.isInteger(blockNumber) || blockNumber < 1) throw new Error('blockNumber starts at 1');
  // 2^(n-1) overflows to Infinity for huge n, which the cap absorbs.
  return Math.min(policy.maxSeconds, policy.baseSeconds * 2 ** (blockNumber - 1));
}

/** Attempts left in the window after `used` reserved attempts (never negative). */
export const attemptsLeft = (used: number, limit: number): number => Math.max(0, limit - used);
