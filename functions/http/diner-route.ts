/**
 * Routes for guests at a table: a guest session token (cookie or Bearer), looked up by its hash in
 * MongoDB. Imports only the guest-token verifier (staff JWT code stays out of diner bundles).
 *
 *   export const addItem = dinerRoute(cartRoutes.addItem, async ({ guest, body }) => cartService.add(guest, body));
 */
import * as z from 'zod';
import { GUEST_COOKIE } from '../auth/cookies.ts';
import { authenticateGuestCredential } from '../auth/guest-credential.ts';
import type { GuestPrincipal } from '../auth/principal.ts';
import { takeRequest } from './request-limits.ts';
import { credential, isStateChanging } from './request.ts';
import { build, type Authenticator, type HttpEvent, type Infer, type Reply, type RequestInfo, type Schemas } from './route.ts';

export const authenticateGuest = (event: HttpEvent): Promise<GuestPrincipal> => authenticateGuestCredential(credential(event, GUEST_COOKIE));

/**
 * Every diner write (cart, orders, identify, …) counts against the token's request rate (a flooding phone is refused, 429,
 * while every other phone keeps its own budget); reads do not.
 */
const guestPrincipal: Authenticator<'diner'> = async (event) => {
  const guest = await authenticateGuest(event);
  if (isStateChanging(event)) await takeRequest('dinerWritesPerToken', guest.tokenHash, 'Too many requests from this phone; try again shortly');
  return { guest };
};

export const dinerRoute = <B extends z.ZodType, P extends z.ZodType, Q extends z.ZodType>(
  schemas: Schemas<B, P, Q>,
  useCase: (request: RequestInfo<Infer<B>, Infer<P>, Infer<Q>> & { guest: GuestPrincipal }) => Promise<Reply | unknown>,
) => build('diner', guestPrincipal, schemas, useCase);
