/**
 * The HTTP status of each domain error code: statuses belong to the edge (errors-to-http.ts, the
 * WebSocket $connect, the OpenAPI document); the domain core knows codes only (core/errors.ts).
 */
import type { ErrorCode } from '../core/errors.ts';

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
  /** A table number already used in this restaurant (trimmed, any case). */
  TABLE_EXISTS: 409,
  /** A table with an open session cannot be removed: close it first. */
  TABLE_IN_USE: 409,
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
} as const satisfies Record<ErrorCode, number>;

/** The status a thrown value maps to when it is a domain error (undefined otherwise). */
export const statusOfError = (error: unknown): number | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && Object.hasOwn(ERROR_STATUS, code) ? ERROR_STATUS[code as ErrorCode] : undefined;
};
