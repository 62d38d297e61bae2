/**
 * A small JSON client for the local runtime's HTTP API (real fetch over a real socket).
 * State-changing requests always carry `content-type: application/json`, as the apps send them.
 */

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  /** Parsed JSON body (undefined for an empty body). */
  body: T;
  /** Set-Cookie headers, one string per cookie. */
  cookies: string[];
}

export interface RequestOptions {
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Sent as a raw Cookie header (e.g. `plato_guest=...`). */
  cookie?: string;
  headers?: Record<string, string>;
  /** A raw body string (bypasses JSON encoding; for malformed-input tests). */
  rawBody?: string;
}

export interface ApiClient {
  baseUrl: string;
  request<T = any>(method: string, path: string, body?: unknown, options?: RequestOptions): Promise<ApiResponse<T>>;
  get<T = any>(path: string, options?: RequestOptions): Promise<ApiResponse<T>>;
  post<T = any>(path: string, body?: unknown, options?: RequestOptions): Promise<ApiResponse<T>>;
}

export function apiClient(baseUrl: string): ApiClient {
  const request = async <T>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<ApiResponse<T>> => {
    const headers: Record<string, string> = { 'user-agent': 'plato-test/1.0' };
    if (method !== 'GET' && method !== 'HEAD') headers['content-type'] = 'application/json';
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.cookie) headers.cookie = options.cookie;
    Object.assign(headers, options.headers);
    const payload = options.rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
    const response = await fetch(new URL(path, baseUrl), { method, headers, body: payload });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: (text ? JSON.parse(text) : undefined) as T,
      cookies: response.headers.getSetCookie(),
    };
  };
  return {
    baseUrl,
    request,
    get: (path, options) => request('GET', path, undefined, options),
    post: (path, body, options) => request('POST', path, body, options),
  };
}
