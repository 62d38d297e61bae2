// Multi-document transactions with snapshot isolation.
//
// Committed state is shared. A transaction stages its writes in an overlay and, while it is open,
// every committed change records the document's previous version in the transaction's
// `preImages` (first change wins). Reading "as of the snapshot" is therefore: own overlay, else
// pre-image, else current committed state. A write to a document that has a pre-image (changed
// since the snapshot) or is locked by another transaction is a WriteConflict.
import type { Document } from 'bson';
import type { Collection } from './storage/collection.ts';

export type TxnState = 'active' | 'committed' | 'aborted';

export class Txn {
  state: TxnState = 'active';
  /** Why an aborted transaction ended, for the NoSuchTransaction message. */
  abortReason = '';
  readonly writes = new Map<Collection, Map<string, Document | null>>();
  readonly preImages = new Map<Collection, Map<string, Document | undefined>>();
  /** [collection, index name, index key] claimed for unique indexes. */
  readonly claims: [Collection, string, string][] = [];
  lastConnectionId = 0;
  timer: NodeJS.Timeout | undefined;

  constructor(
    readonly sessionKey: string,
    readonly txnNumber: number,
  ) {}

  notePreImage(coll: Collection, id: string, prev: Document | undefined): void {
    let m = this.preImages.get(coll);
    if (!m) this.preImages.set(coll, (m = new Map()));
    if (!m.has(id)) m.set(id, prev);
  }

  /** Document as this transaction sees it (undefined when absent in its snapshot). */
  read(coll: Collection, id: string): Document | undefined {
    const own = this.writes.get(coll);
    if (own?.has(id)) return own.get(id) ?? undefined;
    const pre = this.preImages.get(coll);
    if (pre?.has(id)) return pre.get(id);
    return coll.docs.get(id);
  }

  changedSinceSnapshot(coll: Collection, id: string): boolean {
    return this.preImages.get(coll)?.has(id) === true;
  }

  stage(coll: Collection, id: string, doc: Document | null): void {
    let m = this.writes.get(coll);
    if (!m) this.writes.set(coll, (m = new Map()));
    m.set(id, doc);
    coll.locks.set(id, this);
  }

  claim(coll: Collection, index: string, key: string): void {
    let m = coll.claims.get(index);
    if (!m) coll.claims.set(index, (m = new Map()));
    if (m.get(key) !== this) {
      m.set(key, this);
      this.claims.push([coll, index, key]);
    }
  }

  /** _id keys this transaction may see beyond what committed indexes return. */
  extraIds(coll: Collection): string[] {
    const ids: string[] = [];
    const own = this.writes.get(coll);
    if (own) ids.push(...own.keys());
    const pre = this.preImages.get(coll);
    if (pre) ids.push(...pre.keys());
    return ids;
  }

  releaseLocks(): void {
    for (const [coll, ids] of this.writes) {
      for (const id of ids.keys()) if (coll.locks.get(id) === this) coll.locks.delete(id);
    }
    for (const [coll, index, key] of this.claims) {
      const m = coll.claims.get(index);
      if (m?.get(key) === this) m.delete(key);
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
