/**
 * POST /api/customers/identify: a guest gives a name and phone number (recorded on this session's
 * orders; a one-time code goes to the number where the restaurant verifies numbers).
 * POST /api/customers/verify: the code; only then is the customer recognised and linked.
 */
import * as z from 'zod';
import { dinerRoute } from '../http/diner-route.ts';
import { identifyGuest, verifyGuestPhone } from '../services/phone-verification.ts';

const IdentifyBody = z.strictObject({
  name: z.string().trim().min(1).max(60),
  phone: z.string().regex(/^\d{10}$/, 'must be exactly 10 digits'),
});

const VerifyBody = z.strictObject({ code: z.string().regex(/^\d{6}$/, 'must be 6 digits') });

export const identify = dinerRoute({ body: IdentifyBody }, async ({ guest, body, ip, userAgent }) => identifyGuest(guest, body, { ip, userAgent }));

export const verify = dinerRoute({ body: VerifyBody }, async ({ guest, body, ip, userAgent }) => verifyGuestPhone(guest, body, { ip, userAgent }));
