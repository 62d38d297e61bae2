/**
 * The MongoDB client: created once per container, on first use, and reused by every invocation.
 * Only the official driver is used here; the URI points at Atlas in AWS and at the embedded
 * server (or MONGODB_URI) locally.
 */
import { MongoClient, type Collection, type Db, type Document } from 'mongodb';
import { config, type CollectionKey } from '../platform/config.ts';
import { secrets } from '../platform/secrets.ts';
import type {
  AuditDoc,
  CartDoc,
  CustomerDoc,
  DayCloseDoc,
  MenuItemDoc,
  OrderDoc,
  RestaurantDoc,
  TableDoc,
  TableSessionDoc,
  UserDoc,
} from './documents.ts';
import type { PaymentEventDoc, PaymentIntentDoc } from './payment-documents.ts';

export interface Collections {
  restaurants: Collection<RestaurantDoc>;
  tables: Collection<TableDoc>;
  users: Collection<UserDoc>;
  tableSessions: Collection<TableSessionDoc>;
  customers: Collection<CustomerDoc>;
  menuItems: Collection<MenuItemDoc>;
  carts: Collection<CartDoc>;
  orders: Collection<OrderDoc>;
  counters: Collection<{ _id: string; restaurantId: string; seq: number; expiresAt: Date }>;
  auditLog: Collection<AuditDoc>;
  dayCloses: Collection<DayCloseDoc>;
  paymentIntents: Collection<PaymentIntentDoc>;
  paymentEvents: Collection<PaymentEventDoc>;
}

let clientPromise: Promise<MongoClient> | undefined;
let commonWireVersion = 0;

/** The wire version every server the client has seen speaks (0 before the first is known). MongoDB 8.0 is 25. */
export const serverWireVersion = (): number => commonWireVersion;

export function mongoClient(): Promise<MongoClient> {
  clientPromise ??= (async () => {
    const { mongodbUri } = await secrets();
    // Sized for a Lambda container, which serves one request at a time: the most a request runs at
    // once is two commands (placement reads the menu and the order number in parallel), so a pool of
    // 3 never queues. A warm container then holds its pooled sockets plus the driver's monitoring (a
    // monitor, and an RTT socket where the server streams hello, per replica-set member): about 5 on
    // a 3-member Atlas cluster instead of ~16 with the default pool of 100 or 10. minPoolSize 0 opens
    // nothing ahead of use, and maxIdleTimeMS lets a container that sits idle give its sockets back
    // before Lambda freezes or reaps it (README, "Deploy to AWS": the connection budget).
    const client = new MongoClient(mongodbUri, {
      appName: 'plato',
      maxPoolSize: 3,
      minPoolSize: 0,
      maxIdleTimeMS: 60_000,
      serverSelectionTimeoutMS: 5_000,
      connectTimeoutMS: 5_000,
      retryWrites: true,
    });
    // The lowest wire version among the servers seen: decides whether MongoDB 8.0's client bulkWrite
    // can be used (see insert-together.ts). Registered before connect so the first description counts.
    client.on('topologyDescriptionChanged', (event) => {
      commonWireVersion = event.newDescription.commonWireVersion;
    });
    await client.connect();
    return client;
  })().catch((error) => {
    clientPromise = undefined; // let the next invocation try again
    throw error;
  });
  return clientPromise;
}

export async function database(): Promise<Db> {
  return (await mongoClient()).db(config().mongo.database);
}

let collectionsPromise: Promise<Collections> | undefined;

/** Typed handles on Plato's collections, built once per container. */
export function collections(): Promise<Collections> {
  collectionsPromise ??= database().then((db) => {
    const names = config().mongo.collections;
    const entries = (Object.keys(names) as CollectionKey[]).map((key) => [key, db.collection<Document>(names[key])]);
    return Object.fromEntries(entries) as unknown as Collections;
  });
  collectionsPromise.catch(() => (collectionsPromise = undefined));
  return collectionsPromise;
}

/** For the local runtime and tests: drop the cached client (e.g. when the server restarts). */
export async function closeMongoClient(): Promise<void> {
  const pending = clientPromise;
  clientPromise = undefined;
  collectionsPromise = undefined;
  commonWireVersion = 0;
  if (pending) await (await pending.catch(() => undefined))?.close();
}
