// Committed state of one collection: documents keyed by their _id key, plus secondary indexes.
import { UUID, type Document } from 'bson';
import { CommandError } from '../errors.ts';
import { valueKey } from '../keys.ts';
import { Index, type IndexSpec } from './index-def.ts';
import type { Txn } from '../transactions.ts';

export interface CommitListener {
  /** Called before every committed change so open snapshots can keep the previous version. */
  beforeCommit(coll: Collection, id: string, prev: Document | undefined, committer: Txn | null): void;
  afterCommit(coll: Collection, id: string, next: Document | undefined): void;
  indexAdded(coll: Collection, ix: Index): void;
  indexDropped(coll: Collection, name: string): void;
}

export class Collection {
  readonly docs = new Map<string, Document>();
  readonly indexes: Index[] = [Index.forId()];
  /** _id key -> transaction holding an uncommitted write on that document. */
  readonly locks = new Map<string, Txn>();
  /** index name -> unique index key -> transaction that staged a document with that key. */
  readonly claims = new Map<string, Map<string, Txn>>();
  constructor(
    readonly db: string,
    readonly name: string,
    private readonly listener: CommitListener,
    readonly uuid = new UUID(),
  ) {}

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  index(name: string): Index | undefined {
    return this.indexes.find((i) => i.name === name);
  }

  /** Applies one change to committed state (insert when prev is absent, delete when next is undefined). */
  commitWrite(id: string, next: Document | undefined, committer: Txn | null): void {
    const prev = this.docs.get(id);
    this.listener.beforeCommit(this, id, prev, committer);
    for (const ix of this.indexes) {
      if (prev) ix.remove(prev, id);
      if (next) ix.add(next, id);
    }
    if (next) this.docs.set(id, next);
    else this.docs.delete(id);
    this.listener.afterCommit(this, id, next);
  }

  /** Adds an index over existing documents; fails with E11000 if existing data violates uniqueness. */
  addIndex(spec: IndexSpec, dupError: (ix: Index, doc: Document) => CommandError): Index {
    const ix = new Index(spec);
    for (const [id, doc] of this.docs) {
      if (ix.unique) {
        for (const k of ix.keysFor(doc)) if (ix.entries.get(k)?.size) throw dupError(ix, doc);
      }
      ix.add(doc, id);
    }
    this.indexes.push(ix);
    this.listener.indexAdded(this, ix);
    return ix;
  }

  dropIndex(name: string): void {
    const i = this.indexes.findIndex((x) => x.name === name && !x.isId);
    if (i < 0) return;
    this.indexes.splice(i, 1);
    this.listener.indexDropped(this, name);
  }
}

export function idKeyOf(doc: Document): string {
  return valueKey(doc._id);
}
