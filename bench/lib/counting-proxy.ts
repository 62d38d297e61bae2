/**
 * A counting HTTP proxy on loopback, put in front of dynalite: every DynamoDB API call the functions
 * make goes through it and is counted by operation (the `X-Amz-Target` header, e.g.
 * `DynamoDB_20120810.GetItem` → `GetItem`). It only forwards bytes; nothing of ours is replaced.
 */
import { Agent, createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { forward, listenOnLoopback } from '../../test/support/loopback-proxy.ts';

export interface CountingProxy {
  /** http://127.0.0.1:PORT — give this to the clients instead of the target. */
  url: string;
  /** Calls per operation since the last reset. */
  readonly counts: Readonly<Record<string, number>>;
  total(): number;
  reset(): void;
  stop(): Promise<void>;
}

const operationOf = (req: IncomingMessage): string => {
  const target = req.headers['x-amz-target'];
  const value = Array.isArray(target) ? target[0] : target;
  return value ? value.slice(value.lastIndexOf('.') + 1) : `${req.method} ${req.url}`;
};

export async function startCountingProxy(targetUrl: string): Promise<CountingProxy> {
  const target = new URL(targetUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  let counts: Record<string, number> = {};

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const operation = operationOf(req);
    counts[operation] = (counts[operation] ?? 0) + 1;
    forward(target, agent, req, res);
  });
  server.keepAliveTimeout = 30_000;
  const url = await listenOnLoopback(server);
  return {
    url,
    get counts() {
      return counts;
    },
    total: () => Object.values(counts).reduce((a, b) => a + b, 0),
    reset: () => {
      counts = {};
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
