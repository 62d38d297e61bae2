/**
 * The staff console's menu: the menu as guests see it, kept current by each dish the server answers
 * with (availability, edits, photos, deletions), and the languages and names (names.ts).
 */
import { signal } from '@preact/signals';
import { ApiError, isApiError, type ApiClient } from '../shared/api.ts';
import type { Menu } from '../shared/types.ts';
import { saveMenuNames } from './names.ts';
import type { MenuItemInput, MenuNamesInput, StaffMenuItem } from './types.ts';

export function createMenuStore(api: ApiClient) {
  const menu = signal<Menu | undefined>(undefined);
  const menuFailed = signal(false);

  async function loadMenu(): Promise<void> {
    try {
      menu.value = await api.get<Menu>('/menu');
      menuFailed.value = false;
    } catch (error) {
      if (isApiError(error) && error.isAuth) return;
      menuFailed.value = true;
    }
  }

  /** Applies a dish the server answered with to the menu we hold (moved between categories, or deleted). */
  function applyMenuItem(item: StaffMenuItem): void {
    const current = menu.value;
    if (!current) return;
    const categories = current.categories.map((category) => ({ ...category, items: category.items.filter((each) => each.id !== item.id) }));
    if (!item.deleted) {
      const home = categories.find((category) => category.name === item.category);
      const { category: _category, sortOrder: _sortOrder, deleted: _deleted, ...plain } = item;
      const previousIndex = current.categories.find((category) => category.name === item.category)?.items.findIndex((each) => each.id === item.id) ?? -1;
      if (home) {
        if (previousIndex >= 0) home.items.splice(previousIndex, 0, plain);
        else home.items.push(plain);
      } else categories.push({ name: item.category, items: [plain] });
    }
    menu.value = { ...current, categories: categories.filter((category) => category.items.length > 0) };
  }

  async function setAvailability(itemId: string, isAvailable: boolean): Promise<void> {
    const item = await api.patch<StaffMenuItem>(`/staff/menu/items/${encodeURIComponent(itemId)}`, { isAvailable });
    applyMenuItem(item);
  }

  async function saveMenuItem(itemId: string | undefined, input: Partial<MenuItemInput>): Promise<StaffMenuItem> {
    const item = itemId
      ? await api.patch<StaffMenuItem>(`/staff/menu/items/${encodeURIComponent(itemId)}`, input)
      : await api.post<StaffMenuItem>('/staff/menu/items', input);
    applyMenuItem(item);
    return item;
  }

  /**
   * A dish's photo: the server signs an upload for this one file, the browser posts it straight to the
   * media bucket (or the local runtime's stand-in), then the commit has it resized and put on the dish.
   */
  async function uploadMenuPhoto(itemId: string, file: File): Promise<StaffMenuItem> {
    const path = `/staff/menu/items/${encodeURIComponent(itemId)}/photo`;
    const started = await api.post<{ upload: { url: string; fields: Record<string, string> }; key: string }>(`${path}/upload`, { contentType: file.type, size: file.size });
    const form = new FormData();
    for (const [name, value] of Object.entries(started.upload.fields)) form.append(name, value);
    form.append('file', file); // S3 reads every field before the file
    const stored = await fetch(started.upload.url, { method: 'POST', body: form, credentials: 'omit' }).catch(() => undefined);
    if (!stored?.ok) throw new ApiError(stored?.status ?? 0, 'PHOTO_UPLOAD_FAILED', 'The photo could not be uploaded. Please try again.');
    const item = await api.put<StaffMenuItem>(path, { key: started.key }, { timeoutMs: 60_000 });
    applyMenuItem(item);
    return item;
  }

  async function removeMenuPhoto(itemId: string): Promise<StaffMenuItem> {
    const item = await api.del<StaffMenuItem>(`/staff/menu/items/${encodeURIComponent(itemId)}/photo`);
    applyMenuItem(item);
    return item;
  }

  async function deleteMenuItem(itemId: string): Promise<void> {
    await api.del(`/staff/menu/items/${encodeURIComponent(itemId)}`);
    const current = menu.value;
    if (current) {
      menu.value = {
        ...current,
        categories: current.categories.map((c) => ({ ...c, items: c.items.filter((i) => i.id !== itemId) })).filter((c) => c.items.length > 0),
      };
    }
  }

  return {
    menu,
    menuFailed,
    loadMenu,
    setAvailability,
    saveMenuItem,
    uploadMenuPhoto,
    removeMenuPhoto,
    deleteMenuItem,
    // The menu carries the languages the dish editor offers and the category names: loaded again.
    saveNames: async (input: MenuNamesInput) => {
      const saved = await saveMenuNames(api, input);
      await loadMenu();
      return saved;
    },
  };
}
