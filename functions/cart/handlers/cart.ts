/** The guest's cart: every answer is the whole cart view {version, lines, subtotal, tax, total, unavailableLineIds}. */
import { cartRoutes } from '../../contract/cart.ts';
import { dinerRoute } from '../../http/diner-route.ts';
import { callerConnectionId } from '../../http/request.ts';
import { addLine, changeLine, clearCart as clearGuestCart, removeLine } from '../cart.ts';
import { getCartView } from '../cart-views.ts';

export const getCart = dinerRoute(cartRoutes.getCart, async ({ guest }) => getCartView(guest));

export const addItem = dinerRoute(cartRoutes.addItem, async ({ guest, body, event }) => addLine(guest, body, callerConnectionId(event)));

export const updateItem = dinerRoute(cartRoutes.updateItem, async ({ guest, body, params, event }) =>
  changeLine(guest, params.lineId, body, callerConnectionId(event)),
);

export const removeItem = dinerRoute(cartRoutes.removeItem, async ({ guest, params, event }) =>
  removeLine(guest, params.lineId, callerConnectionId(event)),
);

export const clearCart = dinerRoute(cartRoutes.clearCart, async ({ guest, event }) => clearGuestCart(guest, callerConnectionId(event)));
