// Sorting, paging and projection of matched documents (semantics from mingo).
// `new Query(...).find(...)` rather than mingo's `find()`: that helper merges mingo's operator
// context into a fresh copy on every call (it applies its options twice), a measurable cost per query.
import { Query } from 'mingo';
import type { Document } from 'bson';
import { CommandError } from '../errors.ts';
import type { CollectionAccess, Match } from '../storage/access.ts';

export function sortMatches(matches: Match[], sort: Document | undefined): Match[] {
  if (!sort || Object.keys(sort).length === 0) return matches;
  const keys = Object.keys(sort);
  if (keys.length === 1 && keys[0] === '$natural') return sort.$natural < 0 ? [...matches].reverse() : matches;
  const byDoc = new Map<Document, Match>(matches.map((m) => [m[1], m]));
  try {
    return (new Query({}, {}).find(matches.map((m) => m[1])).sort(sort).all() as Document[]).map((d) => byDoc.get(d)!);
  } catch (err) {
    throw new CommandError(2, (err as Error).message);
  }
}

export interface SelectOptions {
  sort?: Document;
  skip?: number;
  limit?: number;
  /** `let` variables for `$expr` in the filter. */
  variables?: Document;
}

/** Matching documents after sort, skip and limit. */
export function select(access: CollectionAccess, filter: Document | undefined, opts: SelectOptions): Match[] {
  const skip = Math.max(0, Number(opts.skip ?? 0));
  const limit = Math.abs(Number(opts.limit ?? 0));
  const sorted = opts.sort && Object.keys(opts.sort).length > 0;
  const matches = sorted ? sortMatches(access.match(filter, 0, opts.variables), opts.sort) : access.match(filter, limit ? skip + limit : 0, opts.variables);
  if (!skip && (!limit || matches.length <= limit)) return matches;
  return matches.slice(skip, limit ? skip + limit : undefined);
}

/**
 * Applies a projection. The filter only serves the positional `field.$` operator (which element
 * matched): it never drops a document, e.g. the post-image a findAndModify returns, which may no
 * longer match the query that selected it.
 */
export function project(docs: Document[], projection: Document | undefined, filter: Document | undefined): Document[] {
  if (!projection || Object.keys(projection).length === 0) return docs;
  try {
    const plain = new Query({}, {});
    const positional = Object.keys(projection).some((key) => key.endsWith('.$')) ? new Query(filter ?? {}, {}) : undefined;
    return docs.map((doc) => ((positional?.find([doc], projection).all()[0] ?? plain.find([doc], projection).all()[0]) as Document));
  } catch (err) {
    throw new CommandError(2, (err as Error).message);
  }
}
