/**
 * The menu's store: the dishes (`menuItems`, soft-deleted with `deletedAt`) and the names and
 * languages kept on the restaurant's settings. It owns the filters ("live": not deleted) and what
 * each write returns; the rules are the use cases' (admin/menu.ts, admin/menu-photos.ts,
 * admin/menu-names.ts), the guest's view is core/menu.ts.
 */
import type { ObjectId } from 'mongodb';
import { publishMenu, type PublishedMenu } from '../core/menu.ts';
import type { DishPhoto } from '../core/photos.ts';
import type { MenuItemDoc, NameTranslation } from './documents.ts';
import { collections } from './mongo.ts';
import { freshRestaurant } from './restaurant.ts';
import { config } from '../platform/config.ts';

const live = (restaurantId: string, _id: ObjectId) => ({ _id, restaurantId, deletedAt: { $exists: false } });

/** The menu guests read: every dish not deleted (sold-out ones included, flagged), with the fresh settings. */
export async function publishedMenu(restaurantId = config().restaurantId): Promise<PublishedMenu> {
  const { menuItems } = await collections();
  const [settings, dishes] = await Promise.all([
    freshRestaurant(),
    menuItems.find({ restaurantId, deletedAt: { $exists: false } }).sort({ category: 1, sortOrder: 1 }).toArray(),
  ]);
  return publishMenu(settings, dishes);
}

/**
 * The menu's version for the `sync` reply (a guest's phone reloads the menu on a resync only when it
 * changed, web/diner/live.ts): GET /api/menu's ETag, so one definition; it moves with everything a
 * guest sees and comes back when a change is undone.
 */
export const menuVersion = async (restaurantId: string): Promise<string> => (await publishedMenu(restaurantId)).etag;

export async function insertDish(dish: MenuItemDoc): Promise<void> {
  const { menuItems } = await collections();
  await menuItems.insertOne(dish);
}

export async function findLiveDish(restaurantId: string, dishId: ObjectId): Promise<MenuItemDoc | null> {
  const { menuItems } = await collections();
  return menuItems.findOne(live(restaurantId, dishId));
}

/** Whether a live dish with this id is on the restaurant's menu (reads its _id only). */
export async function liveDishExists(restaurantId: string, dishId: ObjectId): Promise<boolean> {
  const { menuItems } = await collections();
  return (await menuItems.findOne(live(restaurantId, dishId), { projection: { _id: 1 } })) !== null;
}

/** Sets fields on a live dish; the dish as it was before, or null when there is none. */
export async function updateLiveDish(restaurantId: string, dishId: ObjectId, set: Partial<MenuItemDoc>): Promise<MenuItemDoc | null> {
  const { menuItems } = await collections();
  return menuItems.findOneAndUpdate(live(restaurantId, dishId), { $set: set }, { returnDocument: 'before' });
}

/** Soft delete; the dish as deleted, or null when there was no live dish. */
export async function deleteLiveDish(restaurantId: string, dishId: ObjectId, now: Date): Promise<MenuItemDoc | null> {
  const { menuItems } = await collections();
  return menuItems.findOneAndUpdate(live(restaurantId, dishId), { $set: { deletedAt: now, updatedAt: now } }, { returnDocument: 'after' });
}

/** Sets (or, undefined, removes) a live dish's photo; the dish after, or null. */
export async function setDishPhoto(restaurantId: string, dishId: ObjectId, photo: DishPhoto | undefined, now: Date): Promise<MenuItemDoc | null> {
  const { menuItems } = await collections();
  return menuItems.findOneAndUpdate(
    live(restaurantId, dishId),
    photo ? { $set: { photo, updatedAt: now } } : { $unset: { photo: '' }, $set: { updatedAt: now } },
    { returnDocument: 'after' },
  );
}

/** The categories of live dishes and the floors of tables: the names a manager translates. */
export async function namesInUse(restaurantId: string): Promise<{ categories: string[]; floors: string[] }> {
  const { menuItems, tables } = await collections();
  const [categories, floors] = await Promise.all([
    menuItems.distinct('category', { restaurantId, deletedAt: { $exists: false } }),
    tables.distinct('floor', { restaurantId }),
  ]);
  return { categories: categories as string[], floors: floors as string[] };
}

export async function saveMenuNames(restaurantId: string, languages: string[], names: NameTranslation[]): Promise<void> {
  const { restaurants } = await collections();
  await restaurants.updateOne({ _id: restaurantId, restaurantId }, { $set: { languages, names, updatedAt: new Date() } });
}
