import type { Document } from 'bson';
import type { ServerCore } from '../core.ts';
import type { Txn } from '../transactions.ts';
import { CollectionAccess } from '../storage/access.ts';
import { CommandError, LockWait } from '../errors.ts';
import { waitForLock, type RetryableWrite } from '../retryable.ts';
import type { Collection } from '../storage/collection.ts';

export interface ConnectionInfo {
  readonly id: number;
  appName: string | undefined;
  readonly remote: string;
  readonly closed: boolean;
}

export interface CommandContext {
  core: ServerCore;
  conn: ConnectionInfo;
  db: string;
  cmd: Document;
  txn: Txn | null;
  /** A retryable write (lsid + txnNumber, outside a transaction): what ran before under its txnNumber. */
  retry?: RetryableWrite;
}

/** A logical session's identity: the hex of its lsid UUID. */
export function sessionKey(lsid: Document): string {
  const id = lsid?.id;
  if (id && typeof id === 'object' && 'buffer' in id) return Buffer.from((id as { buffer: Uint8Array }).buffer).toString('hex');
  return JSON.stringify(id);
}

/** The session a command runs in, if the driver sent one. */
export function commandSession(ctx: CommandContext): string | undefined {
  return ctx.cmd.lsid ? sessionKey(ctx.cmd.lsid) : undefined;
}

export type Handler = (ctx: CommandContext) => Document | Promise<Document>;

/** The collection named by the command's first field, e.g. `{find: "orders"}`. */
export function collectionName(ctx: CommandContext, field?: string): string {
  const value = ctx.cmd[field ?? Object.keys(ctx.cmd)[0]];
  if (typeof value !== 'string' || value.length === 0) {
    throw new CommandError(73, `collection name has invalid type ${typeof value}`);
  }
  return value;
}

export function readAccess(ctx: CommandContext, name: string): CollectionAccess {
  return new CollectionAccess(ctx.core.engine, ctx.core.engine.collection(ctx.db, name), ctx.txn);
}

/** Access for writing to `db.name` (the command's database unless given), creating the collection implicitly. */
export function writeAccess(ctx: CommandContext, name: string, db = ctx.db): [CollectionAccess, Collection] {
  const coll = ctx.core.engine.ensureCollection(db, name);
  return [new CollectionAccess(ctx.core.engine, coll, ctx.txn), coll];
}

/** Runs a write statement, waiting (as mongod does) while a transaction holds a document it needs. */
export async function retryOnLock<T>(ctx: CommandContext, fn: () => T): Promise<T> {
  for (;;) {
    try {
      return fn();
    } catch (err) {
      if (!(err instanceof LockWait)) throw err;
      await waitForLock(ctx, err);
    }
  }
}
