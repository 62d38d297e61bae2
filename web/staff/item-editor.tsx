/**
 * A manager's dish editor: name, description, price (typed in rupees, sent in paise), category,
 * veg, station, spice levels, availability and modifier groups as plain form rows.
 */
import { useEffect, useId, useState } from 'preact/hooks';
import { isApiError } from '../shared/api.ts';
import { Banner, Button, Field, Sheet } from '../shared/components.tsx';
import { config } from '../shared/config.ts';
import { currencySymbol, minorDigits } from '../shared/format.ts';
import { lang, t } from '../shared/i18n.ts';
import { languageName } from '../shared/menu-language.ts';
import type { MenuItem, MenuItemTranslation } from '../shared/types.ts';
import { useConsole } from './console.ts';
import { draftOf, newKey, SPICE_LEVELS, toInput, type Draft, type DraftProblem, type GroupRow, type OptionRow } from './item-draft.ts';
import { PhotoEditor } from './photo-editor.tsx';
import { describeError } from './store.ts';
import { useBusyAction } from './busy-action.ts';

/** 400 VALIDATION_FAILED lists the fields: "price: too big". */
function explain(error: unknown): string {
  if (isApiError(error) && error.code === 'VALIDATION_FAILED' && Array.isArray(error.details)) {
    const lines = (error.details as { path?: string; message?: string }[]).map((issue) => `${(issue.path ?? '').replace(/^body\.?/, '')}: ${issue.message ?? ''}`);
    return `${error.message} — ${lines.join('; ')}`;
  }
  return describeError(error);
}

export interface ItemEditorProps {
  open: boolean;
  item?: MenuItem;
  category?: string;
  categories: string[];
  stations: string[];
  onClose: () => void;
}

export function ItemEditor({ open, item, category, categories, stations, onClose }: ItemEditorProps) {
  const c = useConsole();
  const digits = minorDigits(config.value.currency);
  const [draft, setDraft] = useState<Draft>(() => draftOf(item, category, digits));
  const { busy, error, setError, run } = useBusyAction(explain);
  const [confirmDelete, setConfirmDelete] = useState(false);
  // A problem found before sending shows at its field, which takes the focus (Save is far below it).
  const [problem, setProblem] = useState<DraftProblem | undefined>();
  const ids = useId();
  const fieldId = (key: string) => `${ids}-${key}`;
  const fieldError = (key: string) => (problem?.field === key ? problem.text : undefined);

  useEffect(() => setProblem(undefined), [draft]); // typed into: the next Save checks again

  useEffect(() => {
    if (!problem) return;
    const field = document.getElementById(fieldId(problem.field));
    field?.scrollIntoView({ block: 'center' });
    field?.focus({ preventScroll: true });
  }, [problem]);

  useEffect(() => {
    if (open) {
      setDraft(draftOf(item, category, digits));
      setError(undefined);
      setProblem(undefined);
      setConfirmDelete(false);
    }
  }, [open, item?.id]);

  const restaurant = c.menu.value?.restaurant;
  const otherLanguages = (restaurant?.languages ?? []).filter((code) => code !== restaurant?.defaultLanguage);
  const emptyTexts = (): Required<MenuItemTranslation> => ({ name: '', description: '', groups: {}, options: {} });
  const setTexts = (code: string, change: (texts: Required<MenuItemTranslation>) => Required<MenuItemTranslation>) =>
    setDraft((current) => ({ ...current, translations: { ...current.translations, [code]: change(current.translations[code] ?? emptyTexts()) } }));
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((current) => ({ ...current, [key]: value }));
  const setGroup = (index: number, patch: Partial<GroupRow>) =>
    setDraft((current) => ({ ...current, groups: current.groups.map((group, i) => (i === index ? { ...group, ...patch } : group)) }));
  const setOption = (g: number, o: number, patch: Partial<OptionRow>) =>
    setGroup(g, { options: draft.groups[g].options.map((option, i) => (i === o ? { ...option, ...patch } : option)) });

  async function save(event: Event) {
    event.preventDefault();
    const { input, problem: found } = toInput(draft, digits, otherLanguages);
    // A fresh object each time: the same problem again moves the focus back to it.
    setProblem(found && { ...found });
    if (!input) return;
    await run(async () => {
      await c.saveMenuItem(item?.id, input);
      c.flash('success', () => t(item ? 'staff.edit.saved' : 'staff.edit.created', { name: input.name }));
      onClose();
    });
  }

  async function remove() {
    if (!item) return;
    await run(async () => {
      await c.deleteMenuItem(item.id);
      c.flash('success', () => t('staff.edit.deleted', { name: item.name }));
      onClose();
    });
  }

  const symbol = currencySymbol(config.value.currency, config.value.locale);

  return (
    <Sheet open={open} title={item ? t('staff.edit.title', { name: item.name }) : t('staff.edit.newTitle')} onClose={() => !busy && onClose()}>
      {open && (
        <form onSubmit={save} class="s-editor" data-testid="dish-editor" noValidate>
          <Field id={fieldId('name')} error={fieldError('name')} label={t('staff.edit.name')} value={draft.name} maxLength={120} required onInput={(e) => set('name', e.currentTarget.value)} />
          <div class="field">
            <label for={ids + 'desc'}>{t('staff.edit.description')}</label>
            <textarea id={ids + 'desc'} class="input" maxLength={1000} value={draft.description} onInput={(e) => set('description', e.currentTarget.value)} />
          </div>
          <PhotoEditor itemId={item?.id} />
          <div class="s-editor-row">
            <Field
              id={fieldId('price')}
              error={fieldError('price')}
              label={t('staff.edit.price', { symbol })}
              inputMode="decimal"
              value={draft.price}
              required
              hint={t('staff.edit.priceHint')}
              onInput={(e) => set('price', e.currentTarget.value)}
              data-testid="dish-price"
            />
            <Field id={fieldId('category')} error={fieldError('category')} label={t('staff.edit.category')} list={ids + 'cats'} value={draft.category} maxLength={60} required onInput={(e) => set('category', e.currentTarget.value)} />
            <datalist id={ids + 'cats'}>
              {categories.map((name) => (
                <option key={name} value={name} />
              ))}
            </datalist>
          </div>
          <div class="s-editor-row">
            <Field
              id={fieldId('station')}
              error={fieldError('station')}
              label={t('staff.edit.station')}
              list={ids + 'stations'}
              value={draft.station}
              hint={t('staff.edit.stationHint')}
              required
              autoCapitalize="characters"
              onInput={(e) => set('station', e.currentTarget.value.toUpperCase().replace(/\s+/g, '_'))}
            />
            <datalist id={ids + 'stations'}>
              {stations.map((name) => (
                <option key={name} value={name} />
              ))}
            </datalist>
            <div class="s-checks">
              <label class="s-check">
                <input type="checkbox" checked={draft.isVeg} onChange={(e) => set('isVeg', e.currentTarget.checked)} />
                {t('staff.menu.veg')}
              </label>
              <label class="s-check">
                <input type="checkbox" checked={draft.isAvailable} onChange={(e) => set('isAvailable', e.currentTarget.checked)} />
                {t('staff.menu.available')}
              </label>
            </div>
          </div>
          <fieldset class="s-fieldset">
            <legend>{t('staff.edit.spice')}</legend>
            <div class="row s-wrap">
              {SPICE_LEVELS.map((level) => (
                <label key={level} class="s-check">
                  <input
                    type="checkbox"
                    checked={draft.spiceLevels.includes(level)}
                    onChange={(e) => set('spiceLevels', e.currentTarget.checked ? [...draft.spiceLevels, level] : draft.spiceLevels.filter((each) => each !== level))}
                  />
                  {t('staff.spice.' + level)}
                </label>
              ))}
            </div>
          </fieldset>
          <fieldset class="s-fieldset">
            <legend>{t('staff.edit.modifiers')}</legend>
            {draft.groups.length === 0 && <p class="muted">{t('staff.edit.noModifiers')}</p>}
            {draft.groups.map((group, g) => (
              <fieldset key={group.groupId} class="s-group">
                <legend>{group.name || t('staff.edit.groupUntitled', { n: g + 1 })}</legend>
                <div class="s-editor-row s-group-row">
                  <Field id={fieldId(`g${g}-name`)} error={fieldError(`g${g}-name`)} label={t('staff.edit.groupName')} value={group.name} maxLength={80} onInput={(e) => setGroup(g, { name: e.currentTarget.value })} />
                  <Field id={fieldId(`g${g}-min`)} error={fieldError(`g${g}-min`)} label={t('staff.edit.min')} type="number" min={0} max={20} value={group.min} hint={t('staff.edit.minHint')} onInput={(e) => setGroup(g, { min: e.currentTarget.value })} />
                  <Field label={t('staff.edit.max')} type="number" min={1} max={20} value={group.max} onInput={(e) => setGroup(g, { max: e.currentTarget.value })} />
                </div>
                {group.options.map((option, o) => (
                  <div key={option.id} class="s-editor-row s-option-row">
                    <Field id={fieldId(`g${g}-o${o}-name`)} error={fieldError(`g${g}-o${o}-name`)} label={t('staff.edit.optionName', { n: o + 1 })} value={option.name} maxLength={80} onInput={(e) => setOption(g, o, { name: e.currentTarget.value })} />
                    <Field id={fieldId(`g${g}-o${o}-price`)} error={fieldError(`g${g}-o${o}-price`)} label={t('staff.edit.optionPrice', { symbol })} inputMode="decimal" value={option.price} onInput={(e) => setOption(g, o, { price: e.currentTarget.value })} />
                    <Button
                      variant="ghost"
                      aria-label={t('staff.edit.removeOption', { name: option.name || String(o + 1) })}
                      onClick={() => setGroup(g, { options: group.options.filter((_, i) => i !== o) })}
                    >
                      <span aria-hidden="true">✕</span>
                    </Button>
                  </div>
                ))}
                {fieldError(`g${g}-add`) && (
                  <p id={fieldId(`g${g}-add`) + '-error'} class="field-error">
                    {fieldError(`g${g}-add`)}
                  </p>
                )}
                <div class="row s-wrap">
                  <Button
                    id={fieldId(`g${g}-add`)}
                    variant="secondary"
                    aria-describedby={fieldError(`g${g}-add`) ? fieldId(`g${g}-add`) + '-error' : undefined}
                    onClick={() => setGroup(g, { options: [...group.options, { id: newKey('o'), name: '', price: '0' }] })}
                  >
                    {t('staff.edit.addOption')}
                  </Button>
                  <Button variant="ghost" onClick={() => set('groups', draft.groups.filter((_, i) => i !== g))}>
                    {t('staff.edit.removeGroup')}
                  </Button>
                </div>
              </fieldset>
            ))}
            <Button
              variant="secondary"
              onClick={() => set('groups', [...draft.groups, { groupId: newKey('g'), name: '', min: '0', max: '1', options: [{ id: newKey('o'), name: '', price: '0' }] }])}
            >
              {t('staff.edit.addGroup')}
            </Button>
          </fieldset>
          {otherLanguages.map((code) => {
            const texts = draft.translations[code] ?? emptyTexts();
            return (
              <fieldset key={code} class="s-fieldset" lang={code} data-testid={`dish-translation-${code}`}>
                <legend>{t('staff.edit.inLanguage', { language: languageName(code, lang.value) })}</legend>
                <Field label={t('staff.edit.nameIn', { language: languageName(code, lang.value) })} value={texts.name} maxLength={120} placeholder={draft.name} onInput={(e) => setTexts(code, (x) => ({ ...x, name: e.currentTarget.value }))} />
                <div class="field">
                  <label for={ids + 'desc-' + code}>{t('staff.edit.descriptionIn', { language: languageName(code, lang.value) })}</label>
                  <textarea id={ids + 'desc-' + code} class="input" maxLength={1000} placeholder={draft.description} value={texts.description} onInput={(e) => setTexts(code, (x) => ({ ...x, description: e.currentTarget.value }))} />
                </div>
                {draft.groups.map((group, g) => (
                  <div key={group.groupId} class="s-editor-row s-wrap">
                    <Field
                      label={t('staff.edit.groupNameIn', { name: group.name || t('staff.edit.groupUntitled', { n: g + 1 }), language: languageName(code, lang.value) })}
                      value={texts.groups[group.groupId] ?? ''}
                      placeholder={group.name}
                      maxLength={80}
                      onInput={(e) => setTexts(code, (x) => ({ ...x, groups: { ...x.groups, [group.groupId]: e.currentTarget.value } }))}
                    />
                    {group.options.map((option, o) => (
                      <Field
                        key={option.id}
                        label={t('staff.edit.optionNameIn', { name: option.name || t('staff.edit.optionName', { n: o + 1 }), language: languageName(code, lang.value) })}
                        value={texts.options[option.id] ?? ''}
                        placeholder={option.name}
                        maxLength={80}
                        onInput={(e) => setTexts(code, (x) => ({ ...x, options: { ...x.options, [option.id]: e.currentTarget.value } }))}
                      />
                    ))}
                  </div>
                ))}
              </fieldset>
            );
          })}
          {error && <Banner tone="error">{error}</Banner>}
          {confirmDelete && item && (
            <Banner
              tone="warn"
              action={
                <Button variant="danger" busy={busy} onClick={() => void remove()} data-testid="confirm-delete">
                  {t('staff.edit.deleteConfirm')}
                </Button>
              }
            >
              {t('staff.edit.deleteBody', { name: item.name })}
            </Banner>
          )}
          <div class="s-dialog-actions">
            {item && !confirmDelete && (
              <Button variant="danger" onClick={() => setConfirmDelete(true)} class="s-delete">
                {t('staff.edit.delete')}
              </Button>
            )}
            <Button variant="secondary" onClick={onClose} disabled={busy}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" busy={busy} data-testid="save-dish">
              {t('staff.edit.save')}
            </Button>
          </div>
        </form>
      )}
    </Sheet>
  );
}
