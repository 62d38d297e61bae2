/**
 * Finds English on a screen that should be in Hindi: every text node, plus the aria-label, title,
 * placeholder and alt of every element (what a screen reader reads), with the restaurant's own data
 * (dish names, descriptions, categories, options, floors, stations, people's names) taken out
 * first. What remains may hold no run of Latin letters except the few words Hindi uses as they are
 * (PIN, UPI, QR, and image formats with MB). An element marked with another `lang` (the "English" language switch) is skipped.
 */
import type { Page } from 'playwright-core';
import type { TestStack } from '../../support/stack.ts';

/** Words the Hindi catalogue keeps in Latin letters: names of things, written as they are (image formats and MB included). */
const HINDI_LATIN_WORDS = ['PIN', 'UPI', 'QR', 'JPEG', 'PNG', 'WebP', 'MB'];

interface MenuData {
  restaurant: { name: string };
  categories: { name: string; items: { name: string; description: string; station?: string; modifierGroups: { name: string; options: { name: string }[] }[] }[] }[];
}

/** The restaurant's own words (never translated by the apps): from the menu, the floor and the staff list. */
export async function restaurantData(t: TestStack, extra: string[] = []): Promise<string[]> {
  const menu = (await t.api.get<MenuData>('/api/menu')).body;
  const words = [menu.restaurant.name, 'Plato'];
  for (const category of menu.categories) {
    words.push(category.name);
    for (const item of category.items) {
      words.push(item.name, item.description);
      for (const group of item.modifierGroups) words.push(group.name, ...group.options.map((option) => option.name));
    }
  }
  const { token } = await t.loginAs('ADMIN');
  const tables = (await t.api.get<{ tables: { number: string; floor: string }[] }>('/api/staff/tables', { token })).body.tables;
  words.push(...tables.flatMap((table) => [table.number, table.floor]));
  const users = (await t.api.get<{ users: { username: string; displayName?: string }[] }>('/api/staff/users', { token })).body.users;
  words.push(...users.flatMap((user) => [user.username, user.displayName ?? '']));
  words.push('GRILL', 'FRYER', 'TANDOOR', 'BAR', 'COLD', 'WOK', ...extra);
  return [...new Set(words.filter(Boolean))].sort((a, b) => b.length - a.length);
}

/** English left on the page once the restaurant's data is taken out: "word — in “text”" per finding. */
export async function englishOnScreen(page: Page, data: readonly string[]): Promise<string[]> {
  const texts = await page.evaluate(() => {
    const found: string[] = [];
    const foreign = (el: Element | null) => {
      for (let node = el; node; node = node.parentElement) {
        const lang = node.getAttribute('lang');
        if (lang && node !== document.documentElement) return !lang.startsWith('hi');
      }
      return false;
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest('script, style, template, noscript') || foreign(parent)) continue;
      const text = node.textContent?.trim();
      if (text) found.push(text);
    }
    for (const el of document.body.querySelectorAll('[aria-label], [title], [placeholder], [alt]')) {
      if (foreign(el)) continue;
      for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
        const value = el.getAttribute(name)?.trim();
        if (value) found.push(value);
      }
    }
    found.push(document.title);
    return found;
  });
  const findings: string[] = [];
  for (const text of texts) {
    // A guest's code ("मेहमान LUSQ") is an identifier, not a word.
    let rest = text.replace(/मेहमान [A-Z0-9]{4}\b/g, 'मेहमान').replace(/https?:\/\/\S+/g, ' '); // and a link is an address
    for (const datum of data) rest = rest.split(datum).join(' ');
    for (const word of rest.match(/[A-Za-z]{2,}/g) ?? []) {
      if (!HINDI_LATIN_WORDS.includes(word)) findings.push(`${word} — in “${text.slice(0, 90)}”`);
    }
  }
  return [...new Set(findings)];
}
