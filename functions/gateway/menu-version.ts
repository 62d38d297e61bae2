/**
 * The menu's version for the `sync` reply: a guest's phone reloads the menu on a resync only when it
 * changed (web/diner/live.ts). Read with two small queries (one grouped row of the restaurant's
 * dishes, its settings' `updatedAt`) rather than building the menu and hashing it as GET /api/menu's
 * ETag does: the ws function's sync stays light, and its bundle carries none of the menu service.
 *
 * Every change a guest can see moves it: a dish created, edited, sold out, given a photo or deleted
 * (soft: `deletedAt` and `updatedAt` set, so deleted dishes are counted too) raises its `updatedAt`,
 * and category names or languages raise the restaurant's (admin/menu-names.ts).
 */
import { collections } from '../data/mongo.ts';

export async function menuVersion(restaurantId: string): Promise<string> {
  const { menuItems, restaurants } = await collections();
  const [dishes, settings] = await Promise.all([
    menuItems
      .aggregate<{ count: number; last: Date | null }>([
        { $match: { restaurantId } },
        { $group: { _id: null, count: { $sum: 1 }, last: { $max: '$updatedAt' } } },
      ])
      .toArray(),
    restaurants.findOne({ _id: restaurantId, restaurantId }, { projection: { _id: 0, updatedAt: 1 } }),
  ]);
  const stamp = (date: Date | null | undefined) => (date ? date.getTime().toString(36) : '0');
  return `${(dishes[0]?.count ?? 0).toString(36)}.${stamp(dishes[0]?.last)}.${stamp(settings?.updatedAt)}`;
}
