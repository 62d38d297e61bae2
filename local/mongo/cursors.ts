// Server-side cursors over materialised results, served in batches by getMore.
import { Long, calculateObjectSize, type Document } from 'bson';
import { CommandError } from './errors.ts';

const FIRST_BATCH_DEFAULT = 101;
const BATCH_BYTES = 16 * 1024 * 1024;
const IDLE_TIMEOUT_MS = 10 * 60 * 1000;

interface OpenCursor {
  id: number;
  ns: string;
  docs: Document[];
  pos: number;
  lastUsed: number;
  /** Key of the session that opened it (killSessions closes a session's cursors). */
  session: string | undefined;
}

export interface CursorOptions {
  singleBatch?: boolean;
  session?: string;
}

export class CursorRegistry {
  private readonly cursors = new Map<number, OpenCursor>();
  private nextId = 1 + Math.floor(Math.random() * 1_000_000);

  /** Builds a `{cursor: {firstBatch, id, ns}}` reply, keeping a cursor open if documents remain. */
  open(ns: string, docs: Document[], batchSize: number | undefined, { singleBatch = false, session }: CursorOptions = {}): Document {
    const [batch, pos] = takeBatch(docs, 0, batchSize === undefined || batchSize < 0 ? FIRST_BATCH_DEFAULT : batchSize);
    let id = 0;
    if (pos < docs.length && !singleBatch) {
      id = this.nextId++;
      this.cursors.set(id, { id, ns, docs, pos, lastUsed: Date.now(), session });
    }
    return { cursor: { firstBatch: batch, id: id ? Long.fromNumber(id) : Long.ZERO, ns }, ok: 1 };
  }

  getMore(rawId: unknown, ns: string, batchSize: number | undefined): Document {
    const id = Number(rawId);
    const cursor = this.cursors.get(id);
    if (!cursor) throw new CommandError(43, `cursor id ${id} not found`);
    if (cursor.ns !== ns) throw new CommandError(13, `Requested getMore on namespace '${ns}', but cursor belongs to a different namespace ${cursor.ns}`);
    const [batch, pos] = takeBatch(cursor.docs, cursor.pos, batchSize || Infinity);
    cursor.pos = pos;
    cursor.lastUsed = Date.now();
    const done = pos >= cursor.docs.length;
    if (done) this.cursors.delete(id);
    return { cursor: { nextBatch: batch, id: done ? Long.ZERO : Long.fromNumber(id), ns }, ok: 1 };
  }

  kill(ids: unknown[]): Document {
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const raw of ids) {
      const id = Number(raw);
      (this.cursors.delete(id) ? killed : notFound).push(Long.fromNumber(id));
    }
    return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
  }

  /** Closes every cursor opened by one of these sessions (all cursors when `sessions` is 'all'). */
  killSessions(sessions: Set<string> | 'all'): void {
    for (const [id, c] of this.cursors) if (sessions === 'all' || (c.session !== undefined && sessions.has(c.session))) this.cursors.delete(id);
  }

  reapIdle(now = Date.now()): void {
    for (const [id, c] of this.cursors) if (now - c.lastUsed > IDLE_TIMEOUT_MS) this.cursors.delete(id);
  }

  get size(): number {
    return this.cursors.size;
  }

  clear(): void {
    this.cursors.clear();
  }
}

function takeBatch(docs: Document[], from: number, maxCount: number): [Document[], number] {
  const end = Math.min(docs.length, from + maxCount);
  if (end - from <= 16) return [docs.slice(from, end), end];
  let bytes = 0;
  let pos = from;
  while (pos < end) {
    bytes += calculateObjectSize(docs[pos]);
    if (bytes > BATCH_BYTES && pos > from) break;
    pos++;
  }
  return [docs.slice(from, pos), pos];
}
