// Checkpoints: the whole committed state as of one LSN, in one file written to a temp name, fsynced
// and renamed over the previous one (a crash leaves the old or the new checkpoint, never a torn one).
// Layout: a header {format, lsn, collections}, then per collection {db, name, uuid, indexes, count}
// followed by its `count` documents, then a trailer {end: true}.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { deserialize, serializeWithBufferAndIndex, type Document, type UUID } from 'bson';
import { CommandError } from '../errors.ts';
import { idKeyOf as idKey } from '../storage/collection.ts';
import type { Engine } from '../storage/engine.ts';
import { fsyncDir } from './log.ts';

export const CHECKPOINT_FILE = 'checkpoint.bson';
/** Documents serialized per step of a background checkpoint (writes wait at most one step). */
const DOCS_PER_CHUNK = 250;
/**
 * A background checkpoint flushes what it wrote every this many bytes. The log's fdatasync shares
 * the disk (and the file system's journal) with it: one flush of the whole checkpoint at the end
 * held every write's fsync up behind ~100 MB of dirty pages; small flushes keep that wait short.
 */
const FLUSH_EVERY_BYTES = 2 << 20;

export interface CollectionImage {
  meta: { db: string; name: string; uuid: UUID; indexes: Document[]; count: number };
  docs: Document[];
}

/** The state as of now: cheap, since committed documents are never mutated in place (writes replace them). */
export function snapshot(engine: Engine): CollectionImage[] {
  const images: CollectionImage[] = [];
  for (const colls of engine.dbs.values()) {
    for (const c of colls.values()) {
      const docs = [...c.docs.values()];
      images.push({ meta: { db: c.db, name: c.name, uuid: c.uuid, indexes: c.indexes.filter((i) => !i.isId).map((i) => i.spec()), count: docs.length }, docs });
    }
  }
  return images;
}

/** A chunk is handed on once it holds this many bytes (or DOCS_PER_CHUNK documents). */
const CHUNK_BYTES = 1 << 20;
/** The largest document BSON allows, and headroom for a collection's header. */
const MAX_DOCUMENT_BYTES = (16 << 20) + (64 << 10);

/**
 * The checkpoint's bytes, chunk by chunk, each serialized into one buffer reused for every chunk:
 * the consumer must be done with a chunk before it asks for the next. Serializing each document
 * into a buffer of its own (and concatenating them) left ~2 bytes of garbage per byte written,
 * whose mark-compact collections held the event loop for tens of ms during a 100 MB checkpoint.
 */
function* chunks(format: number, lsn: number, images: CollectionImage[]): Generator<Uint8Array> {
  const scratch = Buffer.allocUnsafe(CHUNK_BYTES + MAX_DOCUMENT_BYTES);
  let used = 0;
  const put = (doc: Document) => {
    used = serializeWithBufferAndIndex(doc, scratch, { index: used }) + 1;
  };
  put({ format, lsn, collections: images.length });
  for (const image of images) {
    put(image.meta);
    let docs = 0;
    for (const doc of image.docs) {
      put(doc);
      if (++docs >= DOCS_PER_CHUNK || used >= CHUNK_BYTES) {
        yield scratch.subarray(0, used);
        used = 0;
        docs = 0;
      }
    }
  }
  put({ end: true });
  yield scratch.subarray(0, used);
}

export function writeCheckpointSync(dir: string, format: number, lsn: number, images: CollectionImage[]): number {
  const tmp = join(dir, `${CHECKPOINT_FILE}.tmp`);
  const fd = openSync(tmp, 'w');
  let size = 0;
  try {
    for (const chunk of chunks(format, lsn, images)) size += writeSync(fd, chunk);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, join(dir, CHECKPOINT_FILE));
  const dirFd = openSync(dir, 'r');
  fsyncSync(dirFd);
  closeSync(dirFd);
  return size;
}

/** Writes a checkpoint without holding the event loop for more than one chunk at a time. */
export async function writeCheckpoint(dir: string, format: number, lsn: number, images: CollectionImage[]): Promise<number> {
  const tmp = join(dir, `${CHECKPOINT_FILE}.tmp`);
  const file = await open(tmp, 'w');
  let size = 0;
  let unflushed = 0;
  try {
    for (const chunk of chunks(format, lsn, images)) {
      await file.write(chunk);
      size += chunk.length;
      unflushed += chunk.length;
      if (unflushed >= FLUSH_EVERY_BYTES) {
        await file.datasync();
        unflushed = 0;
      }
    }
    await file.datasync();
  } finally {
    await file.close();
  }
  // Off the event loop: replacing a checkpoint of ~100 MB frees the old one's blocks inside the
  // rename, which took the file system 20-100 ms here.
  await rename(tmp, join(dir, CHECKPOINT_FILE));
  await fsyncDir(dir);
  return size;
}

/** Loads the checkpoint into the (empty) engine; returns its LSN (0 without one) and size. */
export function loadCheckpoint(dir: string, engine: Engine, formats: readonly number[]): { lsn: number; size: number } {
  let buf: Buffer;
  try {
    buf = readFileSync(join(dir, CHECKPOINT_FILE));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { lsn: 0, size: 0 };
    throw err;
  }
  let offset = 0;
  const next = (): Document => {
    if (offset + 4 > buf.length) throw new Error(`${dir}/${CHECKPOINT_FILE} is truncated`);
    const size = buf.readInt32LE(offset);
    if (size < 5 || offset + size > buf.length) throw new Error(`${dir}/${CHECKPOINT_FILE} is corrupt at byte ${offset}`);
    const doc = deserialize(buf.subarray(offset, offset + size));
    offset += size;
    return doc;
  };
  const header = next();
  if (!formats.includes(header.format)) throw new Error(`${dir}/${CHECKPOINT_FILE} has format ${header.format}, expected ${formats.join(' or ')}`);
  for (let i = 0; i < header.collections; i++) {
    const meta = next() as CollectionImage['meta'];
    const coll = engine.createCollection(meta.db, meta.name, meta.uuid);
    for (let j = 0; j < meta.count; j++) {
      const doc = next();
      coll.docs.set(idKey(doc), doc);
    }
    for (const spec of meta.indexes) coll.addIndex(spec as never, () => new CommandError(11000, `${dir}: stored data violates unique index ${spec.name}`));
  }
  if (next().end !== true) throw new Error(`${dir}/${CHECKPOINT_FILE} has no trailer`);
  return { lsn: Number(header.lsn), size: buf.length };
}
