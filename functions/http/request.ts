/**
 * Reading an API Gateway HTTP API (payload v2) request: body decoding with the size cap,
 * JSON content type on state-changing requests, the same-origin check, and credentials.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { bearerToken, readCookie } from '../auth/cookies.ts';
import { DomainError } from '../core/errors.ts';
import { config } from '../platform/config.ts';
import { clientAddress, VIEWER_IP_HEADER, type OriginCheck } from './origin.ts';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export const methodOf = (event: APIGatewayProxyEventV2): string => event.requestContext.http.method.toUpperCase();

export const isStateChanging = (event: APIGatewayProxyEventV2): boolean => STATE_CHANGING.has(methodOf(event));

export const header = (event: APIGatewayProxyEventV2, name: string): string | undefined => event.headers?.[name.toLowerCase()];

/** A request's header by its lower-case name (HTTP API events and WebSocket handshakes alike). */
export type HeaderOf = (name: string) => string | undefined;

/** The origin the apps are served from: configured in AWS (CloudFront), derived from Host locally. */
function ownOrigin(headerOf: HeaderOf): string | undefined {
  if (config().publicOrigin) return config().publicOrigin;
  const host = headerOf('host');
  if (!host) return undefined;
  const proto = headerOf('x-forwarded-proto') ?? 'http';
  return `${proto}://${host}`;
}

/** A present Origin (a browser's page) must be ours: pages of other sites can neither change state nor subscribe. */
export function assertOwnOrigin(headerOf: HeaderOf): void {
  const origin = headerOf('origin');
  if (origin !== undefined && origin !== ownOrigin(headerOf)) {
    throw new DomainError('ORIGIN_FORBIDDEN', 'Requests from another site are not accepted');
  }
}

/** CSRF defence on top of SameSite=Strict cookies: JSON only, and a present Origin must be ours. */
export function assertSafeStateChange(event: APIGatewayProxyEventV2): void {
  if (!isStateChanging(event)) return;
  const contentType = header(event, 'content-type')?.split(';')[0]?.trim().toLowerCase();
  if (contentType !== 'application/json') {
    throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'Send the request as application/json');
  }
  assertOwnOrigin((name) => header(event, name));
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The parsed JSON body (undefined when empty). Enforces the size cap and rejects invalid UTF-8 or JSON. */
export function jsonBody(event: APIGatewayProxyEventV2): unknown {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  const bytes = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (bytes.length > config().limits.maxBodyBytes) {
    throw new DomainError('PAYLOAD_TOO_LARGE', `The request body is larger than ${config().limits.maxBodyBytes} bytes`);
  }
  let text: string;
  try {
    text = event.isBase64Encoded ? utf8.decode(bytes) : event.body;
  } catch {
    throw new DomainError('INVALID_JSON', 'The request body is not valid UTF-8');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new DomainError('INVALID_JSON', 'The request body is not valid JSON');
  }
}

/**
 * The client's IP address: the viewer IP CloudFront sets when the request passed origin verification
 * (http/origin.ts), else API Gateway's sourceIp. Never X-Forwarded-For, which the client controls.
 */
export const clientIp = (event: APIGatewayProxyEventV2, origin: OriginCheck): string =>
  clientAddress(origin, header(event, VIEWER_IP_HEADER), event.requestContext.http.sourceIp);
export const userAgent = (event: APIGatewayProxyEventV2): string => event.requestContext.http.userAgent ?? '';

/**
 * The caller's own WebSocket, named by the app in `X-Plato-Connection-Id` (the id its socket learnt
 * from the `sync` reply): pushes about a change the caller made skip that socket, since the HTTP
 * answer already carries the result. Only a hint: services skip it only when the socket belongs to
 * the caller's own device, so a borrowed id cannot silence anyone else's screen.
 */
export const CONNECTION_ID_HEADER = 'x-plato-connection-id';
const CONNECTION_ID_PATTERN = /^[A-Za-z0-9+/=_-]{1,128}$/;

export function callerConnectionId(event: APIGatewayProxyEventV2): string | undefined {
  const value = header(event, CONNECTION_ID_HEADER);
  return value !== undefined && CONNECTION_ID_PATTERN.test(value) ? value : undefined;
}

/** The token a request presents: `Authorization: Bearer` (other clients) or the named cookie (browsers). */
export const credential = (event: APIGatewayProxyEventV2, cookieName: string): string | undefined =>
  bearerToken(header(event, 'authorization')) ?? readCookie(event.cookies, header(event, 'cookie'), cookieName);
