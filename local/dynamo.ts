/**
 * Local DynamoDB: dynalite (in memory, or LevelDB under a data directory) on a free port, with every
 * table of functions/tables.ts created from the shared definitions. dynalite has no TTL, so
 * UpdateTimeToLive is never called: readers check the expiry attribute themselves.
 *
 * Durability: dynalite writes LevelDB (classic-level) without `sync`, so an acknowledged write sits
 * in the OS page cache and a power loss or machine crash can drop it. Under a data directory every
 * write here is made with `sync: true` (LevelDB fsyncs its log before answering, group-committing
 * concurrent writers), as durable as the embedded MongoDB's write-ahead log.
 */
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
  type AttributeDefinition,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { TABLE_LIST, type KeyDef, type TableDef, type TableKey } from '../functions/tables.ts';

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
export async function startDynalite(options: DynaliteOptions = {}): Promise<LocalDynamo> {
  const host = options.host ?? '127.0.0.1';
  if (options.dataDir) {
    await mkdir(options.dataDir, { recursive: true });
    syncLevelWrites(options.dataDir);
  }
  const server = dynalite({ path: options.dataDir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let stopped: Promise<void> | undefined;
  return {
    endpoint: `http://${host}:${port}`,
    port,
    stop: () =>
      (stopped ??= new Promise<void>((resolve, reject) => {
        server.close((error?: Error) => (error ? reject(error) : resolve()));
        server.closeAllConnections(); // the functions' SDK clients keep sockets alive
      })),
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
        recreated.push(name);
      }
      try {
        await client.send(new CreateTableCommand(createTableInput(table, name)));
      } catch (error) {
        if (!(error instanceof ResourceInUseException)) throw error;
      }
    }
    for (const table of TABLE_LIST) {
      for (let attempt = 0; ; attempt++) {
        const { Table } = await client.send(new DescribeTableCommand({ TableName: tableNames[table.key] }));
        if (Table?.TableStatus === 'ACTIVE') break;
        if (attempt > 200) throw new Error(`Table ${tableNames[table.key]} did not become ACTIVE`);
        await new Promise((r) => setTimeout(r, 10));
      }
    }
    return recreated;
  } finally {
    client.destroy();
  }
}
