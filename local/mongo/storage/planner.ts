// Chooses candidate documents for a filter: equality on _id or on every field of an index is
// answered from the index map; anything else is a collection scan.
import type { Document } from 'bson';
import { isIndexableScalar, isPlainObject, valueKey } from '../keys.ts';
import type { Collection } from './collection.ts';

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

/** Candidate _id keys (a superset of the matches, to be tested against the full filter) or null for a scan. */
export function candidateIds(coll: Collection, filter: Document): Iterable<string> | null {
  const idKeys = equalityKeys(filter, '_id');
  if (idKeys) return idKeys;
  let best: Set<string>[] | null = null;
  for (const ix of coll.indexes) {
    if (ix.isId || ix.partialFilterExpression || ix.sparse) continue;
    const perField = ix.fields.map((f) => equalityKeys(filter, f));
    if (perField.some((k) => k === null)) continue;
    let keys = perField[0]!;
    for (let i = 1; i < perField.length; i++) keys = keys.flatMap((p) => perField[i]!.map((k) => p + '\u0001' + k));
    const sets = keys.map((k) => ix.entries.get(k)).filter((s): s is Set<string> => s !== undefined);
    if (!best || sets.reduce((n, s) => n + s.size, 0) < best.reduce((n, s) => n + s.size, 0)) best = sets;
  }
  if (!best) return null;
  if (best.length === 1) return best[0];
  const ids = new Set<string>();
  for (const s of best) for (const id of s) ids.add(id);
  return ids;
}
