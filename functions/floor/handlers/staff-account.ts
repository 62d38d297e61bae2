/**
 * The signed-in staff member: GET /api/staff/me (its authentication reads the user document, as
 * every staff route's does). Signing out is floor/handlers/staff-logout.ts.
 */
import { staffRoutes } from '../../contract/staff.ts';
import { staffRoute } from '../../http/staff-route.ts';

export const me = staffRoute(staffRoutes.me, async ({ staff }) => ({
  userId: staff.userId,
  username: staff.username,
  role: staff.role,
  restaurantId: staff.restaurantId,
}));
