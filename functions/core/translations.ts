/**
 * The menu in the guest's language. A name's default-language text is the name itself (what the
 * POS reads and orders store); other languages live beside it and anything missing falls back to
 * the default language.
 */
import type { MenuItem, NameKind, NameTranslation, Translations } from './entities.ts';

/** What a restaurant offers when its document names no languages. */
export const DEFAULT_LANGUAGES: readonly string[] = ['en', 'hi'];
export const DEFAULT_LANGUAGE = 'en';
/** ISO 639-1 (or -2) codes, lower case: "en", "hi", "ta", "kok". */
export const LANGUAGE_CODE = /^[a-z]{2,3}$/;
export const MAX_LANGUAGES = 8;

export interface LanguageSettings {
  languages: string[];
  defaultLanguage: string;
}

export function languageSettingsOf(settings: { languages?: string[]; defaultLanguage?: string }): LanguageSettings {
  const defaultLanguage = settings.defaultLanguage ?? DEFAULT_LANGUAGE;
  const languages = settings.languages?.length ? settings.languages : [...DEFAULT_LANGUAGES];
  return { defaultLanguage, languages: [defaultLanguage, ...languages.filter((code) => code !== defaultLanguage)] };
}

/** The text in `language`, else the default-language text. */
export const translated = (fallback: string, translations: Translations | undefined, language: string): string =>
  translations?.[language]?.trim() || fallback;

/** A name's translations in the restaurant's list (undefined when none). */
export function namesOf(names: readonly NameTranslation[] | undefined, kind: NameKind, name: string): Translations | undefined {
  return names?.find((entry) => entry.kind === kind && entry.name === name)?.translations;
}

/** The dish's name in every language that has one: what an order keeps for the kitchen. */
export function dishNameTranslations(dish: Pick<MenuItem, 'translations'>): Translations | undefined {
  const entries = Object.entries(dish.translations ?? {})
    .map(([language, texts]) => [language, texts.name?.trim() ?? ''] as const)
    .filter(([, name]) => name !== '');
  return entries.length ? Object.fromEntries(entries) : undefined;
}

/** The chosen options' names in every language that has them, by option id (undefined when none). */
export function optionNameTranslations(dish: Pick<MenuItem, 'translations'>, optionIds: readonly string[]): Record<string, Translations> | undefined {
  const out: Record<string, Translations> = {};
  for (const optionId of optionIds) {
    for (const [language, texts] of Object.entries(dish.translations ?? {})) {
      const name = texts.options?.[optionId]?.trim();
      if (name) out[optionId] = { ...out[optionId], [language]: name };
    }
  }
  return Object.keys(out).length ? out : undefined;
}

export interface TranslationProblem {
  path: string;
  code: string;
  message: string;
}

/** Translations must be in the restaurant's other languages and name groups and options the dish has. */
export function translationProblems(
  dish: Pick<MenuItem, 'translations' | 'modifierGroups'>,
  { languages, defaultLanguage }: LanguageSettings,
): TranslationProblem[] {
  const problems: TranslationProblem[] = [];
  const groupIds = new Set(dish.modifierGroups.map((group) => group.groupId));
  const optionIds = new Set(dish.modifierGroups.flatMap((group) => group.options.map((option) => option.id)));
  for (const [language, texts] of Object.entries(dish.translations ?? {})) {
    if (language === defaultLanguage || !languages.includes(language)) {
      problems.push({
        path: `body.translations.${language}`,
        code: 'unknown_language',
        message: `Translations may be in ${languages.filter((code) => code !== defaultLanguage).join(', ') || 'no other language'}`,
      });
      continue;
    }
    for (const groupId of Object.keys(texts.groups ?? {})) {
      if (!groupIds.has(groupId)) problems.push({ path: `body.translations.${language}.groups.${groupId}`, code: 'unknown_group', message: 'The dish has no such modifier group' });
    }
    for (const optionId of Object.keys(texts.options ?? {})) {
      if (!optionIds.has(optionId)) problems.push({ path: `body.translations.${language}.options.${optionId}`, code: 'unknown_option', message: 'The dish has no such option' });
    }
  }
  return problems;
}
