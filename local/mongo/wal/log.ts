// The write-ahead log: segment files of records framed as [length u32][crc32 u32][payload], appended
// durably (O_DSYNC: the guarantee of write + fdatasync) by one flusher in the background. Callers
// wait on sync(); everything appended in the same turn of the event loop, or while a write is
// running, goes out with the next one, so concurrent writers share syncs (group commit, as MongoDB's
// journal and LevelDB's log do). A lone record is written synchronously on the calling thread (the
// embedded server's own worker thread in the local stack); groups go through the thread pool, so the
// server parses the next commands while the disk writes.
//
// Segments are preallocated: the flusher extends a segment with zeros, PREALLOCATE_BYTES at a time,
// before records reach that space (MongoDB preallocates its journal files; SQLite reuses its WAL).
// A record's synchronous write then overwrites blocks the file already has, within a size that does
// not change, so the disk writes the record alone and no file-system metadata (size, block map) with
// it. A zero length ends a segment's records: zeros past the last record are unused space, not a
// torn record (readRecords, and recovery in persistence.ts).
import { close, closeSync, constants, fsync, openSync, readdirSync, write, writeSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { crc32 } from 'node:zlib';

const writeAsync = promisify(write);
const fsyncAsync = promisify(fsync);
const closeAsync = promisify(close);

const HEADER_BYTES = 8;
/** A segment grows by this much zeroed, synced space at a time. */
export const PREALLOCATE_BYTES = 1 << 20;
const ZEROS = Buffer.alloc(PREALLOCATE_BYTES);
const SEGMENT = /^wal-(\d{16})\.log$/;

export const segmentName = (startLsn: number): string => `wal-${String(startLsn).padStart(16, '0')}.log`;

/** The log's segment files, oldest first. */
export function listSegments(dir: string): { startLsn: number; path: string }[] {
  return readdirSync(dir)
    .map((file) => SEGMENT.exec(file))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ startLsn: Number(m[1]), path: join(dir, m[0]) }))
    .sort((a, b) => a.startLsn - b.startLsn);
}

export function frame(payload: Uint8Array): Buffer {
  const buf = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
  buf.writeUInt32LE(payload.length, 0);
  buf.writeUInt32LE(crc32(payload), 4);
  buf.set(payload, HEADER_BYTES);
  return buf;
}

/**
 * The intact records of a segment and where they end, and whether a torn record follows them. A
 * record cut short or failing its checksum ends the valid prefix: it is a torn write from a crash (it
 * was never acknowledged, since replies wait for the sync that completes it). Zeros past the last
 * record are preallocated space: `torn` is false when nothing but zeros follows `end`.
 */
export function readRecords(buf: Buffer): { payloads: Buffer[]; end: number; torn: boolean } {
  const payloads: Buffer[] = [];
  let offset = 0;
  while (offset + HEADER_BYTES <= buf.length) {
    const length = buf.readUInt32LE(offset);
    const start = offset + HEADER_BYTES;
    if (length === 0 || start + length > buf.length) break;
    const payload = buf.subarray(start, start + length);
    if (crc32(payload) !== buf.readUInt32LE(offset + 4)) break;
    payloads.push(payload);
    offset = start + length;
  }
  return { payloads, end: offset, torn: buf.subarray(offset).some((byte) => byte !== 0) };
}

export async function fsyncDir(dir: string): Promise<void> {
  const fd = openSync(dir, 'r');
  try {
    await fsyncAsync(fd);
  } finally {
    closeSync(fd);
  }
}

interface Segment {
  fd: number;
  position: number;
  /** The file's size: zeroed and synced up to here. */
  allocated: number;
  /** Its directory entry is not known to be durable yet. */
  fresh: boolean;
}

async function writeFully(fd: number, data: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < data.length) done += (await writeAsync(fd, data, done, data.length - done, position + done)).bytesWritten;
}

function writeFullySync(fd: number, data: Buffer, position: number): void {
  let done = 0;
  while (done < data.length) done += writeSync(fd, data, done, data.length - done, position + done);
}

/**
 * A lone record's write slower than this (a contended disk) sends lone records back to the thread
 * pool for INLINE_PAUSE_MS: a write that long held the server's thread (its own worker thread in the
 * local stack) where the thread pool would have let it read and parse the next commands meanwhile.
 */
const SLOW_INLINE_WRITE_MS = 2;
const INLINE_PAUSE_MS = 1000;

/** Extends the segment with zeros (synced: O_DSYNC) to a whole number of steps covering `needed` bytes. */
async function preallocate(segment: Segment, needed: number): Promise<void> {
  const size = Math.ceil(needed / PREALLOCATE_BYTES) * PREALLOCATE_BYTES;
  while (segment.allocated < size) {
    await writeFully(segment.fd, ZEROS, segment.allocated);
    segment.allocated += PREALLOCATE_BYTES;
  }
}

interface Pending {
  segment: Segment;
  buf?: Buffer;
  lsn: number;
  /** Close the segment once this is flushed (it was rotated away from). */
  retire?: boolean;
}

export class LogWriter {
  /** The last LSN handed out; the next record gets appendedLsn + 1. */
  appendedLsn: number;
  durableLsn: number;
  /** Bytes appended since the current segment was started. */
  segmentBytes = 0;
  private segment: Segment;
  private queue: Pending[] = [];
  private flushing: Promise<void> | null = null;
  private waiters: { lsn: number; resolve: () => void; reject: (err: Error) => void }[] = [];
  private failure: Error | undefined;
  /** Lone records go through the thread pool until then (after a slow inline write). */
  private inlinePausedUntil = 0;
  /** Log writes so far (each a group commit of one or more records), and how many ran on the caller's thread. */
  writes = 0;
  inlineWrites = 0;

  constructor(
    private readonly dir: string,
    lastLsn: number,
  ) {
    this.appendedLsn = this.durableLsn = lastLsn;
    this.segment = this.openSegment(lastLsn + 1);
  }

  /**
   * O_DSYNC: each write returns once its data is on disk, as a write followed by fdatasync would,
   * in one system call (one trip to the thread pool per group commit instead of two).
   */
  private openSegment(startLsn: number): Segment {
    const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_DSYNC;
    return { fd: openSync(join(this.dir, segmentName(startLsn)), flags, 0o644), position: 0, allocated: 0, fresh: true };
  }

  /** Queues one record (`payload(lsn)` builds it) and returns its LSN; it is durable once sync() resolves. */
  append(payload: (lsn: number) => Uint8Array): number {
    const lsn = ++this.appendedLsn;
    const buf = frame(payload(lsn));
    this.segmentBytes += buf.length;
    this.queue.push({ segment: this.segment, buf, lsn });
    this.kick();
    return lsn;
  }

  /** Resolves once every record appended so far is on disk. */
  sync(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.durableLsn >= this.appendedLsn) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push({ lsn: this.appendedLsn, resolve, reject });
      this.kick();
    });
  }

  /**
   * Starts a new segment for the records after the current LSN, which it returns: the older
   * segments then hold exactly the records up to it, and a checkpoint of the state as of now
   * makes them deletable.
   */
  rotate(): number {
    const old = this.segment;
    this.segment = this.openSegment(this.appendedLsn + 1);
    this.segmentBytes = 0;
    this.queue.push({ segment: old, lsn: this.appendedLsn, retire: true });
    this.kick();
    return this.appendedLsn;
  }

  async close(): Promise<void> {
    await this.sync().catch(() => undefined);
    await this.flushing;
    closeSync(this.segment.fd);
  }

  /**
   * The flusher starts on the next turn of the event loop, so everything one command appends (a
   * retryable write and then its config.transactions record) goes out in the same write.
   */
  private kick(): void {
    this.flushing ??= new Promise((resolve) => setImmediate(resolve)).then(() => this.flushLoop());
  }

  private async flushLoop(): Promise<void> {
    for (;;) {
      if (this.queue.length === 0 || this.failure) {
        // In the same turn as the waiters resolved below: a record one of them appends next (its
        // continuation runs after this) finds no flusher and starts one. Marked idle any later, that
        // record would wait behind a flusher that had already stopped looking at the queue.
        this.flushing = null;
        return;
      }
      const segment = this.queue[0].segment;
      let n = 0;
      while (n < this.queue.length && this.queue[n].segment === segment) n++;
      const batch = this.queue.splice(0, n);
      try {
        const bufs = batch.flatMap((p) => (p.buf ? [p.buf] : []));
        if (bufs.length > 0) {
          const data = bufs.length === 1 ? bufs[0] : Buffer.concat(bufs);
          if (bufs.length === 1 && this.inlineFits(segment, data.length)) {
            // A lone record (nobody else wrote in this turn): written here, on this thread. The hop to
            // the thread pool and back cost 0.05-0.06 ms a write on a quiet core (far more on a busy
            // one), a third of a durable insertOne's time beyond the disk's own write.
            const started = performance.now();
            writeFullySync(segment.fd, data, segment.position);
            if (performance.now() - started > SLOW_INLINE_WRITE_MS) this.inlinePausedUntil = performance.now() + INLINE_PAUSE_MS;
            this.inlineWrites++;
          } else {
            if (segment.position + data.length > segment.allocated) await preallocate(segment, segment.position + data.length);
            await writeFully(segment.fd, data, segment.position);
          }
          this.writes++;
          segment.position += data.length; // durable: the segment is opened O_DSYNC
          if (segment.fresh) {
            await fsyncDir(this.dir); // the new file's directory entry
            segment.fresh = false;
          }
        }
        if (batch.some((p) => p.retire)) await closeAsync(segment.fd);
      } catch (err) {
        this.fail(err as Error);
        continue;
      }
      this.durableLsn = Math.max(this.durableLsn, batch[batch.length - 1].lsn);
      const waiting = this.waiters;
      this.waiters = [];
      for (const w of waiting) {
        if (w.lsn <= this.durableLsn) w.resolve();
        else this.waiters.push(w);
      }
    }
  }

  /**
   * Whether a lone record may be written synchronously: into space already preallocated (no file
   * growth) of a segment whose directory entry is durable, and the disk answered the last one fast.
   */
  private inlineFits(segment: Segment, bytes: number): boolean {
    return !segment.fresh && segment.position + bytes <= segment.allocated && performance.now() >= this.inlinePausedUntil;
  }

  private fail(err: Error): void {
    this.failure = new Error(`the write-ahead log in ${this.dir} could not be written: ${err.message}`);
    for (const w of this.waiters.splice(0)) w.reject(this.failure);
  }
}
