/** MongoDB's duplicate key error (E11000), however the driver reports it. */
import { MongoClientBulkWriteError } from 'mongodb';

const DUPLICATE_KEY = 11000;

/** A unique index refused a document: from insertOne / update / findAndModify (code), or from a client bulk write (writeErrors). */
export function isDuplicateKeyError(error: unknown): boolean {
  if (error instanceof MongoClientBulkWriteError) return [...error.writeErrors.values()].some((writeError) => writeError.code === DUPLICATE_KEY);
  return (error as { code?: number } | undefined)?.code === DUPLICATE_KEY;
}
