/**
 * dynalite on a thread of its own (local/dynamo.ts starts it). Parsing, validating and answering
 * DynamoDB's JSON, LevelDB's encoding and its checksums were a sixth of the runtime's main thread
 * under the 100-table service load; here they run beside the gateway and the embedded MongoDB, on
 * the machine's other core.
 *
 * containers.ts-style: local/dynamo.ts bundles this file with esbuild (packages left outside) and
 * starts it as a worker; it answers { port } once listening and { stopped } after a 'stop' message.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import dynalite from 'dynalite';

export interface DynaliteThreadData {
  dataDir?: string;
  host: string;
  port: number;
}

export type FromDynaliteThread = { type: 'listening'; port: number } | { type: 'stopped'; error?: string } | { type: 'failed'; error: string };

type LevelWrite = (this: { location?: string }, ...args: unknown[]) => Promise<unknown>;
const syncedLocations = new Set<string>();
const patched = Symbol.for('plato.level.sync');

/**
 * Makes every put, del and batch of the LevelDB stores under `location` synchronous (`sync: true`).
 * dynalite has no option for it and calls them without options, so the one class it opens them
 * with (classic-level, through its `level` dependency) gets the option added for those locations.
 */
export function syncLevelWrites(location: string): void {
  syncedLocations.add(path.resolve(location));
  const requireFromDynalite = createRequire(createRequire(import.meta.url).resolve('dynalite'));
  const { Level } = requireFromDynalite('level') as { Level: { prototype: Record<string, LevelWrite> & { [patched]?: boolean } } };
  const proto = Level.prototype;
  if (proto[patched]) return;
  proto[patched] = true;
  // _put(key, value, options), _del(key, options), _batch(operations, options): options come last.
  for (const method of ['_put', '_del', '_batch']) {
    const original = proto[method];
    proto[method] = function (this: { location?: string }, ...args: unknown[]) {
      if (this.location && syncedLocations.has(path.resolve(this.location))) {
        const last = args.length - 1;
        args[last] = { ...(args[last] as object), sync: true };
      }
      return original.apply(this, args);
    };
  }
}

function run(port: NonNullable<typeof parentPort>, data: DynaliteThreadData): void {
  const post = (message: FromDynaliteThread) => port.postMessage(message);
  if (data.dataDir) syncLevelWrites(data.dataDir);
  const server = dynalite({ path: data.dataDir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  server.once('error', (error: Error) => post({ type: 'failed', error: error.message }));
  server.listen(data.port, data.host, () => post({ type: 'listening', port: (server.address() as AddressInfo).port }));
  port.on('message', (message: unknown) => {
    if (message !== 'stop') return;
    server.close((error?: Error) => post({ type: 'stopped', error: error?.message }));
    server.closeAllConnections(); // the functions' SDK clients keep sockets alive
  });
}

if (parentPort && (workerData as { dynaliteThread?: DynaliteThreadData } | undefined)?.dynaliteThread) {
  run(parentPort, (workerData as { dynaliteThread: DynaliteThreadData }).dynaliteThread);
}
