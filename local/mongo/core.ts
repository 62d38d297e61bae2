// Command dispatch: counters, fail points, sessions/transactions, then the command handler.
import { Binary, Long, ObjectId, Timestamp, type Document } from 'bson';
import { CommandError, RETRYABLE_WRITE_CODES, codeName } from './errors.ts';
import { Counters } from './counters.ts';
import { CursorRegistry } from './cursors.ts';
import { FailPoints } from './failpoints.ts';
import { Engine } from './storage/engine.ts';
import type { Collection } from './storage/collection.ts';
import { valueKey } from './keys.ts';
import type { Txn } from './transactions.ts';
import { RETRY_RECORDS, RetryableWrite, tooOld, type RetryRecord } from './retryable.ts';
import { sessionKey, type ConnectionInfo, type Handler } from './commands/context.ts';
import { adminCommands } from './commands/admin.ts';
import { catalogCommands } from './commands/catalog.ts';
import { readCommands } from './commands/read.ts';
import { writeCommands } from './commands/write.ts';
import { bulkWriteCommands, bulkWriteNamespaces } from './commands/bulk-write.ts';
import { sweepExpired } from './storage/ttl.ts';
import { versionProfile, type ServerVersion, type VersionProfile } from './versions.ts';

const HANDLERS: Record<string, Handler> = { ...adminCommands, ...catalogCommands, ...readCommands, ...writeCommands, ...bulkWriteCommands };
const RETRYABLE_WRITES = new Set(['insert', 'update', 'delete', 'findAndModify', 'findandmodify', 'bulkWrite']);
/** Session commands handled here, since they act on the session table. */
const SESSION_COMMANDS = new Set(['endSessions', 'killSessions', 'killAllSessions', 'killAllSessionsByPattern']);
const NO_NAMESPACE = new Set(['hello', 'isMaster', 'ismaster', 'ping', 'buildInfo', 'buildinfo', 'getParameter', 'setParameter', 'configureFailPoint', ...SESSION_COMMANDS]);
/** "not primary" and shutdown errors carry the topologyVersion, so drivers can tell stale ones apart (as mongod does). */
const STATE_CHANGE_CODES = new Set([91, 189, 10107, 11600, 11602, 13435, 13436]);
const CLUSTER_SIGNATURE = { hash: new Binary(Buffer.alloc(20)), keyId: Long.ZERO };

/** Returned by dispatch when the connection must be closed without a reply. */
export const CLOSE_CONNECTION = Symbol('close');

interface SessionState {
  txnNumber: number;
  txn: Txn | null;
}

/**
 * Each session's newest retryable write and the statements it ran (retryable.ts), as mongod keeps
 * them: in `config.transactions`, an ordinary collection, so with a data directory each statement's
 * record is logged in the same log record as its writes and survives a restart. A driver retrying
 * a write across a crash then gets the first reply instead of a second execution.
 * Records expire 30 minutes after their last write (mongod's localLogicalSessionTimeoutMinutes).
 */
const RETRY_RECORD_TTL_SECONDS = 30 * 60;

export interface CoreOptions {
  advertisedHost: string;
  transactionLifetimeLimitSeconds?: number;
  /** The MongoDB release to pose as (default 8.0). */
  serverVersion?: ServerVersion;
}

export class ServerCore {
  readonly counters = new Counters();
  readonly engine = new Engine(this.counters);
  readonly cursors = new CursorRegistry();
  readonly failPoints = new FailPoints();
  readonly processId = new ObjectId();
  readonly electionId = new ObjectId('7fffffff0000000000000001');
  readonly replSetName = 'plato';
  readonly startedAt = Date.now();
  readonly params: { transactionLifetimeLimitSeconds: number };
  /** The release this server poses as: reported versions and which commands exist. */
  readonly version: VersionProfile;
  advertisedHost: string;
  /** With a data directory: resolves once everything committed so far is on disk (replies wait for it). */
  durable: (() => Promise<void>) | undefined;
  connectionCount = 0;
  isStopping = false;
  private readonly sessions = new Map<string, SessionState>();
  private readonly sleepers = new Map<() => void, ConnectionInfo | undefined>();
  private stopSignal!: () => void;
  readonly stopping = new Promise<void>((resolve) => (this.stopSignal = resolve));
  private clusterCounter = 0;

  constructor(opts: CoreOptions) {
    this.advertisedHost = opts.advertisedHost;
    this.params = { transactionLifetimeLimitSeconds: opts.transactionLifetimeLimitSeconds ?? 60 };
    this.version = versionProfile(opts.serverVersion);
  }

  /**
   * What hello reports and awaitable hellos wait on. The counter would grow on a topology change
   * (a step-down, a reconfig); a lone always-primary never has one, so it stays 0 for the process.
   */
  topologyVersion(): { processId: ObjectId; counter: Long } {
    return { processId: this.processId, counter: Long.ZERO };
  }

  /** Waits `ms`, ending early when the connection closes or the server stops. */
  sleep(ms: number, conn?: ConnectionInfo): Promise<void> {
    if (this.isStopping || conn?.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.set(done, conn);
    });
  }

  /** Wakes sleepers of one connection, or all of them. */
  wakeSleepers(conn?: ConnectionInfo): void {
    for (const [wake, owner] of [...this.sleepers]) if (!conn || owner === conn) wake();
  }

  sweepTtl(now = new Date()): number {
    return sweepExpired(this.engine, now);
  }

  stop(): void {
    this.isStopping = true;
    this.stopSignal();
    this.wakeSleepers();
    this.engine.abortAll('server shutting down');
    this.cursors.clear();
    this.sessions.clear();
  }

  connectionClosed(conn: ConnectionInfo): void {
    this.wakeSleepers(conn);
    for (const s of this.sessions.values()) {
      if (s.txn?.state === 'active' && s.txn.lastConnectionId === conn.id) this.engine.abortTxn(s.txn, 'client disconnected');
    }
  }

  async dispatch(conn: ConnectionInfo, cmd: Document, db: string): Promise<Document | typeof CLOSE_CONNECTION> {
    const response = await this.dispatchCommand(conn, cmd, db);
    if (!this.durable || response === CLOSE_CONNECTION) return response;
    // Nothing is acknowledged (nor shown to a reader) before it is on disk: MongoDB's j: true.
    try {
      await this.durable();
    } catch (err) {
      return this.finish(errorResponse(err));
    }
    return response;
  }

  private async dispatchCommand(conn: ConnectionInfo, cmd: Document, db: string): Promise<Document | typeof CLOSE_CONNECTION> {
    const name = Object.keys(cmd)[0];
    if (!name) return this.finish(new CommandError(59, 'no such command: ""').toResponse());
    const ns = namespaceOf(name, cmd, db);
    this.counters.recordCommand(name, ns);

    if (name !== 'configureFailPoint') {
      const action = this.failPoints.check(name, conn.appName);
      if (action) {
        if (action.blockConnection) await this.sleep(Number(action.blockTimeMS ?? 0));
        if (action.closeConnection) return CLOSE_CONNECTION;
        if (action.errorCode !== undefined) {
          const code = Number(action.errorCode);
          const response: Document = { ok: 0, errmsg: "Failing command via 'failCommand' failpoint", code, codeName: codeName(code) };
          const labels = action.errorLabels ?? (isRetryableWrite(name, cmd) && RETRYABLE_WRITE_CODES.has(code) ? ['RetryableWriteError'] : []);
          if (labels.length) response.errorLabels = labels;
          return this.finish(response);
        }
        if (action.writeConcernError) {
          const response = await this.execute(conn, name, cmd, db);
          if (response.ok === 1) response.writeConcernError = action.writeConcernError;
          return this.finish(response);
        }
      }
    }
    return this.finish(await this.execute(conn, name, cmd, db));
  }

  private async execute(conn: ConnectionInfo, name: string, cmd: Document, db: string): Promise<Document> {
    const handler = HANDLERS[name];
    if (this.version.absentCommands.has(name)) return new CommandError(59, `no such command: '${name}'`).toResponse();
    if (!handler && name !== 'commitTransaction' && name !== 'abortTransaction' && !SESSION_COMMANDS.has(name)) {
      return new CommandError(59, `no such command: '${name}'`).toResponse();
    }
    try {
      if (SESSION_COMMANDS.has(name)) return this.sessionCommand(name, cmd[name]);
      if (cmd.lsid && cmd.autocommit === false) return await this.executeInTransaction(conn, name, cmd, db, handler);
      if (name === 'commitTransaction' || name === 'abortTransaction') {
        throw new CommandError(50768, 'txnNumber and autocommit: false are required for transaction commands');
      }
      if (isRetryableWrite(name, cmd)) return await this.executeRetryableWrite(conn, name, cmd, db, handler);
      return await handler({ core: this, conn, db, cmd, txn: null });
    } catch (err) {
      return errorResponse(err);
    }
  }

  private session(lsid: Document): SessionState {
    const key = sessionKey(lsid);
    let s = this.sessions.get(key);
    if (!s) this.sessions.set(key, (s = { txnNumber: -1, txn: null }));
    return s;
  }

  /** The newest txnNumber a session has used, in a transaction or a retryable write (its record outlives a restart). */
  private newestTxnNumber(lsid: Document): { newest: number; what: 'retryable write' | 'transaction'; record: RetryRecord | undefined } {
    const record = this.engine.collection(RETRY_RECORDS.db, RETRY_RECORDS.name)?.docs.get(valueKey(sessionKey(lsid))) as RetryRecord | undefined;
    const s = this.sessions.get(sessionKey(lsid));
    const fromRecord = record ? Number(record.txnNum) : -1;
    if (s && s.txnNumber > fromRecord) return { newest: s.txnNumber, what: s.txn ? 'transaction' : 'retryable write', record };
    return { newest: fromRecord, what: 'retryable write', record };
  }

  private async executeRetryableWrite(conn: ConnectionInfo, name: string, cmd: Document, db: string, handler: Handler): Promise<Document> {
    const session = sessionKey(cmd.lsid);
    const txnNumber = Number(cmd.txnNumber);
    const { newest, what, record } = this.newestTxnNumber(cmd.lsid);
    if (txnNumber < newest) throw tooOld(txnNumber, session, newest, what, 'retryable write');
    this.session(cmd.lsid).txnNumber = txnNumber;
    const retry = new RetryableWrite(this.retryRecords(), valueKey(session), session, txnNumber, record);
    return handler({ core: this, conn, db, cmd, txn: null, retry });
  }

  private retryRecords(): Collection {
    const existing = this.engine.collection(RETRY_RECORDS.db, RETRY_RECORDS.name);
    if (existing) return existing;
    const created = this.engine.createCollection(RETRY_RECORDS.db, RETRY_RECORDS.name);
    created.addIndex({ key: { lastWriteDate: 1 }, name: 'lastWriteDate_1', expireAfterSeconds: RETRY_RECORD_TTL_SECONDS }, () => new CommandError(11000, 'unreachable'));
    return created;
  }

  private async executeInTransaction(conn: ConnectionInfo, name: string, cmd: Document, db: string, handler: Handler | undefined): Promise<Document> {
    const s = this.session(cmd.lsid);
    const txnNumber = Number(cmd.txnNumber);
    if (cmd.startTransaction) {
      const { newest, what } = this.newestTxnNumber(cmd.lsid);
      if (txnNumber < newest) throw tooOld(txnNumber, sessionKey(cmd.lsid), newest, what, 'transaction');
      if (txnNumber === s.txnNumber && s.txn) {
        throw new CommandError(225, `Cannot start transaction ${txnNumber} on session because a newer transaction ${s.txnNumber} has already started`);
      }
      if (s.txn?.state === 'active') this.engine.abortTxn(s.txn, 'a newer transaction started');
      const txn = this.engine.beginTxn(sessionKey(cmd.lsid), txnNumber);
      txn.timer = setTimeout(() => this.engine.abortTxn(txn, 'transaction lifetime limit exceeded'), this.params.transactionLifetimeLimitSeconds * 1000);
      txn.timer.unref();
      s.txnNumber = txnNumber;
      s.txn = txn;
    }
    const txn = s.txn;
    if (!txn || txn.txnNumber !== txnNumber) throw noSuchTransaction(txnNumber, 'it was never started');
    txn.lastConnectionId = conn.id;
    if (name === 'commitTransaction') {
      if (txn.state === 'aborted') throw noSuchTransaction(txnNumber, txn.abortReason);
      this.engine.commitTxn(txn);
      return { ok: 1 };
    }
    if (name === 'abortTransaction') {
      if (txn.state === 'committed') throw new CommandError(256, `Transaction ${txnNumber} has been committed.`);
      if (txn.state === 'aborted') throw noSuchTransaction(txnNumber, txn.abortReason);
      this.engine.abortTxn(txn, 'aborted by client');
      return { ok: 1 };
    }
    if (txn.state === 'aborted') throw noSuchTransaction(txnNumber, txn.abortReason);
    if (txn.state === 'committed') throw new CommandError(256, `Transaction ${txnNumber} has been committed.`);
    let response: Document;
    try {
      response = await handler!({ core: this, conn, db, cmd, txn });
    } catch (err) {
      response = errorResponse(err);
    }
    // Like mongod, any failed statement aborts the whole transaction (bulkWrite reports it in its cursor and nErrors).
    const failure = response.ok !== 1 ? String(response.errmsg ?? 'command failed') : (response.writeErrors?.[0]?.errmsg ?? (response.nErrors > 0 ? firstBulkWriteError(response) : undefined));
    if (failure !== undefined) this.engine.abortTxn(txn, `statement failed: ${failure}`);
    return response;
  }

  /**
   * killSessions / killAllSessions / killAllSessionsByPattern: abort each session's open transaction
   * (releasing its locks at once) and close its cursors; the session stays usable, as in mongod.
   * endSessions does the same and forgets the session (mongod only marks it expired and reaps it
   * at its next session refresh, "at any time"; here that time is now).
   * No authentication here, so every session belongs to the one unauthenticated user.
   */
  private sessionCommand(name: string, arg: unknown): Document {
    if (!Array.isArray(arg)) throw new CommandError(14, `BSON field '${name}' is the wrong type '${typeof arg}', expected type 'array'`);
    let targets: Set<string> | 'all';
    if (name === 'killAllSessions') targets = arg.length === 0 ? 'all' : new Set(); // a list of users: none exist
    else if (name === 'killAllSessionsByPattern') {
      targets = arg.length === 0 || arg.some((p) => isPlainPattern(p) && Object.keys(p).length === 0) ? 'all' : new Set(arg.filter((p) => p?.lsid).map((p) => sessionKey(p.lsid)));
    } else {
      for (const lsid of arg) if (!lsid || typeof lsid !== 'object' || !('id' in lsid)) throw new CommandError(40414, `BSON field '${name}.id' is missing but a required field`);
      targets = name === 'killSessions' && arg.length === 0 ? 'all' : new Set(arg.map((lsid) => sessionKey(lsid)));
    }
    const reason = name === 'endSessions' ? 'session ended' : 'session killed';
    for (const [key, s] of this.sessions) {
      if (targets !== 'all' && !targets.has(key)) continue;
      if (s.txn?.state === 'active') this.engine.abortTxn(s.txn, reason);
      if (name === 'endSessions') this.sessions.delete(key);
    }
    this.cursors.killSessions(targets);
    return { ok: 1 };
  }

  private finish(response: Document): Document {
    if (response.ok === 0 && STATE_CHANGE_CODES.has(response.code)) response.topologyVersion = this.topologyVersion();
    const now = Math.floor(Date.now() / 1000);
    const ts = new Timestamp({ t: now, i: ++this.clusterCounter });
    response.$clusterTime = { clusterTime: ts, signature: CLUSTER_SIGNATURE };
    response.operationTime = ts;
    return response;
  }
}

function noSuchTransaction(txnNumber: number, reason: string): CommandError {
  return new CommandError(251, `Transaction with { txnNumber: ${txnNumber} } has been aborted${reason ? ` (${reason})` : ''}.`, ['TransientTransactionError']);
}

function isRetryableWrite(name: string, cmd: Document): boolean {
  return RETRYABLE_WRITES.has(name) && cmd.lsid !== undefined && cmd.txnNumber !== undefined && cmd.autocommit === undefined;
}

function isPlainPattern(p: unknown): p is Document {
  return p !== null && typeof p === 'object' && !Array.isArray(p);
}

function firstBulkWriteError(response: Document): string {
  const batch: Document[] = response.cursor?.firstBatch ?? [];
  return batch.find((item) => item.code !== undefined)?.errmsg ?? 'bulkWrite operation failed';
}

/** The namespace(s) a command is counted against: bulkWrite counts once for each namespace of its nsInfo. */
function namespaceOf(name: string, cmd: Document, db: string): string | string[] | undefined {
  if (NO_NAMESPACE.has(name)) return undefined;
  if (name === 'bulkWrite') return bulkWriteNamespaces(cmd);
  if (name === 'getMore') return typeof cmd.collection === 'string' ? `${db}.${cmd.collection}` : undefined;
  const target = cmd[name];
  return typeof target === 'string' ? `${db}.${target}` : undefined;
}

function errorResponse(err: unknown): Document {
  if (err instanceof CommandError) return err.toResponse();
  return new CommandError(1, (err as Error)?.message ?? String(err)).toResponse();
}
