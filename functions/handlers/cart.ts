/** The guest's cart: every answer is the whole cart view {version, lines, subtotal, tax, total, unavailableLineIds}. */
import * as z from 'zod';
import { MAX_NOTES_LENGTH, MAX_QUANTITY, MIN_QUANTITY } from '../core/cart-rules.ts';
import { SPICE_LEVELS } from '../data/documents.ts';
import { dinerRoute } from '../http/diner-route.ts';
import { callerConnectionId } from '../http/request.ts';
import { objectId, uuid } from '../http/schemas.ts';
import { addLine, changeLine, clearCart as clearGuestCart, getCartView, removeLine } from '../services/cart.ts';

const quantity = z.number().int().min(MIN_QUANTITY).max(MAX_QUANTITY);
// The rules count notes in characters after trimming (core/cart-rules.ts); this only caps the size.
const notes = z.string().max(MAX_NOTES_LENGTH * 4);

const AddBody = z.strictObject({
  menuItemId: objectId,
  quantity,
  modifierOptionIds: z.array(z.string().min(1).max(40)).max(60).optional(),
  spiceLevel: z.enum(SPICE_LEVELS).optional(),
  notes: notes.optional(),
});

const UpdateBody = z.strictObject({
  quantity: quantity.optional(),
  spiceLevel: z.enum(SPICE_LEVELS).optional(),
  notes: notes.optional(),
  expectedVersion: z.number().int().min(0).optional(),
});

const LineParams = z.strictObject({ lineId: uuid });

export const getCart = dinerRoute({}, async ({ guest }) => getCartView(guest));

export const addItem = dinerRoute({ body: AddBody }, async ({ guest, body, event }) => addLine(guest, body, callerConnectionId(event)));

export const updateItem = dinerRoute({ body: UpdateBody, params: LineParams }, async ({ guest, body, params, event }) =>
  changeLine(guest, params.lineId, body, callerConnectionId(event)),
);

export const removeItem = dinerRoute({ params: LineParams }, async ({ guest, params, event }) =>
  removeLine(guest, params.lineId, callerConnectionId(event)),
);

export const clearCart = dinerRoute({}, async ({ guest, event }) => clearGuestCart(guest, callerConnectionId(event)));
