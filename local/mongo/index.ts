// Embedded MongoDB-wire-protocol server for local runs and tests. See README.md.
import { ServerCore } from './core.ts';
import type { Counters } from './counters.ts';
import { Persistence } from './persistence.ts';
import { WireServer } from './server.ts';
import type { ServerVersion } from './versions.ts';

export type { Counters } from './counters.ts';
export type { ServerVersion } from './versions.ts';

export interface MongoServerOptions {
  /** TCP port; 0 or omitted picks a free one. */
  port?: number;
  /** Interface to listen on and to advertise in hello (default 127.0.0.1). */
  host?: string;
  /**
   * Persist data in this directory across restarts and crashes (default: in memory only). Every
   * reply waits until what was committed is in the fsynced write-ahead log.
   */
  dataDir?: string;
  /** Log bytes after which a background checkpoint starts (default 16 MiB, or the last checkpoint's size if larger). */
  checkpointLogBytes?: number;
  /** TTL monitor interval in ms (default 60000, like mongod); 0 disables the background sweep. */
  ttlSweepMs?: number;
  /** Default transaction lifetime (mongod's transactionLifetimeLimitSeconds, default 60). */
  transactionLifetimeLimitSeconds?: number;
  /**
   * The MongoDB release to pose as (default '8.0': hello maxWireVersion 25, version 8.0.0, the
   * `bulkWrite` command). '7.0' reports wire version 21 / 7.0.0 and answers `bulkWrite` with
   * CommandNotFound (59), as a real 7.0 mongod does.
   */
  serverVersion?: ServerVersion;
}

export interface MongoServerHandle {
  /** e.g. mongodb://127.0.0.1:41234/ (append a database name and options as needed). */
  uri: string;
  port: number;
  host: string;
  /** Commands per name / per namespace and documents written per namespace; `reset()` clears them. */
  counters: Counters;
  /** Runs one TTL pass now (what the background monitor does every ttlSweepMs). */
  sweepTtl(): Promise<void>;
  /** Resolves once everything committed is on disk (replies already wait for it; a no-op without dataDir). */
  flush(): Promise<void>;
  /** Writes a checkpoint of dataDir now and deletes the log it covers (done in the background as the log grows). */
  checkpoint(): Promise<void>;
  /** Closes every connection and timer; writes a final checkpoint to dataDir. */
  stop(): Promise<void>;
}

const CURSOR_REAP_MS = 60_000;

export async function startMongoServer(opts: MongoServerOptions = {}): Promise<MongoServerHandle> {
  const host = opts.host ?? '127.0.0.1';
  const listenPort = opts.port ?? 0;
  // hello must name the exact host:port clients reach, so the port is known before the core exists.
  const wildcard = host === '0.0.0.0' || host === '::';
  const core = new ServerCore({ advertisedHost: host, transactionLifetimeLimitSeconds: opts.transactionLifetimeLimitSeconds, serverVersion: opts.serverVersion });
  let persistence: Persistence | undefined;
  if (opts.dataDir) {
    // Recover before listening: a damaged or foreign data directory fails the start.
    const opened = new Persistence(opts.dataDir, core.engine, opts.checkpointLogBytes);
    const { tornTail } = opened.open();
    if (tornTail) console.error(`[mongo] ${opts.dataDir}: dropped a torn record at the end of the log (a write cut short by a crash, never acknowledged)`);
    persistence = opened;
    core.durable = () => opened.sync();
  }
  const wire = new WireServer(core);
  const port = await wire.listen(listenPort, host);
  // hello must name the exact host:port clients reach (the driver reconnects to it).
  core.advertisedHost = `${wildcard ? '127.0.0.1' : host}:${port}`;
  const ttlMs = opts.ttlSweepMs ?? 60_000;
  const ttlTimer = ttlMs > 0 ? setInterval(() => core.sweepTtl(), ttlMs) : undefined;
  ttlTimer?.unref();
  const reapTimer = setInterval(() => core.cursors.reapIdle(), CURSOR_REAP_MS);
  reapTimer.unref();
  let stopped = false;
  return {
    uri: `mongodb://${wildcard ? '127.0.0.1' : host}:${port}/`,
    port,
    host,
    counters: core.counters,
    async sweepTtl() {
      core.sweepTtl();
    },
    async flush() {
      await persistence?.sync();
    },
    async checkpoint() {
      await persistence?.checkpoint();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(ttlTimer);
      clearInterval(reapTimer);
      core.stop();
      await wire.close();
      await persistence?.close();
    },
  };
}

