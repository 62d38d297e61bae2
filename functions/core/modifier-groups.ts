/**
 * How many choices a dish's modifier group asks for: the one rule the menu contract checks on the
 * way in and the staff console's dish editor checks before sending. A guest's choices against these
 * bounds are cart-rules.ts's.
 */

export const MODIFIER_CHOICES_LIMIT = 20;

export interface ModifierBoundsProblem {
  field: 'min' | 'max';
  message: string;
}

/**
 * What is wrong with a group's `min`/`max` for `optionCount` options, if anything: both whole
 * numbers, min 0 to 20, max 1 to 20, max at least min, and min no more than the options offered.
 */
export function modifierBoundsProblems(min: number, max: number, optionCount: number): ModifierBoundsProblem[] {
  const problems: ModifierBoundsProblem[] = [];
  if (!Number.isInteger(min) || min < 0 || min > MODIFIER_CHOICES_LIMIT) problems.push({ field: 'min', message: `min must be a whole number from 0 to ${MODIFIER_CHOICES_LIMIT}` });
  if (!Number.isInteger(max) || max < 1 || max > MODIFIER_CHOICES_LIMIT) problems.push({ field: 'max', message: `max must be a whole number from 1 to ${MODIFIER_CHOICES_LIMIT}` });
  if (max < min) problems.push({ field: 'max', message: 'max must be at least min' });
  if (min > optionCount) problems.push({ field: 'min', message: 'min is more than the options offered' });
  return problems;
}
