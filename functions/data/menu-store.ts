/**
 * The menu's store: the dishes (`menuItems`, soft-deleted with `deletedAt`) and the names and
 * languages kept on the restaurant's settings. It owns the filters ("live": not deleted) and what
 * each write returns; the rules are the use cases' (admin/menu.ts, admin/menu-photos.ts,
 * admin/menu-names.ts), the guest's view is core/menu.ts.
 */
import type { ObjectId } from 'mongodb';
import { publishMenu, type PublishedMenu } from '../core/menu.ts';
import type { DishPhoto } from '../core/photos.ts';
import type { MenuItemDoc, NameTranslation, RestaurantDoc } from './documents.ts';
import { collections } from './mongo.ts';
import { freshRestaurant } from './restaurant.ts';
import { config } from '../platform/config.ts';

const live = (restaurantId: string, _id: ObjectId) => ({ _id, restaurantId, deletedAt: { $exists: false } });

/** The menu guests read: every dish not deleted (sold-out ones included, flagged), with the fresh settings (or these, just read). */
export async function publishedMenu(restaurantId = config().restaurantId, settings?: RestaurantDoc): Promise<PublishedMenu> {
  const { menuItems } = await collections();
  const [fresh, dishes] = await Promise.all([
    settings ?? freshRestaurant(),
    menuItems.find({ restaurantId, deletedAt: { $exists: false } }).sort({ category: 1, sortOrder: 1 }).toArray(),
  ]);
  return publishMenu(fresh, dishes);
}

/**
 * The dishes' stamp: how many there are (deleted ones included) and the sum of their `updatedAt`s in
 * ms. It moves with every insert, delete and write that moves a dish's `updatedAt`: ours always do,
 * and so does a writer keeping the layout the POS's team documented (seed 002, `menuItems.updatedAt`).
 * A sum, not a max: a write stamped by a clock behind another's moves it too. One aggregate that
 * answers one small document, over the menu_stamp index's keys (indexes.ts).
 */
async function dishesStamp(restaurantId: string): Promise<string> {
  const { menuItems } = await collections();
  const updatedMs = { $convert: { input: '$updatedAt', to: 'long', onError: 0, onNull: 0 } };
  const [stamp] = await menuItems
    .aggregate<{ n: number; t: number }>([{ $match: { restaurantId } }, { $group: { _id: null, n: { $sum: 1 }, t: { $sum: updatedMs } } }])
    .toArray();
  return stamp ? `${stamp.n}:${stamp.t}` : '0:0';
}

/**
 * How long a container keeps a published menu while the stamps stay the same: the bound for a
 * writer that changes a dish without moving its `updatedAt` (outside the documented layout). Within
 * it, the menu is answered from the stamps alone.
 */
const VERSION_TTL_MS = 60_000;
const published = new Map<string, { stamp: string; menu: Pick<PublishedMenu, 'json' | 'etag'>; at: number }>();

/**
 * The menu guests are served, as GET /api/menu sends it (its JSON and ETag), and its version for the
 * `sync` reply (a guest's phone reloads the menu on a resync only when it changed, web/diner/live.ts):
 * one definition, so the version moves with everything a guest sees and comes back when a change is
 * undone. Cheap while nothing changed: the settings (one document, read fresh) and the dishes'
 * stamp; the menu is read, built and hashed again only when either moved (or VERSION_TTL_MS passed),
 * from dishes read after the stamp, so a kept menu is never older than its stamp. GET /api/menu is
 * every phone's first read and shares the guest containers with joining: building it per request
 * was most of its CPU.
 */
export async function currentMenu(restaurantId: string): Promise<Pick<PublishedMenu, 'json' | 'etag'>> {
  const [settings, dishes] = await Promise.all([freshRestaurant(), dishesStamp(restaurantId)]);
  const stamp = `${dishes}|${JSON.stringify(settings)}`;
  const known = published.get(restaurantId);
  if (known && known.stamp === stamp && Date.now() - known.at < VERSION_TTL_MS) return known.menu;
  const at = Date.now();
  const { json, etag } = await publishedMenu(restaurantId, settings);
  published.set(restaurantId, { stamp, menu: { json, etag }, at });
  return { json, etag };
}

/** The `sync` reply's menu version: GET /api/menu's ETag (see currentMenu). */
export async function menuVersion(restaurantId: string): Promise<string> {
  return (await currentMenu(restaurantId)).etag;
}

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
