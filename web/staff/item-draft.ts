/**
 * The dish editor's form state (item-editor.tsx): the draft as typed (prices as text, groups and
 * options as rows, texts per language), made from a dish and turned back into the request body.
 */
import { t } from '../shared/i18n.ts';
import type { MenuItem, MenuItemTranslation, SpiceLevel } from '../shared/types.ts';
import { STATION_PATTERN } from '../../functions/core/kitchen-board.ts';
import { modifierBoundsProblems } from '../../functions/core/modifier-groups.ts';
import { formatMoneyInput, parseMoneyInput } from './money-input.ts';
import type { MenuItemInput } from './types.ts';

export const SPICE_LEVELS: SpiceLevel[] = ['no-spicy', 'less-spicy', 'regular', 'more-spicy'];

export interface OptionRow {
  id: string;
  name: string;
  price: string;
}
export interface GroupRow {
  groupId: string;
  name: string;
  min: string;
  max: string;
  options: OptionRow[];
}
export interface Draft {
  name: string;
  description: string;
  price: string;
  category: string;
  station: string;
  isVeg: boolean;
  isAvailable: boolean;
  spiceLevels: SpiceLevel[];
  groups: GroupRow[];
  /** Language → the dish's texts in it (names of groups and options by their ids). */
  translations: Record<string, Required<MenuItemTranslation>>;
}

/** A fresh id for a new group or option: letters and digits, as the server's key rule wants. */
export const newKey = (prefix: string): string => prefix + Math.random().toString(36).slice(2, 8);

export function draftOf(item: MenuItem | undefined, category: string | undefined, digits: number): Draft {
  return {
    name: item?.name ?? '',
    description: item?.description ?? '',
    price: item ? formatMoneyInput(item.price, digits) : '',
    category: category ?? '',
    station: item?.station ?? '',
    isVeg: item?.isVeg ?? true,
    isAvailable: item?.isAvailable ?? true,
    spiceLevels: item ? [...item.spiceLevels] : [],
    groups: (item?.modifierGroups ?? []).map((group) => ({
      groupId: group.groupId,
      name: group.name,
      min: String(group.min),
      max: String(group.max),
      options: group.options.map((option) => ({ id: option.id, name: option.name, price: formatMoneyInput(option.price, digits) })),
    })),
    translations: Object.fromEntries(
      Object.entries(item?.translations ?? {}).map(([code, texts]) => [
        code,
        { name: texts.name ?? '', description: texts.description ?? '', groups: { ...texts.groups }, options: { ...texts.options } },
      ]),
    ),
  };
}

const nonEmpty = (texts: Record<string, string>): Record<string, string> | undefined => {
  const kept = Object.entries(texts).filter(([, text]) => text.trim());
  return kept.length ? Object.fromEntries(kept.map(([id, text]) => [id, text.trim()])) : undefined;
};

/** The translations to send: only the languages offered, the groups and options the dish still has, no empty texts. */
function translationsOf(draft: Draft, languages: readonly string[], modifierGroups: MenuItemInput['modifierGroups']): Record<string, MenuItemTranslation> {
  const groupIds = new Set(modifierGroups.map((group) => group.groupId));
  const optionIds = new Set(modifierGroups.flatMap((group) => group.options.map((option) => option.id)));
  const out: Record<string, MenuItemTranslation> = {};
  for (const code of languages) {
    const texts = draft.translations[code];
    if (!texts) continue;
    const entry: MenuItemTranslation = {};
    if (texts.name.trim()) entry.name = texts.name.trim();
    if (texts.description.trim()) entry.description = texts.description.trim();
    const groups = nonEmpty(Object.fromEntries(Object.entries(texts.groups).filter(([id]) => groupIds.has(id))));
    const options = nonEmpty(Object.fromEntries(Object.entries(texts.options).filter(([id]) => optionIds.has(id))));
    if (groups) entry.groups = groups;
    if (options) entry.options = options;
    if (Object.keys(entry).length) out[code] = entry;
  }
  return out;
}

/**
 * What is wrong with the draft, and where: the field's key (`name`, `price`, `category`, `station`,
 * `g0-name`, `g0-min`, `g0-add` for a group without options, `g0-o1-name`, `g0-o1-price`).
 */
export interface DraftProblem {
  field: string;
  text: string;
}

/** The request body, or the first problem to show at its field. */
export function toInput(draft: Draft, digits: number, languages: readonly string[]): { input?: MenuItemInput; problem?: DraftProblem } {
  if (!draft.name.trim()) return { problem: { field: 'name', text: t('staff.edit.needName') } };
  const price = parseMoneyInput(draft.price, digits);
  if (price === undefined) return { problem: { field: 'price', text: t('staff.edit.badPrice') } };
  if (!draft.category.trim()) return { problem: { field: 'category', text: t('staff.edit.needCategory') } };
  if (!STATION_PATTERN.test(draft.station)) return { problem: { field: 'station', text: t('staff.edit.badStation') } };
  const modifierGroups: MenuItemInput['modifierGroups'] = [];
  for (const [g, group] of draft.groups.entries()) {
    const min = Number(group.min);
    const max = Number(group.max);
    if (!group.name.trim()) return { problem: { field: `g${g}-name`, text: t('staff.edit.needGroupName') } };
    if (group.options.length === 0) return { problem: { field: `g${g}-add`, text: t('staff.edit.needOption', { group: group.name }) } };
    if (modifierBoundsProblems(min, max, group.options.length).length > 0) return { problem: { field: `g${g}-min`, text: t('staff.edit.badMinMax', { group: group.name }) } };
    const options = [];
    for (const [o, option] of group.options.entries()) {
      const optionPrice = parseMoneyInput(option.price || '0', digits);
      if (!option.name.trim()) return { problem: { field: `g${g}-o${o}-name`, text: t('staff.edit.needOptionName', { group: group.name }) } };
      if (optionPrice === undefined) return { problem: { field: `g${g}-o${o}-price`, text: t('staff.edit.badOptionPrice', { option: option.name }) } };
      options.push({ id: option.id, name: option.name.trim(), price: optionPrice });
    }
    modifierGroups.push({ groupId: group.groupId, name: group.name.trim(), min, max, options });
  }
  return {
    input: {
      name: draft.name.trim(),
      description: draft.description.trim(),
      price,
      category: draft.category.trim(),
      station: draft.station,
      isVeg: draft.isVeg,
      isAvailable: draft.isAvailable,
      spiceLevels: SPICE_LEVELS.filter((level) => draft.spiceLevels.includes(level)),
      modifierGroups,
      translations: translationsOf(draft, languages, modifierGroups),
    },
  };
}
