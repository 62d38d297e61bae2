/**
 * What the phones see of a cart: its priced view (the dishes' availability read after every change),
 * the reads that start from it, and the pushes the effects pipeline sends when it changed
 * (`cart.updated` to every socket sharing the cart, the caller's own left out).
 */
import { ObjectId, type Filter } from 'mongodb';
import type { GuestPrincipal } from '../auth/principal.ts';
import { isOrderable, type OrderableFields } from '../core/cart-rules.ts';
import { isObjectIdHex } from '../core/ids.ts';
import { priceLines, taxOf } from '../core/pricing.ts';
import { FAMILY_CART_OWNER, type CartDoc, type CartLineModifier, type MenuItemDoc, type SessionMode, type SpiceLevel } from '../data/documents.ts';
import { findAvailability, findCart, findMenuItems } from '../data/cart-store.ts';
import { findSessionMode } from '../data/orders-store.ts';
import { config } from '../platform/config.ts';
import { logger } from '../platform/logger.ts';
import { connectionsOfSession, withoutCallerSocket, type ConnectionRecord } from '../realtime/connections.ts';
import { pushToConnections, type PushOutcome } from '../realtime/push.ts';
import { restaurant } from '../data/restaurant.ts';
import { pushesOnly, type EventOf, type SlicePushes } from '../effects.ts';

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
  const docs = await findMenuItems(config().restaurantId, unique.map((id) => new ObjectId(id)));
  return new Map(docs.map((doc) => [doc._id.toHexString(), doc]));
}

/** Whether each dish is orderable (only the fields that decide it), scoped to this restaurant. One query. */
export async function availabilityByIds(ids: Iterable<string>): Promise<Map<string, OrderableFields>> {
  const unique = [...new Set(ids)].filter(isObjectIdHex);
  if (unique.length === 0) return new Map();
  const docs = await findAvailability(config().restaurantId, unique.map((id) => new ObjectId(id)));
  return new Map(docs.map((doc) => [doc._id.toHexString(), doc]));
}

/** The view of one cart document, loading what it needs (its dishes' availability, the tax rate). */
export async function loadCartView(cart: Pick<CartDoc, 'version' | 'lines'> | null | undefined): Promise<CartView> {
  const [items, settings] = await Promise.all([availabilityByIds((cart?.lines ?? []).map((line) => line.menuItemId)), restaurant()]);
  return cartViewOf(cart, items, settings.taxRateBps);
}

/** The guest's cart as the app shows it: the table's in FAMILY mode, the device's own in INDIVIDUAL mode. */
export async function getCartView(guest: GuestPrincipal): Promise<CartView> {
  return loadCartView(await findCart(cartFilterFor(guest)));
}

/**
 * The cart a socket shares, for the ws `sync` action (a socket has no GuestPrincipal): the session's
 * mode decides whose cart. Null when the session does not exist in this restaurant.
 */
export async function getCartViewFor(sessionId: string, deviceId: string): Promise<CartView | null> {
  if (!isObjectIdHex(sessionId)) return null;
  const { restaurantId } = config();
  const session = await findSessionMode(restaurantId, new ObjectId(sessionId));
  if (!session) return null;
  return loadCartView(await findCart({ restaurantId, sessionId: session._id, owner: cartOwnerOf(session.mode, deviceId) }));
}

/**
 * The sockets that share a cart: all of the session's (FAMILY) or the owner device's (INDIVIDUAL).
 * Never rejects: a failed lookup is logged and means no push (the phones' resync covers it).
 */
/** The sockets sharing a cart, as a lookup under way. */
export type CartSockets = Promise<ConnectionRecord[]>;

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

type CartChange = EventOf<'CartChanged'>;

/**
 * The pipeline's pushes of a cart change: every socket sharing the cart but the caller's own
 * (effects.ts). `sockets`: the lookup when the use case started it alongside its update (cart.ts).
 */
export async function cartChangePushes(event: CartChange, sockets = socketsSharingCart(event.restaurantId, event.sessionId, event.cart.owner)): Promise<void> {
  const { restaurantId, sessionId, cart, caller } = event;
  const audience = caller ? sockets.then((all) => withoutCallerSocket(all, caller)) : sockets;
  await pushCartUpdated(restaurantId, sessionId, cart.owner, (event.view as CartView | undefined) ?? (await loadCartView(cart)), audience);
}

/** The cart slice's pushes in the effects pipeline. */
export const CART_PUSHES = { CartChanged: cartChangePushes } satisfies SlicePushes;

/**
 * The pipeline for cart changes (cart.ts): never audited, so only their pushes. `sockets`: the lookup
 * of the sockets sharing the cart, when the use case started it alongside its update.
 */
export const afterCartCommit = (sockets?: Promise<ConnectionRecord[]>) =>
  pushesOnly(sockets ? { CartChanged: (event: EventOf<'CartChanged'>) => cartChangePushes(event, sockets) } : CART_PUSHES);
