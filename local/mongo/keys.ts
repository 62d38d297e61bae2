// Value identity for index maps and BSON-aware cloning.
import { Binary, type Document } from 'bson';

type Bsonish = { _bsontype?: string; toHexString?: () => string; toString(): string };

/**
 * A string that is equal for two values exactly when MongoDB's equality would treat them as equal
 * for index purposes (numbers compare by value whatever their BSON type; null and missing coincide).
 */
export function valueKey(v: unknown): string {
  if (v === null || v === undefined) return 'z';
  switch (typeof v) {
    case 'number':
      return Object.is(v, -0) ? 'n0' : 'n' + v;
    case 'string':
      return 's' + v;
    case 'boolean':
      return v ? 'bt' : 'bf';
    case 'bigint':
      return 'n' + v.toString();
  }
  if (v instanceof Date) return 'd' + v.getTime();
  if (Array.isArray(v)) return '[' + v.map(nestedKey).join(',') + ']';
  if (v instanceof RegExp) return 'r' + v.toString();
  const b = v as Bsonish;
  switch (b._bsontype) {
    case undefined:
      break;
    case 'ObjectId':
      return 'o' + b.toHexString!();
    case 'Long':
    case 'Int32':
    case 'Double':
      return 'n' + Number(b.toString());
    case 'Binary':
      return 'x' + (v as Binary).sub_type + ':' + Buffer.from((v as Binary).buffer).toString('base64');
    default:
      return b._bsontype + ':' + b.toString();
  }
  let s = '{';
  for (const k of Object.keys(v as object)) s += JSON.stringify(k) + ':' + nestedKey((v as Document)[k]) + ',';
  return s + '}';
}

function nestedKey(v: unknown): string {
  return typeof v === 'string' ? 's' + JSON.stringify(v) : valueKey(v);
}

/** True for values an equality lookup can take straight from an index map. */
export function isIndexableScalar(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  const t = typeof v;
  if (t === 'number' || t === 'string' || t === 'boolean') return true;
  if (v instanceof Date) return true;
  const bt = (v as Bsonish)._bsontype;
  return bt === 'ObjectId' || bt === 'Long' || bt === 'Int32' || bt === 'Double';
}

export function isPlainObject(v: unknown): v is Document {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Date || v instanceof RegExp) return false;
  return (v as Bsonish)._bsontype === undefined;
}

/** Deep clone of plain objects/arrays/dates; immutable BSON values are shared. */
export function deepClone<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(deepClone) as T;
  if (v instanceof Date) return new Date(v.getTime()) as T;
  if ((v as Bsonish)._bsontype !== undefined || v instanceof RegExp) return v;
  const out: Document = {};
  for (const k of Object.keys(v as object)) out[k] = deepClone((v as Document)[k]);
  return out as T;
}

/** Values at a dotted path, expanding arrays the way multikey indexes do. Missing yields undefined. */
export function pathValues(doc: unknown, parts: string[], i = 0, out: unknown[] = []): unknown[] {
  if (i === parts.length) {
    if (Array.isArray(doc)) {
      if (doc.length === 0) out.push(undefined);
      else for (const el of doc) out.push(el);
    } else out.push(doc);
    return out;
  }
  if (doc === null || typeof doc !== 'object') {
    out.push(undefined);
    return out;
  }
  if (Array.isArray(doc)) {
    const part = parts[i];
    if (/^\d+$/.test(part)) return pathValues(doc[Number(part)], parts, i + 1, out);
    if (doc.length === 0) out.push(undefined);
    for (const el of doc) pathValues(el, parts, i, out);
    return out;
  }
  return pathValues((doc as Document)[parts[i]], parts, i + 1, out);
}

/** First value at a dotted path (no array expansion), for error messages and TTL. */
export function getPath(doc: unknown, path: string): unknown {
  let cur: unknown = doc;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Document)[part];
  }
  return cur;
}
