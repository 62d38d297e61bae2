// Document-level write semantics: insert validation, update application (via mingo) and upsert seeds.
import { Aggregator, Query } from 'mingo';
import { update as mingoUpdate } from 'mingo/updater';
import * as updateOperators from 'mingo/operators/update';
import { ObjectId, calculateObjectSize, serialize, type Document } from 'bson';
import { CommandError, badValue } from './errors.ts';
import { checkArrayFilters, checkOperandTypes, checkPathConflicts, checkPipelineStages, operatorWrites, type OperatorWrite } from './update-checks.ts';
import { deepClone, getPath, isPlainObject, valueKey } from './keys.ts';

export const MAX_BSON_OBJECT_SIZE = 16 * 1024 * 1024;

/** Puts _id first (generating one if missing), as mongod does for stored documents. */
export function withIdFirst(doc: Document): Document {
  if (!('_id' in doc)) return { _id: new ObjectId(), ...doc };
  if (Object.keys(doc)[0] === '_id') return doc;
  const { _id, ...rest } = doc;
  return { _id, ...rest };
}

export function validateInsert(doc: Document): Document {
  if (!isPlainObject(doc)) throw badValue('document to insert must be an object');
  for (const key of Object.keys(doc)) {
    if (key.startsWith('$')) throw badValue(`Document can't have $ prefixed field names: ${key}`);
  }
  const stored = withIdFirst(doc);
  const id = stored._id;
  if (Array.isArray(id)) throw badValue(`The '_id' value cannot be of type array`);
  if (id instanceof RegExp) throw badValue(`can't use a regex for _id`);
  if (calculateObjectSize(stored) > MAX_BSON_OBJECT_SIZE) {
    throw new CommandError(10334, `object to insert too large. size in bytes: ${calculateObjectSize(stored)}, max size: ${MAX_BSON_OBJECT_SIZE}`);
  }
  return stored;
}

export type UpdateSpec = Document | Document[];

/** An update statement checked as mongod parses it, ready to apply to any number of documents. */
export interface PreparedUpdate {
  spec: UpdateSpec;
  kind: 'operators' | 'replacement' | 'pipeline';
  arrayFilters: Document[];
  /** Operator-style only: every (operator, path), $setOnInsert included. */
  writes: OperatorWrite[];
  /** Array-filter identifier → compiled filter. */
  filters: Map<string, Query>;
  /** Pipeline-style only: `let` / `constants` variables readable as `$$name`. */
  variables?: Document;
}

export function isOperatorUpdate(u: UpdateSpec): u is Document {
  if (Array.isArray(u)) return false;
  const keys = Object.keys(u);
  return keys.length > 0 && keys[0].startsWith('$');
}

/**
 * Parses an update (`u` of an update statement, `update` of findAndModify) with its arrayFilters.
 * `variables` (a pipeline's `let` and `constants`) are ignored by the other update styles.
 */
export function prepareUpdate(u: unknown, arrayFilters: unknown, variables?: Document): PreparedUpdate {
  if (Array.isArray(u)) {
    checkPipelineStages(u);
    checkArrayFilters([], arrayFilters, true);
    return { spec: u as Document[], kind: 'pipeline', arrayFilters: [], writes: [], filters: new Map(), variables };
  }
  if (!isPlainObject(u)) throw new CommandError(9, 'Update argument must be either an object or an array');
  const keys = Object.keys(u);
  const ops = keys.filter((k) => k.startsWith('$'));
  if (ops.length && ops.length !== keys.length) {
    throw new CommandError(9, `Unknown modifier: ${keys.find((k) => !k.startsWith('$'))}. Expected a valid update modifier or pipeline-style update specified as an array`);
  }
  if (!ops.length) {
    checkArrayFilters([], arrayFilters, false);
    return { spec: u, kind: 'replacement', arrayFilters: [], writes: [], filters: new Map() };
  }
  for (const op of ops) {
    if (!UPDATE_OPERATORS[op] && op !== '$setOnInsert') throw new CommandError(9, `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`);
  }
  const writes = operatorWrites(u);
  checkPathConflicts(writes);
  const filters = checkArrayFilters(writes, arrayFilters, false);
  return { spec: u, kind: 'operators', arrayFilters: (arrayFilters as Document[] | undefined) ?? [], writes, filters };
}

export interface UpdateOutcome {
  doc: Document;
  changed: boolean;
}

const sameBytes = (a: Document, b: Document) => Buffer.from(serialize(a)).equals(serialize(b));

/**
 * Applies a prepared update (operators, replacement or pipeline) to a copy of `doc`.
 * `query` resolves the positional `$`; `inserting` (an upsert's new document, whose `doc` is the
 * seed from the query, with an _id only if the query fixed one) enables $setOnInsert.
 * The _id may be set only where `doc` has none, or to the value it already has (else ImmutableField 66).
 */
export function applyUpdate(doc: Document, update: PreparedUpdate, query: Document, inserting = false): UpdateOutcome {
  const u = update.spec;
  let next: Document;
  let changed: boolean;
  try {
    if (update.kind === 'pipeline') {
      next = new Aggregator(u as Document[], update.variables ? { variables: update.variables } : {}).run([deepClone(doc)])[0] as Document;
      // mongod puts the original _id back when the pipeline's result has none.
      if (next._id === undefined && doc._id !== undefined) next = { _id: doc._id, ...next };
      changed = !sameBytes(doc, next);
    } else if (update.kind === 'operators') {
      const { $setOnInsert, ...ops } = u as Document;
      if (inserting && $setOnInsert) ops.$set = { ...(ops.$set ?? {}), ...$setOnInsert };
      const writes = inserting ? update.writes : update.writes.filter((w) => w.op !== '$setOnInsert');
      checkOperandTypes(doc, writes, update.filters);
      next = deepClone(doc);
      const idWrites = takeIdWrites(ops);
      changed = Object.keys(ops).length > 0 && applyOperators(next, doc, ops, update.arrayFilters, query);
      if (idWrites.length) changed = applyIdWrites(next, idWrites) || changed;
    } else {
      const { _id, ...rest } = u as Document;
      next = { _id: doc._id, ...rest };
      if (_id !== undefined && doc._id !== undefined && valueKey(_id) !== valueKey(doc._id)) throw immutableId();
      if (doc._id === undefined && _id !== undefined) next._id = _id;
      changed = !sameBytes(doc, next);
    }
  } catch (err) {
    if (err instanceof CommandError) throw err;
    const message = (err as Error).message;
    if (message.includes("immutable field '_id'")) throw immutableId();
    throw new CommandError(message.startsWith('Cannot increment') ? 14 : 2, message);
  }
  if (doc._id !== undefined && (next._id === undefined || valueKey(next._id) !== valueKey(doc._id))) throw immutableId();
  next = withIdFirst(next);
  if (changed && calculateObjectSize(next) > MAX_BSON_OBJECT_SIZE) {
    throw new CommandError(17419, `Resulting document after update is larger than ${MAX_BSON_OBJECT_SIZE}`);
  }
  return { doc: next, changed };
}

type UpdateOperatorFn = (expr: Document, arrayFilters?: Document[]) => (doc: Document) => string[];
const UPDATE_OPERATORS = updateOperators as unknown as Record<string, UpdateOperatorFn>;

/**
 * Removes the writes to `_id` (and paths under it) from `ops`: mingo refuses any update of `_id`,
 * while mongod allows setting it on insert and setting it to its current value. ($rename keeps its
 * own checks.)
 */
function takeIdWrites(ops: Document): OperatorWrite[] {
  const taken: OperatorWrite[] = [];
  for (const [op, spec] of Object.entries(ops)) {
    if (op === '$rename' || !isPlainObject(spec)) continue;
    const paths = Object.keys(spec).filter((p) => p === '_id' || p.startsWith('_id.'));
    if (!paths.length) continue;
    const rest = { ...spec };
    for (const p of paths) {
      taken.push({ op, path: p, value: spec[p] });
      delete rest[p];
    }
    if (Object.keys(rest).length) ops[op] = rest;
    else delete ops[op];
  }
  return taken;
}

/** Applies `_id` writes with mingo on a stand-in field; the caller checks that an existing _id kept its value. */
function applyIdWrites(next: Document, writes: OperatorWrite[]): boolean {
  const holder: Document = next._id === undefined ? {} : { id: deepClone(next._id) };
  const before = valueKey(holder.id);
  for (const { op, path, value } of writes) {
    mingoUpdate(holder, { [op]: { [`id${path.slice(3)}`]: value } }, [], undefined, { cloneMode: 'deep' });
  }
  if (holder.id === undefined) delete next._id;
  else next._id = holder.id;
  return valueKey(holder.id) !== before;
}

/**
 * Applies update operators with mingo. mingo refuses sibling paths through one array element
 * ('lines.$[l].quantity' and 'lines.$[l].notes') that mongod accepts (prefix conflicts were
 * refused by prepareUpdate), so such specs are applied path by path.
 * Operators are called one by one (mingo's own update() builds a fresh operator context per call,
 * which dominated the findOneAndUpdate round trip); positional `$` and $rename need the full call.
 */
function applyOperators(doc: Document, original: Document, ops: Document, arrayFilters: Document[], query: Document): boolean {
  const writes = Object.entries(ops).flatMap(([op, spec]) => Object.entries(spec as Document).map(([path, value]) => ({ op, path, value })));
  // cloneMode 'none' / operators' default shallow copies: request values are owned by this update,
  // and stored documents are never mutated in place.
  if (usesPositional(ops) || '$rename' in ops) {
    try {
      return mingoUpdate(doc, ops, arrayFilters, usesPositional(ops) ? query : undefined, { cloneMode: 'none' }).length > 0;
    } catch (err) {
      if (!/would create a conflict/.test((err as Error).message) || '$rename' in ops) throw err;
    }
    let changed = false;
    for (const { op, path, value } of writes) {
      for (const p of expandFilteredPaths(original, path, arrayFilters)) {
        changed = mingoUpdate(doc, { [op]: { [p]: value } }, arrayFilters, query, { cloneMode: 'none' }).length > 0 || changed;
      }
    }
    return changed;
  }
  let changed = false;
  for (const [op, spec] of Object.entries(ops)) {
    const apply = UPDATE_OPERATORS[op];
    try {
      changed = apply(spec, arrayFilters)(doc).length > 0 || changed;
    } catch (err) {
      if (!/would create a conflict/.test((err as Error).message)) throw err;
      for (const [path, value] of Object.entries(spec as Document)) {
        for (const p of expandFilteredPaths(original, path, arrayFilters)) changed = apply({ [p]: value }, arrayFilters)(doc).length > 0 || changed;
      }
    }
  }
  return changed;
}

/**
 * Rewrites `$[id]` segments into the concrete indexes whose elements match the array filters in
 * the original document, so path-by-path application sees the filters as mongod does (before any write).
 */
function expandFilteredPaths(original: Document, path: string, arrayFilters: Document[]): string[] {
  const m = /^(.*?)\.\$\[(\w+)\](.*)$/.exec(path);
  if (!m) return [path];
  const [, arrayPath, id, rest] = m;
  const arr = getPath(original, arrayPath);
  if (arrayPath.includes('$') || !Array.isArray(arr)) return [path];
  const filter = Object.assign({}, ...arrayFilters.filter((f) => Object.keys(f).some((k) => k === id || k.startsWith(`${id}.`))));
  const query = new Query(filter, {});
  return arr.flatMap((el, i) => (query.test({ [id]: el }) ? expandFilteredPaths(original, `${arrayPath}.${i}${rest}`, arrayFilters) : []));
}

/** True when a path uses the positional `$` (which needs the query to resolve), not `$[]` / `$[id]`. */
function usesPositional(ops: Document): boolean {
  for (const fields of Object.values(ops)) {
    if (!isPlainObject(fields)) continue;
    for (const path of Object.keys(fields)) if (/(^|\.)\$(\.|$)/.test(path)) return true;
  }
  return false;
}

function immutableId(): CommandError {
  return new CommandError(66, "Performing an update on the path '_id' would modify the immutable field '_id'");
}

/** The equality parts of an upsert's query, which seed the inserted document. */
export function upsertSeed(query: Document): Document {
  const seed: Document = {};
  const setPaths: Document = {};
  const collect = (q: Document) => {
    for (const [k, v] of Object.entries(q)) {
      if (k === '$and' && Array.isArray(v)) v.forEach((c) => isPlainObject(c) && collect(c));
      if (k.startsWith('$')) continue;
      let value = v;
      if (isPlainObject(v)) {
        const ops = Object.keys(v);
        if (ops.length && ops.every((o) => o.startsWith('$'))) {
          if (ops.length === 1 && ops[0] === '$eq') value = v.$eq;
          else continue;
        }
      }
      if (k.includes('.')) setPaths[k] = value;
      else seed[k] = deepClone(value);
    }
  };
  collect(query);
  if (Object.keys(setPaths).length) mingoUpdate(seed, { $set: setPaths }, [], undefined, { cloneMode: 'deep' });
  return seed;
}

/** The document an upsert inserts when nothing matched. */
export function buildUpsert(query: Document, update: PreparedUpdate): Document {
  const seed = upsertSeed(query);
  if (update.kind === 'replacement') {
    const doc = deepClone(update.spec as Document);
    if (doc._id === undefined && seed._id !== undefined) return validateInsert({ _id: seed._id, ...doc });
    return validateInsert(doc);
  }
  // The seed keeps no generated _id yet, so $setOnInsert / $set / the pipeline may provide one.
  const { doc } = applyUpdate(seed, update, query, true);
  return validateInsert(doc);
}
