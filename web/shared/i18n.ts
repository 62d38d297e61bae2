/**
 * A tiny message catalogue: English and Hindi. The language follows the browser until the user
 * picks one (remembered in localStorage). Each app registers its own messages with addMessages(),
 * so an app's bundle carries only its strings. Missing Hindi falls back to English, then to the key.
 * Placeholders: t('cart.count', { n: 3 }) with "{n} items".
 */
import { effect, signal } from '@preact/signals';
import { readPref, writePref } from './storage.ts';

export const LANGS = ['en', 'hi'] as const;
export type Lang = (typeof LANGS)[number];
export type Messages = Record<string, string>;

const catalogue: Record<Lang, Messages> = {
  en: {
    'lang.name': 'English',
    'lang.switch': 'हिन्दी',
    'lang.switchLabel': 'Switch language to Hindi',
    'common.retry': 'Try again',
    'common.close': 'Close',
    'common.cancel': 'Cancel',
    'common.loading': 'Loading…',
    'common.offline': 'Connection lost — reconnecting…',
    'common.stale': 'Not live: reconnecting. What you see may be out of date.',
    'common.error': 'Something went wrong. Please try again.',
    'common.networkError': 'No connection. Check your network and try again.',
    'common.signIn': 'Sign in',
    'common.signOut': 'Sign out',
    'common.username': 'Username',
    'common.password': 'Password',
    'common.guest': 'Guest',
  },
  hi: {
    'lang.name': 'हिन्दी',
    'lang.switch': 'English',
    'lang.switchLabel': 'भाषा अंग्रेज़ी में बदलें',
    'common.retry': 'फिर से कोशिश करें',
    'common.close': 'बंद करें',
    'common.cancel': 'रद्द करें',
    'common.loading': 'लोड हो रहा है…',
    'common.offline': 'कनेक्शन टूट गया — फिर से जोड़ रहे हैं…',
    'common.stale': 'लाइव नहीं: फिर से जोड़ रहे हैं। दिख रही जानकारी पुरानी हो सकती है।',
    'common.error': 'कुछ गलत हो गया। कृपया फिर से कोशिश करें।',
    'common.networkError': 'कनेक्शन नहीं है। नेटवर्क जाँचें और फिर से कोशिश करें।',
    'common.signIn': 'साइन इन करें',
    'common.signOut': 'साइन आउट',
    'common.username': 'यूज़रनेम',
    'common.password': 'पासवर्ड',
    'common.guest': 'मेहमान',
  },
};

export function addMessages(messages: Partial<Record<Lang, Messages>>): void {
  for (const lang of LANGS) Object.assign(catalogue[lang], messages[lang]);
}

/** Every key a language has (the apps' catalogues included once their messages module is loaded). */
export const messageKeys = (language: Lang): string[] => Object.keys(catalogue[language]);

/** The browser's preferred supported language, English by default. */
export function detectLang(languages: readonly string[] = globalThis.navigator?.languages ?? []): Lang {
  for (const tag of languages) {
    const base = tag.toLowerCase().split('-')[0];
    if ((LANGS as readonly string[]).includes(base)) return base as Lang;
  }
  return 'en';
}

export const lang = signal<Lang>(readPref<Lang>('lang') ?? detectLang());

export function setLang(next: Lang): void {
  lang.value = next;
  writePref('lang', next);
  if (globalThis.document) document.documentElement.lang = next;
}

/** Reads `lang`, so a component calling t() re-renders when the language changes. */
export function t(key: string, params?: Record<string, string | number>): string {
  const text = catalogue[lang.value][key] ?? catalogue.en[key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Keeps the page's title (the browser tab, what a screen reader announces first) in the current language. */
export function keepTitle(title: () => string): void {
  effect(() => {
    document.title = title();
  });
}
