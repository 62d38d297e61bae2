// mongod's checks on update specs that mingo does not make: parse-time errors (conflicting paths
// across all operators including $setOnInsert, array filters, pipeline stages) and the operand
// type errors mingo turns into silent no-ops ($inc on a string, $push on a scalar, a path through
// a scalar). The operators themselves stay mingo's.
import { Query } from 'mingo';
import type { Document } from 'bson';
import { CommandError } from './errors.ts';
import { isPlainObject } from './keys.ts';

/** The stages mongod accepts in a pipeline-style update. */
const UPDATE_PIPELINE_STAGES = new Set(['$addFields', '$set', '$project', '$unset', '$replaceRoot', '$replaceWith']);
const KNOWN_STAGES = new Set([
  ...UPDATE_PIPELINE_STAGES,
  '$match', '$group', '$sort', '$limit', '$skip', '$lookup', '$unwind', '$count', '$facet', '$bucket', '$bucketAuto',
  '$sortByCount', '$sample', '$graphLookup', '$redact', '$out', '$merge', '$densify', '$fill', '$setWindowFields', '$unionWith',
]);

export function checkPipelineStages(stages: unknown[]): void {
  for (const stage of stages) {
    if (!isPlainObject(stage) || Object.keys(stage).length !== 1) {
      throw new CommandError(40323, 'A pipeline stage specification object must contain exactly one field.');
    }
    const name = Object.keys(stage)[0];
    if (!KNOWN_STAGES.has(name)) throw new CommandError(40324, `Unrecognized pipeline stage name: '${name}'`);
    if (!UPDATE_PIPELINE_STAGES.has(name)) throw new CommandError(72, `${name} is not allowed to be used within an update`);
  }
}

export interface OperatorWrite {
  op: string;
  path: string;
  value: unknown;
}

/** Every (operator, path) of an operator-style update, $setOnInsert included. */
export function operatorWrites(u: Document): OperatorWrite[] {
  return Object.entries(u).flatMap(([op, spec]) => {
    if (!isPlainObject(spec)) throw new CommandError(9, `Modifiers operate on fields but we found type ${spec === null ? 'null' : Array.isArray(spec) ? 'array' : typeof spec} instead.`);
    return Object.entries(spec).map(([path, value]) => ({ op, path, value }));
  });
}

/** mongod refuses two paths when one is a prefix of the other (code 40), across all operators. */
export function checkPathConflicts(writes: OperatorWrite[]): void {
  const seen: string[] = [];
  for (const { op, path, value } of writes) {
    if (path === '' || path.startsWith('.') || path.endsWith('.') || path.includes('..')) {
      throw new CommandError(56, `An empty update path is not valid.`);
    }
    const paths = op === '$rename' && typeof value === 'string' ? [path, value] : [path];
    for (const p of paths) {
      const clash = seen.find((other) => other === p || other.startsWith(`${p}.`) || p.startsWith(`${other}.`));
      if (clash !== undefined) throw new CommandError(40, `Updating the path '${p}' would create a conflict at '${clash}'`);
      seen.push(p);
    }
  }
}

const IDENTIFIER = /\$\[([^\]]*)\]/g;

/**
 * Array filters as mongod parses them: one top-level identifier per filter, no identifier twice,
 * every identifier used by a path has a filter and every filter is used. Returns identifier → query.
 */
export function checkArrayFilters(writes: OperatorWrite[], arrayFilters: unknown, pipeline: boolean): Map<string, Query> {
  const byId = new Map<string, Query>();
  if (arrayFilters === undefined || arrayFilters === null) arrayFilters = [];
  if (!Array.isArray(arrayFilters)) throw new CommandError(14, "BSON field 'arrayFilters' is the wrong type, expected type 'array'");
  if (pipeline && arrayFilters.length) throw new CommandError(9, 'arrayFilters may not be specified for pipeline-style updates');
  for (const filter of arrayFilters) {
    if (!isPlainObject(filter)) throw new CommandError(14, 'Each array filter must be an object');
    const ids = new Set<string>();
    collectFilterIdentifiers(filter, ids);
    if (ids.size === 0) throw new CommandError(9, 'Error parsing array filter :: caused by :: Cannot use an expression without a top-level field name in arrayFilters');
    if (ids.size > 1) {
      const [a, b] = [...ids];
      throw new CommandError(9, `Error parsing array filter :: caused by :: Expected a single top-level field name, found '${a}' and '${b}'`);
    }
    const id = [...ids][0];
    if (!/^[a-z][a-zA-Z0-9]*$/.test(id)) {
      throw new CommandError(2, `Error parsing array filter :: caused by :: The top-level field name must be an alphanumeric string beginning with a lowercase letter, found '${id}'`);
    }
    if (byId.has(id)) throw new CommandError(9, `Found multiple array filters with the same top-level field name ${id}`);
    try {
      byId.set(id, new Query(filter, {}));
    } catch (err) {
      throw new CommandError(2, `Error parsing array filter :: caused by :: ${(err as Error).message}`);
    }
  }
  const used = new Set<string>();
  for (const { path } of writes) {
    for (const [, id] of path.matchAll(IDENTIFIER)) {
      if (id === '') continue; // $[] : every element
      if (!byId.has(id)) throw new CommandError(2, `No array filter found for identifier '${id}' in path '${path}'`);
      used.add(id);
    }
  }
  for (const id of byId.keys()) if (!used.has(id)) throw new CommandError(9, `The array filter for identifier '${id}' was not used in the update`);
  return byId;
}

function collectFilterIdentifiers(filter: Document, ids: Set<string>): void {
  for (const [k, v] of Object.entries(filter)) {
    if (k.startsWith('$')) {
      if (Array.isArray(v)) for (const sub of v) if (isPlainObject(sub)) collectFilterIdentifiers(sub, ids);
      continue;
    }
    ids.add(k.split('.')[0]);
  }
}

/** Operators that create the path they write to; the others ($unset, $pull, ...) do nothing on a missing path. */
const CREATING = new Set(['$set', '$setOnInsert', '$inc', '$mul', '$min', '$max', '$push', '$addToSet', '$currentDate', '$bit']);
const NUMERIC_BSON = new Set(['Long', 'Int32', 'Double', 'Decimal128']);

/**
 * The operand type errors mongod raises before writing anything: a numeric operator on a
 * non-number (14), an array operator on a non-array (2), a path through a scalar or through an
 * array by a field name (28), `$[]` / `$[id]` where there is no array (2). Paths using the
 * positional `$` are left to mingo.
 */
export function checkOperandTypes(doc: Document, writes: OperatorWrite[], filters: Map<string, Query>): void {
  for (const w of writes) {
    if (w.op === '$rename' || w.op === '$setOnInsert') continue;
    visit(doc, w.path.split('.'), 0, '', w, filters, doc);
  }
}

function visit(container: unknown, segs: string[], i: number, containerKey: string, w: OperatorWrite, filters: Map<string, Query>, root: Document): void {
  const seg = segs[i];
  const last = i === segs.length - 1;
  if (seg === '$') return;
  if (seg.startsWith('$[')) {
    if (!Array.isArray(container)) throw new CommandError(2, `Cannot apply array updates to non-array element ${containerKey}: ${describe(container)}`);
    const id = seg.slice(2, -1);
    const query = id ? filters.get(id) : undefined;
    for (const el of container) {
      if (query && !query.test({ [id]: el })) continue;
      if (last) checkFinal(el, containerKey, w, root);
      else visit(el, segs, i + 1, containerKey, w, filters, root);
    }
    return;
  }
  let child: unknown;
  if (Array.isArray(container)) {
    if (!/^\d+$/.test(seg)) return notViable(seg, containerKey, container, w);
    child = container[Number(seg)];
  } else if (isPlainObject(container)) {
    child = container[seg];
  } else {
    return notViable(seg, containerKey, container, w);
  }
  if (last) checkFinal(child, seg, w, root);
  else if (child !== undefined) visit(child, segs, i + 1, seg, w, filters, root);
  else if (segs[i + 1].startsWith('$[')) {
    throw new CommandError(2, `The path '${segs.slice(0, i + 1).join('.')}' must exist in the document in order to apply array updates.`);
  }
}

function notViable(seg: string, containerKey: string, container: unknown, w: OperatorWrite): void {
  if (!CREATING.has(w.op)) return;
  throw new CommandError(28, `Cannot create field '${seg}' in element {${containerKey}: ${describe(container)}}`);
}

function checkFinal(value: unknown, key: string, w: OperatorWrite, root: Document): void {
  if (value === undefined) return;
  switch (w.op) {
    case '$inc':
    case '$mul':
      if (typeof value === 'number' || NUMERIC_BSON.has((value as { _bsontype?: string })?._bsontype ?? '')) return;
      throw new CommandError(14, `Cannot apply ${w.op} to a value of non-numeric type. {_id: ${describe(root._id)}} has the field '${key}' of non-numeric type ${bsonType(value)}`);
    case '$push':
      if (Array.isArray(value)) return;
      throw new CommandError(2, `The field '${key}' must be an array but is of type ${bsonType(value)} in document {_id: ${describe(root._id)}}`);
    case '$addToSet':
      if (Array.isArray(value)) return;
      throw new CommandError(2, `Cannot apply $addToSet to non-array field. Field named '${key}' has non-array type ${bsonType(value)}`);
    case '$pull':
    case '$pullAll':
      if (Array.isArray(value)) return;
      throw new CommandError(2, `Cannot apply ${w.op} to a non-array value`);
    case '$pop':
      if (Array.isArray(value)) return;
      throw new CommandError(14, `Path '${w.path}' contains an element of non-array type '${bsonType(value)}'`);
  }
}

function bsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (v instanceof Date) return 'date';
  if (v instanceof RegExp) return 'regex';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return Number.isInteger(v) ? 'int' : 'double';
  }
  const t = (v as { _bsontype?: string })?._bsontype;
  return t ? t.charAt(0).toLowerCase() + t.slice(1) : 'object';
}

function describe(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
