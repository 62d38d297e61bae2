/**
 * API Gateway Management API (@connections) failures on the wire, which the local gateway never
 * produces: a loopback proxy in front of the gateway's @connections endpoint, given to the functions
 * as WS_MANAGEMENT_ENDPOINT. While a rule is armed, matching calls fail as API Gateway fails them
 * (HTTP 500, `x-amzn-errortype: InternalServerErrorException`), at once or after being held until
 * `release()`; everything else is forwarded unchanged. The functions run in their own containers
 * (worker threads), so a stub in the test's process could not reach them.
 *
 *   const faults = await startManagementFaults();                     // before the stack
 *   t = await startTestStack({ env: { WS_MANAGEMENT_ENDPOINT: faults.url } });
 *   faults.forwardTo(t.baseUrl);
 *   const rule = faults.fail({ method: 'DELETE', hold: true });      // DeleteConnection hangs…
 *   await rule.seen;  …;  rule.release();                              // …then fails
 */
import { Agent, createServer, type ServerResponse } from 'node:http';
import { forward, listenOnLoopback, readAll } from './loopback-proxy.ts';

export interface FailRule {
  /** POST (PostToConnection) or DELETE (DeleteConnection). */
  method: 'POST' | 'DELETE';
  /** Hold matching calls unanswered until release() (a call that hangs), then fail them. */
  hold?: boolean;
}

export interface ArmedFailure {
  /** Connection ids of the calls that matched. */
  readonly hits: string[];
  /** Resolves at the first matching call. */
  readonly seen: Promise<void>;
  /** Fails every held call now, and later ones at once. */
  release(): void;
  /** Disarms the rule (held calls are failed first). */
  restore(): void;
}

export interface ManagementFaults {
  /** Give this to the functions as WS_MANAGEMENT_ENDPOINT. */
  url: string;
  /** The local gateway's base URL, once the stack runs. */
  forwardTo(baseUrl: string): void;
  fail(rule: FailRule): ArmedFailure;
  stop(): Promise<void>;
}

const failCall = (res: ServerResponse) => {
  if (res.writableEnded || res.destroyed) return;
  res.writeHead(500, { 'content-type': 'application/json', 'x-amzn-errortype': 'InternalServerErrorException' });
  res.end(JSON.stringify({ message: 'Internal server error' }));
};


export async function startManagementFaults(): Promise<ManagementFaults> {
  let target: URL | undefined;
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const armed = new Set<{ rule: FailRule; hits: string[]; held: ServerResponse[]; released: boolean; onHit: () => void }>();

  const server = createServer(async (req, res) => {
    const body = await readAll(req);
    const connectionId = decodeURIComponent(req.url?.split('/@connections/')[1] ?? '');
    for (const entry of armed) {
      if (entry.rule.method !== req.method) continue;
      entry.hits.push(connectionId);
      entry.onHit();
      if (entry.rule.hold && !entry.released) entry.held.push(res);
      else failCall(res);
      return;
    }
    if (!target) {
      res.writeHead(503).end('forwardTo() was not called');
      return;
    }
    forward(target, agent, req, res, body);
  });
  const url = await listenOnLoopback(server);
  return {
    url,
    forwardTo(baseUrl) {
      target = new URL(baseUrl);
    },
    fail(rule) {
      let onHit = () => undefined as void;
      const seen = new Promise<void>((resolve) => (onHit = resolve));
      const entry = { rule, hits: [] as string[], held: [] as ServerResponse[], released: false, onHit };
      armed.add(entry);
      const release = () => {
        entry.released = true;
        entry.held.splice(0).forEach(failCall);
      };
      return {
        hits: entry.hits,
        seen,
        release,
        restore: () => {
          release();
          armed.delete(entry);
        },
      };
    },
    async stop() {
      for (const entry of armed) entry.held.splice(0).forEach(failCall);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      agent.destroy();
    },
  };
}
