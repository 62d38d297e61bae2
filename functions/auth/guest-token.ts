/**
 * Guest session tokens: 32 random bytes (base64url) handed to the phone once, stored only as a
 * SHA-256 hash inside the table session, bound to one session, device and restaurant.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { DomainError } from '../core/errors.ts';
import { findSessionByToken } from '../data/sessions-store.ts';
import { config } from '../platform/config.ts';
import type { GuestPrincipal } from './principal.ts';

export const newGuestToken = (): string => randomBytes(32).toString('base64url');

export const hashGuestToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

const GUEST_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** Resolves a guest token to its principal, or throws TOKEN_INVALID / TOKEN_EXPIRED. One indexed query. */
export async function verifyGuestToken(token: string): Promise<GuestPrincipal> {
  if (!GUEST_TOKEN_PATTERN.test(token)) throw new DomainError('TOKEN_INVALID', 'Invalid session token');
  const tokenHash = hashGuestToken(token);
  const { restaurantId } = config();
  const session = await findSessionByToken(restaurantId, tokenHash);
  const entry = session?.customerTokens?.[0];
  if (!session || !entry || !timingSafeEqual(Buffer.from(entry.tokenHash), Buffer.from(tokenHash))) {
    throw new DomainError('TOKEN_INVALID', 'Invalid session token');
  }
  if (session.status !== 'OPEN' || entry.revokedAt || entry.expiresAt.getTime() <= Date.now()) {
    throw new DomainError('TOKEN_EXPIRED', 'Your table session has ended; enter the table PIN again');
  }
  return {
    kind: 'guest',
    restaurantId,
    sessionId: session._id,
    tableId: session.tableId,
    tableNumber: session.tableNumber,
    floor: session.floor,
    mode: session.mode,
    deviceId: entry.deviceId,
    tokenHash,
    tokenExpiresAt: entry.expiresAt,
    customerId: entry.customerId,
    customerName: entry.customerName,
    customerPhone: entry.customerPhone,
  };
}
