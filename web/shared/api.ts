/**
 * The one HTTP client of the three apps. Credentials travel only as the server's HttpOnly cookie
 * (`credentials: 'same-origin'`); every state-changing request says `content-type: application/json`
 * because the server refuses anything else (CSRF defence). Errors come back as ApiError, parsed from
 * the envelope {"error": {"code", "message", "details"}}; a request that never got an answer is
 * ApiError with status 0 and code NETWORK (or TIMEOUT), so callers can tell "unknown outcome" apart.
 */
import type { ErrorEnvelope } from './types.ts';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  /** Seconds to wait before retrying, from Retry-After (seconds or HTTP date). */
  readonly retryAfter: number | undefined;

  constructor(status: number, code: string, message: string, details?: unknown, retryAfter?: number) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.retryAfter = retryAfter;
  }

  /** No answer reached us: the request may or may not have taken effect. */
  get isNetwork(): boolean {
    return this.status === 0;
  }
  /** The guest token or staff JWT is gone, expired or revoked: sign in again. */
  get isAuth(): boolean {
    return this.status === 401 && this.code !== 'PIN_INVALID' && this.code !== 'INVALID_CREDENTIALS';
  }
  /** Worth retrying unchanged (same idempotency key): no answer, a 5xx, 429 or 409 IN_PROGRESS. */
  get isTransient(): boolean {
    return this.status === 0 || this.status >= 500 || this.code === 'IN_PROGRESS' || (this.status === 429 && this.code !== 'PIN_BLOCKED');
  }
}

export const isApiError = (error: unknown): error is ApiError => error instanceof ApiError;

/** Retry-After as seconds: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/** Turns any non-2xx response body into an ApiError, even when it is not the envelope. */
export function toApiError(status: number, body: unknown, retryAfter?: number): ApiError {
  const envelope = body as Partial<ErrorEnvelope> | null;
  const error = envelope && typeof envelope === 'object' ? envelope.error : undefined;
  if (error && typeof error.code === 'string') {
    return new ApiError(status, error.code, error.message ?? error.code, error.details, retryAfter);
  }
  return new ApiError(status, status >= 500 ? 'SERVER_ERROR' : 'HTTP_' + status, `HTTP ${status}`, undefined, retryAfter);
}

export interface RequestOptions {
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Abort and throw ApiError TIMEOUT (status 0) after this long. Default 15 s. */
  timeoutMs?: number;
}

export interface ApiClient {
  request<T>(method: string, path: string, body?: unknown, options?: RequestOptions): Promise<T>;
  get<T>(path: string, options?: RequestOptions): Promise<T>;
  post<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T>;
  patch<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T>;
  put<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T>;
  del<T>(path: string, options?: RequestOptions): Promise<T>;
  /** Called for every 401 that means "credentials gone" (TOKEN_EXPIRED, TOKEN_INVALID, UNAUTHENTICATED...). Returns an unsubscribe. */
  onAuthError(listener: (error: ApiError) => void): () => void;
}

/**
 * @param base the API prefix from config.json (`/api`); paths are given without it: `api.get('/menu')`.
 * @param fetchImpl injectable for tests in node; defaults to the global fetch.
 */
export function createApiClient(base: string, fetchImpl: typeof fetch = (...args) => fetch(...args)): ApiClient {
  const authListeners = new Set<(error: ApiError) => void>();
  const prefix = base.replace(/\/$/, '');

  async function request<T>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    const changesState = method !== 'GET' && method !== 'HEAD';
    if (changesState) headers['content-type'] = 'application/json';

    const controller = new AbortController();
    const timeout = setTimeout(() => controller.abort(), options.timeoutMs ?? 15_000);
    const onOuterAbort = () => controller.abort();
    options.signal?.addEventListener('abort', onOuterAbort);

    let response: Response;
    try {
      response = await fetchImpl(prefix + path, {
        method,
        headers,
        credentials: 'same-origin',
        // State-changing requests always carry a JSON body, `{}` when there is nothing to say.
        body: changesState ? JSON.stringify(body ?? {}) : undefined,
        signal: controller.signal,
        cache: 'no-cache',
      });
    } catch (cause) {
      const timedOut = controller.signal.aborted && !options.signal?.aborted;
      throw new ApiError(0, timedOut ? 'TIMEOUT' : 'NETWORK', timedOut ? 'The request timed out' : 'Network error', { cause });
    } finally {
      clearTimeout(timeout);
      options.signal?.removeEventListener('abort', onOuterAbort);
    }

    const text = await response.text().catch(() => '');
    let parsed: unknown = undefined;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
    }
    if (response.ok) return parsed as T;

    const error = toApiError(response.status, parsed, parseRetryAfter(response.headers.get('retry-after')));
    if (error.isAuth) for (const listener of authListeners) listener(error);
    throw error;
  }

  return {
    request,
    get: (path, options) => request('GET', path, undefined, options),
    post: (path, body, options) => request('POST', path, body, options),
    patch: (path, body, options) => request('PATCH', path, body, options),
    put: (path, body, options) => request('PUT', path, body, options),
    del: (path, options) => request('DELETE', path, undefined, options),
    onAuthError(listener) {
      authListeners.add(listener);
      return () => authListeners.delete(listener);
    },
  };
}
