/**
 * Staff menu editing. POST and DELETE need MANAGER (route table); PATCH is open to WAITER, who may
 * only send {isAvailable} (the service refuses any other field below MANAGER with 403).
 */
import * as z from 'zod';
import { LANGUAGE_CODE, MAX_LANGUAGES } from '../core/translations.ts';
import { SPICE_LEVELS } from '../data/documents.ts';
import { reply } from '../http/route.ts';
import { staffRoute } from '../http/staff-route.ts';
import { idParams, keyedRecord } from '../http/schemas.ts';
import { createMenuItem, deleteMenuItem, updateMenuItem } from '../services/menu.ts';

const key = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'must be 1-40 letters, digits, - or _');
const label = (max: number) => z.string().trim().min(1).max(max);
const money = z.number().int().min(0).max(100_000_000);

const ModifierOption = z.strictObject({ id: key, name: label(80), price: money });

const ModifierGroup = z
  .strictObject({
    groupId: key,
    name: label(80),
    min: z.number().int().min(0).max(20),
    max: z.number().int().min(1).max(20),
    options: z.array(ModifierOption).min(1).max(30),
  })
  .superRefine((group, ctx) => {
    if (group.max < group.min) ctx.addIssue({ code: 'custom', path: ['max'], message: 'max must be at least min' });
    if (group.min > group.options.length) ctx.addIssue({ code: 'custom', path: ['min'], message: 'min is more than the options offered' });
  });

const ModifierGroups = z
  .array(ModifierGroup)
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

const SpiceLevels = z
  .array(z.enum(SPICE_LEVELS))
  .max(SPICE_LEVELS.length)
  .refine((levels) => new Set(levels).size === levels.length, 'spice levels are repeated');

/** A path on this site or an https URL (never javascript:, data: or plain http). */
const Image = z
  .string()
  .trim()
  .max(500)
  .regex(/^$|^\/[^\s"'<>\\]*$|^https:\/\/[^\s"'<>\\]+$/, 'must be a /path or an https:// URL');

const Translation = z.strictObject({
  name: z.string().trim().max(120).optional(),
  description: z.string().trim().max(1000).optional(),
  groups: keyedRecord(key, z.string().trim().max(80)).optional(),
  options: keyedRecord(key, z.string().trim().max(80)).optional(),
});

/** Language code → the dish's texts in it (checked against the restaurant's languages and the dish's options in the service). */
const Translations = keyedRecord(z.string().regex(LANGUAGE_CODE, 'must be a language code such as hi'), Translation).refine((all) => Object.keys(all).length <= MAX_LANGUAGES, `at most ${MAX_LANGUAGES} languages`);

const Fields = {
  name: label(120),
  description: z.string().trim().max(1000),
  price: money,
  category: label(60),
  isVeg: z.boolean(),
  image: Image,
  isAvailable: z.boolean(),
  station: z.string().regex(/^[A-Z][A-Z0-9_]{0,23}$/, 'must be an upper-case station name'),
  modifierGroups: ModifierGroups,
  spiceLevels: SpiceLevels,
  sortOrder: z.number().int().min(0).max(1_000_000),
  translations: Translations,
};

const CreateBody = z.strictObject({
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

const UpdateBody = z
  .strictObject(Object.fromEntries(Object.entries(Fields).map(([name, schema]) => [name, schema.optional()])) as {
    [K in keyof typeof Fields]: z.ZodOptional<(typeof Fields)[K]>;
  })
  .refine((patch) => Object.keys(patch).length > 0, 'send at least one field to change');

const ItemParams = idParams('itemId');

export const createItem = staffRoute({ body: CreateBody }, async ({ staff, body, ip, userAgent }) =>
  reply(await createMenuItem(staff, body, { ip, userAgent }), { status: 201 }),
);

export const updateItem = staffRoute({ body: UpdateBody, params: ItemParams }, async ({ staff, body, params, ip, userAgent }) =>
  updateMenuItem(staff, params.itemId, body, { ip, userAgent }),
);

export const deleteItem = staffRoute({ params: ItemParams }, async ({ staff, params, ip, userAgent }) => {
  await deleteMenuItem(staff, params.itemId, { ip, userAgent });
  return reply(undefined, { status: 204 });
});
