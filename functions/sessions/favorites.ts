/**
 * A returning guest's favourites: the dishes they starred (the POS's documented `customers.favorites`,
 * an array of menu item ids) and the dishes they ordered most often, from their orders still carrying
 * their phone (retention and erasure remove it, and with it the history). Only a guest whose device
 * is identified as a customer at this table has favourites; everything is scoped by restaurantId.
 */
import { ObjectId } from 'mongodb';
import type { GuestPrincipal } from '../auth/principal.ts';
import { DomainError, notFound } from '../core/errors.ts';
import { addStar, mostOrderedDishes, removeStar, starredDishes } from '../data/favorites-store.ts';
import { liveDishExists } from '../data/menu-store.ts';

/** Starred dishes kept per customer (a bound on the document, far above any menu habit). */
export const MAX_STARRED = 50;
/** Most-ordered dishes offered. */
export const FREQUENT_DISHES = 5;
/** Orders read for the most-ordered dishes, newest first. */
const HISTORY_ORDERS = 200;

export interface Favorites {
  /** Starred menu item ids, oldest star first. */
  starred: string[];
  /** The most-ordered dishes, most first (by quantity, then the latest order). */
  frequent: { menuItemId: string; quantity: number }[];
}

function identified(guest: GuestPrincipal): { customerId: ObjectId; phone: string } {
  if (!guest.customerId || !guest.customerPhone) {
    // Not an authorization failure: the guest may identify, then ask again.
    throw new DomainError('UNPROCESSABLE', 'Give your name and phone number first to keep favourites', { details: { reason: 'NOT_IDENTIFIED' } });
  }
  return { customerId: guest.customerId, phone: guest.customerPhone };
}

async function starredOf(guest: GuestPrincipal, customerId: ObjectId): Promise<string[]> {
  const starred = await starredDishes(guest.restaurantId, customerId);
  if (!starred) throw notFound('Customer');
  return starred;
}

export async function guestFavorites(guest: GuestPrincipal): Promise<Favorites> {
  const { customerId, phone } = identified(guest);
  const [starred, frequent] = await Promise.all([
    starredOf(guest, customerId),
    mostOrderedDishes(guest.restaurantId, phone, { historyOrders: HISTORY_ORDERS, dishes: FREQUENT_DISHES }),
  ]);
  return { starred, frequent };
}

/** Stars (`on`) or unstars a dish (`menuItemId`: 24 hex digits, checked by the handler); starring needs a dish on this restaurant's menu. */
export async function setStar(guest: GuestPrincipal, menuItemId: string, on: boolean): Promise<Favorites> {
  const { customerId } = identified(guest);
  const now = new Date();
  if (on) {
    if (!(await liveDishExists(guest.restaurantId, new ObjectId(menuItemId)))) throw notFound('Dish');
    if (!(await addStar(guest.restaurantId, customerId, menuItemId, MAX_STARRED, now))) {
      await starredOf(guest, customerId); // 404 when the customer is gone
      throw new DomainError('UNPROCESSABLE', `At most ${MAX_STARRED} favourites; unstar one first`);
    }
  } else if (!(await removeStar(guest.restaurantId, customerId, menuItemId, now))) {
    // Unstarring needs no dish: a dish deleted from the menu can still be unstarred.
    throw notFound('Customer');
  }
  return guestFavorites(guest);
}
