// Chooses candidate documents for a filter: equality on _id or on every field of an index is
// answered from the index map; so is equality on all but an index's last field with a Date range on
// that last field (a day's orders by (restaurantId, orderDate)); anything else is a collection scan.
import type { Document } from 'bson';
import { isIndexableScalar, isPlainObject, valueKey } from '../keys.ts';
import type { Collection } from './collection.ts';
import type { Index } from './index-def.ts';

/** Index-key strings a filter's condition on one field pins it to, or null if it is not a plain equality/$in. */
function equalityKeys(filter: Document, field: string): string[] | null {
  if (!Object.prototype.hasOwnProperty.call(filter, field)) return null;
  let v = filter[field];
  if (isPlainObject(v)) {
    const ops = Object.keys(v);
    if (ops.length !== 1) return null;
    if (ops[0] === '$eq') v = v.$eq;
    else if (ops[0] === '$in' && Array.isArray(v.$in) && v.$in.every(isIndexableScalar)) return v.$in.map(valueKey);
    else return null;
  }
  return isIndexableScalar(v) ? [valueKey(v)] : null;
}

/**
 * Whether every document the filter matches is in a partial index (mongod's rule: the filter must
 * imply the partialFilterExpression). Understood: a field the expression pins to a value, which the
 * filter pins to the same value; and `{$exists: true}`, implied by the filter's equality to a
 * non-null value. Anything else is not assumed, and the index is left out.
 */
function impliesPartial(filter: Document, partial: Document): boolean {
  return Object.entries(partial).every(([field, condition]) => {
    const keys = equalityKeys(filter, field);
    if (!keys) return false;
    // equalityKeys only answers for indexable scalars, never null: every one of them exists.
    if (isPlainObject(condition) && Object.keys(condition).length === 1 && condition.$exists === true) return true;
    const wanted = equalityKeys({ [field]: condition }, field);
    return wanted !== null && wanted.length === 1 && keys.every((key) => key === wanted[0]);
  });
}

const RANGE_OPS = new Set(['$gt', '$gte', '$lt', '$lte']);

/** [lowest, highest, lowInclusive, highInclusive] in ms when the field's condition is only a Date range, else null. */
function dateRange(filter: Document, field: string): [number, number, boolean, boolean] | null {
  const v = Object.prototype.hasOwnProperty.call(filter, field) ? filter[field] : undefined;
  if (!isPlainObject(v)) return null;
  const ops = Object.keys(v);
  if (ops.length === 0 || !ops.every((op) => RANGE_OPS.has(op) && v[op] instanceof Date)) return null;
  let low = -Infinity;
  let high = Infinity;
  let lowIn = true;
  let highIn = true;
  for (const op of ops) {
    const ms = (v[op] as Date).getTime();
    if (op === '$gt' || op === '$gte') [low, lowIn] = ms >= low ? [ms, op === '$gte'] : [low, lowIn];
    else [high, highIn] = ms <= high ? [ms, op === '$lte'] : [high, highIn];
  }
  return [low, high, lowIn, highIn];
}

/** Index entries whose equality prefix matches and whose last key part is a Date within the range. */
function rangeSets(entries: Map<string, Set<string>>, prefixes: string[], range: [number, number, boolean, boolean]): Set<string>[] {
  const [low, high, lowIn, highIn] = range;
  const heads = prefixes.map((p) => (p === '' ? 'd' : p + '\u0001d'));
  const sets: Set<string>[] = [];
  for (const [key, set] of entries) {
    const head = heads.find((h) => key.startsWith(h));
    if (head === undefined) continue;
    const ms = Number(key.slice(head.length));
    if (Number.isNaN(ms)) continue;
    if ((lowIn ? ms >= low : ms > low) && (highIn ? ms <= high : ms < high)) sets.push(set);
  }
  return sets;
}

/** How a filter is answered: from one index (its candidate _id keys), or, when null, a collection scan. */
export interface QueryPlan {
  index: Index;
  /** Candidate _id keys: a superset of the matches, to be tested against the full filter. */
  ids: Iterable<string>;
}

/** The index a hint names (by name, or by key pattern), as mongod reads `hint`. */
export function hintedIndex(coll: Collection, hint: unknown): Index | undefined {
  if (typeof hint === 'string') return coll.indexes.find((ix) => ix.name === hint);
  if (isPlainObject(hint) && Object.keys(hint).length > 0) return coll.indexes.find((ix) => JSON.stringify(ix.key) === JSON.stringify(hint));
  return undefined;
}

/** Candidate _id keys (a superset of the matches, to be tested against the full filter) or null for a scan. */
export function candidateIds(coll: Collection, filter: Document, hint?: Index): Iterable<string> | null {
  return planQuery(coll, filter, hint)?.ids ?? null;
}

/**
 * The plan: equality on _id, else the index whose entries narrow the filter to the fewest candidates.
 * With a hinted index, only that one; when it cannot narrow the filter, every document it holds (as
 * mongod scans a hinted index whole).
 */
export function planQuery(coll: Collection, filter: Document, hint?: Index): QueryPlan | null {
  const idIndex = coll.indexes.find((ix) => ix.isId)!;
  const idKeys = !hint || hint.isId ? equalityKeys(filter, '_id') : null;
  if (idKeys) return { index: idIndex, ids: idKeys };
  if (hint?.isId) return { index: hint, ids: coll.docs.keys() };
  let best: Set<string>[] | null = null;
  let bestIndex: Index | null = null;
  for (const ix of hint ? [hint] : coll.indexes) {
    if (ix.isId || ix.sparse || (ix.partialFilterExpression && !impliesPartial(filter, ix.partialFilterExpression))) continue;
    const perField = ix.fields.map((f) => equalityKeys(filter, f));
    if (perField.some((k) => k === null)) {
      const last = ix.fields.length - 1;
      const range = perField.slice(0, last).every((k) => k !== null) ? dateRange(filter, ix.fields[last]) : null;
      if (!range) continue;
      let prefixes = last === 0 ? [''] : perField[0]!;
      for (let i = 1; i < last; i++) prefixes = prefixes.flatMap((p) => perField[i]!.map((k) => p + '\u0001' + k));
      const sets = rangeSets(ix.entries, prefixes, range);
      if (!best || sets.reduce((n, s) => n + s.size, 0) < best.reduce((n, s) => n + s.size, 0)) [best, bestIndex] = [sets, ix];
      continue;
    }
    let keys = perField[0]!;
    for (let i = 1; i < perField.length; i++) keys = keys.flatMap((p) => perField[i]!.map((k) => p + '\u0001' + k));
    const sets = keys.map((k) => ix.entries.get(k)).filter((s): s is Set<string> => s !== undefined);
    if (!best || sets.reduce((n, s) => n + s.size, 0) < best.reduce((n, s) => n + s.size, 0)) [best, bestIndex] = [sets, ix];
  }
  if (!best || !bestIndex) return hint ? { index: hint, ids: new Set([...hint.entries.values()].flatMap((set) => [...set])) } : null;
  if (best.length === 1) return { index: bestIndex, ids: best[0] };
  const ids = new Set<string>();
  for (const s of best) for (const id of s) ids.add(id);
  return { index: bestIndex, ids };
}
