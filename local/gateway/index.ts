/**
 * The local stand-in for CloudFront + API Gateway on one port, split by path as the distribution
 * splits it in AWS: `/api/*` → HTTP API, `/ws` → WebSocket API, `/@connections/*` → the WebSocket
 * API's management endpoint, everything else → the web apps.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HTTP_DEFAULT_ROUTE, HTTP_ROUTES, WS_ROUTES, type HttpRoute, type WsRoute } from '../../functions/routes.ts';
import { createHttpApi } from './http-api.ts';
import { DEFAULT_LAMBDA_SETTINGS, inProcessInvoker, moduleHandlerLoader, type FunctionInvoker, type HandlerLoader, type LambdaSettings } from './lambda.ts';
import { createManagementApi, MANAGEMENT_PREFIX } from './management-api.ts';
import { createStaticSite, type PublicConfig } from './static.ts';
import { WS_DEFAULT_IDLE_TIMEOUT_MS, WS_DEFAULT_MAX_CONNECTION_MS, WsApi } from './ws-api.ts';

export type { FunctionInvoker, HandlerLoader, LambdaHandler, LambdaSettings } from './lambda.ts';
export { inProcessInvoker, moduleHandlerLoader } from './lambda.ts';
export type { PublicConfig } from './static.ts';
export type { LiveConnection } from './ws-api.ts';

export interface GatewayOptions {
  /** Default: HTTP_ROUTES, HTTP_DEFAULT_ROUTE and WS_ROUTES from functions/routes.ts. */
  httpRoutes?: readonly HttpRoute[];
  /** null: no $default route (API Gateway answers 404 `{"message":"Not Found"}` itself). */
  httpDefaultRoute?: HttpRoute | null;
  wsRoutes?: readonly WsRoute[];
  /** Where handlers run (local/stack.ts passes Lambda-like containers). Default: in this process, through `loadHandler`. */
  functions?: FunctionInvoker;
  /** Without `functions`: each handler's module in its slice (`functions/cart/handlers/cart.ts`), named export, each module imported once, in this process. */
  loadHandler?: HandlerLoader;
  lambda?: Partial<LambdaSettings>;
  ws?: {
    /** API Gateway: 10 minutes without a message from the client. */
    idleTimeoutMs?: number;
    /** API Gateway: 2 hours. */
    maxConnectionMs?: number;
    stage?: string;
  };
  /** The built web apps and /config.json; omitted: those paths answer 404. */
  web?: { root: string; publicConfig: () => Promise<PublicConfig> };
  /** Paths only the local runtime serves (never deployed), e.g. the text-message outbox. */
  localRoutes?: Record<string, (req: IncomingMessage, res: ServerResponse) => void>;
  /** Other local services on the same port, by path prefix (the payments sandbox). */
  mounts?: { prefix: string; handle: (req: IncomingMessage, res: ServerResponse) => Promise<void> }[];
  /** Requests wait for this before being served (the stack binds the port before it is ready). */
  ready?: Promise<void>;
  log?: (message: string, error?: unknown) => void;
}

export interface Gateway {
  server: Server;
  ws: WsApi;
  /** Binds the port (0 = any free port). A port in use fails at once with a clear message. */
  listen(port: number, host: string): Promise<{ port: number; host: string }>;
  /** Closes every WebSocket (each gets its $disconnect), waits for running handlers, closes the server. */
  close(): Promise<void>;
}

const API_PREFIX = '/api';
const WS_PATH = '/ws';
/** Node's default server keepAliveTimeout, stated: the strictest idle limit a client meets here. */
export const LOCAL_KEEP_ALIVE_MS = 5_000;

const defaultLog = (message: string, error?: unknown) => {
  if (error === undefined) console.error(`[gateway] ${message}`);
  else console.error(`[gateway] ${message}:`, error);
};

export function createGateway(options: GatewayOptions = {}): Gateway {
  const log = options.log ?? defaultLog;
  const lambda: LambdaSettings = { ...DEFAULT_LAMBDA_SETTINGS, ...options.lambda };
  const functions = options.functions ?? inProcessInvoker(options.loadHandler ?? moduleHandlerLoader(), lambda);
  const httpApi = createHttpApi({
    routes: options.httpRoutes ?? HTTP_ROUTES,
    defaultRoute: options.httpDefaultRoute === undefined ? HTTP_DEFAULT_ROUTE : options.httpDefaultRoute,
    functions,
    lambda,
    apiId: 'localhttp',
    log,
  });
  const ws = new WsApi({
    routes: options.wsRoutes ?? WS_ROUTES,
    functions,
    lambda,
    apiId: 'localws',
    stage: options.ws?.stage ?? 'ws', // the CDK stack's WebSocket stage (WS_STAGE_NAME in lib/websocket-api.ts)
    idleTimeoutMs: options.ws?.idleTimeoutMs ?? WS_DEFAULT_IDLE_TIMEOUT_MS,
    maxConnectionMs: options.ws?.maxConnectionMs ?? WS_DEFAULT_MAX_CONNECTION_MS,
    log,
  });
  const managementApi = createManagementApi(ws);
  const site = options.web ? createStaticSite({ ...options.web, log }) : undefined;

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const pathname = (req.url ?? '/').split('?')[0];
    // The management API needs no handler: it serves pushes made while the stack is still starting.
    if (pathname.startsWith(MANAGEMENT_PREFIX)) return managementApi(req, res);
    await options.ready;
    const local = options.localRoutes?.[pathname];
    if (local) return local(req, res);
    if (pathname === API_PREFIX || pathname.startsWith(`${API_PREFIX}/`)) return httpApi(req, res);
    const mount = options.mounts?.find((candidate) => pathname.startsWith(`${candidate.prefix}/`));
    if (mount) return mount.handle(req, res);
    if (pathname === WS_PATH) {
      res.writeHead(426, { upgrade: 'websocket', connection: 'Upgrade', 'content-type': 'text/plain; charset=utf-8' });
      res.end('Upgrade Required\n');
      return;
    }
    if (site) return site(req, res);
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Not Found\n');
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error) => {
      log(`${req.method} ${req.url} failed`, error);
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: 'Internal Server Error' }));
      } else {
        res.destroy();
      }
    });
  });

  // Idle keep-alive sockets close after Node's default 5 s, shorter than API Gateway's: the pushes'
  // client (functions/realtime/management-api.ts, IDLE_SOCKET_MS) must let its pooled sockets go first.
  server.keepAliveTimeout = LOCAL_KEEP_ALIVE_MS;

  server.on('upgrade', (req, socket, head) => {
    const pathname = (req.url ?? '/').split('?')[0];
    if (pathname !== WS_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    Promise.resolve(options.ready)
      .then(() => ws.handleUpgrade(req, socket, head))
      .catch((error) => {
        log('WebSocket upgrade failed', error);
        socket.destroy();
      });
  });

  return {
    server,
    ws,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        const onError = (error: NodeJS.ErrnoException) => {
          server.off('listening', onListening);
          if (error.code === 'EADDRINUSE') {
            reject(new Error(`Port ${port} is already in use on ${host}: stop the other process or choose another port (PORT=...)`));
          } else if (error.code === 'EACCES') {
            reject(new Error(`Not allowed to listen on ${host}:${port}: choose a port above 1023 (PORT=...)`));
          } else {
            reject(error);
          }
        };
        const onListening = () => {
          server.off('error', onError);
          const address = server.address() as AddressInfo;
          resolve({ port: address.port, host });
        };
        server.once('error', onError);
        server.once('listening', onListening);
        server.listen(port, host);
      });
    },
    async close() {
      await ws.close();
      await new Promise<void>((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
