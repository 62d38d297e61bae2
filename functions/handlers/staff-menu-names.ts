/** The menu's languages and the translations of category, station and floor names (GET: waiters and up; PUT: managers). */
import * as z from 'zod';
import { LANGUAGE_CODE, MAX_LANGUAGES } from '../core/translations.ts';
import { NAME_KINDS } from '../data/documents.ts';
import { keyedRecord } from '../http/schemas.ts';
import { staffRoute } from '../http/staff-route.ts';
import { menuNames, setMenuNames } from '../services/menu-names.ts';

const language = z.string().regex(LANGUAGE_CODE, 'must be a language code such as hi');

const Body = z.strictObject({
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

export const getNames = staffRoute({}, async ({ staff }) => menuNames(staff.restaurantId));

export const putNames = staffRoute({ body: Body }, async ({ staff, body, ip, userAgent }) => setMenuNames(staff, body, { ip, userAgent }));
