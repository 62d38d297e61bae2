// bulkWrite (MongoDB 8.0): inserts, updates and deletes on any number of namespaces in one admin command.
//
// Request: {bulkWrite: 1, ops: [...], nsInfo: [{ns: 'db.coll'}, ...], ordered, errorsOnly, let,
// bypassDocumentValidation, cursor: {batchSize}} — drivers send ops and nsInfo as OP_MSG document
// sequences (wire.ts turns them into arrays). Each op names its namespace by index into nsInfo:
// {insert: i, document} | {update: i, filter, updateMods, multi, upsert, arrayFilters, hint, collation, sort, constants}
// | {delete: i, filter, multi, hint, collation}.
// Reply: {cursor: {id, firstBatch: [{ok, idx, n, nModified?, upserted?: {_id}} | {ok: 0, idx, code, errmsg, ..., n: 0}],
// ns: 'admin.$cmd.bulkWrite'}, nErrors, nInserted, nMatched, nModified, nUpserted, nDeleted, ok: 1}.
// Malformed requests fail the whole command with mongod's IDL codes (40415 unknown field, 40414
// missing field, 14 wrong type, 16 batch size, 73 namespace, 2 nsInfo index); a failed op is an error
// item. Ordered stops at the first error, unordered goes on; inside a transaction the first error
// stops the command and aborts the transaction (core.ts), and a write conflict fails the command.
import { Double, type Document } from 'bson';
import { CommandError } from '../errors.ts';
import { isPlainObject } from '../keys.ts';
import { runStatements } from '../retryable.ts';
import { commandSession, writeAccess, type CommandContext, type Handler } from './context.ts';
import { deleteDocuments, insertDocument, isStatementError, updateDocuments, type DeleteStatement, type UpdateResult, type UpdateStatement } from './write.ts';

const CURSOR_NS = 'admin.$cmd.bulkWrite';
/** hello's maxWriteBatchSize. */
const MAX_OPS = 100_000;

type Op =
  | { kind: 'insert'; nsIndex: number; document: Document }
  | { kind: 'update'; nsIndex: number; stmt: Omit<UpdateStatement, 'variables'> }
  | { kind: 'delete'; nsIndex: number; stmt: Omit<DeleteStatement, 'variables'> };

interface BulkWriteRequest {
  ops: Op[];
  /** [database, collection] per nsInfo entry. */
  namespaces: [string, string][];
  ordered: boolean;
  errorsOnly: boolean;
  variables: Document | undefined;
  batchSize: number | undefined;
}

type OpResult = { kind: 'insert' } | { kind: 'update'; result: UpdateResult } | { kind: 'delete'; n: number };

const bulkWrite: Handler = async (ctx) => {
  if (ctx.db !== 'admin') throw new CommandError(13, 'bulkWrite may only be run against the admin database.');
  const req = parseRequest(ctx.cmd);
  // mongod refuses multi-document ops in a retryable write (drivers never send them as one).
  const retryable = ctx.cmd.txnNumber !== undefined && ctx.cmd.autocommit === undefined;
  const summary = { nErrors: 0, nInserted: 0, nMatched: 0, nModified: 0, nUpserted: 0, nDeleted: 0 };
  const replies: Document[] = [];
  // Inside a transaction mongod stops at the first error whatever `ordered` says.
  await runStatements(ctx, req.ops.length, req.ordered || ctx.txn !== null, { run: (idx) => runOp(ctx, req, req.ops[idx], retryable), stored: (r) => r as Document, restored: (r) => r as OpResult, isStatementError }, (o) => {
    const idx = o.index;
    if ('error' in o) {
      summary.nErrors++;
      replies.push(errorItem(idx, o.error, req.ops[idx].kind));
      return;
    }
    const outcome = o.result;
    const item: Document = { ok: new Double(1), idx };
    if (outcome.kind === 'insert') {
      summary.nInserted++;
      item.n = 1;
    } else if (outcome.kind === 'delete') {
      summary.nDeleted += outcome.n;
      item.n = outcome.n;
    } else {
      const { n, nModified, upserted } = outcome.result;
      summary.nModified += nModified;
      if (upserted) summary.nUpserted++;
      else summary.nMatched += n;
      Object.assign(item, { n, nModified }, upserted ? { upserted } : {});
    }
    if (!req.errorsOnly) replies.push(item);
  });
  // Everything fits the first batch unless the client asked for a smaller cursor.batchSize.
  const { cursor } = ctx.core.cursors.open(CURSOR_NS, replies, req.batchSize || replies.length, { session: commandSession(ctx) });
  return { cursor, ...summary, ...(ctx.retry?.retried.length ? { retriedStmtIds: ctx.retry.retried } : {}), ok: 1 };
};

function runOp(ctx: CommandContext, req: BulkWriteRequest, op: Op, retryable: boolean): OpResult {
  const [db, name] = req.namespaces[op.nsIndex];
  const [access, coll] = writeAccess(ctx, name, db);
  if (op.kind === 'insert') {
    insertDocument(access, coll, op.document);
    return { kind: 'insert' };
  }
  if (retryable && op.stmt.multi) throw new CommandError(72, 'Cannot use retryable writes with multi=true');
  if (op.kind === 'update') return { kind: 'update', result: updateDocuments(access, coll, { ...op.stmt, variables: req.variables }) };
  return { kind: 'delete', n: deleteDocuments(access, coll, { ...op.stmt, variables: req.variables }) };
}

/** mongod's error reply item: ok 0, the error (with its extra info, e.g. keyPattern/keyValue), n 0 (and nModified 0 for an update). */
function errorItem(idx: number, err: CommandError, kind: Op['kind']): Document {
  const item: Document = { ok: new Double(0), idx, code: err.code, errmsg: err.message, ...err.extra, n: 0 };
  if (kind === 'update') item.nModified = 0;
  return item;
}

/** The namespaces a bulkWrite command names, each once (what core.ts counts it against). */
export function bulkWriteNamespaces(cmd: Document): string[] {
  if (!Array.isArray(cmd.nsInfo)) return [];
  return [...new Set(cmd.nsInfo.map((entry: unknown) => (isPlainObject(entry) ? entry.ns : undefined)).filter((ns): ns is string => typeof ns === 'string'))];
}

// ---- request parsing, with the errors mongod's IDL parser gives ----

type FieldType = 'any' | 'bool' | 'safeBool' | 'int' | 'nsIndex' | 'string' | 'object' | 'array' | 'objectArray' | 'updateMods' | 'hint';

/** Arguments every command accepts (mongod's generic arguments); anything starting with '$' too. */
const GENERIC_ARGUMENTS = new Set([
  'apiVersion', 'apiStrict', 'apiDeprecationErrors', 'maxTimeMS', 'readConcern', 'writeConcern', 'lsid', 'txnNumber',
  'autocommit', 'startTransaction', 'comment', 'clientOperationKey', 'txnRetryCounter', 'mayBypassWriteBlocking',
  'expectPrefix', 'rawData', 'maxTimeMSOpOnly', 'usesDefaultMaxTimeMS', 'databaseVersion', 'shardVersion',
  'allowImplicitCollectionCreation',
]);

const COMMAND_FIELDS: Record<string, FieldType> = {
  bulkWrite: 'any', ops: 'objectArray', nsInfo: 'objectArray', cursor: 'object', bypassDocumentValidation: 'safeBool',
  ordered: 'bool', errorsOnly: 'bool', let: 'object', stmtId: 'int', stmtIds: 'array',
};
const INSERT_FIELDS: Record<string, FieldType> = { insert: 'nsIndex', document: 'object' };
const UPDATE_FIELDS: Record<string, FieldType> = {
  update: 'nsIndex', filter: 'object', multi: 'bool', updateMods: 'updateMods', upsert: 'bool', upsertSupplied: 'bool',
  arrayFilters: 'objectArray', hint: 'hint', constants: 'object', collation: 'object', sort: 'object',
};
const DELETE_FIELDS: Record<string, FieldType> = { delete: 'nsIndex', filter: 'object', multi: 'bool', hint: 'hint', collation: 'object' };
/** nsInfo fields only mongos or Queryable Encryption set; the embedded server has neither. */
const UNSUPPORTED_NS_INFO_FIELDS = new Set(['collectionUUID', 'encryptionInformation', 'isTimeseriesNamespace', 'shardVersion', 'databaseVersion']);

function parseRequest(cmd: Document): BulkWriteRequest {
  for (const [field, value] of Object.entries(cmd)) {
    if (field.startsWith('$') || GENERIC_ARGUMENTS.has(field)) continue;
    const type = COMMAND_FIELDS[field];
    if (!type) throw unknownField(`bulkWrite.${field}`);
    checkType(`bulkWrite.${field}`, value, type);
  }
  for (const field of ['ops', 'nsInfo']) if (cmd[field] === undefined) throw missingField(`bulkWrite.${field}`);
  if (cmd.stmtId !== undefined && cmd.stmtIds !== undefined) throw new CommandError(72, 'May not specify both stmtId and stmtIds in bulkWrite command.');
  if (cmd.cursor?.batchSize !== undefined) {
    checkType('bulkWrite.cursor.batchSize', cmd.cursor.batchSize, 'int');
    if (cmd.cursor.batchSize < 0) throw new CommandError(51024, `BSON field 'batchSize' value must be >= 0, actual value '${cmd.cursor.batchSize}'`);
  }
  const namespaces = (cmd.nsInfo as Document[]).map(parseNsInfo);
  const ops = (cmd.ops as Document[]).map(parseOp);
  if (ops.length === 0 || ops.length > MAX_OPS) {
    throw new CommandError(16, `Write batch sizes must be between 1 and ${MAX_OPS}. Got ${ops.length} operations.`);
  }
  if (Array.isArray(cmd.stmtIds) && cmd.stmtIds.length !== ops.length) {
    throw new CommandError(16, `Number of statement ids must match the number of batch entries. Got ${cmd.stmtIds.length} statement ids but ${ops.length} operations.`);
  }
  ops.forEach((op, i) => {
    if (op.nsIndex >= namespaces.length) throw new CommandError(2, `BulkWrite ops entry ${JSON.stringify(cmd.ops[i])} has an invalid nsInfo index.`);
  });
  return {
    ops,
    namespaces,
    ordered: cmd.ordered !== false,
    errorsOnly: cmd.errorsOnly === true,
    variables: cmd.let,
    batchSize: cmd.cursor?.batchSize,
  };
}

function parseNsInfo(entry: Document): [string, string] {
  for (const [field, value] of Object.entries(entry)) {
    if (UNSUPPORTED_NS_INFO_FIELDS.has(field)) throw new CommandError(115, `bulkWrite nsInfo.${field} is not supported by the embedded server`);
    if (field !== 'ns') throw unknownField(`bulkWrite.nsInfo.${field}`);
    checkType('bulkWrite.nsInfo.ns', value, 'string');
  }
  if (entry.ns === undefined) throw missingField('bulkWrite.nsInfo.ns');
  const ns: string = entry.ns;
  const dot = ns.indexOf('.');
  const db = ns.slice(0, dot);
  const coll = ns.slice(dot + 1);
  if (dot <= 0 || coll === '' || /[/\\. "$\0]/.test(db) || coll.includes('$') || coll.includes('\0') || coll.startsWith('.')) {
    throw new CommandError(73, `Invalid namespace specified for bulkWrite: '${ns}'`);
  }
  return [db, coll];
}

const OP_FIELDS: Record<Op['kind'], Record<string, FieldType>> = { insert: INSERT_FIELDS, update: UPDATE_FIELDS, delete: DELETE_FIELDS };

/** An op's type is its first field, as mongod's IDL variant parser decides. */
function parseOp(raw: Document): Op {
  const first = Object.keys(raw)[0] ?? '';
  if (!Object.hasOwn(OP_FIELDS, first)) throw unknownField(`bulkWrite.ops.${first}`);
  const kind = first as Op['kind'];
  const fields = OP_FIELDS[kind];
  for (const [field, value] of Object.entries(raw)) {
    const type = fields[field];
    if (!type) throw unknownField(`bulkWrite.ops.${field}`);
    checkType(`bulkWrite.ops.${field}`, value, type);
  }
  const required = kind === 'insert' ? ['document'] : kind === 'update' ? ['filter', 'updateMods'] : ['filter'];
  for (const field of required) if (raw[field] === undefined) throw missingField(`bulkWrite.ops.${field}`);
  const nsIndex = Math.trunc(raw[kind]);
  if (nsIndex < 0) throw new CommandError(51024, `BSON field '${kind}' value must be >= 0, actual value '${raw[kind]}'`);
  if (kind === 'insert') return { kind, nsIndex, document: raw.document };
  const multi = raw.multi === true;
  if (kind === 'delete') return { kind, nsIndex, stmt: { filter: raw.filter, multi, hint: raw.hint } };
  return {
    kind,
    nsIndex,
    stmt: {
      filter: raw.filter,
      update: raw.updateMods,
      arrayFilters: raw.arrayFilters,
      multi,
      upsert: raw.upsert === true,
      upsertSupplied: raw.upsertSupplied === true,
      sort: raw.sort,
      hint: raw.hint,
      constants: raw.constants,
    },
  };
}

function checkType(path: string, value: unknown, type: FieldType): void {
  const ok = (() => {
    switch (type) {
      case 'any':
        return true;
      case 'bool':
        return typeof value === 'boolean';
      case 'safeBool':
        return typeof value === 'boolean' || typeof value === 'number';
      case 'int':
      case 'nsIndex':
        return typeof value === 'number' && Number.isFinite(value);
      case 'string':
        return typeof value === 'string';
      case 'object':
        return isPlainObject(value);
      case 'array':
        return Array.isArray(value);
      case 'objectArray':
        if (!Array.isArray(value)) return false;
        value.forEach((el, i) => {
          if (!isPlainObject(el)) throw new CommandError(14, `BSON field '${path}.${i}' is the wrong type '${bsonTypeName(el)}', expected type 'object'`);
        });
        return true;
      case 'updateMods':
        if (isPlainObject(value) || Array.isArray(value)) return true;
        throw new CommandError(9, 'Update argument must be either an object or an array');
      case 'hint':
        if (typeof value === 'string' || isPlainObject(value)) return true;
        throw new CommandError(9, 'Hint must be a string or an object');
    }
  })();
  if (!ok) {
    const expected = { bool: 'bool', safeBool: 'bool', int: 'int', nsIndex: 'int', string: 'string', object: 'object', array: 'array', objectArray: 'array' }[type as string];
    throw new CommandError(14, `BSON field '${path}' is the wrong type '${bsonTypeName(value)}', expected type '${expected}'`);
  }
}

function bsonTypeName(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (Array.isArray(v)) return 'array';
  if (v instanceof Date) return 'date';
  if (v instanceof RegExp) return 'regex';
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'number':
      return Number.isInteger(v) ? 'int' : 'double';
    case 'string':
      return 'string';
  }
  const bsontype = (v as { _bsontype?: string })._bsontype;
  return bsontype ? bsontype.charAt(0).toLowerCase() + bsontype.slice(1) : 'object';
}

const unknownField = (path: string) => new CommandError(40415, `BSON field '${path}' is an unknown field.`);
const missingField = (path: string) => new CommandError(40414, `BSON field '${path}' is missing but a required field`);

export const bulkWriteCommands: Record<string, Handler> = { bulkWrite };
