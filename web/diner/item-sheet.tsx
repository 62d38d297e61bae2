/** The item sheet: modifier groups (min/max), spice level, notes ≤ 200 characters, quantity. */
import { useState } from 'preact/hooks';
import { Banner, Button, Sheet, Stepper } from '../shared/components.tsx';
import { t } from '../shared/i18n.ts';
import type { MenuItem, ModifierGroup, SpiceLevel } from '../shared/types.ts';
import { addToCart } from './actions.ts';
import { notice, noticesSaid, price, say, words, wordsText } from './store.ts';
import { DishPicture } from '../shared/photo.tsx';

export const NOTES_MAX = 200;

export function groupRule(group: ModifierGroup): string {
  if (group.min === group.max) return group.max === 1 ? t('item.chooseOne') : t('item.chooseExactly', { n: group.max });
  if (group.min === 0) return t('item.chooseUpTo', { max: group.max });
  return t('item.chooseRange', { min: group.min, max: group.max });
}

/** Unit price with the chosen options, in minor units. */
export function unitPriceOf(item: MenuItem, chosen: Record<string, string[]>): number {
  let price = item.price;
  for (const group of item.modifierGroups) {
    for (const id of chosen[group.groupId] ?? []) price += group.options.find((o) => o.id === id)?.price ?? 0;
  }
  return price;
}

export function ItemSheet({ item, onClose }: { item: MenuItem | null; onClose: () => void }) {
  return (
    <Sheet open={!!item} title={item?.name ?? ''} onClose={onClose}>
      {item && <ItemForm key={item.id} item={item} onDone={onClose} />}
    </Sheet>
  );
}

function ItemForm({ item, onDone }: { item: MenuItem; onDone: () => void }) {
  const [quantity, setQuantity] = useState(1);
  // A required single choice starts on its first option: one tap fewer for most guests.
  const [chosen, setChosen] = useState<Record<string, string[]>>(() =>
    Object.fromEntries(item.modifierGroups.filter((g) => g.min >= 1 && g.max === 1 && g.options.length > 0).map((g) => [g.groupId, [g.options[0].id]])),
  );
  const [spice, setSpice] = useState<SpiceLevel | undefined>(
    item.spiceLevels.length ? (item.spiceLevels.includes('regular') ? 'regular' : item.spiceLevels[0]) : undefined,
  );
  const [notes, setNotes] = useState('');
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const total = unitPriceOf(item, chosen) * quantity;

  function toggle(group: ModifierGroup, optionId: string, on: boolean) {
    const current = chosen[group.groupId] ?? [];
    let next: string[];
    if (group.max === 1) next = on ? [optionId] : [];
    else next = on ? (current.length < group.max ? [...current, optionId] : current) : current.filter((id) => id !== optionId);
    setChosen({ ...chosen, [group.groupId]: next });
  }

  async function submit(event: Event) {
    event.preventDefault();
    const missing = item.modifierGroups.find((g) => (chosen[g.groupId]?.length ?? 0) < g.min);
    if (missing) {
      setProblem(t('item.pickGroup', { group: missing.name }));
      return;
    }
    setProblem(undefined);
    setBusy(true);
    const modifierOptionIds = item.modifierGroups.flatMap((g) => chosen[g.groupId] ?? []);
    const said = noticesSaid();
    const ok = await addToCart({
      menuItemId: item.id,
      quantity,
      ...(modifierOptionIds.length ? { modifierOptionIds } : {}),
      ...(spice ? { spiceLevel: spice } : {}),
      ...(notes.trim() ? { notes: notes.trim() } : {}),
    });
    setBusy(false);
    if (ok) {
      say(words('item.added', { name: item.name }), 'success', 3000);
      onDone();
    } else if (noticesSaid() > said && notice.value) {
      // The page's notices sit under this modal sheet (and outside it, so a screen reader in the
      // sheet does not hear them): why the dish was not added is said here, where the guest is.
      setProblem(wordsText(notice.value.words));
    }
  }

  return (
    <form onSubmit={submit} class="item-form">
      {item.photo && <DishPicture photo={item.photo} size={160} class="item-photo" />}
      {item.description && <p class="muted">{item.description}</p>}
      {!item.isAvailable && <Banner tone="warn">{t('menu.soldOut')}</Banner>}
      {item.modifierGroups.map((group) => {
        const picked = chosen[group.groupId] ?? [];
        const radio = group.max === 1;
        return (
          <fieldset key={group.groupId} class="choice-group">
            <legend>
              <strong>{group.name}</strong> <span class="muted">· {groupRule(group)}</span>
              {group.min > 0 && <span class="badge badge-info">{t('item.required')}</span>}
            </legend>
            {group.options.map((option) => {
              const checked = picked.includes(option.id);
              const full = !radio && !checked && picked.length >= group.max;
              return (
                <label key={option.id} class={'choice' + (full ? ' choice-disabled' : '')}>
                  <input
                    type={radio ? 'radio' : 'checkbox'}
                    name={'g-' + group.groupId}
                    checked={checked}
                    disabled={full}
                    onChange={(e) => toggle(group, option.id, e.currentTarget.checked)}
                  />
                  <span class="choice-name">{option.name}</span>
                  {option.price > 0 && <span class="num"> +{price(option.price)}</span>}
                </label>
              );
            })}
          </fieldset>
        );
      })}
      {item.spiceLevels.length > 0 && (
        <fieldset class="choice-group">
          <legend>
            <strong>{t('item.spice')}</strong>
          </legend>
          {item.spiceLevels.map((level) => (
            <label key={level} class="choice">
              <input type="radio" name="spice" checked={spice === level} onChange={() => setSpice(level)} />
              <span class="choice-name">{t('spice.' + level)}</span>
            </label>
          ))}
        </fieldset>
      )}
      <div class="field">
        <label for="item-notes">{t('item.notes')}</label>
        <textarea
          id="item-notes"
          class="input"
          maxLength={NOTES_MAX}
          value={notes}
          aria-describedby="item-notes-hint"
          onInput={(e) => setNotes(e.currentTarget.value.slice(0, NOTES_MAX))}
        />
        <span id="item-notes-hint" class="field-hint">
          {t('item.notesHint', { n: notes.length })}
        </span>
      </div>
      <div class="spread item-qty">
        <span>{t('item.quantity')}</span>
        <Stepper
          value={quantity}
          min={1}
          max={50}
          onChange={setQuantity}
          label={t('item.quantityOf', { name: item.name })}
          decreaseLabel={t('item.less')}
          increaseLabel={t('item.more')}
        />
      </div>
      {problem && <Banner tone="error">{problem}</Banner>}
      <div class="sheet-action">
        <Button type="submit" size="lg" block busy={busy} disabled={!item.isAvailable}>
          {t('item.addToCart', { price: price(total) })}
        </Button>
      </div>
    </form>
  );
}
