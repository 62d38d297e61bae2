/**
 * Starts the embedded MongoDB server on a worker thread (local/mongo-thread.ts, bundled like the
 * containers and dynalite's thread) and returns a handle shaped like startMongoServer's, except that
 * the counters are read and reset by message (`counters()`, `resetCounters()`).
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { bundleToCache, REPO_ROOT } from './bundle-cache.ts';
import type { MongoServerOptions } from './mongo/index.ts';
import type { CountersSnapshot, FromMongoThread, MongoThreadCall, MongoThreadData, ToMongoThread } from './mongo-thread.ts';

export type { CountersSnapshot } from './mongo-thread.ts';

export interface MongoThreadHandle {
  uri: string;
  port: number;
  host: string;
  /** A copy of the server's counters now (commands by name and namespace, documents written and examined). */
  counters(): Promise<CountersSnapshot>;
  resetCounters(): Promise<void>;
  sweepTtl(): Promise<void>;
  flush(): Promise<void>;
  checkpoint(): Promise<void>;
  /** Stops the server (a final checkpoint under a data directory), then the thread. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Its packages (bson, mingo) inside: loading mingo's CommonJS files one by one from node_modules was
 * the larger part of the thread's start (a restart of the crash test's runtime, bench/crash-restart.ts).
 */
const threadBundle = (): Promise<string> =>
  bundleToCache('plato-mongo-thread', { entryPoints: [fileURLToPath(new URL('./mongo-thread.ts', import.meta.url))], absWorkingDir: REPO_ROOT, packages: 'bundle' });

export async function startMongoThread(options: MongoServerOptions = {}): Promise<MongoThreadHandle> {
  const mongoThread: MongoThreadData = { options };
  const worker = new Worker(await threadBundle(), { workerData: { mongoThread }, execArgv: process.env.MONGO_THREAD_NODE_ARGS?.split(' ').filter(Boolean) ?? [] });
  const pending = new Map<number, { resolve: (value: CountersSnapshot | undefined) => void; reject: (error: Error) => void }>();
  let exited: Error | undefined;
  const first = await new Promise<FromMongoThread>((resolve, reject) => {
    const onExit = (code: number) => reject(new Error(`the MongoDB thread exited (${code})`));
    worker.once('error', reject);
    worker.once('exit', onExit);
    worker.once('message', (message: FromMongoThread) => {
      // Not removeAllListeners(): the Worker's own listeners start its message port.
      worker.off('error', reject);
      worker.off('exit', onExit);
      resolve(message);
    });
  }).catch(async (error) => {
    await worker.terminate();
    throw error;
  });
  if (first.type !== 'listening') {
    await worker.terminate();
    throw new Error(`the embedded MongoDB did not start: ${first.type === 'failed' ? first.error : first.type}`);
  }
  worker.on('message', (message: FromMongoThread) => {
    if (message.type !== 'reply') return;
    const call = pending.get(message.id);
    pending.delete(message.id);
    if (pending.size === 0) worker.unref();
    if (message.error !== undefined) call?.reject(new Error(message.error));
    else call?.resolve(message.value);
  });
  worker.on('error', (error) => console.error('[mongo] its thread failed:', error));
  worker.on('exit', (code) => {
    exited = new Error(`the MongoDB thread exited (${code})`);
    for (const call of pending.values()) call.reject(exited);
    pending.clear();
  });
  worker.unref(); // the thread alone never keeps the process alive

  let nextId = 1;
  const ask = (call: MongoThreadCall): Promise<CountersSnapshot | undefined> =>
    new Promise((resolve, reject) => {
      if (exited) return reject(exited);
      const id = nextId++;
      pending.set(id, { resolve, reject });
      worker.ref(); // an awaited answer keeps the process alive until it comes
      worker.postMessage({ id, call } satisfies ToMongoThread);
    });
  let stopped: Promise<void> | undefined;
  return {
    uri: first.uri,
    port: first.port,
    host: first.host,
    counters: async () => (await ask('counters'))!,
    resetCounters: async () => void (await ask('resetCounters')),
    sweepTtl: async () => void (await ask('sweepTtl')),
    flush: async () => void (await ask('flush')),
    checkpoint: async () => void (await ask('checkpoint')),
    stop: () =>
      (stopped ??= (async () => {
        try {
          await ask('stop');
        } finally {
          await worker.terminate();
        }
      })()),
  };
}
