// TTL monitor: deletes documents whose indexed date is older than expireAfterSeconds.
import type { Document } from 'bson';
import { pathValues } from '../keys.ts';
import type { Engine } from './engine.ts';

function expiryBase(doc: Document, parts: string[]): number | undefined {
  let earliest: number | undefined;
  for (const v of pathValues(doc, parts)) {
    if (v instanceof Date && (earliest === undefined || v.getTime() < earliest)) earliest = v.getTime();
  }
  return earliest;
}

/** One TTL pass over every collection; documents held by an open transaction are left for the next pass. */
export function sweepExpired(engine: Engine, now: Date): number {
  let removed = 0;
  for (const colls of engine.dbs.values()) {
    for (const coll of colls.values()) {
      for (const ix of coll.indexes) {
        if (ix.expireAfterSeconds === undefined) continue;
        const parts = ix.fields[0].split('.');
        const cutoff = now.getTime() - ix.expireAfterSeconds * 1000;
        const expired: string[] = [];
        for (const [id, doc] of coll.docs) {
          const base = expiryBase(doc, parts);
          if (base !== undefined && base <= cutoff && !coll.locks.has(id)) expired.push(id);
        }
        for (const id of expired) {
          if (!coll.docs.has(id)) continue;
          coll.commitWrite(id, undefined, null);
          removed++;
        }
      }
    }
  }
  return removed;
}
