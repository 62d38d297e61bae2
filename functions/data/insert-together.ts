/**
 * Inserts documents into several collections, inside the caller's transaction, in as few round
 * trips as the server allows: one `bulkWrite` command on MongoDB 8.0 and newer (the client bulk
 * write spans collections), one `insert` per document on older servers.
 *
 * Errors come out as they would from insertOne: a duplicate key is recognisable with
 * isDuplicateKeyError (data/duplicate-key.ts), and a server error carrying TransientTransactionError
 * keeps that label (the driver wraps server errors of a client bulk write, which would hide the
 * label from withTransaction's retry).
 */
import { MongoClientBulkWriteError, MongoError, type AnyClientBulkWriteModel, type ClientSession, type Collection, type Document } from 'mongodb';
import { mongoClient, serverWireVersion } from './mongo.ts';

/** MongoDB 8.0: the first wire version with the `bulkWrite` command. */
const CLIENT_BULK_WRITE_WIRE_VERSION = 25;
const COMMAND_NOT_FOUND = 59;

export interface InsertInto {
  collection: Collection<any>;
  document: Document;
}

/** Cleared for the container's life when a server that claims 8.0 still answers "no such command". */
let clientBulkWriteUsable = true;

const useClientBulkWrite = (): boolean => clientBulkWriteUsable && serverWireVersion() >= CLIENT_BULK_WRITE_WIRE_VERSION;

export async function insertTogether(inserts: readonly InsertInto[], session: ClientSession): Promise<void> {
  if (!useClientBulkWrite()) {
    for (const { collection, document } of inserts) await collection.insertOne(document, { session });
    return;
  }
  const models: AnyClientBulkWriteModel<Document>[] = inserts.map(({ collection, document }) => ({
    name: 'insertOne',
    namespace: collection.namespace,
    document,
  }));
  const client = await mongoClient();
  try {
    await client.bulkWrite(models, { session, ordered: true });
  } catch (error) {
    throw unwrapped(error);
  }
}

/** The server error behind a client bulk write failure, so its code and labels reach the caller. */
function unwrapped(error: unknown): unknown {
  if (!(error instanceof MongoClientBulkWriteError)) return error;
  const cause = error.cause;
  if (cause instanceof MongoError) {
    if (cause.code === COMMAND_NOT_FOUND) {
      // A server reporting 8.0 without the command (e.g. an upgrade still in progress): use one
      // insert per document from now on, and have withTransaction run the attempt again.
      clientBulkWriteUsable = false;
      cause.addErrorLabel('TransientTransactionError');
    }
    return cause;
  }
  return error;
}
