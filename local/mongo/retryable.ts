// Retryable writes, statement by statement, as mongod runs them.
//
// mongod remembers, per session, the newest txnNumber and which statements (stmtId: a statement's
// index in its command) of that write already ran, with their results. A retry of that txnNumber
// runs only the statements that did not run (an ordered batch stopped by an error, or cut short by
// a crash) and answers the others from the record, listing them in `retriedStmtIds`; a write with
// an older txnNumber is refused with TransactionTooOld (225) and never runs again.
//
// The record lives in `config.transactions` (one document per session), so with a data directory
// it is in the log and the checkpoints. Statements run in synchronous runs (`runStatements`), and
// each run's writes and the record of what it executed go into ONE log record: after a crash a
// statement is either done and recorded or neither, so a retry never runs it twice.
import type { Document } from 'bson';
import { CommandError, LockWait } from './errors.ts';
import type { Collection } from './storage/collection.ts';
import type { CommandContext } from './commands/context.ts';

export const RETRY_RECORDS = { db: 'config', name: 'transactions' } as const;

/** A session's record in config.transactions. */
export interface RetryRecord {
  _id: string;
  txnNum: number;
  lastWriteDate: Date;
  /** stmtId -> that statement's result (what a retry answers for it). */
  stmts: Record<string, Document>;
}

/** mongod's refusal of a txnNumber older than the session's newest (TransactionTooOld). */
export function tooOld(txnNumber: number, session: string, newest: number, newer: 'retryable write' | 'transaction', starting: 'retryable write' | 'transaction'): CommandError {
  const what = starting === 'transaction' ? `Cannot start transaction ${txnNumber} on session ${session}` : `Retryable write with txnNumber ${txnNumber} is prohibited on session ${session}`;
  return new CommandError(225, `${what} because a newer ${newer} with txnNumber ${newest} has already started on this session.`);
}

/** One retryable write command: what an earlier attempt with its txnNumber executed, and what this one does. */
export class RetryableWrite {
  /** Statements answered from the record (the reply's retriedStmtIds). */
  readonly retried: number[] = [];
  private readonly done: Record<string, Document>;
  private unsaved = false;

  constructor(
    private readonly records: Collection,
    private readonly key: string,
    private readonly session: string,
    private readonly txnNumber: number,
    previous: RetryRecord | undefined,
  ) {
    this.done = previous?.txnNum === txnNumber ? { ...previous.stmts } : {};
  }

  /** The result statement `stmtId` had when an earlier attempt ran it, if one did. */
  executed(stmtId: number): Document | undefined {
    const result = this.done[stmtId];
    if (result) this.retried.push(stmtId);
    return result;
  }

  /** Notes that `stmtId` ran with `result`; saved by the next save(), in the same log record as its writes. */
  ran(stmtId: number, result: Document): void {
    this.done[stmtId] = result;
    this.unsaved = true;
  }

  save(): void {
    if (!this.unsaved) return;
    this.unsaved = false;
    const record: RetryRecord = { _id: this.session, txnNum: this.txnNumber, lastWriteDate: new Date(), stmts: { ...this.done } };
    this.records.commitWrite(this.key, record as unknown as Document, null);
  }
}

export type StatementOutcome<R> = { index: number; result: R; retried: boolean } | { index: number; error: CommandError };

/**
 * Runs statements 0..count-1 in order: inside a retryable write, one already executed is answered
 * from the record; a failing one (CommandError from `isStatementError`) is reported to `outcome`
 * and stops the batch when `stopOnError`. Statements run synchronously, in as few runs as lock
 * waits allow, each run's writes logged atomically with the record of what it ran.
 */
export async function runStatements<R>(
  ctx: CommandContext,
  count: number,
  stopOnError: boolean,
  statement: {
    run: (index: number) => R;
    /** What the record keeps of a result, and the result a retry answers from it. */
    stored: (result: R) => Document;
    restored: (stored: Document) => R;
    isStatementError: (err: unknown) => err is CommandError;
  },
  outcome: (o: StatementOutcome<R>) => void,
): Promise<void> {
  const retry = ctx.retry;
  let index = 0;
  let stop = false;
  while (index < count && !stop) {
    let wait: LockWait | undefined;
    ctx.core.engine.atomically(() => {
      try {
        for (; index < count && !stop; index++) {
          const previous = retry?.executed(index);
          if (previous) {
            outcome({ index, result: statement.restored(previous), retried: true });
            continue;
          }
          try {
            const result = statement.run(index);
            retry?.ran(index, statement.stored(result));
            outcome({ index, result, retried: false });
          } catch (err) {
            if (err instanceof LockWait) {
              wait = err;
              return;
            }
            if (!statement.isStatementError(err)) throw err;
            outcome({ index, error: err });
            stop = stopOnError;
          }
        }
      } finally {
        retry?.save();
      }
    });
    if (wait) await waitForLock(ctx, wait);
  }
}

/** Waits (as mongod does) while a transaction holds a document a statement needs. */
export async function waitForLock(ctx: CommandContext, wait: LockWait): Promise<void> {
  await Promise.race([wait.released, ctx.core.stopping]);
  if (ctx.core.isStopping) throw new CommandError(91, 'The server is in quiesce mode and will shut down');
}
