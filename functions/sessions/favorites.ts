/**
 * A returning guest's favourites: the dishes they starred (the POS's documented `customers.favorites`,
 * an array of menu item ids) and the dishes they ordered most often, from their orders still carrying
 * their phone (retention and erasure remove it, and with it the history). Only a guest whose device
 * is identified as a customer at this table has favourites; everything is scoped by restaurantId.
 */
import { ObjectId } from 'mongodb';
import type { GuestPrincipal } from '../auth/principal.ts';
import { DomainError, notFound } from '../core/errors.ts';
import { collections } from '../data/mongo.ts';

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
  const { customers } = await collections();
  const customer = await customers.findOne({ _id: customerId, restaurantId: guest.restaurantId }, { projection: { favorites: 1 } });
  if (!customer) throw notFound('Customer');
  return customer.favorites ?? [];
}

export async function guestFavorites(guest: GuestPrincipal): Promise<Favorites> {
  const { customerId, phone } = identified(guest);
  const { orders } = await collections();
  const [starred, frequent] = await Promise.all([
    starredOf(guest, customerId),
    orders
      .aggregate<{ _id: string; quantity: number }>([
        { $match: { restaurantId: guest.restaurantId, customerPhone: phone, status: { $ne: 'cancelled' } } },
        { $sort: { orderDate: -1 } },
        { $limit: HISTORY_ORDERS },
        { $project: { _id: 0, orderDate: 1, items: 1 } },
        { $unwind: '$items' },
        { $match: { 'items.itemStatus': { $ne: 'CANCELLED' } } },
        { $group: { _id: '$items.menuItemId', quantity: { $sum: '$items.quantity' }, last: { $max: '$orderDate' } } },
        { $sort: { quantity: -1, last: -1, _id: 1 } },
        { $limit: FREQUENT_DISHES },
      ])
      .toArray(),
  ]);
  return { starred, frequent: frequent.map((row) => ({ menuItemId: row._id, quantity: row.quantity })) };
}

/** Stars (`on`) or unstars a dish (`menuItemId`: 24 hex digits, checked by the handler); starring needs a dish on this restaurant's menu. */
export async function setStar(guest: GuestPrincipal, menuItemId: string, on: boolean): Promise<Favorites> {
  const { customerId } = identified(guest);
  const { customers, menuItems } = await collections();
  const now = new Date();
  if (on) {
    const dish = await menuItems.findOne({ _id: new ObjectId(menuItemId), restaurantId: guest.restaurantId, deletedAt: { $exists: false } }, { projection: { _id: 1 } });
    if (!dish) throw notFound('Dish');
    // Already starred, or room for one more: one atomic update either way.
    const result = await customers.updateOne(
      { _id: customerId, restaurantId: guest.restaurantId, $or: [{ favorites: menuItemId }, { [`favorites.${MAX_STARRED - 1}`]: { $exists: false } }] },
      { $addToSet: { favorites: menuItemId }, $set: { updatedAt: now } },
    );
    if (result.matchedCount === 0) {
      await starredOf(guest, customerId); // 404 when the customer is gone
      throw new DomainError('UNPROCESSABLE', `At most ${MAX_STARRED} favourites; unstar one first`);
    }
  } else {
    // Unstarring needs no dish: a dish deleted from the menu can still be unstarred.
    const result = await customers.updateOne({ _id: customerId, restaurantId: guest.restaurantId }, { $pull: { favorites: menuItemId }, $set: { updatedAt: now } });
    if (result.matchedCount === 0) throw notFound('Customer');
  }
  return guestFavorites(guest);
}
