// insert, update, delete, findAndModify.
import type { Document } from 'bson';
import { CommandError } from '../errors.ts';
import { idKeyOf } from '../storage/collection.ts';
import { applyUpdate, buildUpsert, prepareUpdate, validateInsert } from '../updates.ts';
import { collectionName, retryOnLock, writeAccess, type CommandContext, type Handler } from './context.ts';
import { project, select, sortMatches } from './query-helpers.ts';

/** Runs statements in order, collecting per-statement CommandErrors as writeErrors. */
async function runStatements(ctx: CommandContext, statements: unknown, ordered: boolean, run: (stmt: Document, index: number) => void): Promise<Document[]> {
  if (!Array.isArray(statements)) throw new CommandError(9, 'write batch must be an array');
  const writeErrors: Document[] = [];
  for (let i = 0; i < statements.length; i++) {
    try {
      await retryOnLock(ctx, () => run(statements[i], i));
    } catch (err) {
      // In a transaction a write conflict fails the whole command (so withTransaction retries).
      if (!(err instanceof CommandError) || err.code === 112) throw err;
      writeErrors.push(err.toWriteError(i));
      if (ordered) break;
    }
  }
  return writeErrors;
}

function reply(fields: Document, writeErrors: Document[]): Document {
  const out: Document = { ...fields };
  if (writeErrors.length) out.writeErrors = writeErrors;
  out.ok = 1;
  return out;
}

const insert: Handler = async (ctx) => {
  const [access, coll] = writeAccess(ctx, collectionName(ctx));
  let n = 0;
  const writeErrors = await runStatements(ctx, ctx.cmd.documents, ctx.cmd.ordered !== false, (doc) => {
    const stored = validateInsert(doc);
    access.insert(coll, idKeyOf(stored), stored);
    n++;
  });
  return reply({ n }, writeErrors);
};

const update: Handler = async (ctx) => {
  const [access, coll] = writeAccess(ctx, collectionName(ctx));
  let n = 0;
  let nModified = 0;
  const upserted: Document[] = [];
  const writeErrors = await runStatements(ctx, ctx.cmd.updates, ctx.cmd.ordered !== false, (stmt, index) => {
    const query: Document = stmt.q ?? {};
    const update = prepareUpdate(stmt.u, stmt.arrayFilters);
    if (stmt.multi && update.kind === 'replacement' && Object.keys(update.spec).length > 0) {
      throw new CommandError(9, 'multi update is not supported for replacement-style update');
    }
    const matches = select(access, query, { sort: stmt.sort, limit: stmt.multi ? 0 : 1 });
    if (matches.length === 0) {
      if (!stmt.upsert) return;
      const doc = buildUpsert(query, update);
      access.insert(coll, idKeyOf(doc), doc);
      n++;
      upserted.push({ index, _id: doc._id });
      return;
    }
    access.assertWritable(matches.map((m) => m[0]));
    for (const [id, doc] of matches) {
      const outcome = applyUpdate(doc, update, query);
      if (outcome.changed) access.replace(coll, id, outcome.doc);
      n++;
      if (outcome.changed) nModified++;
    }
  });
  const fields: Document = { n, nModified };
  if (upserted.length) fields.upserted = upserted;
  return reply(fields, writeErrors);
};

const del: Handler = async (ctx) => {
  const [access, coll] = writeAccess(ctx, collectionName(ctx));
  let n = 0;
  const writeErrors = await runStatements(ctx, ctx.cmd.deletes, ctx.cmd.ordered !== false, (stmt) => {
    const limit = Number(stmt.limit ?? 0);
    const matches = access.match(stmt.q ?? {}, limit === 1 ? 1 : 0);
    access.assertWritable(matches.map((m) => m[0]));
    for (const [id] of matches) access.remove(coll, id);
    n += matches.length;
  });
  return reply({ n }, writeErrors);
};

const findAndModify: Handler = async (ctx) => {
  const name = collectionName(ctx);
  const cmd = ctx.cmd;
  const query: Document = cmd.query ?? {};
  if (cmd.remove && cmd.update !== undefined) throw new CommandError(9, 'Cannot specify both an update and remove=true');
  if (!cmd.remove && cmd.update === undefined) throw new CommandError(9, 'Either an update or remove=true must be specified');
  if (cmd.remove && cmd.upsert) throw new CommandError(9, 'Cannot specify both upsert=true and remove=true');
  const update = cmd.remove ? undefined : prepareUpdate(cmd.update, cmd.arrayFilters);
  const [access, coll] = writeAccess(ctx, name);
  return retryOnLock(ctx, () => {
    const [match] = sortMatches(access.match(query, cmd.sort ? 0 : 1), cmd.sort);
    const shape = (doc: Document | null) => (doc ? project([doc], cmd.fields, query)[0] ?? null : null);
    if (cmd.remove) {
      if (match) access.remove(coll, match[0]);
      return { lastErrorObject: { n: match ? 1 : 0 }, value: shape(match?.[1] ?? null), ok: 1 };
    }
    if (match) {
      const [id, doc] = match;
      access.assertWritable([id]);
      const outcome = applyUpdate(doc, update!, query);
      if (outcome.changed) access.replace(coll, id, outcome.doc);
      return { lastErrorObject: { n: 1, updatedExisting: true }, value: shape(cmd.new ? outcome.doc : doc), ok: 1 };
    }
    if (!cmd.upsert) return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
    const doc = buildUpsert(query, update!);
    access.insert(coll, idKeyOf(doc), doc);
    return { lastErrorObject: { n: 1, updatedExisting: false, upserted: doc._id }, value: cmd.new ? shape(doc) : null, ok: 1 };
  });
};

export const writeCommands: Record<string, Handler> = { insert, update, delete: del, findAndModify, findandmodify: findAndModify };
