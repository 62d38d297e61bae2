/**
 * What the service load (bench/service-load.ts) needs of the local runtime, either way it runs:
 *
 * - `process`: the instrumented stack (bench-stack.ts) in the bench's own process, on the same event
 *   loop as the simulated phones and tablets (the way every run before session 11 was made);
 * - `child`: that stack in a child process (this file, run as a script), so the phones' HTTP, their
 *   WebSockets, JSON parsing and timers do not take turns with the gateway and the containers' replies.
 *   Phones are other devices; the two processes still share the machine's cores. The child is
 *   controlled over Node's IPC channel (containers, counters, invocation timings); the phones talk to
 *   it over HTTP and WebSockets as before. STACK_NODE_ARGS gives the child Node flags (`--cpu-prof`).
 *
 * Either way the bench process meters the sockets (what API Gateway bills) on the client side.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MongoClient, type Db } from 'mongodb';
import type { GroupStats, InvocationTiming } from '../../local/gateway/containers.ts';
import { COLLECTION_DEFAULTS, collectionEnvVar, type CollectionKey } from '../../functions/platform/config.ts';
import type { StaffRole } from '../../functions/core/roles.ts';
import { apiClient, type ApiClient } from '../../test/support/http.ts';
import { TEST_PASSWORD, USERNAME_OF } from '../../test/support/stack.ts';
import { connectWs, type TestWs, type WsConnectOptions } from '../../test/support/ws.ts';
import { socketMeter, startBenchStack, type BenchStack, type SocketMeter } from './bench-stack.ts';

export type StackPlace = 'process' | 'child';

/** The stack the service load drives: its clients, plus the controls it answers in either place. */
export interface ServiceStack extends Controls {
  place: StackPlace;
  api: ApiClient;
  sockets: SocketMeter;
  /** Pid of the process the stack runs in (this one, or the child). */
  pid: number;
  loginAs(role: StaffRole): Promise<string>;
  connectWs(options?: WsConnectOptions): Promise<TestWs>;
  db(): Promise<Db>;
  collectionName(key: CollectionKey): string;
  stop(): Promise<void>;
}

export interface StackCpu extends NodeJS.CpuUsage {
  /** The process's main thread alone (the gateway, the DynamoDB counting proxy; the clients too with `process`), µs; NaN off Linux. */
  mainThread: number;
}

/** utime + stime of this process's main thread from /proc (clock ticks of 10 ms), µs. */
async function mainThreadCpu(): Promise<number> {
  try {
    const stat = await readFile(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000; // fields 14 and 15 of proc(5), counted after the name
  } catch {
    return Number.NaN;
  }
}

/** The operations the child answers over IPC (also what the in-process stack does directly). */
interface Controls {
  ensureTables(count: number): Promise<void>;
  recycle(): Promise<void>;
  prewarm(group: string, count: number): Promise<void>;
  groupStats(): Promise<GroupStats[]>;
  /** Starts recording every invocation's wait and run (true), or stops and returns what was recorded (false). */
  timing(on: boolean): Promise<InvocationTiming[]>;
  /** Resets DynamoDB's, MongoDB's and the sockets' counters. */
  resetCounters(): Promise<void>;
  counters(): Promise<{ dynamo: Record<string, number>; mongoCommands: Record<string, number> }>;
  /** CPU time of the stack's process (all its threads: gateway, containers, MongoDB, dynalite), µs. */
  cpu(): Promise<StackCpu>;
}

/** How the stack is started: the embedded MongoDB on its own thread or not, and the containers' cap per group (default the runtime's). */
export interface StackSettings {
  mongoOnThread: boolean;
  maxPerGroup?: number;
}

async function controlledStack({ mongoOnThread, maxPerGroup }: StackSettings): Promise<{ t: BenchStack; controls: Controls }> {
  let recording: InvocationTiming[] | undefined;
  const t = await startBenchStack({ mongoOnThread, containers: { maxPerGroup, observe: (one) => recording?.push(one) } });
  const pool = t.stack.containers!;
  const controls: Controls = {
    ensureTables: (count) => t.ensureTables(count),
    recycle: () => pool.recycle(),
    prewarm: (group, count) => pool.prewarm(group, count),
    groupStats: async () => pool.stats(),
    timing: async (on) => {
      const recorded = recording ?? [];
      recording = on ? [] : undefined;
      return recorded;
    },
    resetCounters: () => t.resetCounters(),
    counters: async () => ({ dynamo: { ...t.dynamo.counts }, mongoCommands: await t.readMongoCommands() }),
    cpu: async () => ({ ...process.cpuUsage(), mainThread: await mainThreadCpu() }),
  };
  return { t, controls };
}

function clientSide(baseUrl: string, wsUrl: string, mongoUri: string): Pick<ServiceStack, 'api' | 'sockets' | 'loginAs' | 'connectWs' | 'db' | 'collectionName'> & { close(): Promise<void> } {
  const api = apiClient(baseUrl);
  const { meter, track } = socketMeter();
  const opened = new Set<TestWs>();
  let client: MongoClient | undefined;
  return {
    api,
    sockets: meter,
    loginAs: async (role) => {
      const response = await api.post<{ token: string }>('/api/staff/login', { username: USERNAME_OF[role], password: TEST_PASSWORD });
      if (response.status !== 200) throw new Error(`login as ${role}: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body.token;
    },
    connectWs: async (options) => {
      const socket = track(await connectWs(wsUrl, options));
      opened.add(socket);
      return socket;
    },
    db: async () => {
      client ??= await new MongoClient(mongoUri, { maxPoolSize: 2 }).connect();
      return client.db(process.env.MONGODB_DB || 'plato');
    },
    collectionName: (key) => process.env[collectionEnvVar(key)] || COLLECTION_DEFAULTS[key],
    close: async () => {
      await Promise.all([...opened].map((socket) => socket.close().catch(() => undefined)));
      await client?.close();
    },
  };
}

export async function startServiceStack(place: StackPlace, settings: StackSettings): Promise<ServiceStack> {
  if (place === 'process') {
    const { t, controls } = await controlledStack(settings);
    const client = clientSide(t.baseUrl, t.wsUrl, t.mongo.uri);
    return {
      place,
      pid: process.pid,
      ...client,
      ...controls,
      resetCounters: async () => {
        client.sockets.reset();
        await controls.resetCounters();
      },
      stop: async () => {
        await client.close();
        await t.stop();
      },
    };
  }
  return startChild(settings);
}

// ---- The child: the stack behind an IPC channel.

type Request = { id: number; op: keyof Controls | 'stop'; args: unknown[] };
type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };
type Ready = { ready: { baseUrl: string; wsUrl: string; mongoUri: string } };

const SCRIPT = fileURLToPath(import.meta.url);

async function startChild(settings: StackSettings): Promise<ServiceStack> {
  const nodeArgs = process.env.STACK_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', SCRIPT, JSON.stringify(settings)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: process.env,
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  const ready = await new Promise<Ready['ready']>((resolve, reject) => {
    child.once('exit', (code, signal) => {
      reject(new Error(`the stack process exited (${signal ?? `code ${code}`})`));
      for (const { reject: fail } of pending.values()) fail(new Error('the stack process exited'));
    });
    child.on('message', (message: Ready | Reply) => {
      if ('ready' in message) return resolve(message.ready);
      const waiting = pending.get(message.id);
      pending.delete(message.id);
      if (message.ok) waiting?.resolve(message.value);
      else waiting?.reject(new Error(message.error));
    });
  });
  const ask = <T>(op: Request['op'], ...args: unknown[]): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ id, op, args } satisfies Request);
    });
  const client = clientSide(ready.baseUrl, ready.wsUrl, ready.mongoUri);
  return {
    place: 'child',
    pid: child.pid!,
    ...client,
    ensureTables: (count) => ask('ensureTables', count),
    recycle: () => ask('recycle'),
    prewarm: (group, count) => ask('prewarm', group, count),
    groupStats: () => ask('groupStats'),
    timing: (on) => ask('timing', on),
    resetCounters: async () => {
      client.sockets.reset();
      await ask('resetCounters');
    },
    counters: () => ask('counters'),
    cpu: () => ask('cpu'),
    stop: async () => {
      await client.close();
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await ask('stop').catch(() => undefined);
      await exited;
      process.removeListener('exit', killOnExit);
    },
  };
}

async function runChild(): Promise<void> {
  const { t, controls } = await controlledStack(JSON.parse(process.argv[2] ?? '{}') as StackSettings);
  const send = (message: Ready | Reply) => process.send!(message);
  process.on('disconnect', () => void t.stop().finally(() => process.exit(1))); // the parent died
  process.on('message', (request: Request) => {
    if (request.op === 'stop') {
      void t.stop().finally(() => {
        send({ id: request.id, ok: true, value: undefined });
        process.disconnect();
        setImmediate(() => process.exit(0));
      });
      return;
    }
    const run = controls[request.op] as (...args: unknown[]) => Promise<unknown>;
    run(...request.args).then(
      (value) => send({ id: request.id, ok: true, value }),
      (error: Error) => send({ id: request.id, ok: false, error: String(error?.stack ?? error) }),
    );
  });
  send({ ready: { baseUrl: t.baseUrl, wsUrl: t.wsUrl, mongoUri: t.mongo.uri } });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runChild().catch((error) => {
    console.error('[service-stack] failed to start:', error);
    process.exit(1);
  });
}
