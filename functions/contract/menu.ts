/** The menu: the public menu, staff menu editing, dish photos, and the menu's languages and names. */
import * as z from 'zod';
import { SPICE_LEVELS } from '../core/enums.ts';
import { NAME_KINDS } from '../core/entities.ts';
import { STATION_PATTERN } from '../core/kitchen-board.ts';
import { MODIFIER_CHOICES_LIMIT, modifierBoundsProblems } from '../core/modifier-groups.ts';
import { PHOTO_CONTENT_TYPES } from '../core/photos.ts';
import { LANGUAGE_CODE, MAX_LANGUAGES } from '../core/translations.ts';
import { idParams, isoDate, keyedRecord, route, routeContracts, translations } from './common.ts';
import { PublicMenuItem, publicMenuRoutes } from './public-menu.ts';

export { DishPhoto, MenuCategory, MenuItemTranslation, MenuView, ModifierGroup, ModifierOption, PublicMenuItem } from './public-menu.ts';

// ---------- views (the public menu's are public-menu.ts's) ----------

/** A dish in staff answers and in `menu.updated` pushes: where it goes on the menu, and whether it was deleted. */
export const MenuItemChange = PublicMenuItem.extend({ category: z.string(), sortOrder: z.number().int(), deleted: z.boolean(), updatedAt: isoDate });

export const NameTranslation = z.object({ kind: z.enum(NAME_KINDS), name: z.string(), translations });
export const MenuNamesView = z.object({ languages: z.array(z.string()), defaultLanguage: z.string(), names: z.array(NameTranslation) });

export const PhotoUpload = z.object({
  upload: z.object({ url: z.string(), fields: z.record(z.string(), z.string()) }),
  key: z.string(),
  maxBytes: z.number().int(),
  expiresInSeconds: z.number().int(),
});

// ---------- requests ----------

const key = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'must be 1-40 letters, digits, - or _');
const label = (max: number) => z.string().trim().min(1).max(max);
const price = z.number().int().min(0).max(100_000_000);

const ModifierOptionInput = z.strictObject({ id: key, name: label(80), price });

const ModifierGroupInput = z
  .strictObject({
    groupId: key,
    name: label(80),
    min: z.number().int().min(0).max(MODIFIER_CHOICES_LIMIT),
    max: z.number().int().min(1).max(MODIFIER_CHOICES_LIMIT),
    options: z.array(ModifierOptionInput).min(1).max(30),
  })
  .superRefine((group, ctx) => {
    for (const { field, message } of modifierBoundsProblems(group.min, group.max, group.options.length)) ctx.addIssue({ code: 'custom', path: [field], message });
  });

const ModifierGroupsInput = z
  .array(ModifierGroupInput)
  .max(20)
  .superRefine((groups, ctx) => {
    // Guests choose options by id across all groups, so an id may appear once per dish.
    const groupIds = new Set<string>();
    const optionIds = new Set<string>();
    groups.forEach((group, g) => {
      if (groupIds.has(group.groupId)) ctx.addIssue({ code: 'custom', path: [g, 'groupId'], message: 'groupId is repeated' });
      groupIds.add(group.groupId);
      group.options.forEach((option, o) => {
        if (optionIds.has(option.id)) ctx.addIssue({ code: 'custom', path: [g, 'options', o, 'id'], message: 'option id is repeated in this dish' });
        optionIds.add(option.id);
      });
    });
  });

const SpiceLevelsInput = z
  .array(z.enum(SPICE_LEVELS))
  .max(SPICE_LEVELS.length)
  .refine((levels) => new Set(levels).size === levels.length, 'spice levels are repeated');

/** A path on this site or an https URL (never javascript:, data: or plain http). */
const Image = z
  .string()
  .trim()
  .max(500)
  .regex(/^$|^\/[^\s"'<>\\]*$|^https:\/\/[^\s"'<>\\]+$/, 'must be a /path or an https:// URL');

const TranslationInput = z.strictObject({
  name: z.string().trim().max(120).optional(),
  description: z.string().trim().max(1000).optional(),
  groups: keyedRecord(key, z.string().trim().max(80)).optional(),
  options: keyedRecord(key, z.string().trim().max(80)).optional(),
});

const language = z.string().regex(LANGUAGE_CODE, 'must be a language code such as hi');

/** Language code → the dish's texts in it (checked against the restaurant's languages and the dish's options in the service). */
const TranslationsInput = keyedRecord(language, TranslationInput).refine((all) => Object.keys(all).length <= MAX_LANGUAGES, `at most ${MAX_LANGUAGES} languages`);

const Fields = {
  name: label(120),
  description: z.string().trim().max(1000),
  price,
  category: label(60),
  isVeg: z.boolean(),
  image: Image,
  isAvailable: z.boolean(),
  station: z.string().regex(STATION_PATTERN, 'must be an upper-case station name'),
  modifierGroups: ModifierGroupsInput,
  spiceLevels: SpiceLevelsInput,
  sortOrder: z.number().int().min(0).max(1_000_000),
  translations: TranslationsInput,
};

/** POST /api/staff/menu/items. */
export const CreateMenuItemBody = z.strictObject({
  ...Fields,
  description: Fields.description.default(''),
  isVeg: Fields.isVeg.default(false),
  image: Fields.image.default(''),
  isAvailable: Fields.isAvailable.default(true),
  modifierGroups: Fields.modifierGroups.default([]),
  spiceLevels: Fields.spiceLevels.default([]),
  sortOrder: Fields.sortOrder.default(0),
  translations: Fields.translations.optional(),
});

/** PATCH /api/staff/menu/items/{itemId}: any of the fields (a WAITER may send only isAvailable). */
export const UpdateMenuItemBody = z
  .strictObject(Object.fromEntries(Object.entries(Fields).map(([name, schema]) => [name, schema.optional()])) as {
    [K in keyof typeof Fields]: z.ZodOptional<(typeof Fields)[K]>;
  })
  .refine((patch) => Object.keys(patch).length > 0, 'send at least one field to change');

const ItemParams = idParams('itemId');

export const PhotoUploadBody = z.strictObject({
  contentType: z.string().max(100).describe(`one of ${PHOTO_CONTENT_TYPES.join(', ')}`),
  size: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
});
export const PhotoCommitBody = z.strictObject({ key: z.string().min(1).max(300) });

export const MenuNamesBody = z.strictObject({
  languages: z
    .array(language)
    .min(1)
    .max(MAX_LANGUAGES)
    .refine((codes) => new Set(codes).size === codes.length, 'languages are repeated'),
  names: z
    .array(
      z.strictObject({
        kind: z.enum(NAME_KINDS),
        name: z.string().trim().min(1).max(120),
        translations: keyedRecord(language, z.string().max(120)).refine((all) => Object.keys(all).length <= MAX_LANGUAGES, `at most ${MAX_LANGUAGES} languages`),
      }),
    )
    .max(500),
});

export const menuRoutes = routeContracts('menu', {
  // Its schemas live in public-menu.ts, so the guest function that serves it builds none of the editing ones.
  getMenu: publicMenuRoutes.getMenu,
  createItem: route({ summary: 'Add a dish', body: CreateMenuItemBody, response: MenuItemChange, status: 201 }),
  updateItem: route({ summary: 'Change a dish (WAITER: isAvailable only)', body: UpdateMenuItemBody, params: ItemParams, response: MenuItemChange }),
  deleteItem: route({ summary: 'Delete a dish', params: ItemParams, status: 204 }),
  startPhotoUpload: route({ summary: "Sign an upload of a dish's photo", body: PhotoUploadBody, params: ItemParams, response: PhotoUpload, status: 201 }),
  commitPhoto: route({ summary: 'Resize the uploaded photo and set it on the dish', body: PhotoCommitBody, params: ItemParams, response: MenuItemChange }),
  removePhoto: route({ summary: "Remove a dish's photo", params: ItemParams, response: MenuItemChange }),
  getNames: route({ summary: 'The menu’s languages and the names of categories, stations and floors', response: MenuNamesView }),
  putNames: route({ summary: 'Set the languages and translated names', body: MenuNamesBody, response: MenuNamesView }),
});

export type MenuItemChange = z.infer<typeof MenuItemChange>;
export type MenuNamesView = z.infer<typeof MenuNamesView>;
export type MenuNamesInput = z.input<typeof MenuNamesBody>;
/** A dish's fields as POST /api/staff/menu/items takes them, its defaults applied (PATCH takes any of them). */
export type MenuItemFields = z.output<typeof CreateMenuItemBody>;
