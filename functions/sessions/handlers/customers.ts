/**
 * POST /api/customers/identify: a guest gives a name and phone number (recorded on this session's
 * orders; a one-time code goes to the number where the restaurant verifies numbers).
 * POST /api/customers/verify: the code; only then is the customer recognised and linked.
 */
import { sessionRoutes } from '../../contract/sessions.ts';
import { dinerRoute } from '../../http/diner-route.ts';
import { identifyGuest, verifyGuestPhone } from '../phone-verification.ts';

export const identify = dinerRoute(sessionRoutes.identify, async ({ guest, body, ip, userAgent }) => identifyGuest(guest, body, { ip, userAgent }));

export const verify = dinerRoute(sessionRoutes.verify, async ({ guest, body, ip, userAgent }) => verifyGuestPhone(guest, body, { ip, userAgent }));
