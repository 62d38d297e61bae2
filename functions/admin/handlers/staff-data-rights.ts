/**
 * Guests' data rights, for managers (MANAGER and above; roles in routes.ts). The phone number goes
 * in the body, never in the URL: URLs end up in access logs.
 */
import { staffRoutes } from '../../contract/staff.ts';
import { reply } from '../../http/route.ts';
import { staffRoute } from '../../http/staff-route.ts';
import { erasePhone, exportPhone } from '../data-rights.ts';

export const exportData = staffRoute(staffRoutes.exportData, async ({ staff, body, ip, userAgent }) => reply(await exportPhone(staff, body.phone, { ip, userAgent })));

export const eraseData = staffRoute(staffRoutes.eraseData, async ({ staff, body, ip, userAgent }) => reply({ erased: await erasePhone(staff, body.phone, { ip, userAgent }) }));
