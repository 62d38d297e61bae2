/**
 * The credential a guest presented (an HTTP request's cookie or Bearer token, a socket's `?token=`
 * or cookie), resolved to its principal: UNAUTHENTICATED when there is none, FORBIDDEN when it is a
 * staff token, TOKEN_INVALID / TOKEN_EXPIRED when it does not verify. HTTP diner routes and guest
 * sockets both come here.
 */
import { DomainError } from '../core/errors.ts';
import { verifyGuestToken } from './guest-token.ts';
import type { GuestPrincipal } from './principal.ts';
import { looksLikeJwt } from './staff-token.ts';

export async function authenticateGuestCredential(token: string | undefined): Promise<GuestPrincipal> {
  if (!token) throw new DomainError('UNAUTHENTICATED', 'Join the table with its PIN first');
  if (looksLikeJwt(token)) throw new DomainError('FORBIDDEN', 'This is for guests at the table');
  return verifyGuestToken(token);
}
