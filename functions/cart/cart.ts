/**
 * Carts: one per table session in FAMILY mode (owner "TABLE"), one per device in INDIVIDUAL mode
 * (owner = deviceId), stored in `carts` with a unique (restaurantId, sessionId, owner) index.
 *
 * Every mutation is ONE atomic MongoDB update on the cart document (findOneAndUpdate returning the
 * document after it): `$push` a line, `$set` through an array filter on lineId, `$pull` by lineId,
 * always with `$inc: {version: 1}`. There is no read-modify-write, so twenty phones adding at once
 * all land, and `version` counts the changes. Reads done before an update (the menu item, a
 * line's dish for a spice change) only validate; the update's own filter is the guard.
 *
 * After every change the whole cart view is pushed as `{"type":"cart.updated","cart":…}` to the
 * other sockets that share the cart: the whole session in FAMILY mode, the device's sockets in
 * INDIVIDUAL mode (another tab). The socket of the phone that made the change is skipped when the
 * request names it (`callerSocket`, see http/request.ts callerConnectionId) and it belongs to that
 * phone: its HTTP answer already carries the cart.
 */
import { randomUUID } from 'node:crypto';
import { ObjectId, type Filter, type UpdateFilter } from 'mongodb';
import type { GuestPrincipal } from '../auth/principal.ts';
import {
  MAX_CART_LINES,
  isOrderable,
  repricedLine,
  resolveLineChange,
  type OrderableFields,
  resolveNewLine,
  type LineChange,
  type LineRequest,
} from '../core/cart-rules.ts';
import { DomainError, notFound } from '../core/errors.ts';
import { isObjectIdHex } from '../core/ids.ts';
import { priceLines, taxOf } from '../core/pricing.ts';
import { isDuplicateKeyError } from '../data/duplicate-key.ts';
import {
  FAMILY_CART_OWNER,
  type CartDoc,
  type CartLine,
  type CartLineModifier,
  type MenuItemDoc,
  type SessionMode,
  type SpiceLevel,
} from '../data/documents.ts';
import { collections } from '../data/mongo.ts';
import { config } from '../platform/config.ts';
import { logger } from '../platform/logger.ts';
import { connectionsOfSession, withoutCallerSocket, type ConnectionRecord } from '../realtime/connections.ts';
import { pushToConnections, type PushOutcome } from '../realtime/push.ts';
import { restaurant } from '../data/restaurant.ts';

export interface CartLineView {
  lineId: string;
  menuItemId: string;
  name: string;
  /** Base unit price when added, minor units; modifiers carry their own prices. */
  unitPrice: number;
  quantity: number;
  modifiers: CartLineModifier[];
  spiceLevel: SpiceLevel | null;
  notes: string | null;
  addedByDeviceId: string;
  addedByName: string | null;
  addedAt: string;
  /** (unitPrice + Σ modifier prices) × quantity. */
  lineTotal: number;
}

/** What every cart response and `cart.updated` push carries. */
export interface CartView {
  /** 0 for a cart never written; +1 with every change. */
  version: number;
  lines: CartLineView[];
  subtotal: number;
  tax: number;
  total: number;
  /** Lines whose dish is sold out or gone: ordering is refused until they are removed. */
  unavailableLineIds: string[];
}

/** Who owns the cart a guest works on: the table in FAMILY mode, the device in INDIVIDUAL mode. */
export const cartOwnerFor = (guest: Pick<GuestPrincipal, 'mode' | 'deviceId'>): string =>
  cartOwnerOf(guest.mode, guest.deviceId);

export const cartOwnerOf = (mode: SessionMode, deviceId: string): string => (mode === 'FAMILY' ? FAMILY_CART_OWNER : deviceId);

/** The unique key of a guest's cart document. */
export function cartFilterFor(guest: Pick<GuestPrincipal, 'restaurantId' | 'sessionId' | 'mode' | 'deviceId'>): Filter<CartDoc> {
  return { restaurantId: guest.restaurantId, sessionId: guest.sessionId, owner: cartOwnerFor(guest) };
}

/** Builds the view of a cart (null: an empty cart at version 0) from the menu items its lines name. */
export function cartViewOf(
  cart: Pick<CartDoc, 'version' | 'lines'> | null | undefined,
  menuItemsById: ReadonlyMap<string, OrderableFields>,
  taxRateBps: number,
  restaurantId: string = config().restaurantId,
): CartView {
  const lines = cart?.lines ?? [];
  const { lineTotals, subtotal } = priceLines(lines);
  const tax = taxOf(subtotal, taxRateBps);
  return {
    version: cart?.version ?? 0,
    lines: lines.map((line, index) => ({
      lineId: line.lineId,
      menuItemId: line.menuItemId,
      name: line.name,
      unitPrice: line.unitPrice,
      quantity: line.quantity,
      modifiers: line.modifiers,
      spiceLevel: line.spiceLevel ?? null,
      notes: line.notes ?? null,
      addedByDeviceId: line.addedByDeviceId,
      addedByName: line.addedByName ?? null,
      addedAt: new Date(line.addedAt).toISOString(),
      lineTotal: lineTotals[index],
    })),
    subtotal,
    tax,
    total: subtotal + tax,
    unavailableLineIds: lines.filter((line) => !isOrderable(menuItemsById.get(line.menuItemId), restaurantId)).map((line) => line.lineId),
  };
}

/**
 * The menu items with these ids (deleted and sold-out ones included, so callers can tell why a
 * line is not orderable), scoped to this restaurant. One query.
 */
export async function menuItemsByIds(ids: Iterable<string>): Promise<Map<string, MenuItemDoc>> {
  const unique = [...new Set(ids)].filter(isObjectIdHex);
  if (unique.length === 0) return new Map();
  const { menuItems } = await collections();
  const docs = await menuItems.find({ restaurantId: config().restaurantId, _id: { $in: unique.map((id) => new ObjectId(id)) } }).toArray();
  return new Map(docs.map((doc) => [doc._id.toHexString(), doc]));
}

/** Whether each dish is orderable (only the fields that decide it), scoped to this restaurant. One query. */
export async function availabilityByIds(ids: Iterable<string>): Promise<Map<string, OrderableFields>> {
  const unique = [...new Set(ids)].filter(isObjectIdHex);
  if (unique.length === 0) return new Map();
  const { menuItems } = await collections();
  const docs = await menuItems
    .find(
      { restaurantId: config().restaurantId, _id: { $in: unique.map((id) => new ObjectId(id)) } },
      { projection: { _id: 1, restaurantId: 1, isAvailable: 1, deletedAt: 1 } },
    )
    .toArray();
  return new Map(docs.map((doc) => [doc._id.toHexString(), doc]));
}

/** The view of one cart document, loading what it needs (its dishes' availability, the tax rate). */
export async function loadCartView(cart: Pick<CartDoc, 'version' | 'lines'> | null | undefined): Promise<CartView> {
  const [items, settings] = await Promise.all([availabilityByIds((cart?.lines ?? []).map((line) => line.menuItemId)), restaurant()]);
  return cartViewOf(cart, items, settings.taxRateBps);
}

/** The guest's cart as the app shows it: the table's in FAMILY mode, the device's own in INDIVIDUAL mode. */
export async function getCartView(guest: GuestPrincipal): Promise<CartView> {
  const { carts } = await collections();
  return loadCartView(await carts.findOne(cartFilterFor(guest)));
}

/**
 * The cart a socket shares, for the ws `sync` action (a socket has no GuestPrincipal): the session's
 * mode decides whose cart. Null when the session does not exist in this restaurant.
 */
export async function getCartViewFor(sessionId: string, deviceId: string): Promise<CartView | null> {
  if (!isObjectIdHex(sessionId)) return null;
  const { restaurantId } = config();
  const { tableSessions, carts } = await collections();
  const session = await tableSessions.findOne({ _id: new ObjectId(sessionId), restaurantId }, { projection: { mode: 1 } });
  if (!session) return null;
  return loadCartView(await carts.findOne({ restaurantId, sessionId: session._id, owner: cartOwnerOf(session.mode, deviceId) }));
}

/**
 * The sockets that share a cart: all of the session's (FAMILY) or the owner device's (INDIVIDUAL).
 * Never rejects: a failed lookup is logged and means no push (the phones' resync covers it).
 */
export function socketsSharingCart(restaurantId: string, sessionId: ObjectId | string, owner: string): Promise<ConnectionRecord[]> {
  const session = typeof sessionId === 'string' ? sessionId : sessionId.toHexString();
  return connectionsOfSession(restaurantId, session)
    .then((sockets) => (owner === FAMILY_CART_OWNER ? sockets : sockets.filter((socket) => socket.deviceId === owner)))
    .catch((error) => {
      logger.warn('Could not look up the sockets of a cart', { sessionId: session, error: error as Error });
      return [];
    });
}

/**
 * Pushes `{"type":"cart.updated","cart":…}` to the sockets sharing the cart. Pass `sockets` when the
 * lookup was started earlier (in parallel with the database update, to keep it off the critical path).
 * Never throws.
 */
export async function pushCartUpdated(
  restaurantId: string,
  sessionId: ObjectId | string,
  owner: string,
  cart: CartView,
  sockets: Promise<ConnectionRecord[]> = socketsSharingCart(restaurantId, sessionId, owner),
): Promise<PushOutcome> {
  try {
    return await pushToConnections(await sockets, { type: 'cart.updated', cart });
  } catch (error) {
    logger.error('Could not push a cart update', { error: error as Error });
    return { sent: 0, gone: 0, failed: 1 };
  }
}

/** Starts the socket lookup for the guest's cart now (the mutation runs meanwhile): every socket sharing it but the caller's own. */
const audienceOf = (guest: GuestPrincipal, callerSocket: string | undefined): Promise<ConnectionRecord[]> =>
  socketsSharingCart(guest.restaurantId, guest.sessionId, cartOwnerFor(guest)).then((sockets) =>
    withoutCallerSocket(sockets, { connectionId: callerSocket, deviceId: guest.deviceId }),
  );

async function afterChange(guest: GuestPrincipal, cart: CartDoc, sockets: Promise<ConnectionRecord[]>): Promise<CartView> {
  // Availability is read after the update, never before or alongside it: a dish sold out between an
  // earlier read and this update would otherwise be pushed as orderable, at a version higher than the
  // sold-out refresh's (refreshCartsContaining), and stay so on every phone until the next change.
  const view = await loadCartView(cart);
  await pushCartUpdated(guest.restaurantId, guest.sessionId, cart.owner, view, sockets);
  return view;
}

/** Adds a line (named and priced from the menu). Creates the cart on first use. */
export async function addLine(guest: GuestPrincipal, request: LineRequest, callerSocket?: string): Promise<CartView> {
  const sockets = audienceOf(guest, callerSocket);
  const { menuItems, carts } = await collections();
  const item = isObjectIdHex(request.menuItemId)
    ? await menuItems.findOne({ _id: new ObjectId(request.menuItemId), restaurantId: guest.restaurantId })
    : null;
  const resolved = resolveNewLine(item, request, guest.restaurantId);
  const now = new Date();
  const line: CartLine = { lineId: randomUUID(), ...resolved, addedByDeviceId: guest.deviceId, addedAt: now };
  if (guest.customerName) line.addedByName = guest.customerName;

  // The cap is part of the filter, so a full cart matches nothing. With upsert, "nothing matched"
  // means inserting a new cart, which the unique (restaurantId, sessionId, owner) index refuses
  // when the cart exists (full, or created a moment ago by another phone): retry once without
  // upsert, which then either adds to the existing cart or finds it full.
  const filter: Filter<CartDoc> = { ...cartFilterFor(guest), [`lines.${MAX_CART_LINES - 1}`]: { $exists: false } };
  const update: UpdateFilter<CartDoc> = { $push: { lines: line }, $inc: { version: 1 }, $set: { updatedAt: now } };
  let cart: CartDoc | null;
  try {
    cart = await carts.findOneAndUpdate(filter, update, { upsert: true, returnDocument: 'after' });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    cart = await carts.findOneAndUpdate(filter, update, { returnDocument: 'after' });
  }
  if (!cart) {
    throw new DomainError('UNPROCESSABLE', `A cart holds at most ${MAX_CART_LINES} lines; order or remove some first`, {
      details: { maxLines: MAX_CART_LINES },
    });
  }
  return afterChange(guest, cart, sockets);
}

export interface LineUpdate extends LineChange {
  /** The cart version the phone saw; a different current version is 409 CART_CHANGED. */
  expectedVersion?: number;
}

async function cartChanged(cart: CartDoc | null): Promise<DomainError> {
  return new DomainError('CART_CHANGED', 'Someone changed the cart meanwhile; here is the current one', {
    details: { cart: await loadCartView(cart) },
  });
}

/** Changes a line's quantity, spice level or notes. */
export async function changeLine(guest: GuestPrincipal, lineId: string, update: LineUpdate, callerSocket?: string): Promise<CartView> {
  const { carts } = await collections();
  const filter = cartFilterFor(guest);
  const { expectedVersion, ...change } = update;
  const sockets = audienceOf(guest, callerSocket);

  let item: MenuItemDoc | null | undefined;
  if (change.spiceLevel !== undefined) {
    // Only to check the spice level against the dish: the line's dish never changes.
    const current = await carts.findOne({ ...filter, 'lines.lineId': lineId }, { projection: { 'lines.$': 1 } });
    if (!current) throw notFound('Cart line');
    item = (await menuItemsByIds([current.lines[0].menuItemId])).get(current.lines[0].menuItemId);
  }
  const resolved = resolveLineChange(change, item);

  const set: Record<string, unknown> = { updatedAt: new Date() };
  const unset: Record<string, ''> = {};
  if (resolved.quantity !== undefined) set['lines.$[line].quantity'] = resolved.quantity;
  if (resolved.spiceLevel !== undefined) set['lines.$[line].spiceLevel'] = resolved.spiceLevel;
  if (resolved.notes === null) unset['lines.$[line].notes'] = '';
  else if (resolved.notes !== undefined) set['lines.$[line].notes'] = resolved.notes;

  const guarded: Filter<CartDoc> = { ...filter, 'lines.lineId': lineId };
  if (expectedVersion !== undefined) guarded.version = expectedVersion;
  const cart = await carts.findOneAndUpdate(
    guarded,
    { $set: set, ...(Object.keys(unset).length ? { $unset: unset } : {}), $inc: { version: 1 } } as UpdateFilter<CartDoc>,
    { arrayFilters: [{ 'line.lineId': lineId }], returnDocument: 'after' },
  );
  if (cart) return afterChange(guest, cart, sockets);

  // Nothing matched: say why, from the cart as it is now (this read decides nothing).
  const current = await carts.findOne(filter);
  if (expectedVersion !== undefined && (current?.version ?? 0) !== expectedVersion) throw await cartChanged(current);
  throw notFound('Cart line');
}

/** Removes a line. A line of another device's cart (INDIVIDUAL mode) is not found. */
export async function removeLine(guest: GuestPrincipal, lineId: string, callerSocket?: string): Promise<CartView> {
  const sockets = audienceOf(guest, callerSocket);
  const { carts } = await collections();
  const cart = await carts.findOneAndUpdate(
    { ...cartFilterFor(guest), 'lines.lineId': lineId },
    { $pull: { lines: { lineId } }, $inc: { version: 1 }, $set: { updatedAt: new Date() } },
    { returnDocument: 'after' },
  );
  if (!cart) throw notFound('Cart line');
  return afterChange(guest, cart, sockets);
}

/** Empties the cart. Emptying an empty cart changes nothing (same version, no push). */
export async function clearCart(guest: GuestPrincipal, callerSocket?: string): Promise<CartView> {
  const sockets = audienceOf(guest, callerSocket);
  const { carts } = await collections();
  const filter = cartFilterFor(guest);
  const cart = await carts.findOneAndUpdate(
    { ...filter, 'lines.0': { $exists: true } },
    { $set: { lines: [], updatedAt: new Date() }, $inc: { version: 1 } },
    { returnDocument: 'after' },
  );
  if (!cart) return loadCartView(await carts.findOne(filter));
  return afterChange(guest, cart, sockets);
}

/**
 * After a dish is sold out, back in stock, deleted, renamed or repriced: every open session's cart
 * holding it is brought up to date — its lines take the menu's current names and prices (a guest
 * never orders at a price the cart did not show), and it gets a new version (its unavailableLineIds
 * may have changed, and an order placed against the old version must be refused) and a
 * `cart.updated` push. Returns how many carts were refreshed.
 */
export async function refreshCartsContaining(menuItemIds: readonly string[]): Promise<number> {
  if (menuItemIds.length === 0) return 0;
  const { restaurantId } = config();
  const { tableSessions, carts } = await collections();
  const open = await tableSessions.find({ restaurantId, status: 'OPEN' }, { projection: { _id: 1 } }).toArray();
  if (open.length === 0) return 0;
  const affected = await carts
    .find({ restaurantId, sessionId: { $in: open.map((session) => session._id) }, 'lines.menuItemId': { $in: [...menuItemIds] } })
    .toArray();
  if (affected.length === 0) return 0;
  const [items, settings] = await Promise.all([menuItemsByIds(affected.flatMap((cart) => cart.lines.map((line) => line.menuItemId))), restaurant()]);
  const refreshed = await Promise.all(
    affected.map(async (cart) => {
      const updated = await refreshCart(cart, items, menuItemIds);
      if (updated) await pushCartUpdated(restaurantId, updated.sessionId, updated.owner, cartViewOf(updated, items, settings.taxRateBps, restaurantId));
      return updated !== null;
    }),
  );
  return refreshed.filter(Boolean).length;
}

const REFRESH_ATTEMPTS = 5;

/**
 * Reprices the lines of the given dishes and bumps the version, as one update guarded by the
 * version it read: a phone changing the cart meanwhile makes it read the cart again and retry.
 * Null when the cart no longer holds any of the dishes (or kept changing).
 */
export async function refreshCart(cart: CartDoc, items: ReadonlyMap<string, MenuItemDoc>, menuItemIds: readonly string[]): Promise<CartDoc | null> {
  const { carts } = await collections();
  const dishes = new Set(menuItemIds);
  let current: CartDoc | null = cart;
  for (let attempt = 0; attempt < REFRESH_ATTEMPTS && current; attempt++) {
    if (!current.lines.some((line) => dishes.has(line.menuItemId))) return null;
    const lines = current.lines.map((line) => {
      const item = dishes.has(line.menuItemId) ? items.get(line.menuItemId) : undefined;
      return item ? repricedLine(line, item) : line;
    });
    const updated = await carts.findOneAndUpdate(
      { _id: current._id, version: current.version },
      { $set: { lines, updatedAt: new Date() }, $inc: { version: 1 } },
      { returnDocument: 'after' },
    );
    if (updated) return updated;
    current = await carts.findOne({ _id: current._id });
  }
  if (current) logger.warn('A cart kept changing while its prices were refreshed', { cartId: current._id.toHexString() });
  return null;
}
