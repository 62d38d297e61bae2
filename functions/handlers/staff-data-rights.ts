/**
 * Guests' data rights, for managers (MANAGER and above; roles in routes.ts). The phone number goes
 * in the body, never in the URL: URLs end up in access logs.
 */
import * as z from 'zod';
import { reply } from '../http/route.ts';
import { staffRoute } from '../http/staff-route.ts';
import { erasePhone, exportPhone } from '../services/data-rights.ts';

const PhoneBody = z.strictObject({ phone: z.string().regex(/^\d{10}$/, 'must be exactly 10 digits') });

export const exportData = staffRoute({ body: PhoneBody }, async ({ staff, body, ip, userAgent }) => reply(await exportPhone(staff, body.phone, { ip, userAgent })));

export const eraseData = staffRoute({ body: PhoneBody }, async ({ staff, body, ip, userAgent }) => reply({ erased: await erasePhone(staff, body.phone, { ip, userAgent }) }));
