/**
 * The restaurant's languages and the names dishes share: categories, stations and floors. A manager
 * sets which languages the menu carries (the default language always among them) and translates
 * each name; the guest's phone, the kitchen and the staff console show them with a fallback to the
 * default language. Dish texts are translated on the dish (admin/menu.ts).
 */
import { staffActor } from '../core/events.ts';
import type { StaffPrincipal } from '../auth/principal.ts';
import { DomainError } from '../core/errors.ts';
import { languageSettingsOf, type LanguageSettings } from '../core/translations.ts';
import { NAME_KINDS, type NameKind, type NameTranslation } from '../data/documents.ts';
import { namesInUse, saveMenuNames } from '../data/menu-store.ts';
import type { RequestOrigin } from '../data/audit.ts';
import { afterMenuCommit as afterCommit } from './admin-pushes.ts';
import { freshRestaurant } from '../data/restaurant.ts';

export interface MenuNamesView extends LanguageSettings {
  /** Every category, station and floor in use (or translated), with its translations ({} when none). */
  names: NameTranslation[];
}

export interface MenuNamesInput {
  languages: string[];
  names: NameTranslation[];
}

export async function menuNames(restaurantId: string): Promise<MenuNamesView> {
  const [settings, { categories, floors }] = await Promise.all([freshRestaurant(), namesInUse(restaurantId)]);
  const inUse: Record<NameKind, string[]> = { category: categories, station: settings.stations ?? [], floor: floors };
  const names: NameTranslation[] = [];
  for (const kind of NAME_KINDS) {
    const stored = (settings.names ?? []).filter((entry) => entry.kind === kind);
    const all = [...new Set([...inUse[kind], ...stored.map((entry) => entry.name)])].sort();
    for (const name of all) names.push({ kind, name, translations: { ...stored.find((entry) => entry.name === name)?.translations } });
  }
  return { ...languageSettingsOf(settings), names };
}

const invalid = (path: string, code: string, message: string) =>
  new DomainError('VALIDATION_FAILED', 'The request body is not valid', { details: [{ path, code, message }] });

/** Replaces the languages and every name's translations; empty texts are dropped. */
export async function setMenuNames(staff: StaffPrincipal, input: MenuNamesInput, origin: RequestOrigin = {}): Promise<MenuNamesView> {
  const { defaultLanguage } = languageSettingsOf(await freshRestaurant());
  if (!input.languages.includes(defaultLanguage)) throw invalid('body.languages', 'default_language_missing', `The default language (${defaultLanguage}) must stay`);
  const seen = new Set<string>();
  const names: NameTranslation[] = [];
  input.names.forEach((entry, index) => {
    const id = `${entry.kind}\u0000${entry.name}`;
    if (seen.has(id)) throw invalid(`body.names.${index}`, 'repeated_name', 'This name is listed twice');
    seen.add(id);
    const translations: Record<string, string> = {};
    for (const [language, text] of Object.entries(entry.translations)) {
      if (language === defaultLanguage || !input.languages.includes(language)) {
        throw invalid(`body.names.${index}.translations.${language}`, 'unknown_language', 'Translate into the restaurant’s other languages');
      }
      if (text.trim()) translations[language] = text.trim();
    }
    if (Object.keys(translations).length) names.push({ kind: entry.kind, name: entry.name, translations });
  });
  const languages = [defaultLanguage, ...input.languages.filter((code) => code !== defaultLanguage)];
  await saveMenuNames(staff.restaurantId, languages, names);
  // Category names show on every guest's menu: the pipeline tells their phones to load it again (the dishes are unchanged).
  await afterCommit([{ type: 'MenuNamesUpdated', actor: staffActor(staff), restaurantId: staff.restaurantId, languages, names: names.length }], origin);
  return menuNames(staff.restaurantId);
}
