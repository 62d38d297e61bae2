/**
 * The public menu's views and GET /api/menu, listed among the menu routes (its id is `menu.getMenu`,
 * menu.ts) but kept apart from the editing ones: the guest function serves it and so builds none of
 * the staff editing schemas at init.
 */
import * as z from 'zod';
import { SPICE_LEVELS } from '../core/enums.ts';
import { money as minorUnits, route, routeContracts, translations } from './common.ts';

export const ModifierOption = z.object({ id: z.string(), name: z.string(), price: minorUnits });
export const ModifierGroup = z.object({ groupId: z.string(), name: z.string(), min: z.number().int(), max: z.number().int(), options: z.array(ModifierOption) });
export const MenuItemTranslation = z.object({
  name: z.string().optional(),
  description: z.string().optional(),
  groups: z.record(z.string(), z.string()).optional(),
  options: z.record(z.string(), z.string()).optional(),
});
export const DishPhoto = z.object({ path: z.string(), width: z.number().int(), height: z.number().int() });

/** A dish as guests see it. */
export const PublicMenuItem = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  price: minorUnits,
  isVeg: z.boolean(),
  image: z.string(),
  photo: DishPhoto.optional(),
  isAvailable: z.boolean(),
  station: z.string(),
  modifierGroups: z.array(ModifierGroup),
  spiceLevels: z.array(z.enum(SPICE_LEVELS)),
  translations: z.record(z.string(), MenuItemTranslation).optional(),
});

export const MenuCategory = z.object({ name: z.string(), translations: translations.optional(), items: z.array(PublicMenuItem) });

export const MenuView = z.object({
  restaurant: z.object({
    name: z.string(),
    currency: z.string(),
    /** Percent, for display (5 for 5%); totals use taxRateBps. */
    taxRate: z.number(),
    taxRateBps: z.number().int(),
    timeZone: z.string(),
    languages: z.array(z.string()),
    defaultLanguage: z.string(),
  }),
  categories: z.array(MenuCategory),
});

export const publicMenuRoutes = routeContracts('menu', {
  getMenu: route({ summary: 'The public menu (cacheable, revalidated by ETag; 304 when If-None-Match matches)', response: MenuView }),
});

export type PublicMenuItem = z.infer<typeof PublicMenuItem>;
export type MenuCategory = z.infer<typeof MenuCategory>;
export type MenuView = z.infer<typeof MenuView>;
export type ModifierGroup = z.infer<typeof ModifierGroup>;
export type ModifierOption = z.infer<typeof ModifierOption>;
export type MenuItemTranslation = z.infer<typeof MenuItemTranslation>;
