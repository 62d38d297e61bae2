/**
 * A returning guest's favourites on the menu: once this phone is identified as a customer, the dishes
 * they starred and the ones they order most (GET /api/customers/favorites) come first; a star on any
 * dish adds or removes it (PUT/DELETE /api/customers/favorites/{id}, the POS's `customers.favorites`).
 */
import { computed, effect, signal } from '@preact/signals';
import { isApiError } from '../shared/api.ts';
import { errorText } from '../shared/error-text.ts';
import type { MenuItem } from '../shared/types.ts';
import { api, guest, itemsById, phase, say, words } from './store.ts';

export interface Favorites {
  starred: string[];
  frequent: { menuItemId: string; quantity: number }[];
}

export const favorites = signal<Favorites | null>(null);

let loadedFor = '';

/** Loads the favourites whenever this phone becomes identified at a (new) table session. */
effect(() => {
  const me = guest.value;
  const key = me?.customerName && phase.value === 'ready' ? `${me.sessionId}:${me.deviceId}:${me.customerName}` : '';
  if (key === loadedFor) return;
  loadedFor = key;
  if (!key) {
    favorites.value = null;
    return;
  }
  api.get<Favorites>('/customers/favorites').then(
    (answer) => {
      if (loadedFor === key) favorites.value = answer;
    },
    () => {
      // Favourites are extra: the menu works without them.
    },
  );
});

/** The dishes to show first, as on the menu now: starred (in the order starred), then the most ordered. */
export const favoriteDishes = computed<MenuItem[]>(() => {
  const current = favorites.value;
  if (!current) return [];
  const ids = [...current.starred, ...current.frequent.map((row) => row.menuItemId)];
  const dishes = [...new Set(ids)].map((id) => itemsById.value.get(id)).filter((item): item is MenuItem => item !== undefined);
  return dishes;
});

export const isStarred = (id: string): boolean => favorites.value?.starred.includes(id) ?? false;

/** Stars or unstars a dish at once on screen; a refusal puts it back and says why. */
export async function toggleStar(item: MenuItem): Promise<void> {
  const before = favorites.value;
  if (!before) return;
  const on = !before.starred.includes(item.id);
  favorites.value = { ...before, starred: on ? [...before.starred, item.id] : before.starred.filter((id) => id !== item.id) };
  try {
    const path = `/customers/favorites/${encodeURIComponent(item.id)}`;
    favorites.value = on ? await api.put<Favorites>(path) : await api.del<Favorites>(path);
  } catch (error) {
    favorites.value = before;
    say(isApiError(error) && !error.isNetwork ? { text: errorText(error) } : words('common.networkError'), 'error');
  }
}
