/**
 * The menu: the public view guests browse (grouped by category, with an ETag that is a hash of the
 * content), and staff edits. MANAGER and above create, edit and delete dishes (a delete is soft:
 * `deletedAt`, so orders and carts that name the dish still resolve it); WAITER may only mark a
 * dish sold out or back. Every change is pushed live to every guest socket as `menu.updated`, and
 * a change of availability, name or prices reaches the open carts holding the dish (see refreshCartsContaining).
 */
import { staffActor } from '../core/events.ts';
import type { MenuChange } from '../core/admin-events.ts';
import { createHash } from 'node:crypto';
import { ObjectId } from 'mongodb';
import type { StaffPrincipal } from '../auth/principal.ts';
import { DomainError, forbidden, notFound } from '../core/errors.ts';
import { isObjectIdHex } from '../core/ids.ts';
import { languageSettingsOf, namesOf, translationProblems } from '../core/translations.ts';
import type { MenuItemDoc, NameTranslation, Translations } from '../data/documents.ts';
import { collections } from '../data/mongo.ts';
import { config } from '../platform/config.ts';
import { logger } from '../platform/logger.ts';
import { pushToAllGuests } from '../realtime/push.ts';
import { roleAtLeast, type StaffRole } from '../core/roles.ts';
import type { RequestOrigin } from '../data/audit.ts';
import { afterCommit } from '../effects.ts';
import * as Cart from '../cart/index.ts';
import { freshRestaurant, restaurant } from '../data/restaurant.ts';

/** A dish as guests see it: the stored fields they may read, under its id. */
export type PublicMenuItem = { id: string } & Pick<
  MenuItemDoc,
  'name' | 'description' | 'price' | 'isVeg' | 'image' | 'photo' | 'isAvailable' | 'station' | 'modifierGroups' | 'spiceLevels' | 'translations'
>;

export interface MenuCategory {
  /** In the default language (dishes carry it so). */
  name: string;
  /** The name in other languages. */
  translations?: Translations;
  items: PublicMenuItem[];
}

export interface MenuView {
  restaurant: {
    name: string;
    currency: string;
    /** Percent, for display (5 for 5%); totals use taxRateBps. */
    taxRate: number;
    taxRateBps: number;
    timeZone: string;
    /** The menu's languages, the default first; names fall back to it. */
    languages: string[];
    defaultLanguage: string;
  };
  categories: MenuCategory[];
}

/** A dish in staff answers and in `menu.updated` pushes: where it goes on the menu, and whether it was deleted. */
export interface MenuItemChange extends PublicMenuItem {
  category: string;
  sortOrder: number;
  deleted: boolean;
  updatedAt: string;
}

/** Fields a staff member sets on a dish: the stored dish without ids, bookkeeping and deletion. */
export type MenuItemInput = Omit<MenuItemDoc, '_id' | 'restaurantId' | 'deletedAt' | 'createdAt' | 'updatedAt'>;

export type MenuItemPatch = Partial<MenuItemInput>;

/** The only field below MANAGER: a waiter marks a dish sold out or back. */
const WAITER_FIELDS: ReadonlySet<string> = new Set(['isAvailable']);

export function publicItemOf(doc: MenuItemDoc): PublicMenuItem {
  return {
    id: doc._id.toHexString(),
    name: doc.name,
    description: doc.description,
    price: doc.price,
    isVeg: doc.isVeg,
    image: doc.image,
    ...(doc.photo ? { photo: { ...doc.photo } } : {}),
    isAvailable: doc.isAvailable,
    station: doc.station,
    modifierGroups: doc.modifierGroups.map((group) => ({
      groupId: group.groupId,
      name: group.name,
      min: group.min,
      max: group.max,
      options: group.options.map((option) => ({ id: option.id, name: option.name, price: option.price })),
    })),
    spiceLevels: [...doc.spiceLevels],
    translations: doc.translations && Object.keys(doc.translations).length ? doc.translations : undefined,
  };
}

export function itemChangeOf(doc: MenuItemDoc): MenuItemChange {
  return {
    ...publicItemOf(doc),
    category: doc.category,
    sortOrder: doc.sortOrder,
    deleted: Boolean(doc.deletedAt),
    updatedAt: doc.updatedAt.toISOString(),
  };
}

/**
 * Groups dishes by category. Categories come in the order of their lowest sortOrder (then name),
 * dishes by sortOrder then name, so a manager orders the whole menu with one number per dish.
 */
export function groupByCategory(docs: readonly MenuItemDoc[], names?: readonly NameTranslation[]): MenuCategory[] {
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const sorted = [...docs].sort((a, b) => a.sortOrder - b.sortOrder || byName(a.name, b.name) || byName(a._id.toHexString(), b._id.toHexString()));
  const categories = new Map<string, { first: number; items: PublicMenuItem[] }>();
  for (const doc of sorted) {
    const category = categories.get(doc.category) ?? { first: doc.sortOrder, items: [] };
    category.items.push(publicItemOf(doc));
    categories.set(doc.category, category);
  }
  return [...categories.entries()]
    .sort(([nameA, a], [nameB, b]) => a.first - b.first || byName(nameA, nameB))
    .map(([name, { items }]) => {
      const translations = namesOf(names, 'category', name);
      return translations && Object.keys(translations).length ? { name, translations, items } : { name, items };
    });
}

/** A strong ETag: the SHA-256 of the exact JSON the menu is served as. */
export const etagOf = (json: string): string => `"${createHash('sha256').update(json, 'utf8').digest('base64url').slice(0, 27)}"`;

/** RFC 9110 If-None-Match: `*` or a list of (possibly weak) tags; the comparison is weak. */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === opaque(etag));
}

export interface PublishedMenu {
  menu: MenuView;
  /** The JSON body, serialized once so the ETag is the hash of exactly what is sent. */
  json: string;
  etag: string;
}

/** The public menu: every dish not deleted (sold-out ones included, flagged), grouped by category. */
export async function publicMenu(): Promise<PublishedMenu> {
  const { restaurantId } = config();
  const { menuItems } = await collections();
  const [settings, docs] = await Promise.all([
    freshRestaurant(),
    menuItems.find({ restaurantId, deletedAt: { $exists: false } }).sort({ category: 1, sortOrder: 1 }).toArray(),
  ]);
  const menu: MenuView = {
    restaurant: {
      name: settings.name,
      currency: settings.currency,
      taxRate: settings.taxRateBps / 100,
      taxRateBps: settings.taxRateBps,
      timeZone: settings.timeZone,
      ...languageSettingsOf(settings),
    },
    categories: groupByCategory(docs, settings.names),
  };
  const json = JSON.stringify(menu);
  return { menu, json, etag: etagOf(json) };
}

/** WAITER may only change isAvailable; any other field needs MANAGER. */
export function assertMayChangeFields(role: StaffRole, fields: readonly string[]): void {
  if (roleAtLeast(role, 'MANAGER')) return;
  const others = fields.filter((field) => !WAITER_FIELDS.has(field));
  if (others.length > 0) {
    throw new DomainError('FORBIDDEN', 'Waiters can mark a dish sold out or back; other changes need a manager', {
      details: { fields: others, requiredRole: 'MANAGER' },
    });
  }
}

async function assertKnownStation(station: string | undefined): Promise<void> {
  if (station === undefined) return;
  const { stations } = await restaurant();
  if (!stations.includes(station)) {
    throw new DomainError('VALIDATION_FAILED', 'The request body is not valid', {
      details: [{ path: 'body.station', code: 'unknown_station', message: `Station must be one of ${stations.join(', ')}`, allowed: stations }],
    });
  }
}

async function assertTranslations(dish: Pick<MenuItemDoc, 'translations' | 'modifierGroups'>): Promise<void> {
  if (!dish.translations) return;
  const problems = translationProblems(dish, languageSettingsOf(await restaurant()));
  if (problems.length) throw new DomainError('VALIDATION_FAILED', 'The request body is not valid', { details: problems });
}

export const toObjectId = (itemId: string): ObjectId => {
  if (!isObjectIdHex(itemId)) throw notFound('Menu item');
  return new ObjectId(itemId);
};

/** Menu changes are audited (who sold out what, and when) once committed. */
export const auditChange = (staff: StaffPrincipal, origin: RequestOrigin, change: MenuChange, item: MenuItemDoc, details?: Record<string, unknown>) =>
  afterCommit([{ type: 'MenuItemChanged', actor: staffActor(staff), change, menuItemId: item._id.toHexString(), name: item.name, details }], origin);

/** Fields whose change the open carts holding the dish must show (their lines carry name and prices). */
const CART_FIELDS: readonly string[] = ['isAvailable', 'name', 'price', 'modifierGroups'];

/** Tells every guest socket, and the open carts holding a dish whose availability, name or prices changed. */
export async function publish(items: readonly MenuItemDoc[], cartsToRefresh: readonly MenuItemDoc[]): Promise<void> {
  await Promise.all([
    pushToAllGuests(config().restaurantId, { type: 'menu.updated', items: items.map(itemChangeOf) }),
    cartsToRefresh.length
      ? Cart.refreshCartsContaining(cartsToRefresh.map((item) => item._id.toHexString())).catch((error) =>
          logger.error('Could not refresh carts after a menu change', { error: error as Error }),
        )
      : undefined,
  ]);
}

export async function createMenuItem(staff: StaffPrincipal, input: MenuItemInput, origin: RequestOrigin = {}): Promise<MenuItemChange> {
  assertMayChangeFields(staff.role, Object.keys(input));
  await Promise.all([assertKnownStation(input.station), assertTranslations(input)]);
  const { menuItems } = await collections();
  const now = new Date();
  const doc: MenuItemDoc = { _id: new ObjectId(), restaurantId: staff.restaurantId, ...input, createdAt: now, updatedAt: now };
  await menuItems.insertOne(doc);
  await Promise.all([auditChange(staff, origin, 'MENU_ITEM_CREATED', doc), publish([doc], [])]);
  return itemChangeOf(doc);
}

export async function updateMenuItem(staff: StaffPrincipal, itemId: string, patch: MenuItemPatch, origin: RequestOrigin = {}): Promise<MenuItemChange> {
  const fields = Object.keys(patch);
  assertMayChangeFields(staff.role, fields);
  await assertKnownStation(patch.station);
  const { menuItems } = await collections();
  if (patch.translations) {
    // Checked against the dish as it will be: its groups and options, possibly changed in the same patch.
    const current = await menuItems.findOne({ _id: toObjectId(itemId), restaurantId: staff.restaurantId, deletedAt: { $exists: false } });
    if (!current) throw notFound('Menu item');
    await assertTranslations({ ...current, ...patch });
  }
  const now = new Date();
  const before = await menuItems.findOneAndUpdate(
    { _id: toObjectId(itemId), restaurantId: staff.restaurantId, deletedAt: { $exists: false } },
    { $set: { ...patch, updatedAt: now } },
    { returnDocument: 'before' },
  );
  if (!before) throw notFound('Menu item');
  const after: MenuItemDoc = { ...before, ...patch, updatedAt: now };
  const availabilityChanged = before.isAvailable !== after.isAvailable;
  const cartsSeeIt = fields.some((field) => CART_FIELDS.includes(field) && JSON.stringify(before[field as keyof MenuItemDoc]) !== JSON.stringify(after[field as keyof MenuItemDoc]));
  await Promise.all([
    auditChange(staff, origin, availabilityChanged && fields.length === 1 ? (after.isAvailable ? 'MENU_ITEM_AVAILABLE' : 'MENU_ITEM_SOLD_OUT') : 'MENU_ITEM_UPDATED', after, { fields }),
    publish([after], cartsSeeIt ? [after] : []),
  ]);
  return itemChangeOf(after);
}

/** Soft delete: the dish leaves the menu; carts holding it flag the line unavailable. */
export async function deleteMenuItem(staff: StaffPrincipal, itemId: string, origin: RequestOrigin = {}): Promise<void> {
  const { menuItems } = await collections();
  const now = new Date();
  const deleted = await menuItems.findOneAndUpdate(
    { _id: toObjectId(itemId), restaurantId: staff.restaurantId, deletedAt: { $exists: false } },
    { $set: { deletedAt: now, updatedAt: now } },
    { returnDocument: 'after' },
  );
  if (!deleted) throw notFound('Menu item');
  await Promise.all([auditChange(staff, origin, 'MENU_ITEM_DELETED', deleted), publish([deleted], deleted.isAvailable ? [deleted] : [])]);
}
