// Reads and writes on one collection, either directly on committed state or inside a transaction.
import { Query } from 'mingo';
import type { Document } from 'bson';
import { CommandError, LockWait, writeConflict } from '../errors.ts';
import type { Txn } from '../transactions.ts';
import type { Collection } from './collection.ts';
import type { Engine } from './engine.ts';
import { duplicateKeyError, type Index } from './index-def.ts';
import { candidateIds } from './planner.ts';

export type Match = [id: string, doc: Document];

/** `variables`: the command's `let`, readable as `$$name` in `$expr`. */
export function compileFilter(filter: Document | undefined, variables?: Document): Query | null {
  if (!filter || Object.keys(filter).length === 0) return null;
  try {
    return new Query(filter, variables ? { variables } : {});
  } catch (err) {
    throw new CommandError(2, (err as Error).message);
  }
}

export class CollectionAccess {
  constructor(
    private readonly engine: Engine,
    readonly coll: Collection | undefined,
    readonly txn: Txn | null,
  ) {}

  get exists(): boolean {
    return this.coll !== undefined;
  }

  get(id: string): Document | undefined {
    if (!this.coll) return undefined;
    return this.txn ? this.txn.read(this.coll, id) : this.coll.docs.get(id);
  }

  *candidates(filter: Document, hint?: Index): Iterable<Match> {
    const coll = this.coll;
    if (!coll) return;
    const planned = candidateIds(coll, filter, hint);
    if (!this.txn) {
      if (!planned) {
        yield* coll.docs;
        return;
      }
      for (const id of planned) {
        const doc = coll.docs.get(id);
        if (doc) yield [id, doc];
      }
      return;
    }
    const ids = new Set(planned ?? coll.docs.keys());
    for (const id of this.txn.extraIds(coll)) ids.add(id);
    for (const id of ids) {
      const doc = this.txn.read(coll, id);
      if (doc) yield [id, doc];
    }
  }

  /** Matching documents in natural order; stops after `limit` when given. */
  match(filter: Document | undefined, limit = 0, variables?: Document): Match[] {
    const query = compileFilter(filter, variables);
    const out: Match[] = [];
    let examined = 0;
    for (const m of this.candidates(filter ?? {})) {
      examined++;
      if (query && !safeTest(query, m[1])) continue;
      out.push(m);
      if (limit && out.length >= limit) break;
    }
    if (this.coll) this.engine.counters.recordExamined(this.coll.ns, examined);
    return out;
  }

  count(filter: Document | undefined): number {
    if (this.coll && !this.txn && (!filter || Object.keys(filter).length === 0)) return this.coll.docs.size;
    return this.match(filter).length;
  }

  /** Non-transactional writers wait for transactions holding any of these documents. */
  assertWritable(ids: Iterable<string>): void {
    const coll = this.coll;
    if (!coll) return;
    for (const id of ids) {
      const holder: Txn | undefined = coll.locks.get(id);
      if (this.txn) {
        if ((holder && holder !== this.txn) || this.txn.changedSinceSnapshot(coll, id)) throw writeConflict();
      } else if (holder) {
        throw new LockWait(this.engine.waitForTxnEnd());
      }
    }
  }

  insert(coll: Collection, id: string, doc: Document): void {
    this.assertWritable([id]);
    if (this.get(id) !== undefined || (!this.txn && coll.docs.has(id))) throw duplicateKeyError(coll.ns, coll.indexes[0], doc);
    this.checkUnique(coll, id, doc);
    this.apply(coll, id, doc);
  }

  replace(coll: Collection, id: string, doc: Document): void {
    this.assertWritable([id]);
    this.checkUnique(coll, id, doc);
    this.apply(coll, id, doc);
  }

  remove(coll: Collection, id: string): void {
    this.assertWritable([id]);
    if (this.txn) this.txn.stage(coll, id, null);
    else coll.commitWrite(id, undefined, null);
  }

  private apply(coll: Collection, id: string, doc: Document): void {
    if (!this.txn) {
      coll.commitWrite(id, doc, null);
      return;
    }
    this.txn.stage(coll, id, doc);
    for (const ix of coll.indexes) {
      if (ix.unique && !ix.isId) for (const k of ix.keysFor(doc)) this.txn.claim(coll, ix.name, k);
    }
  }

  private checkUnique(coll: Collection, id: string, doc: Document): void {
    for (const ix of coll.indexes) {
      if (!ix.unique || ix.isId) continue;
      for (const key of ix.keysFor(doc)) this.checkUniqueKey(coll, ix, key, id, doc);
    }
  }

  private checkUniqueKey(coll: Collection, ix: Index, key: string, id: string, doc: Document): void {
    const txn = this.txn;
    const claimant = coll.claims.get(ix.name)?.get(key);
    if (claimant && claimant !== txn) {
      if (txn) throw writeConflict();
      throw new LockWait(this.engine.waitForTxnEnd());
    }
    for (const owner of ix.entries.get(key) ?? []) {
      if (owner === id) continue;
      if (!txn) throw duplicateKeyError(coll.ns, ix, doc);
      const visible = txn.read(coll, owner);
      if (visible) {
        if (ix.keysFor(visible).includes(key)) throw duplicateKeyError(coll.ns, ix, doc);
      } else if (!txn.writes.get(coll)?.has(owner)) {
        throw writeConflict(); // committed by someone else after our snapshot
      }
    }
    if (txn) {
      for (const other of txn.extraIds(coll)) {
        if (other === id) continue;
        const visible = txn.read(coll, other);
        if (visible && ix.keysFor(visible).includes(key)) throw duplicateKeyError(coll.ns, ix, doc);
      }
    }
  }
}

function safeTest(query: Query, doc: Document): boolean {
  try {
    return query.test(doc);
  } catch (err) {
    throw new CommandError(2, (err as Error).message);
  }
}
