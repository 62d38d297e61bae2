/**
 * The menu in the reader's language: a dish's, option's, group's and category's text in that
 * language when the restaurant translated it, else the default-language text (what the server's
 * `name` fields hold and orders store).
 */
import type { Menu, MenuItem } from './types.ts';

/** The text in `language`, else `fallback` (the default language's). */
export const textIn = (fallback: string, translations: Readonly<Record<string, string>> | undefined, language: string): string =>
  translations?.[language]?.trim() || fallback;

/** A dish with its texts, groups and options in `language`. */
export function dishIn(item: MenuItem, language: string): MenuItem {
  const texts = item.translations?.[language];
  if (!texts) return item;
  return {
    ...item,
    name: texts.name?.trim() || item.name,
    description: texts.description?.trim() || item.description,
    modifierGroups: item.modifierGroups.map((group) => ({
      ...group,
      name: texts.groups?.[group.groupId]?.trim() || group.name,
      options: group.options.map((option) => ({ ...option, name: texts.options?.[option.id]?.trim() || option.name })),
    })),
  };
}

/** The whole menu in `language`; category `name`s become their translations (the chips and headings). */
export function menuIn(menu: Menu | null, language: string): Menu | null {
  if (!menu || language === menu.restaurant.defaultLanguage) return menu;
  return {
    ...menu,
    categories: menu.categories.map((category) => ({
      ...category,
      name: textIn(category.name, category.translations, language),
      items: category.items.map((item) => dishIn(item, language)),
    })),
  };
}

/** "Hindi" (or "हिन्दी" when `inLanguage` is hi) for "hi"; the code itself where the browser cannot name it. */
export function languageName(code: string, inLanguage: string): string {
  try {
    return new Intl.DisplayNames([inLanguage], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}
