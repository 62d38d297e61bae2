/**
 * The carts (`carts`) and the dishes they name (`menuItems`, read only): the cart a placement, a
 * refusal or a view starts from, and every change as ONE atomic update on the cart document
 * (findOneAndUpdate returning the document after it), always with `$inc: {version: 1}`. Every filter
 * the use cases pass names the restaurant (cart.ts's cartFilterFor); the others name it here.
 */
import { ObjectId, type Filter, type UpdateFilter } from 'mongodb';
import type { OrderableFields } from '../core/cart-rules.ts';
import type { CartDoc, CartLine, MenuItemDoc, SpiceLevel } from './documents.ts';
import { isDuplicateKeyError } from './duplicate-key.ts';
import { collections } from './mongo.ts';

export async function findCart(filter: Filter<CartDoc>): Promise<CartDoc | null> {
  const { carts } = await collections();
  return carts.findOne(filter);
}

/** The dish one line of the cart names (only that line is read). */
export async function findLineDish(filter: Filter<CartDoc>, lineId: string): Promise<string | undefined> {
  const { carts } = await collections();
  const current = await carts.findOne({ ...filter, 'lines.lineId': lineId }, { projection: { 'lines.$': 1 } });
  return current?.lines[0].menuItemId;
}

/** The menu item, this restaurant's only (deleted and sold-out ones included). */
export async function findMenuItem(restaurantId: string, menuItemId: ObjectId): Promise<MenuItemDoc | null> {
  const { menuItems } = await collections();
  return menuItems.findOne({ _id: menuItemId, restaurantId });
}

/** The menu items with these ids, this restaurant's only (deleted and sold-out ones included). One query. */
export async function findMenuItems(restaurantId: string, ids: readonly ObjectId[]): Promise<MenuItemDoc[]> {
  const { menuItems } = await collections();
  return menuItems.find({ restaurantId, _id: { $in: [...ids] } }).toArray();
}

/** Only the fields that decide whether each dish is orderable. One query. */
export async function findAvailability(restaurantId: string, ids: readonly ObjectId[]): Promise<(OrderableFields & { _id: ObjectId })[]> {
  const { menuItems } = await collections();
  return menuItems.find({ restaurantId, _id: { $in: [...ids] } }, { projection: { _id: 1, restaurantId: 1, isAvailable: 1, deletedAt: 1 } }).toArray();
}

/**
 * Adds a line unless the cart holds `maxLines` already; creates the cart on first use. Null: the
 * cart is full. The cap is part of the filter, so a full cart matches nothing. With upsert,
 * "nothing matched" means inserting a new cart, which the unique (restaurantId, sessionId, owner)
 * index refuses when the cart exists (full, or created a moment ago by another phone): retried once
 * without upsert, which then either adds to the existing cart or finds it full.
 */
export async function pushLine(filter: Filter<CartDoc>, line: CartLine, maxLines: number, now: Date): Promise<CartDoc | null> {
  const { carts } = await collections();
  const capped: Filter<CartDoc> = { ...filter, [`lines.${maxLines - 1}`]: { $exists: false } };
  const update: UpdateFilter<CartDoc> = { $push: { lines: line }, $inc: { version: 1 }, $set: { updatedAt: now } };
  try {
    return await carts.findOneAndUpdate(capped, update, { upsert: true, returnDocument: 'after' });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    return carts.findOneAndUpdate(capped, update, { returnDocument: 'after' });
  }
}

/** A line's new quantity, spice level or notes (null notes: removed). */
export interface LineFields {
  quantity?: number;
  spiceLevel?: SpiceLevel;
  notes?: string | null;
}

/** Changes one line, through an array filter on its id; with `expectedVersion`, only at that version. Null: nothing matched. */
export async function changeLineOf(filter: Filter<CartDoc>, lineId: string, fields: LineFields, expectedVersion: number | undefined, now: Date): Promise<CartDoc | null> {
  const { carts } = await collections();
  const set: Record<string, unknown> = { updatedAt: now };
  const unset: Record<string, ''> = {};
  if (fields.quantity !== undefined) set['lines.$[line].quantity'] = fields.quantity;
  if (fields.spiceLevel !== undefined) set['lines.$[line].spiceLevel'] = fields.spiceLevel;
  if (fields.notes === null) unset['lines.$[line].notes'] = '';
  else if (fields.notes !== undefined) set['lines.$[line].notes'] = fields.notes;

  const guarded: Filter<CartDoc> = { ...filter, 'lines.lineId': lineId };
  if (expectedVersion !== undefined) guarded.version = expectedVersion;
  return carts.findOneAndUpdate(
    guarded,
    { $set: set, ...(Object.keys(unset).length ? { $unset: unset } : {}), $inc: { version: 1 } } as UpdateFilter<CartDoc>,
    { arrayFilters: [{ 'line.lineId': lineId }], returnDocument: 'after' },
  );
}

/** Removes one line. Null: no such line in this cart. */
export async function pullLine(filter: Filter<CartDoc>, lineId: string, now: Date): Promise<CartDoc | null> {
  const { carts } = await collections();
  return carts.findOneAndUpdate({ ...filter, 'lines.lineId': lineId }, { $pull: { lines: { lineId } }, $inc: { version: 1 }, $set: { updatedAt: now } }, { returnDocument: 'after' });
}

/** Empties the cart. Null: it was empty already (nothing changed). */
export async function emptyCart(filter: Filter<CartDoc>, now: Date): Promise<CartDoc | null> {
  const { carts } = await collections();
  return carts.findOneAndUpdate({ ...filter, 'lines.0': { $exists: true } }, { $set: { lines: [], updatedAt: now }, $inc: { version: 1 } }, { returnDocument: 'after' });
}

/** The carts of the restaurant's open table sessions that hold any of these dishes. */
export async function findOpenCartsHolding(restaurantId: string, menuItemIds: readonly string[]): Promise<CartDoc[]> {
  const { tableSessions, carts } = await collections();
  const open = await tableSessions.find({ restaurantId, status: 'OPEN' }, { projection: { _id: 1 } }).toArray();
  if (open.length === 0) return [];
  return carts.find({ restaurantId, sessionId: { $in: open.map((session) => session._id) }, 'lines.menuItemId': { $in: [...menuItemIds] } }).toArray();
}

/**
 * Replaces the cart's lines, guarded by the version they were computed from. Returns the cart after
 * the change, or, when it changed meanwhile, `{ moved }` with the cart as it is now (null: gone).
 */
export async function replaceLinesAt(cart: CartDoc, lines: CartLine[], now: Date): Promise<{ updated: CartDoc } | { moved: CartDoc | null }> {
  const { carts } = await collections();
  const key = { _id: cart._id, restaurantId: cart.restaurantId };
  const updated = await carts.findOneAndUpdate({ ...key, version: cart.version }, { $set: { lines, updatedAt: now }, $inc: { version: 1 } }, { returnDocument: 'after' });
  return updated ? { updated } : { moved: await carts.findOne(key) };
}
