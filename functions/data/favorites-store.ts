/**
 * The favourites' store: a customer's starred dishes (the POS's documented `customers.favorites`, an
 * array of menu item ids) and the dishes a phone ordered most often, from its orders. The rules (who
 * has favourites, how many stars) are sessions/favorites.ts's; every query is scoped by restaurantId.
 */
import type { ObjectId } from 'mongodb';
import { collections } from './mongo.ts';

/** The customer's starred menu item ids, oldest first; null when the customer is gone. */
export async function starredDishes(restaurantId: string, customerId: ObjectId): Promise<string[] | null> {
  const { customers } = await collections();
  const customer = await customers.findOne({ _id: customerId, restaurantId }, { projection: { favorites: 1 } });
  return customer ? (customer.favorites ?? []) : null;
}

/** The dishes most ordered (by quantity, then the latest order) in the phone's newest `historyOrders` orders, cancelled ones left out. */
export async function mostOrderedDishes(
  restaurantId: string,
  phone: string,
  { historyOrders, dishes }: { historyOrders: number; dishes: number },
): Promise<{ menuItemId: string; quantity: number }[]> {
  const { orders } = await collections();
  const rows = await orders
    .aggregate<{ _id: string; quantity: number }>([
      { $match: { restaurantId, customerPhone: phone, status: { $ne: 'cancelled' } } },
      { $sort: { orderDate: -1 } },
      { $limit: historyOrders },
      { $project: { _id: 0, orderDate: 1, items: 1 } },
      { $unwind: '$items' },
      { $match: { 'items.itemStatus': { $ne: 'CANCELLED' } } },
      { $group: { _id: '$items.menuItemId', quantity: { $sum: '$items.quantity' }, last: { $max: '$orderDate' } } },
      { $sort: { quantity: -1, last: -1, _id: 1 } },
      { $limit: dishes },
    ])
    .toArray();
  return rows.map((row) => ({ menuItemId: row._id, quantity: row.quantity }));
}

/** Stars a dish if it is starred already or there is room for one more (one atomic update); false when neither holds or the customer is gone. */
export async function addStar(restaurantId: string, customerId: ObjectId, menuItemId: string, maxStarred: number, now: Date): Promise<boolean> {
  const { customers } = await collections();
  const result = await customers.updateOne(
    { _id: customerId, restaurantId, $or: [{ favorites: menuItemId }, { [`favorites.${maxStarred - 1}`]: { $exists: false } }] },
    { $addToSet: { favorites: menuItemId }, $set: { updatedAt: now } },
  );
  return result.matchedCount > 0;
}

/** Unstars a dish; false when the customer is gone. */
export async function removeStar(restaurantId: string, customerId: ObjectId, menuItemId: string, now: Date): Promise<boolean> {
  const { customers } = await collections();
  const result = await customers.updateOne({ _id: customerId, restaurantId }, { $pull: { favorites: menuItemId }, $set: { updatedAt: now } });
  return result.matchedCount > 0;
}
