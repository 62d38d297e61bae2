/** The menu's languages and the translations of category, station and floor names (GET: waiters and up; PUT: managers). */
import { menuRoutes } from '../../contract/menu.ts';
import { staffRoute } from '../../http/staff-route.ts';
import { menuNames, setMenuNames } from '../menu-names.ts';

export const getNames = staffRoute(menuRoutes.getNames, async ({ staff }) => menuNames(staff.restaurantId));

export const putNames = staffRoute(menuRoutes.putNames, async ({ staff, body, ip, userAgent }) => setMenuNames(staff, body, { ip, userAgent }));
