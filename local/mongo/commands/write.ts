// insert, update, delete, findAndModify — and the statement functions bulkWrite shares with them.
import type { Document } from 'bson';
import { CommandError } from '../errors.ts';
import { isPlainObject, valueKey } from '../keys.ts';
import type { CollectionAccess } from '../storage/access.ts';
import { idKeyOf, type Collection } from '../storage/collection.ts';
import { applyUpdate, buildUpsert, prepareUpdate, validateInsert } from '../updates.ts';
import { runStatements } from '../retryable.ts';
import { collectionName, writeAccess, type CommandContext, type Handler } from './context.ts';
import { project, select, sortMatches } from './query-helpers.ts';

/**
 * True for a failure reported against its statement (a writeErrors entry, a bulkWrite error item)
 * rather than failing the command. A write conflict (112, only raised inside transactions) fails
 * the whole command instead, with its TransientTransactionError label, so withTransaction retries.
 */
export function isStatementError(err: unknown): err is CommandError {
  return err instanceof CommandError && err.code !== 112;
}

/**
 * Runs a command's statements in order (retryable.ts: a retry answers those that ran before from the
 * session's record), collecting per-statement CommandErrors as writeErrors. Inside a transaction
 * mongod stops at the first failed statement, ordered or not (and aborts the transaction: core.ts).
 */
async function writeBatch<R extends Document>(
  ctx: CommandContext,
  statements: unknown,
  ordered: boolean,
  run: (stmt: Document, index: number) => R,
  tally: (result: R, index: number) => void,
): Promise<Document> {
  if (!Array.isArray(statements)) throw new CommandError(9, 'write batch must be an array');
  const writeErrors: Document[] = [];
  await runStatements(ctx, statements.length, ordered || ctx.txn !== null, { run: (i) => run(statements[i], i), stored: (r) => r, restored: (r) => r as R, isStatementError }, (o) => {
    if ('error' in o) writeErrors.push(o.error.toWriteError(o.index));
    else tally(o.result, o.index);
  });
  const out: Document = {};
  if (writeErrors.length) out.writeErrors = writeErrors;
  if (ctx.retry?.retried.length) out.retriedStmtIds = ctx.retry.retried;
  return out;
}

function reply(fields: Document, batch: Document): Document {
  return { ...fields, ...batch, ok: 1 };
}

/** Inserts one document (checked as mongod does, _id first, generated when missing). */
export function insertDocument(access: CollectionAccess, coll: Collection, doc: Document): void {
  const stored = validateInsert(doc);
  access.insert(coll, idKeyOf(stored), stored);
}

/** One update statement, whichever command carries it (`update`'s q/u/c, bulkWrite's filter/updateMods/constants). */
export interface UpdateStatement {
  filter: Document;
  update: unknown;
  arrayFilters?: unknown;
  multi: boolean;
  upsert: boolean;
  sort?: Document;
  hint?: unknown;
  /** The command's `let`: `$$name` in the filter and in a pipeline update. */
  variables?: Document;
  /** Pipeline updates only (else 51198): more `$$name` values for the pipeline. */
  constants?: Document;
  /** With upsert: insert `constants.new` instead of a document built from the update (mongod's upsertSupplied). */
  upsertSupplied?: boolean;
}

export interface UpdateResult {
  n: number;
  nModified: number;
  /** `{_id}` of the document an upsert inserted. */
  upserted?: { _id: unknown };
}

/** Applies one update statement. Throws CommandError for its write error, LockWait to be retried (retryOnLock). */
export function updateDocuments(access: CollectionAccess, coll: Collection, stmt: UpdateStatement): UpdateResult {
  if (stmt.constants !== undefined && !Array.isArray(stmt.update)) throw new CommandError(51198, 'Constant values may only be specified for pipeline updates');
  const variables = stmt.variables || stmt.constants ? { ...stmt.variables, ...stmt.constants } : undefined;
  const update = prepareUpdate(stmt.update, stmt.arrayFilters, variables);
  if (stmt.multi && update.kind === 'replacement' && Object.keys(update.spec).length > 0) {
    throw new CommandError(9, 'multi update is not supported for replacement-style update');
  }
  checkHint(coll, stmt.hint);
  const matches = select(access, stmt.filter, { sort: stmt.sort, limit: stmt.multi ? 0 : 1, variables: stmt.variables });
  if (matches.length === 0) {
    if (!stmt.upsert) return { n: 0, nModified: 0 };
    const doc = stmt.upsertSupplied ? suppliedUpsert(stmt.constants) : buildUpsert(stmt.filter, update);
    access.insert(coll, idKeyOf(doc), doc);
    return { n: 1, nModified: 0, upserted: { _id: doc._id } };
  }
  access.assertWritable(matches.map((m) => m[0]));
  let nModified = 0;
  for (const [id, doc] of matches) {
    const outcome = applyUpdate(doc, update, stmt.filter);
    if (outcome.changed) {
      access.replace(coll, id, outcome.doc);
      nModified++;
    }
  }
  return { n: matches.length, nModified };
}

function suppliedUpsert(constants: Document | undefined): Document {
  if (!isPlainObject(constants?.new)) throw new CommandError(9, "the parameter 'upsertSupplied' is set to 'true', but no document was supplied");
  return validateInsert(constants.new as Document);
}

export interface DeleteStatement {
  filter: Document;
  multi: boolean;
  hint?: unknown;
  variables?: Document;
}

/** Applies one delete statement; returns how many documents it removed. */
export function deleteDocuments(access: CollectionAccess, coll: Collection, stmt: DeleteStatement): number {
  checkHint(coll, stmt.hint);
  const matches = access.match(stmt.filter, stmt.multi ? 0 : 1, stmt.variables);
  access.assertWritable(matches.map((m) => m[0]));
  for (const [id] of matches) access.remove(coll, id);
  return matches.length;
}

/** A hint must name an existing index (by name or key pattern), as mongod's planner requires. */
function checkHint(coll: Collection, hint: unknown): void {
  if (hint === undefined || hint === null) return;
  let found: boolean;
  if (typeof hint === 'string') found = coll.index(hint) !== undefined;
  else if (isPlainObject(hint)) {
    const fields = Object.keys(hint);
    if (fields.length === 0 || (fields.length === 1 && fields[0] === '$natural')) return;
    found = coll.indexes.some((ix) => sameKeyPattern(ix.key, hint));
  } else throw new CommandError(9, 'Hint must be a string or an object');
  if (!found) throw new CommandError(2, 'hint provided does not correspond to an existing index');
}

function sameKeyPattern(a: Document, b: Document): boolean {
  const ea = Object.entries(a);
  const eb = Object.entries(b);
  return ea.length === eb.length && ea.every(([field, dir], i) => field === eb[i][0] && valueKey(dir) === valueKey(eb[i][1]));
}

const insert: Handler = async (ctx) => {
  const [access, coll] = writeAccess(ctx, collectionName(ctx));
  let n = 0;
  const batch = await writeBatch(
    ctx,
    ctx.cmd.documents,
    ctx.cmd.ordered !== false,
    (doc) => {
      insertDocument(access, coll, doc);
      return { n: 1 };
    },
    () => n++,
  );
  return reply({ n }, batch);
};

const update: Handler = async (ctx) => {
  const [access, coll] = writeAccess(ctx, collectionName(ctx));
  let n = 0;
  let nModified = 0;
  const upserted: Document[] = [];
  const batch = await writeBatch(
    ctx,
    ctx.cmd.updates,
    ctx.cmd.ordered !== false,
    (stmt) => updateDocuments(access, coll, {
      filter: stmt.q ?? {},
      update: stmt.u,
      arrayFilters: stmt.arrayFilters,
      multi: stmt.multi === true,
      upsert: stmt.upsert === true,
      sort: stmt.sort,
      hint: stmt.hint,
      variables: ctx.cmd.let,
      constants: stmt.c,
    }) as UpdateResult & Document,
    (result, index) => {
      n += result.n;
      nModified += result.nModified;
      if (result.upserted) upserted.push({ index, _id: result.upserted._id });
    },
  );
  const fields: Document = { n, nModified };
  if (upserted.length) fields.upserted = upserted;
  return reply(fields, batch);
};

const del: Handler = async (ctx) => {
  const [access, coll] = writeAccess(ctx, collectionName(ctx));
  let n = 0;
  const batch = await writeBatch(
    ctx,
    ctx.cmd.deletes,
    ctx.cmd.ordered !== false,
    (stmt) => ({ n: deleteDocuments(access, coll, { filter: stmt.q ?? {}, multi: Number(stmt.limit ?? 0) !== 1, hint: stmt.hint, variables: ctx.cmd.let }) }),
    (result) => (n += result.n),
  );
  return reply({ n }, batch);
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
  // One statement (stmtId 0): a retry answers the first reply, with retriedStmtId.
  let answer: Document | undefined;
  await runStatements(ctx, 1, true, { run: () => modifyOne(), stored: (r) => r, restored: (r) => ({ ...r, retriedStmtId: 0 }), isStatementError: (err): err is CommandError => false }, (o) => {
    if ('result' in o) answer = o.result;
  });
  return answer!;

  function modifyOne(): Document {
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
  }
};

export const writeCommands: Record<string, Handler> = { insert, update, delete: del, findAndModify, findandmodify: findAndModify };
