/**
 * The menu as guests read it, pure: a dish's public view, the dishes grouped by category, the whole
 * menu built from the restaurant's settings and its dishes, and its version: the ETag of exactly
 * the JSON GET /api/menu serves (the one definition the `sync` reply's menuVersion uses too). The
 * store reads it (data/menu-store.ts publishedMenu); staff edits live in admin/menu.ts.
 */
import { createHash } from 'node:crypto';
import type { EntityId, MenuItem, NameTranslation, Translations } from './entities.ts';
import { languageSettingsOf, namesOf } from './translations.ts';

/** A dish, whatever its store's id type. */
type Dish = MenuItem<EntityId>;

/** A dish as guests see it: the stored fields they may read, under its id. */
export type PublicMenuItem = { id: string } & Pick<
  Dish,
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

export function publicItemOf(doc: Dish): PublicMenuItem {
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

export function itemChangeOf(doc: Dish): MenuItemChange {
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
export function groupByCategory(docs: readonly Dish[], names?: readonly NameTranslation[]): MenuCategory[] {
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

/** What of the restaurant's settings the menu shows. */
export interface MenuSettings {
  name: string;
  currency: string;
  taxRateBps: number;
  timeZone: string;
  languages?: string[];
  defaultLanguage?: string;
  names?: NameTranslation[];
}

/** The published menu: the view, its JSON (serialized once) and the ETag of exactly that JSON. */
export function publishMenu(settings: MenuSettings, dishes: readonly Dish[]): PublishedMenu {
  const menu: MenuView = {
    restaurant: {
      name: settings.name,
      currency: settings.currency,
      taxRate: settings.taxRateBps / 100,
      taxRateBps: settings.taxRateBps,
      timeZone: settings.timeZone,
      ...languageSettingsOf(settings),
    },
    categories: groupByCategory(dishes, settings.names),
  };
  const json = JSON.stringify(menu);
  return { menu, json, etag: etagOf(json) };
}
