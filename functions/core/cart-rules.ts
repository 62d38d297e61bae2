/**
 * What may go into a cart: a line is checked against the menu item it names. Pure rules, no I/O:
 * the cart service (adding, changing lines) and the order service (checking again at placement)
 * both call these with the menu item they loaded.
 *
 * Errors: NOT_FOUND (no such item in this restaurant, or deleted), ITEM_UNAVAILABLE (sold out),
 * VALIDATION_FAILED (quantity, modifiers, spice level, notes) with `details` naming the field.
 */
import { DomainError } from './errors.ts';
import type { CartLineModifier, MenuItem } from './entities.ts';
import { SPICE_LEVELS, type SpiceLevel } from './enums.ts';

export const MIN_QUANTITY = 1;
export const MAX_QUANTITY = 50;
export const MAX_NOTES_LENGTH = 200;
/** A cart holds at most this many lines (a table of 12 ordering for a banquet fits comfortably). */
export const MAX_CART_LINES = 100;

/** What a guest asks to add. */
export interface LineRequest {
  menuItemId: string;
  quantity: number;
  modifierOptionIds?: readonly string[];
  spiceLevel?: SpiceLevel;
  notes?: string;
}

/** What a guest may change on a line. `notes: ''` (or only spaces) clears the notes. */
export interface LineChange {
  quantity?: number;
  spiceLevel?: SpiceLevel;
  notes?: string;
}

/** A line request checked against its menu item: priced and named from the menu. */
export interface ResolvedLine {
  menuItemId: string;
  name: string;
  unitPrice: number;
  quantity: number;
  modifiers: CartLineModifier[];
  spiceLevel?: SpiceLevel;
  notes?: string;
}

/** The checked change: `notes: null` means "remove the notes". */
export interface ResolvedChange {
  quantity?: number;
  spiceLevel?: SpiceLevel;
  notes?: string | null;
}

export interface FieldProblem {
  path: string;
  message: string;
  code: string;
  [key: string]: unknown;
}

const invalid = (message: string, problems: FieldProblem[]): DomainError =>
  new DomainError('VALIDATION_FAILED', message, { details: problems });

/** What decides whether a dish can be ordered. */
export type OrderableFields = Pick<MenuItem, 'restaurantId' | 'isAvailable' | 'deletedAt'>;

/**
 * Why a dish cannot be ordered by a guest of `restaurantId` right now, or undefined when it can. A
 * dish of another restaurant is "not on the menu", exactly like one that does not exist or was
 * deleted: guests learn nothing about other tenants.
 */
export function unorderableReason(item: OrderableFields | null | undefined, restaurantId: string): 'not_on_menu' | 'sold_out' | undefined {
  if (!item || item.restaurantId !== restaurantId || item.deletedAt) return 'not_on_menu';
  return item.isAvailable ? undefined : 'sold_out';
}

/** True when the item can be ordered right now by a guest of `restaurantId`. */
export function isOrderable<T extends OrderableFields>(item: T | null | undefined, restaurantId: string): item is T {
  return unorderableReason(item, restaurantId) === undefined;
}

/** The item a line names, or NOT_FOUND / ITEM_UNAVAILABLE (see unorderableReason). */
export function assertOrderable<T extends MenuItem>(item: T | null | undefined, restaurantId: string, menuItemId: string): T {
  const reason = unorderableReason(item, restaurantId);
  if (!item || reason === 'not_on_menu') throw new DomainError('NOT_FOUND', 'This dish is not on the menu', { details: { menuItemId } });
  if (reason === 'sold_out') throw new DomainError('ITEM_UNAVAILABLE', `${item.name} is sold out`, { details: { menuItemId, name: item.name } });
  return item;
}

export function quantityProblem(quantity: unknown, path = 'quantity'): FieldProblem | undefined {
  if (typeof quantity === 'number' && Number.isInteger(quantity) && quantity >= MIN_QUANTITY && quantity <= MAX_QUANTITY) return undefined;
  return { path, code: 'quantity_out_of_range', message: `Quantity must be a whole number from ${MIN_QUANTITY} to ${MAX_QUANTITY}`, min: MIN_QUANTITY, max: MAX_QUANTITY };
}

/** Trims the notes; '' becomes null (no notes). Length is counted in characters, not UTF-16 units. */
export function normalizeNotes(notes: string): { value: string | null; problem?: FieldProblem } {
  const value = notes.trim();
  if ([...value].length > MAX_NOTES_LENGTH) {
    return { value, problem: { path: 'notes', code: 'notes_too_long', message: `Notes can be at most ${MAX_NOTES_LENGTH} characters`, max: MAX_NOTES_LENGTH } };
  }
  return { value: value === '' ? null : value };
}

function spiceProblem(item: MenuItem, spiceLevel: SpiceLevel): FieldProblem | undefined {
  if ((SPICE_LEVELS as readonly string[]).includes(spiceLevel) && item.spiceLevels.includes(spiceLevel)) return undefined;
  return {
    path: 'spiceLevel',
    code: 'spice_level_not_offered',
    message: item.spiceLevels.length ? `${item.name} comes ${item.spiceLevels.join(', ')}` : `${item.name} has no spice level choice`,
    allowed: [...item.spiceLevels],
  };
}

/**
 * The chosen options, resolved to their groups and prices, in the menu's order. Every option must be
 * offered by the item, chosen at most once, and each group's number of choices within [min, max]
 * (a group with min ≥ 1 must be chosen even when the request names no options).
 */
export function resolveModifiers(item: MenuItem, optionIds: readonly string[] = []): { modifiers: CartLineModifier[]; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const chosen = new Set<string>();
  for (const id of optionIds) {
    if (chosen.has(id)) problems.push({ path: 'modifierOptionIds', code: 'modifier_repeated', message: `Option ${id} is chosen twice`, optionId: id });
    chosen.add(id);
  }
  const offered = new Set(item.modifierGroups.flatMap((group) => group.options.map((option) => option.id)));
  for (const id of chosen) {
    if (!offered.has(id)) problems.push({ path: 'modifierOptionIds', code: 'modifier_not_offered', message: `${item.name} has no option ${id}`, optionId: id });
  }
  const modifiers: CartLineModifier[] = [];
  for (const group of item.modifierGroups) {
    const picked = group.options.filter((option) => chosen.has(option.id));
    if (picked.length < group.min || picked.length > group.max) {
      problems.push({
        path: 'modifierOptionIds',
        code: 'modifier_choice_count',
        message:
          group.min === group.max
            ? `Choose exactly ${group.min} from ${group.name}`
            : `Choose ${group.min} to ${group.max} from ${group.name}`,
        groupId: group.groupId,
        min: group.min,
        max: group.max,
        chosen: picked.length,
      });
    }
    for (const option of picked) modifiers.push({ groupId: group.groupId, optionId: option.id, name: option.name, price: option.price });
  }
  return { modifiers, problems };
}

/** Checks a request to add a line against its menu item; the line's name and prices come from the menu. */
export function resolveNewLine(item: MenuItem | null | undefined, request: LineRequest, restaurantId: string): ResolvedLine {
  const orderable = assertOrderable(item, restaurantId, request.menuItemId);
  const problems: FieldProblem[] = [];
  const quantity = quantityProblem(request.quantity);
  if (quantity) problems.push(quantity);
  const { modifiers, problems: modifierProblems } = resolveModifiers(orderable, request.modifierOptionIds);
  problems.push(...modifierProblems);
  if (request.spiceLevel !== undefined) {
    const spice = spiceProblem(orderable, request.spiceLevel);
    if (spice) problems.push(spice);
  }
  const notes = request.notes === undefined ? undefined : normalizeNotes(request.notes);
  if (notes?.problem) problems.push(notes.problem);
  if (problems.length) throw invalid(`This ${orderable.name} cannot be added as chosen`, problems);

  const line: ResolvedLine = {
    menuItemId: orderable._id.toHexString(),
    name: orderable.name,
    unitPrice: orderable.price,
    quantity: request.quantity,
    modifiers,
  };
  if (request.spiceLevel !== undefined) line.spiceLevel = request.spiceLevel;
  if (notes?.value) line.notes = notes.value;
  return line;
}

/**
 * Checks a change to an existing line. `item` is the line's menu item when the change needs it
 * (a new spice level must be one the dish offers); quantity and notes need no menu.
 */
export function resolveLineChange(change: LineChange, item?: MenuItem | null): ResolvedChange {
  const problems: FieldProblem[] = [];
  if (change.quantity === undefined && change.spiceLevel === undefined && change.notes === undefined) {
    throw invalid('Nothing to change', [{ path: '', code: 'empty_change', message: 'Send quantity, spiceLevel or notes' }]);
  }
  const resolved: ResolvedChange = {};
  if (change.quantity !== undefined) {
    const problem = quantityProblem(change.quantity);
    if (problem) problems.push(problem);
    resolved.quantity = change.quantity;
  }
  if (change.spiceLevel !== undefined) {
    if (!item || item.deletedAt) {
      problems.push({ path: 'spiceLevel', code: 'item_not_on_menu', message: 'This dish is no longer on the menu' });
    } else {
      const problem = spiceProblem(item, change.spiceLevel);
      if (problem) problems.push(problem);
    }
    resolved.spiceLevel = change.spiceLevel;
  }
  if (change.notes !== undefined) {
    const notes = normalizeNotes(change.notes);
    if (notes.problem) problems.push(notes.problem);
    resolved.notes = notes.value;
  }
  if (problems.length) throw invalid('This change cannot be made', problems);
  return resolved;
}

/** What a line's price is made of: its dish's name and base price, and each chosen option's name and price. */
type PricedLine = Pick<ResolvedLine, 'name' | 'unitPrice' | 'modifiers'>;

/**
 * A line as the menu prices it now: the dish's current name and base price, and each chosen
 * option's current name and price. An option the dish no longer offers is kept as it was (ordering
 * then refuses the line as changed); quantity, spice level and notes are the guest's and stay.
 */
export function repricedLine<L extends PricedLine>(line: L, item: Pick<MenuItem, 'name' | 'price' | 'modifierGroups'>): L {
  const options = new Map(item.modifierGroups.flatMap((group) => group.options.map((option) => [option.id, option] as const)));
  return {
    ...line,
    name: item.name,
    unitPrice: item.price,
    modifiers: line.modifiers.map((modifier) => {
      const option = options.get(modifier.optionId);
      return option ? { ...modifier, name: option.name, price: option.price } : modifier;
    }),
  };
}

/** Whether two versions of a line would show and cost the same. */
export function samePricing(a: PricedLine, b: PricedLine): boolean {
  return (
    a.name === b.name &&
    a.unitPrice === b.unitPrice &&
    a.modifiers.length === b.modifiers.length &&
    a.modifiers.every((modifier, index) => modifier.name === b.modifiers[index].name && modifier.price === b.modifiers[index].price)
  );
}
