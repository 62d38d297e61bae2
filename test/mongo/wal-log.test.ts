// The write-ahead log's writer on its own (local/mongo/wal/log.ts).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listSegments, LogWriter, readRecords } from '../../local/mongo/wal/log.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('LogWriter', () => {
  it('flushes a record appended as soon as the sync before it resolves', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plato-wal-'));
    dirs.push(dir);
    const log = new LogWriter(dir, 0);
    const record = Buffer.alloc(100, 1);
    // Each append runs in the continuation of the previous sync, before the flusher has stopped:
    // it must start a new flush (it waited forever when the flusher was marked idle a turn late).
    const synced = (async () => {
      for (let i = 0; i < 50; i++) {
        log.append(() => record);
        await log.sync();
      }
      return 'synced';
    })();
    const stuck = new Promise((resolve) => setTimeout(() => resolve('stuck'), 5_000));
    expect(await Promise.race([synced, stuck])).toBe('synced');
    await log.close();
    const [segment] = listSegments(dir);
    expect(readRecords(readFileSync(segment!.path)).payloads).toHaveLength(50);
  });

  it('writes a lone record on its own thread, and the records of writers in one turn in one write (group commit)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plato-wal-'));
    dirs.push(dir);
    const log = new LogWriter(dir, 0);
    const record = Buffer.alloc(300, 1);
    log.append(() => record);
    await log.sync(); // the first write: a new segment (preallocated, its directory entry synced) on the thread pool
    const before = log.writes;
    for (let i = 0; i < 5; i++) {
      log.append(() => record);
      await log.sync();
    }
    expect(log.writes - before).toBe(5);
    // Lone records: inline unless the disk was slow (> 2 ms), which sends them to the thread pool for a while.
    expect(log.inlineWrites).toBeGreaterThanOrEqual(1);
    const groupStart = log.writes;
    await Promise.all(
      Array.from({ length: 20 }, () => {
        log.append(() => record);
        return log.sync();
      }),
    );
    expect(log.writes - groupStart).toBe(1);
    await log.close();
    const [segment] = listSegments(dir);
    expect(readRecords(readFileSync(segment!.path)).payloads).toHaveLength(26);
  });
});
