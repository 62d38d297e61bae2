/**
 * Typed domain errors. The domain core throws these with a stable code; the HTTP layer
 * (http/errors-to-http.ts) maps each code to its status in one table. Nothing else reaches a client.
 */

export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  INVALID_JSON: 400,
  IDEMPOTENCY_KEY_REQUIRED: 400,
  UNAUTHENTICATED: 401,
  TOKEN_EXPIRED: 401,
  TOKEN_INVALID: 401,
  INVALID_CREDENTIALS: 401,
  PIN_INVALID: 401,
  /** A wrong or expired one-time code for a phone number (not 401: the guest's session is fine). */
  CODE_INVALID: 422,
  /** A payment webhook whose signature does not match the raw body. */
  WEBHOOK_SIGNATURE_INVALID: 401,
  FORBIDDEN: 403,
  ORIGIN_FORBIDDEN: 403,
  /** In AWS: the request did not come through CloudFront (no or a wrong origin-verify header). */
  ORIGIN_UNVERIFIED: 403,
  NOT_FOUND: 404,
  NO_OPEN_SESSION: 404,
  METHOD_NOT_ALLOWED: 405,
  SESSION_ALREADY_OPEN: 409,
  SESSION_CLOSED: 409,
  CART_CHANGED: 409,
  ITEM_UNAVAILABLE: 409,
  STATUS_CONFLICT: 409,
  IN_PROGRESS: 409,
  CONFLICT: 409,
  /** A staff username already used in this restaurant. */
  USERNAME_TAKEN: 409,
  /** An admin tried to disable, demote or sign out their own account. */
  SELF_LOCKOUT: 409,
  /** The change would leave the restaurant without an enabled ADMIN. */
  LAST_ADMIN: 409,
  PAYLOAD_TOO_LARGE: 413,
  /** A dish photo over the upload limit (functions/core/photos.ts). */
  PHOTO_TOO_LARGE: 413,
  /** A dish photo of a type other than JPEG, PNG or WebP. */
  PHOTO_TYPE_UNSUPPORTED: 415,
  /** An upload key that is not this restaurant's for this dish. */
  PHOTO_KEY_FORBIDDEN: 403,
  /** Nothing was uploaded under the key (or the upload expired). */
  PHOTO_NOT_UPLOADED: 409,
  /** The upload is not an image that can be read. */
  PHOTO_UNREADABLE: 422,
  UNSUPPORTED_MEDIA_TYPE: 415,
  IDEMPOTENCY_KEY_REUSED: 422,
  UNPROCESSABLE: 422,
  RATE_LIMITED: 429,
  PIN_BLOCKED: 429,
  SERVICE_UNAVAILABLE: 503,
  /**
   * The payment provider answered and refused the call (a decline, a refund it will not make): nothing
   * was charged or refunded. 502: the upstream refused; trying again unchanged will not help.
   */
  PAYMENT_PROVIDER_FAILED: 502,
  /**
   * The payment provider could not be reached, timed out, failed (5xx) or throttled (429): nothing was
   * charged or refunded, and a retry after Retry-After may work. 503, as for our own outages.
   */
  PAYMENT_PROVIDER_UNAVAILABLE: 503,
  /** This restaurant takes no online payments (no provider keys in its secret). */
  PAYMENTS_UNAVAILABLE: 503,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

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

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export const notFound = (what: string): DomainError => new DomainError('NOT_FOUND', `${what} not found`);
export const forbidden = (message = 'You are not allowed to do this'): DomainError => new DomainError('FORBIDDEN', message);
