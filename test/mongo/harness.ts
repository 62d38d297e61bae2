// Conformance-suite harness: the embedded server by default, a real MongoDB when MONGODB_URI is set.
import { MongoClient, type Db, type MongoClientOptions } from 'mongodb';
import { startMongoServer, type MongoServerHandle, type MongoServerOptions } from '../../local/mongo/index.ts';

export const realMongoUri = process.env.MONGODB_URI;
/** Checks that need the embedded server (counters, triggered TTL, restarts, raw sockets to it). */
export const onlyEmbedded = !!realMongoUri;

export interface MongoEnv {
  /** Base URI without database, e.g. mongodb://127.0.0.1:1234/ */
  baseUri: string;
  uri: string;
  dbName: string;
  client: MongoClient;
  db: Db;
  embedded: MongoServerHandle | undefined;
  newClient(options?: MongoClientOptions): Promise<MongoClient>;
  close(): Promise<void>;
}

export async function openMongoEnv(label: string, serverOptions: MongoServerOptions = {}): Promise<MongoEnv> {
  const dbName = `conformance_${label}_${process.pid}`;
  const embedded = realMongoUri ? undefined : await startMongoServer(serverOptions);
  const baseUri = realMongoUri ?? embedded!.uri;
  const uri = withDb(baseUri, dbName);
  const clients: MongoClient[] = [];
  const newClient = async (options: MongoClientOptions = {}) => {
    const c = new MongoClient(uri, { serverSelectionTimeoutMS: 5000, ...options });
    clients.push(c);
    await c.connect();
    return c;
  };
  const client = await newClient();
  const db = client.db(dbName);
  await db.dropDatabase();
  return {
    baseUri,
    uri,
    dbName,
    client,
    db,
    embedded,
    newClient,
    async close() {
      await db.dropDatabase().catch(() => {});
      await Promise.all(clients.map((c) => c.close()));
      await embedded?.stop();
    },
  };
}

/** Inserts a database name into a base URI, keeping its query string. */
export function withDb(baseUri: string, db: string): string {
  const u = new URL(baseUri);
  u.pathname = `/${db}`;
  return u.toString();
}

/** Configures the failCommand fail point; answers mongod's reply (`count`: times it has acted, ever). */
export async function failCommand(client: MongoClient, mode: unknown, data?: Record<string, unknown>): Promise<{ count: number }> {
  return (await client.db('admin').command({ configureFailPoint: 'failCommand', mode, ...(data ? { data } : {}) })) as { count: number };
}
