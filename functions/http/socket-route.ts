/**
 * The WebSocket routes' edge, as http/route.ts is the HTTP routes': a handshake passes the same
 * origin checks as an HTTP request (it came through CloudFront; a browser's Origin is ours), and
 * whatever `$connect` throws becomes its answer through the one typed-error mapping
 * (errors-to-http.ts): a refused `$connect` answers with the status HTTP would give.
 */
import { toHttpError } from './errors-to-http.ts';
import { assertOrigin, clientAddress, ORIGIN_VERIFY_HEADER, VIEWER_IP_HEADER } from './origin.ts';
import { assertOwnOrigin, type HeaderOf } from './request.ts';
import type { ConnectQuery } from '../contract/pushes.ts';

export interface WsEvent {
  requestContext: {
    connectionId: string;
    routeKey: string;
    domainName?: string;
    stage?: string;
    connectedAt?: number;
    identity?: { sourceIp?: string };
  };
  headers?: Record<string, string | undefined>;
  queryStringParameters?: Record<string, string | undefined> | null;
  body?: string;
}

export interface WsResult {
  statusCode: number;
  body?: string;
}

export type WsHandler = (event: WsEvent) => Promise<WsResult>;

const OK: WsResult = { statusCode: 200 };

/** A `$connect` that passed the origin checks, as its use case reads it. */
export interface Handshake {
  connectionId: string;
  /** The handshake's query as sent (the contract's ConnectQuery names its fields; the use case checks their values). */
  query: { readonly [Field in keyof ConnectQuery]?: string };
  /** A header by its lower-case name (API Gateway keeps the client's casing on WebSocket events). */
  header: HeaderOf;
  /** The client's address: CloudFront's viewer address on a verified handshake (http/origin.ts). */
  ip: string;
  connectedAt: number;
}

function headerLookup(event: WsEvent): HeaderOf {
  const headers = new Map(Object.entries(event.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
  return (name) => headers.get(name.toLowerCase());
}

export function connectRoute(useCase: (handshake: Handshake) => Promise<void>): WsHandler {
  return async (event) => {
    try {
      const header = headerLookup(event);
      // In AWS only handshakes that came through CloudFront; a refused $connect leaves no connection
      // for the other routes to act on, so they need no check of their own.
      const origin = await assertOrigin(header(ORIGIN_VERIFY_HEADER));
      assertOwnOrigin(header);
      const { connectionId, connectedAt, identity } = event.requestContext;
      const ip = clientAddress(origin, header(VIEWER_IP_HEADER), identity?.sourceIp ?? '');
      await useCase({ connectionId, query: event.queryStringParameters ?? {}, header, ip, connectedAt: connectedAt ?? Date.now() });
      return OK;
    } catch (error) {
      // As over HTTP: 401/403/429 by the error's code, a store outage 503 (the client backs off and retries), anything else 500.
      return { statusCode: toHttpError(error).statusCode ?? 500 };
    }
  };
}
