/**
 * The embedded MongoDB server (local/mongo) on a thread of its own (local/mongo-on-thread.ts starts
 * it). Decoding, running and encoding every command was a fifth of the runtime's main thread under
 * the 100-table service load, where the gateway, the bench's clients and every container's replies
 * also run; here it runs beside them, on the machine's other core (as dynalite-thread.ts does for
 * DynamoDB).
 *
 * The thread answers { listening } once the server listens, then one { reply } per request: the
 * server handle's calls (its counters, which tests and benches read in-process otherwise, a TTL
 * sweep, flush, checkpoint, stop).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { startMongoServer, type MongoServerHandle, type MongoServerOptions } from './mongo/index.ts';

export interface MongoThreadData {
  options: MongoServerOptions;
}

/** The counters' maps, copied (local/mongo/counters.ts). */
export interface CountersSnapshot {
  commands: Record<string, number>;
  namespaces: Record<string, Record<string, number>>;
  documentsWritten: Record<string, number>;
  documentsExamined: Record<string, number>;
}

export type MongoThreadCall = 'counters' | 'resetCounters' | 'sweepTtl' | 'flush' | 'checkpoint' | 'stop';
export interface ToMongoThread {
  id: number;
  call: MongoThreadCall;
}
export type FromMongoThread =
  | { type: 'listening'; uri: string; port: number; host: string }
  | { type: 'failed'; error: string }
  | { type: 'reply'; id: number; value?: CountersSnapshot; error?: string };

function snapshot(handle: MongoServerHandle): CountersSnapshot {
  const { commands, namespaces, documentsWritten, documentsExamined } = handle.counters;
  return structuredClone({ commands, namespaces, documentsWritten, documentsExamined });
}

async function answer(handle: MongoServerHandle, call: MongoThreadCall): Promise<CountersSnapshot | undefined> {
  switch (call) {
    case 'counters':
      return snapshot(handle);
    case 'resetCounters':
      handle.counters.reset();
      return undefined;
    default:
      await handle[call]();
      return undefined;
  }
}

async function run(port: NonNullable<typeof parentPort>, data: MongoThreadData): Promise<void> {
  const post = (message: FromMongoThread) => port.postMessage(message);
  let handle: MongoServerHandle;
  try {
    handle = await startMongoServer(data.options);
  } catch (error) {
    post({ type: 'failed', error: (error as Error).message ?? String(error) });
    return;
  }
  port.on('message', (message: ToMongoThread) => {
    answer(handle, message.call).then(
      (value) => post({ type: 'reply', id: message.id, value }),
      (error: Error) => post({ type: 'reply', id: message.id, error: error.message ?? String(error) }),
    );
  });
  post({ type: 'listening', uri: handle.uri, port: handle.port, host: handle.host });
}

if (parentPort && (workerData as { mongoThread?: MongoThreadData } | undefined)?.mongoThread) {
  void run(parentPort, (workerData as { mongoThread: MongoThreadData }).mongoThread);
}
