// The catalogue of databases and collections, plus the transaction lifecycle that spans them.
import type { Document } from 'bson';
import { CommandError } from '../errors.ts';
import type { Counters } from '../counters.ts';
import { Txn } from '../transactions.ts';
import type { UUID } from 'bson';
import { Collection, type CommitListener } from './collection.ts';
import type { Index } from './index-def.ts';

/** What the write-ahead log (persistence.ts) is told, in commit order. */
export interface PersistenceHook {
  collectionCreated(coll: Collection): void;
  collectionDropped(coll: Collection): void;
  indexAdded(coll: Collection, ix: Index): void;
  indexDropped(coll: Collection, name: string): void;
  written(coll: Collection, id: string, doc: Document | undefined): void;
  /** Everything logged while `fn` runs becomes one record (a committed transaction). */
  atomically(fn: () => void): void;
}

export class Engine implements CommitListener {
  readonly dbs = new Map<string, Map<string, Collection>>();
  readonly activeTxns = new Set<Txn>();
  persistence: PersistenceHook | undefined;
  private releaseWaiters: (() => void)[] = [];

  constructor(readonly counters: Counters) {}

  beforeCommit(coll: Collection, id: string, prev: Document | undefined, committer: Txn | null): void {
    for (const t of this.activeTxns) if (t !== committer) t.notePreImage(coll, id, prev);
    this.counters.recordWrite(coll.ns);
  }

  afterCommit(coll: Collection, id: string, next: Document | undefined): void {
    this.persistence?.written(coll, id, next);
  }

  indexAdded(coll: Collection, ix: Index): void {
    this.persistence?.indexAdded(coll, ix);
  }

  indexDropped(coll: Collection, name: string): void {
    this.persistence?.indexDropped(coll, name);
  }

  collection(db: string, name: string): Collection | undefined {
    return this.dbs.get(db)?.get(name);
  }

  /** Returns the collection, creating it implicitly (as MongoDB does on first write). */
  ensureCollection(db: string, name: string): Collection {
    return this.collection(db, name) ?? this.createCollection(db, name);
  }

  createCollection(db: string, name: string, uuid?: UUID): Collection {
    validateCollectionName(name);
    let colls = this.dbs.get(db);
    if (!colls) this.dbs.set(db, (colls = new Map()));
    if (colls.has(name)) throw new CommandError(48, `Collection ${db}.${name} already exists.`);
    const coll = new Collection(db, name, this, uuid);
    colls.set(name, coll);
    this.persistence?.collectionCreated(coll);
    return coll;
  }

  dropCollection(db: string, name: string): Collection | undefined {
    const coll = this.collection(db, name);
    if (!coll) return undefined;
    this.dbs.get(db)!.delete(name);
    this.persistence?.collectionDropped(coll);
    return coll;
  }

  dropDatabase(db: string): void {
    for (const name of [...(this.dbs.get(db)?.keys() ?? [])]) this.dropCollection(db, name);
    this.dbs.delete(db);
  }

  beginTxn(sessionKey: string, txnNumber: number): Txn {
    const txn = new Txn(sessionKey, txnNumber);
    this.activeTxns.add(txn);
    return txn;
  }

  commitTxn(txn: Txn): void {
    if (txn.state !== 'active') return;
    // Conflicts were detected when each write was staged, so applying cannot fail.
    const apply = () => {
      for (const [coll, writes] of txn.writes) {
        if (this.collection(coll.db, coll.name) !== coll) continue; // dropped meanwhile
        for (const [id, doc] of writes) coll.commitWrite(id, doc ?? undefined, txn);
      }
    };
    this.atomically(apply);
    this.endTxn(txn, 'committed');
  }

  /** Runs `fn`; with a data directory, everything it commits is logged as one record (all of it survives a crash, or none). */
  atomically<T>(fn: () => T): T {
    if (!this.persistence) return fn();
    let out!: T;
    this.persistence.atomically(() => {
      out = fn();
    });
    return out;
  }

  abortTxn(txn: Txn, reason: string): void {
    if (txn.state !== 'active') return;
    txn.abortReason = reason;
    this.endTxn(txn, 'aborted');
  }

  private endTxn(txn: Txn, state: 'committed' | 'aborted'): void {
    txn.state = state;
    txn.releaseLocks();
    this.activeTxns.delete(txn);
    txn.writes.clear();
    txn.preImages.clear();
    const waiters = this.releaseWaiters;
    this.releaseWaiters = [];
    for (const w of waiters) w();
  }

  /** Resolves when any transaction ends (its locks are then released). */
  waitForTxnEnd(): Promise<void> {
    return new Promise((resolve) => this.releaseWaiters.push(resolve));
  }

  abortAll(reason: string): void {
    for (const t of [...this.activeTxns]) this.abortTxn(t, reason);
  }
}

function validateCollectionName(name: string): void {
  if (typeof name !== 'string' || name.length === 0 || name.includes('$') || name.includes('\0')) {
    throw new CommandError(73, `Invalid collection name: ${String(name)}`);
  }
}
