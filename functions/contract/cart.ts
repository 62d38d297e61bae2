/** The guests' cart: every answer is the whole cart view. */
import * as z from 'zod';
import { MAX_NOTES_LENGTH, MAX_QUANTITY, MIN_QUANTITY } from '../core/cart-rules.ts';
import { SPICE_LEVELS } from '../core/enums.ts';
import { money, objectId, route, routeContracts, uuid } from './common.ts';

export const CartLineModifier = z.object({ groupId: z.string(), optionId: z.string(), name: z.string(), price: money });

export const CartLineView = z.object({
  lineId: z.string(),
  menuItemId: z.string(),
  name: z.string(),
  /** Base unit price when added, minor units; modifiers carry their own prices. */
  unitPrice: money,
  quantity: z.number().int(),
  modifiers: z.array(CartLineModifier),
  spiceLevel: z.enum(SPICE_LEVELS).nullable(),
  notes: z.string().nullable(),
  addedByDeviceId: z.string(),
  addedByName: z.string().nullable(),
  addedAt: z.string(),
  /** (unitPrice + Σ modifier prices) × quantity. */
  lineTotal: money,
});

/** What every cart answer and `cart.updated` push carries. */
export const CartView = z.object({
  /** 0 for a cart never written; +1 with every change. */
  version: z.number().int(),
  lines: z.array(CartLineView),
  subtotal: money,
  tax: money,
  total: money,
  /** Lines whose dish is sold out or gone: ordering is refused until they are removed. */
  unavailableLineIds: z.array(z.string()),
});

const quantity = z.number().int().min(MIN_QUANTITY).max(MAX_QUANTITY);
// The rules count notes in characters after trimming (core/cart-rules.ts); this only caps the size.
const notes = z.string().max(MAX_NOTES_LENGTH * 4);

export const AddCartItemBody = z.strictObject({
  menuItemId: objectId,
  quantity,
  modifierOptionIds: z.array(z.string().min(1).max(40)).max(60).optional(),
  spiceLevel: z.enum(SPICE_LEVELS).optional(),
  notes: notes.optional(),
});

export const UpdateCartItemBody = z.strictObject({
  quantity: quantity.optional(),
  spiceLevel: z.enum(SPICE_LEVELS).optional(),
  notes: notes.optional(),
  /** The cart version the phone saw: a stale one gets 409 CART_CHANGED. */
  expectedVersion: z.number().int().min(0).optional(),
});

const LineParams = z.strictObject({ lineId: uuid });

export const cartRoutes = routeContracts('cart', {
  getCart: route({ summary: "The table's cart (FAMILY) or this phone's (INDIVIDUAL)", response: CartView }),
  addItem: route({ summary: 'Add a line', body: AddCartItemBody, response: CartView }),
  updateItem: route({ summary: 'Change a line', body: UpdateCartItemBody, params: LineParams, response: CartView }),
  removeItem: route({ summary: 'Remove a line', params: LineParams, response: CartView }),
  clearCart: route({ summary: 'Empty the cart', response: CartView }),
});

export type CartLineModifier = z.infer<typeof CartLineModifier>;
export type CartLineView = z.infer<typeof CartLineView>;
export type CartView = z.infer<typeof CartView>;
export type AddCartItem = z.input<typeof AddCartItemBody>;
export type UpdateCartItem = z.input<typeof UpdateCartItemBody>;
