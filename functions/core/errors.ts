/**
 * Typed domain errors. The domain core throws these with a stable code; the HTTP layer
 * (http/errors-to-http.ts) maps each code to its status (http/error-status.ts). Nothing else reaches a client.
 */

export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'INVALID_JSON',
  'IDEMPOTENCY_KEY_REQUIRED',
  'UNAUTHENTICATED',
  'TOKEN_EXPIRED',
  'TOKEN_INVALID',
  'INVALID_CREDENTIALS',
  'PIN_INVALID',
  /** A wrong or expired one-time code for a phone number (not 401: the guest's session is fine). */
  'CODE_INVALID',
  /** A payment webhook whose signature does not match the raw body. */
  'WEBHOOK_SIGNATURE_INVALID',
  'FORBIDDEN',
  'ORIGIN_FORBIDDEN',
  /** In AWS: the request did not come through CloudFront (no or a wrong origin-verify header). */
  'ORIGIN_UNVERIFIED',
  'NOT_FOUND',
  'NO_OPEN_SESSION',
  'METHOD_NOT_ALLOWED',
  'SESSION_ALREADY_OPEN',
  'SESSION_CLOSED',
  'CART_CHANGED',
  'ITEM_UNAVAILABLE',
  'STATUS_CONFLICT',
  'IN_PROGRESS',
  'CONFLICT',
  /** A staff username already used in this restaurant. */
  'USERNAME_TAKEN',
  /** An admin tried to disable, demote or sign out their own account. */
  'SELF_LOCKOUT',
  /** The change would leave the restaurant without an enabled ADMIN. */
  'LAST_ADMIN',
  /** A table number already used in this restaurant (trimmed, any case). */
  'TABLE_EXISTS',
  /** A table with an open session cannot be removed: close it first. */
  'TABLE_IN_USE',
  'PAYLOAD_TOO_LARGE',
  /** A dish photo over the upload limit (functions/core/photos.ts). */
  'PHOTO_TOO_LARGE',
  /** A dish photo of a type other than JPEG, PNG or WebP. */
  'PHOTO_TYPE_UNSUPPORTED',
  /** An upload key that is not this restaurant's for this dish. */
  'PHOTO_KEY_FORBIDDEN',
  /** Nothing was uploaded under the key (or the upload expired). */
  'PHOTO_NOT_UPLOADED',
  /** The upload is not an image that can be read. */
  'PHOTO_UNREADABLE',
  'UNSUPPORTED_MEDIA_TYPE',
  'IDEMPOTENCY_KEY_REUSED',
  'UNPROCESSABLE',
  'RATE_LIMITED',
  'PIN_BLOCKED',
  'SERVICE_UNAVAILABLE',
  /**
   * The payment provider answered and refused the call (a decline, a refund it will not make): nothing
   * was charged or refunded. 502: the upstream refused; trying again unchanged will not help.
   */
  'PAYMENT_PROVIDER_FAILED',
  /**
   * The payment provider could not be reached, timed out, failed (5xx) or throttled (429): nothing was
   * charged or refunded, and a retry after Retry-After may work. 503, as for our own outages.
   */
  'PAYMENT_PROVIDER_UNAVAILABLE',
  /** This restaurant takes no online payments (no provider keys in its secret). */
  'PAYMENTS_UNAVAILABLE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface DomainErrorOptions {
  details?: unknown;
  /** Seconds until a retry may succeed; becomes the Retry-After header. */
  retryAfterSeconds?: number;
  cause?: unknown;
}

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  readonly retryAfterSeconds?: number;

  constructor(code: ErrorCode, message: string, options: DomainErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = 'DomainError';
    this.code = code;
    this.details = options.details;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export const notFound = (what: string): DomainError => new DomainError('NOT_FOUND', `${what} not found`);
export const forbidden = (message = 'You are not allowed to do this'): DomainError => new DomainError('FORBIDDEN', message);
