/**
 * The menu for staff: every dish with a sold-out switch (waiters and up), and for managers the
 * editor (add, edit, delete). Changes reach guests' phones live through the server's menu push.
 */
import { useEffect, useId, useState } from 'preact/hooks';
import { Banner, Button, Spinner } from '../shared/components.tsx';
import { money } from '../shared/format.ts';
import { lang, t } from '../shared/i18n.ts';
import { dishIn } from '../shared/menu-language.ts';
import type { MenuItem } from '../shared/types.ts';
import { useConsole } from './console.ts';
import { ItemEditor } from './item-editor.tsx';
import { NamesEditor } from './names-editor.tsx';
import { nameIn } from './names.ts';
import { describeError } from './store.ts';
import { roleAtLeast } from '../../functions/core/roles.ts';

export function MenuAdmin() {
  const c = useConsole();
  const [query, setQuery] = useState('');
  const [namesOpen, setNamesOpen] = useState(false);
  const [editing, setEditing] = useState<{ item?: MenuItem; category?: string } | undefined>();
  const [busy, setBusy] = useState<ReadonlySet<string>>(new Set());
  const searchId = useId();
  const isManager = roleAtLeast(c.role.value, 'MANAGER');

  useEffect(() => {
    void c.loadMenu();
  }, []);

  const menu = c.menu.value;
  if (!menu) {
    return (
      <div class="s-center">
        {c.menuFailed.value ? (
          <Banner tone="error" action={<Button onClick={() => void c.loadMenu()}>{t('common.retry')}</Button>}>
            {t('staff.menu.loadFailed')}
          </Banner>
        ) : (
          <Spinner label={t('common.loading')} />
        )}
      </div>
    );
  }

  async function toggle(item: MenuItem) {
    const next = new Set(busy);
    next.add(item.id);
    setBusy(next);
    try {
      await c.setAvailability(item.id, !item.isAvailable);
      c.flash('success', () => t(item.isAvailable ? 'staff.menu.nowSoldOut' : 'staff.menu.nowAvailable', { name: item.name }));
    } catch (caught) {
      c.flash('error', describeError(caught));
    } finally {
      setBusy((current) => {
        const after = new Set(current);
        after.delete(item.id);
        return after;
      });
    }
  }

  const needle = query.trim().toLowerCase();
  const categories = menu.categories
    .map((category) => ({ ...category, items: needle ? category.items.filter((item) => item.name.toLowerCase().includes(needle)) : category.items }))
    .filter((category) => category.items.length > 0);
  const soldOut = menu.categories.reduce((n, category) => n + category.items.filter((item) => !item.isAvailable).length, 0);

  return (
    <section class="s-page s-menu" aria-labelledby="menu-title">
      <div class="spread s-menu-head">
        <div>
          <h1 id="menu-title">{t('staff.menu.title')}</h1>
          <p class="muted">{isManager ? t('staff.menu.introManager') : t('staff.menu.introWaiter')}</p>
        </div>
        {isManager && (
          <div class="row s-wrap">
            <Button variant="secondary" onClick={() => setNamesOpen(true)} data-testid="edit-names">
              {t('staff.menu.names')}
            </Button>
            <Button onClick={() => setEditing({})} data-testid="add-dish">
              {t('staff.menu.add')}
            </Button>
          </div>
        )}
      </div>
      <div class="row s-menu-tools">
        <div class="field s-search">
          <label for={searchId}>{t('staff.menu.search')}</label>
          <input id={searchId} type="search" class="input" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
        </div>
        <p class="muted" role="status">
          {t('staff.menu.soldOutCount', { n: soldOut })}
        </p>
      </div>
      {categories.length === 0 && (
        <p class="muted" data-testid="menu-none">
          {needle ? t('staff.menu.noMatch') : t('staff.menu.empty')}
        </p>
      )}
      {categories.map((category) => (
        <section key={category.name} class="s-menu-category" aria-label={nameIn('category', category.name)}>
          <h2>{nameIn('category', category.name)}</h2>
          <ul class="s-menu-list">
            {category.items.map((item) => (
              <li key={item.id} class={'s-menu-item' + (item.isAvailable ? '' : ' is-sold-out')} data-testid="menu-item" data-item-id={item.id}>
                <span class={'s-veg ' + (item.isVeg ? 'is-veg' : 'is-nonveg')} role="img" aria-label={item.isVeg ? t('staff.menu.veg') : t('staff.menu.nonVeg')} />
                <span class="s-menu-name">
                  <strong>{dishIn(item, lang.value).name}</strong>
                  <span class="muted s-menu-sub">
                    {money(item.price)} · {nameIn('station', item.station)}
                  </span>
                </span>
                <button
                  type="button"
                  role="switch"
                  class={'s-switch' + (item.isAvailable ? ' is-on' : '')}
                  aria-checked={item.isAvailable}
                  aria-label={t('staff.menu.availableLabel', { name: item.name })}
                  disabled={busy.has(item.id)}
                  onClick={() => void toggle(item)}
                  data-testid={`availability-${item.id}`}
                >
                  <span class="s-switch-track" aria-hidden="true">
                    <span class="s-switch-thumb" />
                  </span>
                  <span class="s-switch-text" aria-hidden="true">
                    {item.isAvailable ? t('staff.menu.available') : t('staff.menu.soldOut')}
                  </span>
                </button>
                {isManager && (
                  <Button variant="secondary" onClick={() => setEditing({ item, category: category.name })} aria-label={t('staff.menu.editLabel', { name: item.name })} data-testid="edit-dish">
                    {t('staff.menu.edit')}
                  </Button>
                )}
              </li>
            ))}
          </ul>
        </section>
      ))}
      {isManager && <NamesEditor open={namesOpen} onClose={() => setNamesOpen(false)} />}
      {isManager && (
        <ItemEditor
          open={editing !== undefined}
          item={editing?.item}
          category={editing?.category}
          categories={menu.categories.map((category) => category.name)}
          stations={[...new Set(menu.categories.flatMap((category) => category.items.map((item) => item.station)))].sort()}
          onClose={() => setEditing(undefined)}
        />
      )}
    </section>
  );
}
