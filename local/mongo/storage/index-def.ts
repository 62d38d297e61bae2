// One secondary index: a map from index-key string to the _id keys of the documents holding it.
import { Query } from 'mingo';
import type { Document } from 'bson';
import { CommandError, badValue } from '../errors.ts';
import { getPath, pathValues, valueKey } from '../keys.ts';

export interface IndexSpec {
  key: Document;
  name: string;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Document;
  expireAfterSeconds?: number;
}

export class Index {
  readonly name: string;
  readonly key: Document;
  readonly fields: string[];
  readonly unique: boolean;
  readonly sparse: boolean;
  readonly partialFilterExpression?: Document;
  readonly expireAfterSeconds?: number;
  private readonly partial?: Query;
  private readonly fieldParts: string[][];
  /** index key -> _id keys; for the _id index this map stays empty (the collection's document map is the index). */
  readonly entries = new Map<string, Set<string>>();

  constructor(spec: IndexSpec, readonly isId = false) {
    this.name = spec.name;
    this.key = spec.key;
    this.fields = Object.keys(spec.key);
    if (this.fields.length === 0) throw badValue('Index keys cannot be empty.');
    this.fieldParts = this.fields.map((f) => f.split('.'));
    this.unique = isId || spec.unique === true;
    this.sparse = spec.sparse === true;
    if (spec.partialFilterExpression) {
      this.partialFilterExpression = spec.partialFilterExpression;
      try {
        this.partial = new Query(spec.partialFilterExpression, {});
      } catch (err) {
        throw new CommandError(67, `Error in specification ${JSON.stringify(spec.key)}: ${(err as Error).message}`);
      }
    }
    if (spec.expireAfterSeconds !== undefined) this.expireAfterSeconds = Number(spec.expireAfterSeconds);
  }

  static forId(): Index {
    return new Index({ key: { _id: 1 }, name: '_id_' }, true);
  }

  /** Index keys of a document ([] when a sparse or partial index excludes it). */
  keysFor(doc: Document): string[] {
    if (this.partial && !this.partial.test(doc)) return [];
    if (this.fieldParts.length === 1) {
      const values = pathValues(doc, this.fieldParts[0]);
      if (this.sparse && values.every((v) => v === undefined)) return [];
      return values.length === 1 ? [valueKey(values[0])] : [...new Set(values.map(valueKey))];
    }
    let keys = [''];
    let allMissing = true;
    for (let i = 0; i < this.fieldParts.length; i++) {
      const values = pathValues(doc, this.fieldParts[i]);
      if (values.some((v) => v !== undefined)) allMissing = false;
      const parts = [...new Set(values.map(valueKey))];
      keys = keys.flatMap((prefix) => parts.map((p) => (i === 0 ? p : prefix + '\u0001' + p)));
    }
    if (this.sparse && allMissing) return [];
    return keys;
  }

  add(doc: Document, id: string): void {
    if (this.isId) return;
    for (const k of this.keysFor(doc)) {
      let set = this.entries.get(k);
      if (!set) this.entries.set(k, (set = new Set()));
      set.add(id);
    }
  }

  remove(doc: Document, id: string): void {
    if (this.isId) return;
    for (const k of this.keysFor(doc)) {
      const set = this.entries.get(k);
      if (!set) continue;
      set.delete(id);
      if (set.size === 0) this.entries.delete(k);
    }
  }

  /** `{field: value}` of a document, as MongoDB reports it in keyValue. */
  keyValue(doc: Document): Document {
    const out: Document = {};
    for (const f of this.fields) {
      const v = getPath(doc, f);
      out[f] = v === undefined ? null : v;
    }
    return out;
  }

  spec(): Document {
    const doc: Document = { v: 2, key: this.key, name: this.name };
    if (this.unique && !this.isId) doc.unique = true;
    if (this.sparse) doc.sparse = true;
    if (this.partialFilterExpression) doc.partialFilterExpression = this.partialFilterExpression;
    if (this.expireAfterSeconds !== undefined) doc.expireAfterSeconds = this.expireAfterSeconds;
    return doc;
  }

  sameDefinition(spec: IndexSpec): boolean {
    return (
      JSON.stringify(spec.key) === JSON.stringify(this.key) &&
      (spec.unique === true) === (this.unique && !this.isId) &&
      JSON.stringify(spec.partialFilterExpression ?? null) === JSON.stringify(this.partialFilterExpression ?? null) &&
      (spec.expireAfterSeconds ?? null) === (this.expireAfterSeconds ?? null)
    );
  }
}

export function defaultIndexName(key: Document): string {
  return Object.entries(key)
    .map(([f, d]) => `${f}_${d}`)
    .join('_');
}

function formatValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v && typeof v === 'object' && (v as { _bsontype?: string })._bsontype === 'ObjectId') return `ObjectId('${String(v)}')`;
  if (v instanceof Date) return `new Date(${v.getTime()})`;
  if (v === null || v === undefined) return 'null';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

export function duplicateKeyError(ns: string, index: Index, doc: Document): CommandError {
  const keyValue = index.keyValue(doc);
  const shown = Object.entries(keyValue)
    .map(([f, v]) => `${f}: ${formatValue(v)}`)
    .join(', ');
  return new CommandError(11000, `E11000 duplicate key error collection: ${ns} index: ${index.name} dup key: { ${shown} }`, [], {
    keyPattern: index.key,
    keyValue,
  });
}
