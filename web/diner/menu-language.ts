/**
 * The language dishes are shown in, apart from the app's own language: the app's words need a
 * catalogue (English, Hindi), while dish data comes in whatever languages the restaurant translated
 * its menu into. A guest picks it from the menu and it stays on the phone; until then it follows the
 * app's language when the restaurant offers it, else the restaurant's default language.
 */
import { signal } from '@preact/signals';
import { readPref, writePref } from '../shared/storage.ts';

const PREF = 'menuLang';

/** The guest's pick, kept on the phone (undefined: follow the app's language). */
export const menuLangPick = signal<string | undefined>(readPref<string>(PREF));

export function pickMenuLang(code: string): void {
  menuLangPick.value = code;
  writePref(PREF, code);
}

/** The language to show dishes in: the pick, else the app's, else the default, whichever the menu offers first. */
export function chooseMenuLang(offered: { languages: readonly string[]; defaultLanguage: string } | undefined, pick: string | undefined, appLang: string): string {
  if (!offered) return appLang;
  for (const code of [pick, appLang]) if (code && offered.languages.includes(code)) return code;
  return offered.defaultLanguage;
}
