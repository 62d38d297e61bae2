import type { Document } from 'bson';

const CODE_NAMES: Record<number, string> = {
  1: 'InternalError',
  2: 'BadValue',
  6: 'HostUnreachable',
  7: 'HostNotFound',
  9: 'FailedToParse',
  11: 'UserNotFound',
  13: 'Unauthorized',
  14: 'TypeMismatch',
  16: 'InvalidLength',
  20: 'IllegalOperation',
  24: 'LockTimeout',
  26: 'NamespaceNotFound',
  27: 'IndexNotFound',
  40: 'ConflictingUpdateOperators',
  43: 'CursorNotFound',
  48: 'NamespaceExists',
  50: 'MaxTimeMSExpired',
  59: 'CommandNotFound',
  66: 'ImmutableField',
  67: 'CannotCreateIndex',
  72: 'InvalidOptions',
  73: 'InvalidNamespace',
  85: 'IndexOptionsConflict',
  86: 'IndexKeySpecsConflict',
  89: 'NetworkTimeout',
  91: 'ShutdownInProgress',
  112: 'WriteConflict',
  115: 'CommandNotSupported',
  134: 'ReadConcernMajorityNotAvailableYet',
  189: 'PrimarySteppedDown',
  225: 'TransactionTooOld',
  251: 'NoSuchTransaction',
  256: 'TransactionCommitted',
  262: 'ExceededTimeLimit',
  263: 'OperationNotSupportedInTransaction',
  9001: 'SocketException',
  10107: 'NotWritablePrimary',
  10334: 'BSONObjectTooLarge',
  11000: 'DuplicateKey',
  11600: 'InterruptedAtShutdown',
  11602: 'InterruptedDueToReplStateChange',
  13435: 'NotPrimaryNoSecondaryOk',
  13436: 'NotPrimaryOrSecondary',
  17419: 'BSONObjectTooLarge',
  40324: 'Location40324',
  40414: 'IDLFailedToParse',
  40415: 'Location40415',
  51024: 'Location51024',
  51198: 'Location51198',
};

/** Codes for which MongoDB labels a failed retryable write with RetryableWriteError. */
export const RETRYABLE_WRITE_CODES = new Set([6, 7, 89, 91, 134, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436]);

export function codeName(code: number): string {
  return CODE_NAMES[code] ?? 'UnknownError';
}

/** An error that becomes `{ok: 0, errmsg, code, codeName, errorLabels?}` (or a writeErrors entry). */
export class CommandError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly labels: string[] = [],
    readonly extra: Document = {},
  ) {
    super(message);
  }

  toResponse(): Document {
    const doc: Document = { ok: 0, errmsg: this.message, code: this.code, codeName: codeName(this.code), ...this.extra };
    if (this.labels.length) doc.errorLabels = this.labels;
    return doc;
  }

  toWriteError(index: number): Document {
    return { index, code: this.code, errmsg: this.message, ...this.extra };
  }
}

export const badValue = (msg: string) => new CommandError(2, msg);

export function writeConflict(): CommandError {
  return new CommandError(
    112,
    'Write conflict during plan execution and yielding is disabled. :: Please retry your operation or multi-document transaction.',
    ['TransientTransactionError'],
  );
}

/** Thrown by a non-transactional write that touches a document a transaction holds; the caller waits and retries. */
export class LockWait extends Error {
  constructor(readonly released: Promise<void>) {
    super('waiting for a transaction to finish');
  }
}
