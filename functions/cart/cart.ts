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
 * After every change the use case hands a CartChanged event to the effects pipeline (effects.ts),
 * which pushes the whole cart view as `{"type":"cart.updated","cart":…}` to the sockets that share
 * the cart: the whole session in FAMILY mode, the device's sockets in
 * INDIVIDUAL mode (another tab). Their lookup starts with the update and runs alongside it. The socket of the phone that made the change is skipped when the
 * request names it (`callerSocket`, see http/request.ts callerConnectionId) and it belongs to that
 * phone: its HTTP answer already carries the cart.
 */
import { randomUUID } from 'node:crypto';
import { ObjectId } from 'mongodb';
import type { GuestPrincipal } from '../auth/principal.ts';
import { MAX_CART_LINES, repricedLine, resolveLineChange, resolveNewLine, type LineChange, type LineRequest } from '../core/cart-rules.ts';
import { DomainError, notFound } from '../core/errors.ts';
import { isObjectIdHex } from '../core/ids.ts';
import type { CartDoc, CartLine, MenuItemDoc } from '../data/documents.ts';
import { changeLineOf, emptyCart, findCart, findLineDish, findMenuItem, findOpenCartsHolding, pullLine, pushLine, replaceLinesAt } from '../data/cart-store.ts';
import { config } from '../platform/config.ts';
import { logger } from '../platform/logger.ts';
import { restaurant } from '../data/restaurant.ts';
import { afterCartCommit, cartFilterFor, cartOwnerFor, cartViewOf, loadCartView, menuItemsByIds, socketsSharingCart, type CartSockets, type CartView } from './cart-views.ts';

/**
 * Starts looking up the sockets that share the guest's cart, to run while the update does (a
 * DynamoDB round trip off the critical path). Who shares the cart does not depend on the update:
 * the cart's owner is the filter's (cartFilterFor). A refused update pushes nothing: the lookup's
 * answer is dropped (it never rejects).
 */
const socketsOf = (guest: GuestPrincipal): CartSockets => socketsSharingCart(guest.restaurantId, guest.sessionId, cartOwnerFor(guest));

async function afterChange(guest: GuestPrincipal, cart: CartDoc, sockets: CartSockets, callerSocket: string | undefined): Promise<CartView> {
  // Availability is read after the update, never before or alongside it: a dish sold out between an
  // earlier read and this update would otherwise be pushed as orderable, at a version higher than the
  // sold-out refresh's (refreshCartsContaining), and stay so on every phone until the next change.
  const view = await loadCartView(cart);
  await afterCartCommit(sockets)([{ type: 'CartChanged', restaurantId: guest.restaurantId, sessionId: guest.sessionId, cart, caller: { connectionId: callerSocket, deviceId: guest.deviceId }, view }]);
  return view;
}

/** Adds a line (named and priced from the menu). Creates the cart on first use. */
export async function addLine(guest: GuestPrincipal, request: LineRequest, callerSocket?: string): Promise<CartView> {
  const item = isObjectIdHex(request.menuItemId) ? await findMenuItem(guest.restaurantId, new ObjectId(request.menuItemId)) : null;
  const resolved = resolveNewLine(item, request, guest.restaurantId);
  const now = new Date();
  const line: CartLine = { lineId: randomUUID(), ...resolved, addedByDeviceId: guest.deviceId, addedAt: now };
  if (guest.customerName) line.addedByName = guest.customerName;

  const sockets = socketsOf(guest);
  const cart = await pushLine(cartFilterFor(guest), line, MAX_CART_LINES, now);
  if (!cart) {
    throw new DomainError('UNPROCESSABLE', `A cart holds at most ${MAX_CART_LINES} lines; order or remove some first`, {
      details: { maxLines: MAX_CART_LINES },
    });
  }
  return afterChange(guest, cart, sockets, callerSocket);
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
  const filter = cartFilterFor(guest);
  const { expectedVersion, ...change } = update;

  let item: MenuItemDoc | null | undefined;
  if (change.spiceLevel !== undefined) {
    // Only to check the spice level against the dish: the line's dish never changes.
    const dish = await findLineDish(filter, lineId);
    if (dish === undefined) throw notFound('Cart line');
    item = (await menuItemsByIds([dish])).get(dish);
  }
  const resolved = resolveLineChange(change, item);

  const sockets = socketsOf(guest);
  const cart = await changeLineOf(filter, lineId, resolved, expectedVersion, new Date());
  if (cart) return afterChange(guest, cart, sockets, callerSocket);

  // Nothing matched: say why, from the cart as it is now (this read decides nothing).
  const current = await findCart(filter);
  if (expectedVersion !== undefined && (current?.version ?? 0) !== expectedVersion) throw await cartChanged(current);
  throw notFound('Cart line');
}

/** Removes a line. A line of another device's cart (INDIVIDUAL mode) is not found. */
export async function removeLine(guest: GuestPrincipal, lineId: string, callerSocket?: string): Promise<CartView> {
  const sockets = socketsOf(guest);
  const cart = await pullLine(cartFilterFor(guest), lineId, new Date());
  if (!cart) throw notFound('Cart line');
  return afterChange(guest, cart, sockets, callerSocket);
}

/** Empties the cart. Emptying an empty cart changes nothing (same version, no push). */
export async function clearCart(guest: GuestPrincipal, callerSocket?: string): Promise<CartView> {
  const filter = cartFilterFor(guest);
  const sockets = socketsOf(guest);
  const cart = await emptyCart(filter, new Date());
  if (!cart) return loadCartView(await findCart(filter));
  return afterChange(guest, cart, sockets, callerSocket);
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
  const affected = await findOpenCartsHolding(restaurantId, menuItemIds);
  if (affected.length === 0) return 0;
  const [items, settings] = await Promise.all([menuItemsByIds(affected.flatMap((cart) => cart.lines.map((line) => line.menuItemId))), restaurant()]);
  const refreshed = await Promise.all(
    affected.map(async (cart) => {
      const updated = await refreshCart(cart, items, menuItemIds);
      if (updated) await afterCartCommit()([{ type: 'CartChanged', restaurantId, sessionId: updated.sessionId, cart: updated, view: cartViewOf(updated, items, settings.taxRateBps, restaurantId) }]);
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
  const dishes = new Set(menuItemIds);
  let current: CartDoc | null = cart;
  for (let attempt = 0; attempt < REFRESH_ATTEMPTS && current; attempt++) {
    if (!current.lines.some((line) => dishes.has(line.menuItemId))) return null;
    const lines = current.lines.map((line) => {
      const item = dishes.has(line.menuItemId) ? items.get(line.menuItemId) : undefined;
      return item ? repricedLine(line, item) : line;
    });
    const replaced = await replaceLinesAt(current, lines, new Date());
    if ('updated' in replaced) return replaced.updated;
    current = replaced.moved;
  }
  if (current) logger.warn('A cart kept changing while its prices were refreshed', { cartId: current._id.toHexString() });
  return null;
}
