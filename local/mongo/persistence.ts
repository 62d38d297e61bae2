// Optional on-disk persistence (--data-dir). Each collection is one file holding a metadata
// document followed by its documents, rewritten after changes (debounced) via write-temp + fsync +
// rename, so a crash leaves either the previous or the new complete file, never a torn one.
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize, type Document } from 'bson';
import type { Collection } from './storage/collection.ts';
import type { Engine, PersistenceHook } from './storage/engine.ts';
import { idKeyOf } from './storage/collection.ts';
import { CommandError } from './errors.ts';

const SUFFIX = '.coll.bson';
const FLUSH_DELAY_MS = 50;

export class Persistence implements PersistenceHook {
  private readonly dirty = new Set<Collection>();
  private readonly dropped = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly dir: string,
    private readonly engine: Engine,
  ) {
    mkdirSync(dir, { recursive: true });
  }

  /** Loads every collection file; leftover temp files from an interrupted write are discarded. */
  load(): void {
    for (const file of readdirSync(this.dir)) {
      const path = join(this.dir, file);
      if (file.includes('.tmp-')) {
        unlinkSync(path);
        continue;
      }
      if (!file.endsWith(SUFFIX)) continue;
      const buf = readFileSync(path);
      const docs = readConcatenated(buf, path);
      const meta = docs.shift();
      if (!meta?.meta) throw new Error(`${path}: missing metadata document`);
      const { db, name, indexes } = meta.meta as { db: string; name: string; indexes: Document[] };
      const coll = this.engine.createCollection(db, name);
      for (const doc of docs) coll.docs.set(idKeyOf(doc), doc);
      for (const spec of indexes) {
        coll.addIndex(spec as never, () => new CommandError(11000, `${path}: stored data violates unique index ${spec.name}`));
      }
    }
    this.dirty.clear();
  }

  markDirty(coll: Collection): void {
    this.dirty.add(coll);
    this.dropped.delete(fileName(coll));
    this.timer ??= setTimeout(() => this.flush(), FLUSH_DELAY_MS);
  }

  markDropped(coll: Collection): void {
    this.dirty.delete(coll);
    this.dropped.add(fileName(coll));
    this.timer ??= setTimeout(() => this.flush(), FLUSH_DELAY_MS);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const file of this.dropped) {
      try {
        unlinkSync(join(this.dir, file));
      } catch {
        // never written
      }
    }
    this.dropped.clear();
    for (const coll of this.dirty) {
      if (this.engine.collection(coll.db, coll.name) !== coll) continue;
      const meta = { meta: { db: coll.db, name: coll.name, indexes: coll.indexes.filter((i) => !i.isId).map((i) => i.spec()) } };
      writeAtomically(join(this.dir, fileName(coll)), [serialize(meta), ...[...coll.docs.values()].map((d) => serialize(d))]);
    }
    this.dirty.clear();
    syncDir(this.dir);
  }
}

function fileName(coll: Collection): string {
  return encodeURIComponent(`${coll.db}.${coll.name}`) + SUFFIX;
}

function writeAtomically(path: string, chunks: Uint8Array[]): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    for (const chunk of chunks) writeSync(fd, chunk);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    fsyncSync(fd);
    closeSync(fd);
  } catch {
    // directory fsync is not supported everywhere; rename is still atomic
  }
}

function readConcatenated(buf: Buffer, path: string): Document[] {
  const docs: Document[] = [];
  let offset = 0;
  while (offset < buf.length) {
    const size = buf.readInt32LE(offset);
    if (size < 5 || offset + size > buf.length) throw new Error(`${path}: corrupt file at byte ${offset}`);
    docs.push(deserialize(buf.subarray(offset, offset + size)));
    offset += size;
  }
  return docs;
}
