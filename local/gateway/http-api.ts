/**
 * API Gateway HTTP API emulator (Lambda proxy, payload format 2.0): matches the route table,
 * builds the event exactly as AWS does, invokes the handler and maps its result back to HTTP.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { routeKeyOf, type HttpRoute } from '../../functions/routes.ts';
import { clfTime, gatewayId, traceId, type FunctionInvoker, type LambdaSettings } from './lambda.ts';

/** API Gateway's request payload quota. */
export const HTTP_MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface HttpApiOptions {
  routes: readonly HttpRoute[];
  /** Invoked with routeKey `$default` when no route matches; null: API Gateway's own 404. */
  defaultRoute: HttpRoute | null;
  functions: FunctionInvoker;
  lambda: LambdaSettings;
  apiId: string;
  log: (message: string, error?: unknown) => void;
}

interface CompiledRoute {
  route: HttpRoute;
  routeKey: string;
  segments: { literal?: string; param?: string; greedy?: boolean }[];
}

function compile(route: HttpRoute): CompiledRoute {
  const segments = route.path
    .split('/')
    .slice(1)
    .map((segment) => {
      const param = /^\{([^}+]+)(\+)?\}$/.exec(segment);
      return param ? { param: param[1], greedy: param[2] === '+' } : { literal: segment };
    });
  return { route, routeKey: routeKeyOf(route), segments };
}

/** Literal segments outrank parameters, which outrank greedy parameters, position by position. */
function specificity(route: CompiledRoute): number[] {
  return route.segments.map((s) => (s.literal !== undefined ? 2 : s.greedy ? 0 : 1));
}

function compareSpecificity(a: CompiledRoute, b: CompiledRoute): number {
  const sa = specificity(a);
  const sb = specificity(b);
  for (let i = 0; i < Math.max(sa.length, sb.length); i++) {
    const diff = (sb[i] ?? -1) - (sa[i] ?? -1);
    if (diff !== 0) return diff;
  }
  return 0;
}

function matchSegments(route: CompiledRoute, parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < route.segments.length; i++) {
    const segment = route.segments[i];
    if (segment.greedy) {
      const rest = parts.slice(i);
      if (rest.length === 0 || rest.join('') === '') return undefined;
      params[segment.param!] = rest.map(decodeSegment).join('/');
      return params;
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    if (segment.literal !== undefined) {
      if (segment.literal !== part) return undefined;
    } else {
      if (part === '') return undefined;
      params[segment.param!] = decodeSegment(part);
    }
  }
  return parts.length === route.segments.length ? params : undefined;
}

function decodeSegment(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

export interface RouteMatch {
  route: HttpRoute;
  routeKey: string;
  pathParameters?: Record<string, string>;
}

export class HttpRouter {
  private readonly compiled: CompiledRoute[];

  constructor(routes: readonly HttpRoute[]) {
    this.compiled = routes.map(compile).sort(compareSpecificity);
  }

  match(method: string, rawPath: string): RouteMatch | undefined {
    const parts = rawPath.split('/').slice(1);
    for (const candidate of this.compiled) {
      if (candidate.route.method !== method) continue;
      const params = matchSegments(candidate, parts);
      if (params) {
        return {
          route: candidate.route,
          routeKey: candidate.routeKey,
          pathParameters: Object.keys(params).length > 0 ? params : undefined,
        };
      }
    }
    return undefined;
  }
}

/** Verified against AWS: only these travel as UTF-8 text; every other body (or none) is base64. */
function isTextContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const mime = contentType.split(';')[0].trim().toLowerCase();
  return mime.startsWith('text/') || ['application/json', 'application/xml', 'application/javascript'].includes(mime);
}

export function sourceIpOf(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? '127.0.0.1';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

/** Lower-cased headers, repeated ones joined with commas (payload 2.0). Cookies travel separately. */
function eventHeaders(req: IncomingMessage): { headers: Record<string, string>; cookies?: string[] } {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i].toLowerCase();
    const value = req.rawHeaders[i + 1];
    if (name === 'cookie') {
      cookies.push(...value.split(';').map((c) => c.trim()).filter(Boolean));
      continue;
    }
    headers[name] = name in headers ? `${headers[name]},${value}` : value;
  }
  return { headers, cookies: cookies.length > 0 ? cookies : undefined };
}

function queryParameters(rawQueryString: string): Record<string, string> | undefined {
  if (!rawQueryString) return undefined;
  // A Map, then own properties: `result['__proto__'] = …` on a plain object would drop that key,
  // where API Gateway delivers it (as JSON) like any other and the route's strict schema refuses it.
  const result = new Map<string, string>();
  for (const [key, value] of new URLSearchParams(rawQueryString)) {
    result.set(key, result.has(key) ? `${result.get(key)},${value}` : value);
  }
  return result.size > 0 ? Object.fromEntries(result) : undefined;
}

export interface BuildEventInput {
  req: IncomingMessage;
  body: Buffer;
  routeKey: string;
  pathParameters?: Record<string, string>;
  apiId: string;
  accountId: string;
}

export function buildHttpEvent({ req, body, routeKey, pathParameters, apiId, accountId }: BuildEventInput): APIGatewayProxyEventV2 {
  const url = req.url ?? '/';
  const queryIndex = url.indexOf('?');
  const rawPath = queryIndex >= 0 ? url.slice(0, queryIndex) : url;
  const rawQueryString = queryIndex >= 0 ? url.slice(queryIndex + 1) : '';
  const sourceIp = sourceIpOf(req);
  const { headers, cookies } = eventHeaders(req);
  // What API Gateway adds in front of the function.
  headers['x-amzn-trace-id'] = traceId();
  headers['x-forwarded-for'] = headers['x-forwarded-for'] ? `${headers['x-forwarded-for']}, ${sourceIp}` : sourceIp;
  headers['x-forwarded-port'] = String(req.socket.localPort ?? 80);
  headers['x-forwarded-proto'] = 'http';
  if (body.length > 0) headers['content-length'] = String(body.length);
  const domainName = headers.host ?? 'localhost';
  const now = Date.now();
  const text = isTextContentType(headers['content-type']);

  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString,
    cookies,
    headers,
    queryStringParameters: queryParameters(rawQueryString),
    requestContext: {
      accountId,
      apiId,
      domainName,
      domainPrefix: domainName.split('.')[0].split(':')[0],
      http: {
        method: req.method ?? 'GET',
        path: rawPath,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: gatewayId(),
      routeKey,
      stage: '$default',
      time: clfTime(now),
      timeEpoch: now,
    },
    pathParameters,
    isBase64Encoded: body.length > 0 && !text,
  };
  if (body.length > 0) event.body = text ? body.toString('utf8') : body.toString('base64');
  // Like AWS: absent fields are absent, not undefined-valued keys.
  for (const key of ['cookies', 'queryStringParameters', 'pathParameters'] as const) {
    if (event[key] === undefined) delete event[key];
  }
  return event;
}

interface HttpReply {
  statusCode: number;
  headers: Record<string, string>;
  cookies: string[];
  body: Buffer;
}

const json = (statusCode: number, payload: unknown): HttpReply => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  cookies: [],
  body: Buffer.from(JSON.stringify(payload)),
});

export const INTERNAL_SERVER_ERROR = (): HttpReply => json(500, { message: 'Internal Server Error' });

/**
 * Maps a handler's result to the HTTP response, per payload format 2.0. A result without
 * statusCode is API Gateway's shorthand: 200, application/json, the value as the body.
 */
export function replyFromResult(result: unknown, log: HttpApiOptions['log'], routeKey: string): HttpReply {
  const structured = typeof result === 'object' && result !== null && 'statusCode' in result;
  if (!structured) {
    const body = typeof result === 'string' ? result : JSON.stringify(result ?? null);
    return { statusCode: 200, headers: { 'content-type': 'application/json' }, cookies: [], body: Buffer.from(body) };
  }
  const r = result as APIGatewayProxyStructuredResultV2 & { multiValueHeaders?: unknown };
  if (!Number.isInteger(r.statusCode) || r.statusCode! < 100 || r.statusCode! > 599) {
    log(`${routeKey}: malformed Lambda proxy response (statusCode ${String(r.statusCode)})`);
    return INTERNAL_SERVER_ERROR();
  }
  if (r.body !== undefined && r.body !== null && typeof r.body !== 'string') {
    log(`${routeKey}: malformed Lambda proxy response (body must be a string)`);
    return INTERNAL_SERVER_ERROR();
  }
  if (r.multiValueHeaders !== undefined) {
    // Payload format 2.0 has no multiValueHeaders: AWS drops them, so do we (loudly).
    log(`${routeKey}: multiValueHeaders is ignored by payload format 2.0; use headers (comma-joined) or cookies`);
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(r.headers ?? {})) {
    if (value !== undefined && value !== null) headers[name.toLowerCase()] = String(value);
  }
  const body = r.body ? Buffer.from(r.body, r.isBase64Encoded ? 'base64' : 'utf8') : Buffer.alloc(0);
  return { statusCode: r.statusCode!, headers, cookies: (r.cookies ?? []).map(String), body };
}

function send(res: ServerResponse, reply: HttpReply, requestId: string, head: boolean): void {
  if (res.headersSent) return;
  const headers: Record<string, string | string[]> = {
    ...reply.headers,
    'apigw-requestid': requestId,
    'content-length': String(reply.body.length),
  };
  if (reply.cookies.length > 0) headers['set-cookie'] = reply.cookies;
  res.writeHead(reply.statusCode, headers);
  res.end(head ? undefined : reply.body);
}

/** Reads the request body, or undefined once it passes the limit (the rest is drained). */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = declared > limit;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
    if (tooLarge) req.resume();
  });
}

export type HttpApi = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export function createHttpApi(options: HttpApiOptions): HttpApi {
  const router = new HttpRouter(options.routes);
  return async (req, res) => {
    const method = req.method ?? 'GET';
    const rawPath = (req.url ?? '/').split('?')[0];
    const head = method === 'HEAD';
    const body = await readBody(req, HTTP_MAX_BODY_BYTES);
    if (!body) {
      send(res, json(413, { message: 'Request Entity Too Large' }), gatewayId(), head);
      return;
    }
    const match = router.match(method, rawPath);
    const route = match?.route ?? options.defaultRoute;
    const routeKey = match?.routeKey ?? '$default';
    if (!route) {
      send(res, json(404, { message: 'Not Found' }), gatewayId(), head);
      return;
    }
    const event = buildHttpEvent({
      req,
      body,
      routeKey,
      pathParameters: match?.pathParameters,
      apiId: options.apiId,
      accountId: options.lambda.accountId,
    });
    let reply: HttpReply;
    try {
      const result = await options.functions.invoke(route.handler, event);
      reply = replyFromResult(result, options.log, routeKey);
    } catch (error) {
      options.log(`${routeKey}: handler ${route.handler.module}.${route.handler.export} failed`, error);
      reply = INTERNAL_SERVER_ERROR();
    }
    send(res, reply, event.requestContext.requestId, head);
  };
}
