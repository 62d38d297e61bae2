/**
 * The menu: category chips, search, veg/non-veg marks, sold-out greyed out live; for an identified
 * guest, their favourites first and a star on every dish (favorites.ts).
 */
import { useMemo, useState } from 'preact/hooks';
import { Button } from '../shared/components.tsx';
import { t } from '../shared/i18n.ts';
import type { MenuItem } from '../shared/types.ts';
import { favoriteDishes, favorites, isStarred, toggleStar } from './favorites.ts';
import { ItemSheet } from './item-sheet.tsx';
import { menu, menuLang, price, shownMenu } from './store.ts';
import { DishPicture } from '../shared/photo.tsx';
import { languageName } from '../shared/menu-language.ts';
import { pickMenuLang } from './menu-language.ts';

export function VegMark({ isVeg }: { isVeg: boolean }) {
  return <span class={'vegmark ' + (isVeg ? 'veg' : 'nonveg')} role="img" aria-label={isVeg ? t('menu.veg') : t('menu.nonVeg')} />;
}

/** Case- and accent-insensitive match on name and description. */
export function matches(item: MenuItem, query: string): boolean {
  const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  const q = fold(query.trim());
  return !q || fold(item.name).includes(q) || fold(item.description ?? '').includes(q);
}

export function MenuView() {
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const data = shownMenu.value;
  const categories = useMemo(
    () => (data?.categories ?? []).map((c) => ({ ...c, items: c.items.filter((item) => matches(item, query)) })).filter((c) => c.items.length > 0),
    [data, query],
  );
  const openItem = open ? data?.categories.flatMap((c) => c.items).find((i) => i.id === open) ?? null : null;

  return (
    <section aria-labelledby="menu-title">
      <h1 id="menu-title" class="visually-hidden">
        {t('nav.menu')}
      </h1>
      <div class="menu-tools">
        <label for="menu-search" class="visually-hidden">
          {t('menu.search')}
        </label>
        <div class="menu-search-row">
          <input id="menu-search" class="input" type="search" placeholder={t('menu.search')} value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
          <MenuLanguagePicker />
        </div>
        {!query && (
          <nav class="chips" aria-label={t('menu.categories')}>
            {favoriteDishes.value.length > 0 && (
              <a class="chip" href="#cat-favorites">
                {t('menu.favorites')}
              </a>
            )}
            {categories.map((c, i) => (
              <a key={c.name} class="chip" href={'#cat-' + i} lang={menuLang.value}>
                {c.name}
              </a>
            ))}
          </nav>
        )}
      </div>
      {categories.length === 0 && query && <p class="muted page">{t('menu.noResults', { q: query })}</p>}
      {data && categories.length === 0 && !query && favoriteDishes.value.length === 0 && (
        <p class="muted page" data-testid="menu-empty">
          {t('menu.empty')}
        </p>
      )}
      {!query && favoriteDishes.value.length > 0 && (
        <section class="menu-cat menu-favorites" aria-labelledby="cat-favorites" data-testid="menu-favorites">
          <h2 id="cat-favorites" tabIndex={-1}>
            {t('menu.favorites')}
          </h2>
          <ul class="menu-list">
            {favoriteDishes.value.map((item) => (
              <MenuEntry key={item.id} item={item} onAdd={setOpen} />
            ))}
          </ul>
        </section>
      )}
      {categories.map((category, i) => (
        <section key={category.name} class="menu-cat" aria-labelledby={'cat-' + i}>
          <h2 id={'cat-' + i} tabIndex={-1} lang={menuLang.value}>
            {category.name}
          </h2>
          <ul class="menu-list">
            {category.items.map((item) => (
              <MenuEntry key={item.id} item={item} onAdd={setOpen} />
            ))}
          </ul>
        </section>
      ))}
      <ItemSheet item={openItem} onClose={() => setOpen(null)} />
    </section>
  );
}

/**
 * The language of the dishes, when the restaurant translated its menu: each language named in itself
 * ("தமிழ்"), so a guest finds theirs whatever the app's language. Kept on the phone (menu-language.ts).
 */
function MenuLanguagePicker() {
  const languages = menu.value?.restaurant.languages ?? [];
  if (languages.length < 2) return null;
  return (
    <select class="input menu-lang" aria-label={t('menu.language')} value={menuLang.value} onChange={(e) => pickMenuLang(e.currentTarget.value)} data-testid="menu-language">
      {languages.map((code) => (
        <option key={code} value={code} lang={code}>
          {languageName(code, code)}
        </option>
      ))}
    </select>
  );
}

function StarButton({ item }: { item: MenuItem }) {
  const on = isStarred(item.id);
  return (
    <button type="button" class={'star' + (on ? ' on' : '')} aria-pressed={on} aria-label={t('menu.starNamed', { name: item.name })} onClick={() => void toggleStar(item)}>
      <span aria-hidden="true">{on ? '★' : '☆'}</span>
    </button>
  );
}

/** One dish on the menu (in its category, and again among the favourites). */
function MenuEntry({ item, onAdd }: { item: MenuItem; onAdd: (id: string) => void }) {
  return (
    <li class={'menu-item' + (item.isAvailable ? '' : ' soldout')}>
      <div class="menu-item-text">
        <div class="row menu-item-name">
          <VegMark isVeg={item.isVeg} />
          <h3 lang={menuLang.value}>{item.name}</h3>
          {favorites.value && <StarButton item={item} />}
        </div>
        <div class="num menu-price">{price(item.price)}</div>
        {item.description && (
          <p class="muted menu-desc" lang={menuLang.value}>
            {item.description}
          </p>
        )}
        {item.modifierGroups.length > 0 && <span class="muted small">{t('menu.customisable')}</span>}
      </div>
      <div class="menu-item-side">
        {item.photo ? (
          <DishPicture photo={item.photo} size={88} />
        ) : (
          item.image && <img src={item.image} alt="" width={88} height={88} loading="lazy" decoding="async" />
        )}
        {item.isAvailable ? (
          <Button variant="secondary" onClick={() => onAdd(item.id)} aria-label={t('menu.addNamed', { name: item.name })}>
            {t('menu.add')}
          </Button>
        ) : (
          <span class="badge badge-danger">{t('menu.soldOut')}</span>
        )}
      </div>
    </li>
  );
}
