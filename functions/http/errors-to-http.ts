/**
 * The one place where anything thrown becomes an HTTP answer: typed domain errors by their code,
 * validation errors as 400 with field paths, store outages as 503 with Retry-After, and anything
 * else as a bare 500 INTERNAL (logged with its stack; never shown).
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ZodError } from 'zod';
import { DomainError, type ErrorCode } from '../core/errors.ts';
import { ERROR_STATUS } from './error-status.ts';
import { logger } from '../platform/logger.ts';

const JSON_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

export function errorResponse(code: ErrorCode, message: string, details?: unknown, retryAfterSeconds?: number): APIGatewayProxyStructuredResultV2 {
  const headers: Record<string, string> = { ...JSON_HEADERS };
  if (retryAfterSeconds !== undefined) headers['retry-after'] = String(Math.max(1, Math.ceil(retryAfterSeconds)));
  return {
    statusCode: ERROR_STATUS[code],
    headers,
    body: JSON.stringify({ error: { code, message, ...(details === undefined ? {} : { details }) } }),
  };
}

export const zodIssues = (error: ZodError) =>
  error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message, code: issue.code }));

const STORE_OUTAGE_NAMES = new Set([
  'MongoServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoTopologyClosedError',
  'MongoNotConnectedError',
  'MongoPoolClearedError',
  'MongoWaitQueueTimeoutError',
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TransactionConflictException',
  'SecretNotConfiguredError',
]);

/**
 * MongoDB server errors of a replica set changing state or shutting down (the driver's retryable
 * codes): the driver retries once, and when that fails too the error reaches us without a label.
 */
const MONGO_UNAVAILABLE_CODES = new Set([6, 7, 89, 91, 134, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436]);

function isStoreOutage(error: unknown): boolean {
  const e = error as { name?: string; code?: unknown; errorLabels?: string[]; hasErrorLabel?: (label: string) => boolean; $retryable?: unknown };
  if (!e || typeof e !== 'object') return false;
  if (e.name && STORE_OUTAGE_NAMES.has(e.name)) return true;
  if (e.name === 'MongoServerError' && typeof e.code === 'number' && MONGO_UNAVAILABLE_CODES.has(e.code)) return true;
  if (typeof e.hasErrorLabel === 'function' && (e.hasErrorLabel('TransientTransactionError') || e.hasErrorLabel('RetryableWriteError'))) return true;
  return Boolean(e.$retryable);
}

export function toHttpError(error: unknown): APIGatewayProxyStructuredResultV2 {
  if (error instanceof DomainError) {
    return errorResponse(error.code, error.message, error.details, error.retryAfterSeconds);
  }
  if (error instanceof ZodError) {
    return errorResponse('VALIDATION_FAILED', 'The request is not valid', zodIssues(error));
  }
  if ((error as { name?: string })?.name === 'TimeoutError') {
    // middy answers this just before the Lambda deadline (a store too slow, or overload): a retry may succeed.
    logger.warn('The request timed out', { error: error as Error });
    return errorResponse('SERVICE_UNAVAILABLE', 'The service is briefly unavailable; please retry', undefined, 2);
  }
  if (isStoreOutage(error)) {
    logger.warn('A data store is unavailable', { error: error as Error });
    return errorResponse('SERVICE_UNAVAILABLE', 'The service is briefly unavailable; please retry', undefined, 2);
  }
  if ((error as { code?: number })?.code === 11000) {
    logger.warn('Unexpected duplicate key', { error: error as Error });
    return errorResponse('CONFLICT', 'This conflicts with existing data; reload and try again');
  }
  logger.error('Unhandled error', { error: error as Error });
  return errorResponse('INTERNAL', 'Something went wrong on our side');
}
