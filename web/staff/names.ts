/**
 * The menu's languages and the translated names of categories, stations and floors, for the
 * console: loaded once signed in (GET /api/staff/menu/names), saved by managers (PUT). Names show
 * in the console's language with a fallback to the restaurant's default language.
 */
import { signal } from '@preact/signals';
import type { ApiClient } from '../shared/api.ts';
import { lang } from '../shared/i18n.ts';
import { textIn } from '../shared/menu-language.ts';
import type { Menu } from '../shared/types.ts';
import type { MenuNames, MenuNamesInput, NameKind } from './types.ts';

export const menuNames = signal<MenuNames | undefined>(undefined);

export async function loadMenuNames(api: ApiClient): Promise<void> {
  try {
    menuNames.value = await api.get<MenuNames>('/staff/menu/names');
  } catch {
    // Names then show in the default language; the menu page offers the editor again.
  }
}

export async function saveMenuNames(api: ApiClient, input: MenuNamesInput): Promise<MenuNames> {
  const saved = await api.put<MenuNames>('/staff/menu/names', input);
  menuNames.value = saved;
  return saved;
}

/** A category's, station's or floor's name in the console's language. */
export function nameIn(kind: NameKind, name: string): string {
  const entry = menuNames.value?.names.find((each) => each.kind === kind && each.name === name);
  return textIn(name, entry?.translations, lang.value);
}

/**
 * A dish's name in the console's language when the restaurant translated it, else `stored` (the
 * default-language name an order or a report carries, which may be older than the menu's).
 */
export function dishNameIn(menu: Menu | undefined, menuItemId: string, stored: string): string {
  for (const category of menu?.categories ?? []) {
    const item = category.items.find((each) => each.id === menuItemId);
    if (item) return item.translations?.[lang.value]?.name?.trim() || stored;
  }
  return stored;
}
