/** POST /api/customers/identify: a guest gives a name and phone number; the customer is attached to the device. */
import * as z from 'zod';
import { dinerRoute } from '../http/diner-route.ts';
import { identifyCustomer } from '../services/customers.ts';

const IdentifyBody = z.strictObject({
  name: z.string().trim().min(1).max(60),
  phone: z.string().regex(/^\d{10}$/, 'must be exactly 10 digits'),
});

export const identify = dinerRoute({ body: IdentifyBody }, async ({ guest, body, ip, userAgent }) =>
  identifyCustomer(guest, body, { ip, userAgent }),
);
