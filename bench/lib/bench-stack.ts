/**
 * The local runtime, instrumented for the bench sections: the test stack (test/support/stack.ts)
 * started on our own embedded MongoDB server (so its command counters are ours to read and reset)
 * and with the functions' DynamoDB endpoint pointed at a counting proxy in front of a dynalite we
 * start (so every DynamoDB request is counted on the wire). WebSockets are opened through a meter
 * that counts messages both ways and connection time, which is what API Gateway bills.
 *
 * One stack per process: the functions keep per-container singletons (config, clients).
 */
import { MongoClient, type Db } from 'mongodb';
import { TABLE_LIST, type TableKey } from '../../functions/tables.ts';
import { COLLECTION_DEFAULTS, collectionEnvVar, type CollectionKey } from '../../functions/platform/config.ts';
import { createTables, startDynalite } from '../../local/dynamo.ts';
import { DEFAULT_LAMBDA_SETTINGS } from '../../local/gateway/lambda.ts';
import type { LocalStackOptions } from '../../local/stack.ts';
import { startMongoServer, type MongoServerHandle } from '../../local/mongo/index.ts';
import { startMongoThread, type MongoThreadHandle } from '../../local/mongo-on-thread.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import type { TestWs, WsConnectOptions } from '../../test/support/ws.ts';
import { startCountingProxy, type CountingProxy } from './counting-proxy.ts';

/** Driver housekeeping, not caused by a request. */
export const IGNORED_MONGO_COMMANDS = new Set(['hello', 'isMaster', 'ismaster', 'ping', 'endSessions', 'buildInfo', 'saslStart']);

export interface SocketMeter {
  /** Messages the clients received (API Gateway → client) since the last reset. */
  received: number;
  /** Messages the clients sent (client → API Gateway). */
  sent: number;
  connects: number;
  disconnects: number;
  /** Closed connections' connected time, ms (open ones are added by connectedMs()). */
  closedMs: number;
  connectedMs(): number;
  reset(): void;
}

export interface BenchStack extends TestStack {
  /** The embedded MongoDB: in this process (counters read directly), or on its own thread (`mongoOnThread`). */
  mongo: { uri: string };
  dynamo: CountingProxy;
  sockets: SocketMeter;
  /** A driver connection of the bench's own, for checks (never inside a counted window). */
  db(): Promise<Db>;
  collectionName(key: CollectionKey): string;
  /** MongoDB commands since the last reset, without the driver's housekeeping (in-process MongoDB only). */
  mongoCommands(): Record<string, number>;
  /** The same, either way the MongoDB runs. */
  readMongoCommands(): Promise<Record<string, number>>;
  /** Resets MongoDB's, DynamoDB's and the sockets' counters (in-process: done when this returns). */
  resetCounters(): Promise<void>;
  /** Makes sure tables T-1 … T-<count> exist (the seed has twelve). */
  ensureTables(count: number): Promise<void>;
  /** connectWs through the meter. */
  connectWs(options?: WsConnectOptions): Promise<TestWs>;
}

/**
 * The driver's server monitoring as on Lambda: in a FaaS environment its default ('auto') polls with
 * hello instead of streaming it. (Outside Lambda it streams; local/mongo serves that too.)
 */
export const lambdaLikeUri = (uri: string): string => `${uri}${uri.includes('?') ? '&' : '?'}serverMonitoringMode=poll`;

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
export const totalOf = sum;

/**
 * A dynalite with Plato's tables behind a counting proxy: the functions run in their own containers,
 * so their DynamoDB calls are counted on the wire. Give `proxy.url` to the stack as DYNAMODB_ENDPOINT.
 */
export async function startCountedDynamo(): Promise<{ proxy: CountingProxy; stop(): Promise<void> }> {
  const dynalite = await startDynalite();
  const region = process.env.AWS_REGION || DEFAULT_LAMBDA_SETTINGS.region;
  const tableNames = Object.fromEntries(TABLE_LIST.map((t) => [t.key, process.env[t.envVar] || `plato-${t.key}`])) as Record<TableKey, string>;
  await createTables(dynalite.endpoint, region, tableNames);
  const proxy = await startCountingProxy(dynalite.endpoint);
  return {
    proxy,
    stop: async () => {
      await proxy.stop();
      await dynalite.stop();
    },
  };
}

/**
 * Counts what API Gateway bills for the sockets `track` is given: messages both ways and connected
 * time. Used where the clients run (the bench's process, whether the stack runs there or in a child).
 */
export function socketMeter(): { meter: SocketMeter; track(socket: TestWs): TestWs } {
  /** Open sockets → when their billed time started (the connect, or the last reset). */
  const open = new Map<object, number>();
  const meter: SocketMeter = {
    received: 0,
    sent: 0,
    connects: 0,
    disconnects: 0,
    closedMs: 0,
    connectedMs: () => meter.closedMs + [...open.values()].reduce((total, since) => total + (performance.now() - since), 0),
    reset: () => {
      meter.received = meter.sent = meter.connects = meter.disconnects = meter.closedMs = 0;
      const now = performance.now();
      for (const key of open.keys()) open.set(key, now);
    },
  };
  const track = (socket: TestWs): TestWs => {
    meter.connects++;
    open.set(socket, performance.now());
    socket.ws.on('message', () => meter.received++);
    socket.ws.on('close', () => {
      meter.disconnects++;
      meter.closedMs += performance.now() - (open.get(socket) ?? performance.now());
      open.delete(socket);
    });
    const send = socket.send;
    socket.send = (message) => {
      meter.sent++;
      send(message);
    };
    return socket;
  };
  return { meter, track };
}

export interface BenchStackOptions {
  env?: Record<string, string>;
  /** The Lambda containers' settings (e.g. `observe`, to time each invocation's queueing and run). */
  containers?: LocalStackOptions['containers'];
  /**
   * The embedded MongoDB on its own thread, as `npm start` runs it (local/mongo-on-thread.ts): counters
   * only through readMongoCommands(). Default false (the cost bench reads them between calls, in-process).
   */
  mongoOnThread?: boolean;
}

export async function startBenchStack(options: BenchStackOptions = {}): Promise<BenchStack> {
  const inProcess: MongoServerHandle | undefined = options.mongoOnThread ? undefined : await startMongoServer({ ttlSweepMs: 0 });
  const mongo: { uri: string; stop(): Promise<void> } = inProcess ?? (await startMongoThread({ ttlSweepMs: 0 }));
  const commandsOf = (commands: Record<string, number>) => Object.fromEntries(Object.entries(commands).filter(([name]) => !IGNORED_MONGO_COMMANDS.has(name)));
  const counted = await startCountedDynamo();
  const dynamo = counted.proxy;

  const t = await startTestStack({
    quiet: true,
    containers: options.containers,
    mongoUri: lambdaLikeUri(mongo.uri),
    env: {
      DYNAMODB_ENDPOINT: dynamo.url,
      // 200 phones join from one address: the PIN limits are not what is measured here.
      PIN_IP_MAX_ATTEMPTS: '100000',
      PIN_MAX_ATTEMPTS: '1000',
      POWERTOOLS_LOG_LEVEL: 'ERROR',
      ...options.env,
    },
  });

  let client: MongoClient | undefined;
  const db = async () => {
    client ??= await new MongoClient(mongo.uri, { maxPoolSize: 2 }).connect();
    return client.db(process.env.MONGODB_DB || 'plato');
  };

  const { meter, track } = socketMeter();
  const connectWs = async (wsOptions?: WsConnectOptions): Promise<TestWs> => track(await t.connectWs(wsOptions));

  const ensureTables = async (count: number) => {
    const tables = (await db()).collection(collectionName('tables'));
    const restaurantId = process.env.RESTAURANT_ID || 'demo';
    const now = new Date();
    for (let n = 1; n <= count; n++) {
      await tables.updateOne(
        { restaurantId, number: `T-${n}` },
        { $setOnInsert: { floor: n <= 12 ? 'Ground Floor' : 'Terrace', sortOrder: n, createdAt: now, updatedAt: now } },
        { upsert: true },
      );
    }
  };

  const collectionName = (key: CollectionKey) => process.env[collectionEnvVar(key)] || COLLECTION_DEFAULTS[key];

  return {
    ...t,
    mongo,
    dynamo,
    sockets: meter,
    db,
    collectionName,
    mongoCommands: () => {
      if (!inProcess) throw new Error('MongoDB runs on its own thread here: use readMongoCommands()');
      return commandsOf(inProcess.counters.commands);
    },
    readMongoCommands: async () => commandsOf(inProcess ? inProcess.counters.commands : (await (mongo as MongoThreadHandle).counters()).commands),
    resetCounters: async () => {
      dynamo.reset();
      meter.reset();
      if (inProcess) inProcess.counters.reset();
      else await (mongo as MongoThreadHandle).resetCounters();
    },
    ensureTables,
    connectWs,
    stop: async () => {
      await client?.close();
      await t.stop();
      await counted.stop();
      await mongo.stop();
    },
  };
}
