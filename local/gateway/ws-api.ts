/**
 * API Gateway WebSocket API emulator (Lambda proxy integrations): `$connect` decides the handshake,
 * messages are routed on `$request.body.action`, `$disconnect` runs on every close, and the service
 * limits (128 KB messages, text frames only, idle timeout, maximum connection time) apply.
 */
import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { WsRoute } from '../../functions/routes.ts';
import { clfTime, gatewayId, traceId, type FunctionInvoker, type LambdaSettings } from './lambda.ts';
import { sourceIpOf } from './http-api.ts';

/** API Gateway WebSocket quotas. */
export const WS_MAX_MESSAGE_BYTES = 128 * 1024;
export const WS_DEFAULT_IDLE_TIMEOUT_MS = 10 * 60 * 1000;
export const WS_DEFAULT_MAX_CONNECTION_MS = 2 * 60 * 60 * 1000;

export interface WsApiOptions {
  routes: readonly WsRoute[];
  functions: FunctionInvoker;
  lambda: LambdaSettings;
  apiId: string;
  stage: string;
  idleTimeoutMs: number;
  maxConnectionMs: number;
  log: (message: string, error?: unknown) => void;
}

export interface LiveConnection {
  connectionId: string;
  socket: WebSocket;
  connectedAt: number;
  lastActiveAt: number;
  sourceIp: string;
  userAgent: string;
  domainName: string;
}

interface DisconnectCause {
  code: number;
  reason: string;
}

/** Request context fields every WebSocket event carries. */
function baseContext(
  options: WsApiOptions,
  connection: Pick<LiveConnection, 'connectionId' | 'connectedAt' | 'sourceIp' | 'userAgent' | 'domainName'>,
  routeKey: string,
  eventType: 'CONNECT' | 'MESSAGE' | 'DISCONNECT',
) {
  const now = Date.now();
  const requestId = gatewayId();
  return {
    routeKey,
    eventType,
    extendedRequestId: requestId,
    requestTime: clfTime(now),
    messageDirection: 'IN' as const,
    stage: options.stage,
    connectedAt: connection.connectedAt,
    requestTimeEpoch: now,
    identity: { sourceIp: connection.sourceIp, userAgent: connection.userAgent },
    requestId,
    domainName: connection.domainName,
    connectionId: connection.connectionId,
    apiId: options.apiId,
  };
}

/** `$connect` headers keep the client's casing and come twice, as AWS sends them. */
function connectHeaders(req: IncomingMessage, sourceIp: string) {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  const add = (name: string, value: string) => {
    const existing = Object.keys(headers).find((key) => key.toLowerCase() === name.toLowerCase()) ?? name;
    headers[existing] = value;
    (multiValueHeaders[existing] ??= []).push(value);
  };
  for (let i = 0; i < req.rawHeaders.length; i += 2) add(req.rawHeaders[i], req.rawHeaders[i + 1]);
  add('X-Amzn-Trace-Id', traceId());
  add('X-Forwarded-For', sourceIp);
  add('X-Forwarded-Port', String(req.socket.localPort ?? 80));
  add('X-Forwarded-Proto', 'http');
  return { headers, multiValueHeaders };
}

function connectQuery(req: IncomingMessage) {
  const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
  if ([...query.keys()].length === 0) return {};
  const queryStringParameters: Record<string, string> = {};
  const multiValueQueryStringParameters: Record<string, string[]> = {};
  for (const [key, value] of query) {
    queryStringParameters[key] = value; // the last value wins, as in AWS
    (multiValueQueryStringParameters[key] ??= []).push(value);
  }
  return { queryStringParameters, multiValueQueryStringParameters };
}

const statusOf = (result: unknown): number => {
  const code = (result as { statusCode?: unknown } | null | undefined)?.statusCode;
  return typeof code === 'number' ? code : 200;
};

function refuse(socket: Duplex, status: number): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const reason = STATUS_CODES[status] ?? 'Error';
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
}

export class WsApi {
  readonly connections = new Map<string, LiveConnection>();
  private readonly server: WebSocketServer;
  private readonly routesByKey: Map<string, WsRoute>;
  /** $disconnect invocations still running: awaited by close() so handlers finish before stores stop. */
  private readonly pending = new Set<Promise<unknown>>();
  /** The subprotocol $connect accepted (its Sec-WebSocket-Protocol response header), per upgrade request. */
  private readonly acceptedProtocol = new WeakMap<IncomingMessage, string>();

  constructor(private readonly options: WsApiOptions) {
    this.routesByKey = new Map(options.routes.map((route) => [route.routeKey, route]));
    this.server = new WebSocketServer({
      noServer: true,
      maxPayload: WS_MAX_MESSAGE_BYTES,
      perMessageDeflate: false,
      handleProtocols: (_protocols, req) => this.acceptedProtocol.get(req) ?? false,
    });
  }

  private async invoke(route: WsRoute, event: unknown): Promise<unknown> {
    return this.options.functions.invoke(route.handler, event);
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.pending.add(promise);
    promise.finally(() => this.pending.delete(promise)).catch(() => undefined);
    return promise;
  }

  /** The server's `upgrade` listener for the WebSocket path. */
  async handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => socket.destroy());
    const sourceIp = sourceIpOf(req);
    const identity = {
      connectionId: gatewayId(),
      connectedAt: Date.now(),
      sourceIp,
      userAgent: req.headers['user-agent'] ?? '',
      domainName: req.headers.host ?? 'localhost',
    };
    const connectRoute = this.routesByKey.get('$connect');
    if (connectRoute) {
      const event = {
        ...connectHeaders(req, sourceIp),
        ...connectQuery(req),
        requestContext: baseContext(this.options, identity, '$connect', 'CONNECT'),
        isBase64Encoded: false,
      };
      let status: number;
      try {
        const result = await this.invoke(connectRoute, event);
        status = statusOf(result);
        const protocol = Object.entries((result as { headers?: Record<string, string> } | undefined)?.headers ?? {}).find(
          ([name]) => name.toLowerCase() === 'sec-websocket-protocol',
        )?.[1];
        if (protocol) this.acceptedProtocol.set(req, protocol);
      } catch (error) {
        this.options.log('$connect handler failed', error);
        status = 500;
      }
      if (status < 200 || status > 299) return refuse(socket, status);
    }
    if (socket.destroyed) return this.disconnectedDuringConnect(identity);
    this.server.handleUpgrade(req, socket, head, (ws) => this.attach(ws, identity));
  }

  /** The client went away while $connect ran: AWS still sends $disconnect. */
  private disconnectedDuringConnect(identity: Omit<LiveConnection, 'socket' | 'lastActiveAt'>): void {
    void this.runDisconnect(identity, { code: 1006, reason: 'Connection closed during $connect' });
  }

  private attach(socket: WebSocket, identity: Omit<LiveConnection, 'socket' | 'lastActiveAt'>): void {
    const connection: LiveConnection = { ...identity, socket, lastActiveAt: Date.now() };
    this.connections.set(connection.connectionId, connection);
    let cause: DisconnectCause | undefined;
    const closeWith = (code: number, reason: string) => {
      cause ??= { code, reason };
      socket.close(code, reason);
    };

    let idleTimer = setTimeout(() => closeWith(1001, 'Going away'), this.options.idleTimeoutMs);
    const maxTimer = setTimeout(() => closeWith(1001, 'Going away'), this.options.maxConnectionMs);

    socket.on('message', (data: RawData, isBinary: boolean) => {
      connection.lastActiveAt = Date.now();
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => closeWith(1001, 'Going away'), this.options.idleTimeoutMs);
      if (isBinary) return closeWith(1003, 'Binary frames are not supported');
      void this.track(this.dispatchMessage(connection, Buffer.isBuffer(data) ? data : Buffer.concat(data as Buffer[])));
    });
    socket.on('error', (error: Error & { code?: string }) => {
      // ws closes the socket itself after a protocol error (e.g. 1009 for an oversized message).
      if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') cause ??= { code: 1009, reason: 'Message too big' };
    });
    socket.on('close', (code: number, reason: Buffer) => {
      clearTimeout(idleTimer);
      clearTimeout(maxTimer);
      this.connections.delete(connection.connectionId);
      void this.runDisconnect(connection, cause ?? { code, reason: reason.toString() });
    });
  }

  private async dispatchMessage(connection: LiveConnection, data: Buffer): Promise<void> {
    const body = data.toString('utf8');
    let routeKey = '$default';
    try {
      const action = (JSON.parse(body) as { action?: unknown } | null)?.action;
      if (typeof action === 'string' && this.routesByKey.has(action) && !action.startsWith('$')) routeKey = action;
    } catch {
      // not JSON: $default
    }
    const route = this.routesByKey.get(routeKey);
    const requestContext = { ...baseContext(this.options, connection, routeKey, 'MESSAGE'), messageId: gatewayId() };
    if (!route) {
      // AWS answers the client itself when no route (not even $default) matches.
      this.sendIfOpen(connection, JSON.stringify({ message: 'Forbidden', connectionId: connection.connectionId, requestId: requestContext.requestId }));
      return;
    }
    const event = { requestContext, body, isBase64Encoded: false };
    try {
      const result = await this.invoke(route, event);
      // Only a route configured for two-way communication returns the integration's body to the client.
      if ((route as WsRoute & { returnResponse?: boolean }).returnResponse) {
        const reply = typeof result === 'string' ? result : (result as { body?: unknown } | undefined)?.body;
        if (typeof reply === 'string') this.sendIfOpen(connection, reply);
      }
    } catch (error) {
      this.options.log(`${routeKey} handler failed`, error);
      this.sendIfOpen(
        connection,
        JSON.stringify({ message: 'Internal server error', connectionId: connection.connectionId, requestId: requestContext.requestId }),
      );
    }
  }

  private sendIfOpen(connection: LiveConnection, text: string): void {
    if (connection.socket.readyState === connection.socket.OPEN) connection.socket.send(text);
  }

  private runDisconnect(
    connection: Pick<LiveConnection, 'connectionId' | 'connectedAt' | 'sourceIp' | 'userAgent' | 'domainName'>,
    cause: DisconnectCause,
  ): Promise<void> {
    const route = this.routesByKey.get('$disconnect');
    if (!route) return Promise.resolve();
    const headers = { Host: connection.domainName, 'X-Forwarded-For': connection.sourceIp };
    const event = {
      headers,
      multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
      requestContext: {
        ...baseContext(this.options, connection, '$disconnect', 'DISCONNECT'),
        disconnectStatusCode: cause.code,
        disconnectReason: cause.reason,
      },
      isBase64Encoded: false,
    };
    return this.track(
      this.invoke(route, event).then(
        () => undefined,
        (error) => this.options.log('$disconnect handler failed', error),
      ),
    );
  }

  /** Sends a text frame (management API PostToConnection). False when the connection is gone. */
  post(connectionId: string, data: Buffer): boolean {
    const connection = this.live(connectionId);
    if (!connection) return false;
    connection.socket.send(data, { binary: false });
    return true;
  }

  /** Closes a connection from the server side (management API DeleteConnection). */
  disconnect(connectionId: string): boolean {
    const connection = this.live(connectionId);
    if (!connection) return false;
    connection.socket.close(1000, 'Connection closed by server');
    return true;
  }

  live(connectionId: string): LiveConnection | undefined {
    const connection = this.connections.get(connectionId);
    return connection && connection.socket.readyState === connection.socket.OPEN ? connection : undefined;
  }

  /** Closes every socket (each still gets its $disconnect) and waits for running handlers. */
  async close(): Promise<void> {
    for (const connection of this.connections.values()) connection.socket.close(1001, 'Going away');
    const deadline = Date.now() + 2000;
    while (this.connections.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    for (const connection of this.connections.values()) connection.socket.terminate();
    await new Promise((r) => setTimeout(r, 0)); // let 'close' events fire
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
