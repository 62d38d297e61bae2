/**
 * Local DynamoDB: dynalite (in memory, or LevelDB under a data directory) on a free port, on a worker
 * thread of its own (dynalite-thread.ts), with every table of functions/tables.ts created from the
 * shared definitions. dynalite has no TTL, so
 * UpdateTimeToLive is never called: readers check the expiry attribute themselves.
 *
 * Durability: dynalite writes LevelDB (classic-level) without `sync`, so an acknowledged write sits
 * in the OS page cache and a power loss or machine crash can drop it. Under a data directory every
 * write here is made with `sync: true` (LevelDB fsyncs its log before answering, group-committing
 * concurrent writers), as durable as the embedded MongoDB's write-ahead log.
 */
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  type AttributeDefinition,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import { TABLE_LIST, type KeyDef, type TableDef, type TableKey } from '../functions/tables.ts';
import { bundleToCache, REPO_ROOT } from './bundle-cache.ts';
import type { DynaliteThreadData, FromDynaliteThread } from './dynalite-thread.ts';

export interface LocalDynamo {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

export interface DynaliteOptions {
  /** Persist tables under this directory (LevelDB); in memory when omitted. */
  dataDir?: string;
  host?: string;
  /** 0 (default): any free port. */
  port?: number;
}

/** The thread's bundle (built once per change of its inputs, as the containers' are). */
const threadBundle = (): Promise<string> =>
  bundleToCache('plato-dynalite', { entryPoints: [fileURLToPath(new URL('./dynalite-thread.ts', import.meta.url))], absWorkingDir: REPO_ROOT });

/** dynalite on its own worker thread (local/dynalite-thread.ts): its work stays off the caller's event loop. */
export async function startDynalite(options: DynaliteOptions = {}): Promise<LocalDynamo> {
  const host = options.host ?? '127.0.0.1';
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const dynaliteThread: DynaliteThreadData = { dataDir: options.dataDir, host, port: options.port ?? 0 };
  // DYNALITE_THREAD_NODE_ARGS: Node flags for its thread only (e.g. `--cpu-prof --cpu-prof-dir=…`), as MONGO_THREAD_NODE_ARGS.
  const execArgv = process.env.DYNALITE_THREAD_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const worker = new Worker(await threadBundle(), { workerData: { dynaliteThread }, execArgv });
  const next = (): Promise<FromDynaliteThread> =>
    new Promise((resolve, reject) => {
      const onExit = (code: number) => reject(new Error(`dynalite's thread exited (${code})`));
      worker.once('error', reject);
      worker.once('exit', onExit);
      worker.once('message', (message: FromDynaliteThread) => {
        worker.off('error', reject);
        worker.off('exit', onExit);
        resolve(message);
      });
    });
  const started = await next().catch(async (error) => {
    await worker.terminate();
    throw error;
  });
  if (started.type !== 'listening') {
    await worker.terminate();
    throw new Error(`dynalite did not start: ${'error' in started ? started.error : started.type}`);
  }
  worker.on('error', (error) => console.error('[dynalite] its thread failed:', error));
  worker.unref(); // the thread alone never keeps the process alive
  const port = started.port;
  let stopped: Promise<void> | undefined;
  return {
    endpoint: `http://${host}:${port}`,
    port,
    stop: () =>
      (stopped ??= (async () => {
        const done = next();
        worker.postMessage('stop');
        const reply: FromDynaliteThread = await done.catch(() => ({ type: 'stopped' }));
        await worker.terminate();
        if (reply.type === 'stopped' && reply.error) throw new Error(reply.error);
      })()),
  };
}

const attribute = (key: KeyDef): AttributeDefinition => ({ AttributeName: key.name, AttributeType: key.type });

function keySchema(partitionKey: KeyDef, sortKey?: KeyDef): KeySchemaElement[] {
  const schema: KeySchemaElement[] = [{ AttributeName: partitionKey.name, KeyType: 'HASH' }];
  if (sortKey) schema.push({ AttributeName: sortKey.name, KeyType: 'RANGE' });
  return schema;
}

export function createTableInput(table: TableDef, tableName: string) {
  const keys = [table.partitionKey, table.sortKey, ...table.globalIndexes.flatMap((i) => [i.partitionKey, i.sortKey])];
  const attributes = new Map<string, AttributeDefinition>();
  for (const key of keys) if (key) attributes.set(key.name, attribute(key));
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: [...attributes.values()],
    KeySchema: keySchema(table.partitionKey, table.sortKey),
    GlobalSecondaryIndexes:
      table.globalIndexes.length > 0
        ? table.globalIndexes.map((index) => ({
            IndexName: index.indexName,
            KeySchema: keySchema(index.partitionKey, index.sortKey),
            Projection: { ProjectionType: 'ALL' as const },
          }))
        : undefined,
  };
}

/** The keys and indexes a table's description must show to match its definition. */
function shapeOf(input: { KeySchema?: KeySchemaElement[]; GlobalSecondaryIndexes?: { IndexName?: string; KeySchema?: KeySchemaElement[] }[] }): string {
  const keys = (schema: KeySchemaElement[] | undefined) => (schema ?? []).map((k) => `${k.AttributeName}:${k.KeyType}`).join(',');
  const indexes = (input.GlobalSecondaryIndexes ?? []).map((index) => `${index.IndexName}(${keys(index.KeySchema)})`).sort();
  return `${keys(input.KeySchema)}|${indexes.join(';')}`;
}

/**
 * dynalite answers DeleteTable while the table is still DELETING and drops it on a later tick;
 * a CreateTable in between fails with ResourceInUseException and the table then vanishes.
 */
async function waitUntilDeleted(client: DynamoDBClient, name: string): Promise<void> {
  for (let attempt = 0; attempt <= 200; attempt++) {
    try {
      await client.send(new DescribeTableCommand({ TableName: name }));
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return;
      throw error;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`Table ${name} was not deleted`);
}

/** dynalite answers CreateTable while the table is CREATING: until it is ACTIVE, item calls answer ResourceNotFoundException. */
export async function waitUntilActive(client: DynamoDBClient, name: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
    if (Table?.TableStatus === 'ACTIVE') return;
    if (attempt > 200) throw new Error(`Table ${name} did not become ACTIVE`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Creates every table of TABLE_LIST that does not exist yet (idempotent) and waits until all are
 * ACTIVE. `tableNames` maps each table to its physical name (the value of its envVar).
 *
 * A table kept in a data directory from an older checkout whose keys or indexes differ from the
 * definition (e.g. a GSI added since) is deleted and created again: dynalite cannot add an index
 * to a table, and what these tables hold locally (socket records, idempotency records, rate-limit
 * counters) is disposable. Returns the names of the tables recreated.
 */
export async function createTables(endpoint: string, region: string, tableNames: Record<TableKey, string>): Promise<string[]> {
  const client = new DynamoDBClient({
    endpoint,
    region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const existing = new Set<string>();
    let start: string | undefined;
    do {
      const page = await client.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
      for (const name of page.TableNames ?? []) existing.add(name);
      start = page.LastEvaluatedTableName;
    } while (start);

    const recreated: string[] = [];
    for (const table of TABLE_LIST) {
      const name = tableNames[table.key];
      if (existing.has(name)) {
        const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
        if (Table && shapeOf(Table) === shapeOf(createTableInput(table, name))) continue;
        await client.send(new DeleteTableCommand({ TableName: name }));
        await waitUntilDeleted(client, name);
        recreated.push(name);
      }
      try {
        await client.send(new CreateTableCommand(createTableInput(table, name)));
      } catch (error) {
        if (!(error instanceof ResourceInUseException)) throw error;
      }
    }
    for (const table of TABLE_LIST) await waitUntilActive(client, tableNames[table.key]);
    return recreated;
  } finally {
    client.destroy();
  }
}
