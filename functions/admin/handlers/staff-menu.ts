/**
 * Staff menu editing. POST and DELETE need MANAGER (route table); PATCH is open to WAITER, who may
 * only send {isAvailable} (the service refuses any other field below MANAGER with 403).
 */
import { menuRoutes } from '../../contract/menu.ts';
import { reply } from '../../http/route.ts';
import { staffRoute } from '../../http/staff-route.ts';
import { createMenuItem, deleteMenuItem, updateMenuItem } from '../menu.ts';

export const createItem = staffRoute(menuRoutes.createItem, async ({ staff, body, ip, userAgent }) =>
  reply(await createMenuItem(staff, body, { ip, userAgent }), { status: 201 }),
);

export const updateItem = staffRoute(menuRoutes.updateItem, async ({ staff, body, params, ip, userAgent }) =>
  updateMenuItem(staff, params.itemId, body, { ip, userAgent }),
);

export const deleteItem = staffRoute(menuRoutes.deleteItem, async ({ staff, params, ip, userAgent }) => {
  await deleteMenuItem(staff, params.itemId, { ip, userAgent });
  return reply(undefined, { status: 204 });
});
