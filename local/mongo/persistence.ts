// Durable data directory (--data-dir): a write-ahead log plus checkpoints (wal/log.ts, wal/checkpoint.ts).
//
// Every committed change is logged as it is applied in memory: a non-transactional write as one
// record, a committed transaction as ONE record (so it is all there after a crash or not at all),
// and catalog changes (collections and indexes created or dropped) too. Replies wait until the
// log is fsynced past everything committed so far (ServerCore.durable), so nothing acknowledged
// can be lost. Recovery loads the last checkpoint and replays the log after it; a torn tail record
// fails its checksum and is dropped. When the log outgrows the last checkpoint a new one is
// written in the background from a snapshot, and the log segments it covers are deleted.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { deserialize, serialize, type Document } from 'bson';
import type { Collection } from './storage/collection.ts';
import type { Engine, PersistenceHook } from './storage/engine.ts';
import type { Index } from './storage/index-def.ts';
import { CommandError } from './errors.ts';
import { loadCheckpoint, snapshot, writeCheckpoint, writeCheckpointSync, CHECKPOINT_FILE } from './wal/checkpoint.ts';
import { LogWriter, listSegments, readRecords } from './wal/log.ts';

/** The on-disk format this code writes. Bump it when what it writes changes incompatibly. */
export const FORMAT_VERSION = 3;
/**
 * Formats it reads. Format 2 is format 3 without preallocated log space (zeros past a segment's last
 * record, which format 2's recovery would take for damage): its directories are restamped 3 on open.
 */
const READABLE_FORMATS = [2, 3] as const;
const FORMAT_FILE = 'FORMAT';
const FORMAT_NAME = 'plato-embedded-mongodb';
/** A checkpoint starts once the log holds this much, or as much as the last checkpoint if that is more. */
const MIN_CHECKPOINT_LOG_BYTES = 16 << 20;

type Op =
  | { o: 'create'; db: string; c: string; uuid: unknown }
  | { o: 'drop'; db: string; c: string }
  | { o: 'index'; db: string; c: string; spec: Document }
  | { o: 'dropIndex'; db: string; c: string; name: string }
  | { o: 'put'; db: string; c: string; k: string; d: Document }
  | { o: 'del'; db: string; c: string; k: string };

export class DataDirError extends Error {}

export class Persistence implements PersistenceHook {
  private log!: LogWriter;
  private group: Op[] | null = null;
  private checkpointing: Promise<void> | null = null;
  private lastCheckpointBytes = 0;

  constructor(
    private readonly dir: string,
    private readonly engine: Engine,
    private readonly minCheckpointLogBytes = MIN_CHECKPOINT_LOG_BYTES,
  ) {}

  /** Recovers the state (checkpoint + log) into the empty engine and opens the log for appending. */
  open(): { replayed: number; tornTail: boolean } {
    mkdirSync(this.dir, { recursive: true });
    checkFormat(this.dir);
    for (const file of readdirSync(this.dir)) if (file.endsWith('.tmp')) unlinkSync(join(this.dir, file));
    const checkpoint = loadCheckpoint(this.dir, this.engine, READABLE_FORMATS);
    this.lastCheckpointBytes = checkpoint.size;
    let last = checkpoint.lsn;
    let replayed = 0;
    let tornTail = false;
    const segments = listSegments(this.dir);
    for (const [i, segment] of segments.entries()) {
      const buf = readFileSync(segment.path);
      const { payloads, torn } = readRecords(buf);
      for (const payload of payloads) {
        const record = deserialize(payload) as { lsn: number; ops: Op[] };
        if (record.lsn <= checkpoint.lsn) continue;
        if (record.lsn !== last + 1) throw new DataDirError(`${segment.path}: log record ${record.lsn} follows ${last}; the data directory is damaged`);
        for (const op of record.ops) this.apply(op);
        last = record.lsn;
        replayed++;
      }
      if (torn) {
        const later = segments.slice(i + 1).some((s) => readRecords(readFileSync(s.path)).payloads.length > 0);
        if (later) throw new DataDirError(`${segment.path}: damaged log record after record ${last}, and later records follow it; the data directory is damaged`);
        tornTail = true; // a write cut short by a crash: never acknowledged
      }
    }
    this.engine.counters.reset();
    if (replayed > 0 || checkpoint.size === 0) {
      // Start from a clean slate: a checkpoint of what was recovered replaces the replayed log.
      this.lastCheckpointBytes = writeCheckpointSync(this.dir, FORMAT_VERSION, last, snapshot(this.engine));
    }
    for (const segment of segments) unlinkSync(segment.path); // all covered by the checkpoint now
    this.log = new LogWriter(this.dir, last);
    this.engine.persistence = this;
    return { replayed, tornTail };
  }

  collectionCreated(coll: Collection): void {
    this.record({ o: 'create', db: coll.db, c: coll.name, uuid: coll.uuid });
  }

  collectionDropped(coll: Collection): void {
    this.record({ o: 'drop', db: coll.db, c: coll.name });
  }

  indexAdded(coll: Collection, ix: Index): void {
    this.record({ o: 'index', db: coll.db, c: coll.name, spec: ix.spec() });
  }

  indexDropped(coll: Collection, name: string): void {
    this.record({ o: 'dropIndex', db: coll.db, c: coll.name, name });
  }

  written(coll: Collection, id: string, doc: Document | undefined): void {
    this.record(doc ? { o: 'put', db: coll.db, c: coll.name, k: id, d: doc } : { o: 'del', db: coll.db, c: coll.name, k: id });
  }

  atomically(fn: () => void): void {
    if (this.group) return fn();
    this.group = [];
    try {
      fn();
    } finally {
      const ops = this.group;
      this.group = null;
      if (ops.length > 0) this.append(ops);
    }
  }

  /** Resolves once everything committed so far is on disk. */
  sync(): Promise<void> {
    return this.log.sync();
  }

  /** Writes a checkpoint now (or waits for the one running) and deletes the log it covers. */
  checkpoint(): Promise<void> {
    this.checkpointing ??= this.runCheckpoint().finally(() => (this.checkpointing = null));
    return this.checkpointing;
  }

  async close(): Promise<void> {
    await this.checkpointing;
    await this.checkpoint();
    await this.log.close();
  }

  private record(op: Op): void {
    if (this.group) this.group.push(op);
    else this.append([op]);
  }

  private append(ops: Op[]): void {
    this.log.append((lsn) => serialize({ lsn, ops }));
    if (!this.checkpointing && this.log.segmentBytes > Math.max(this.minCheckpointLogBytes, this.lastCheckpointBytes)) {
      void this.checkpoint().catch((err) => console.error(`[mongo] checkpoint failed: ${(err as Error).message}`));
    }
  }

  private async runCheckpoint(): Promise<void> {
    const covered = listSegments(this.dir);
    // Same tick: the snapshot holds exactly the records up to `lsn`, the older segments hold them too.
    const lsn = this.log.rotate();
    const images = snapshot(this.engine);
    this.lastCheckpointBytes = await writeCheckpoint(this.dir, FORMAT_VERSION, lsn, images);
    // Off the event loop: unlinking a segment of tens of MB takes the file system milliseconds.
    await Promise.all(covered.filter((segment) => segment.startLsn <= lsn).map((segment) => unlink(segment.path)));
  }

  private apply(op: Op): void {
    const engine = this.engine;
    if (op.o === 'create') {
      engine.createCollection(op.db, op.c, op.uuid as never);
      return;
    }
    if (op.o === 'drop') {
      engine.dropCollection(op.db, op.c);
      return;
    }
    const coll = engine.ensureCollection(op.db, op.c);
    if (op.o === 'index') coll.addIndex(op.spec as never, () => new CommandError(11000, `${this.dir}: log violates unique index ${op.spec.name}`));
    else if (op.o === 'dropIndex') coll.dropIndex(op.name);
    else coll.commitWrite(op.k, op.o === 'put' ? op.d : undefined, null);
  }
}

/** Refuses a directory of another format (with a clear message) and stamps a new one. */
function checkFormat(dir: string): void {
  const path = join(dir, FORMAT_FILE);
  if (existsSync(path)) {
    let stamp: { format?: string; version?: number };
    try {
      stamp = JSON.parse(readFileSync(path, 'utf8'));
    } catch {
      throw new DataDirError(`${path} is not readable: is ${dir} a Plato data directory?`);
    }
    if (stamp.format !== FORMAT_NAME || !(READABLE_FORMATS as readonly unknown[]).includes(stamp.version)) {
      throw new DataDirError(
        `${dir} holds embedded-MongoDB data in format ${stamp.version} (${stamp.format}); this version of Plato reads formats ${READABLE_FORMATS.join(' and ')} only. ` +
          'Start with another data directory, or move this one away to start afresh.',
      );
    }
    if (stamp.version !== FORMAT_VERSION) writeFormatStamp(path); // before anything of the new format is written
    return;
  }
  const files = readdirSync(dir);
  if (files.some((f) => f.endsWith('.coll.bson'))) {
    throw new DataDirError(
      `${dir} holds embedded-MongoDB data in format 1 (one file per collection, from an older Plato), which is not crash-safe and not read by this version (format ${FORMAT_VERSION}). ` +
        'Start with another data directory, or move this one away to start afresh.',
    );
  }
  if (files.some((f) => f === CHECKPOINT_FILE || f.startsWith('wal-'))) throw new DataDirError(`${dir} has log files but no ${FORMAT_FILE} stamp; the data directory is damaged`);
  writeFormatStamp(path);
}

function fsyncDirSync(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function writeFormatStamp(path: string): void {
  const fd = openSync(`${path}.tmp`, 'w');
  writeSync(fd, JSON.stringify({ format: FORMAT_NAME, version: FORMAT_VERSION }) + '\n');
  fsyncSync(fd);
  closeSync(fd);
  renameSync(`${path}.tmp`, path);
  fsyncDirSync(dirname(path)); // the stamp is durable before any segment of this format is written
}
