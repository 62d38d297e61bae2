/**
 * DynamoDB throttling on the wire, the one DynamoDB failure dynalite cannot produce: a loopback
 * proxy in front of a dynalite of the test's own, given to the functions as DYNAMODB_ENDPOINT. While
 * a rule is armed, matching requests get DynamoDB's real answer to a throttled call (HTTP 400,
 * `ProvisionedThroughputExceededException`); everything else is forwarded unchanged. The functions
 * run in their own containers (worker threads), so a stub in the test's process could not reach them.
 *
 *   const faults = await startDynamoFaults();            // before the stack
 *   t = await startTestStack({ env: { DYNAMODB_ENDPOINT: faults.url } });
 *   const rule = faults.throttle({ operation: 'UpdateItem', table: process.env.RATE_LIMITS_TABLE });
 *   ...; rule.restore(); rule.hits                        // the throttled requests' bodies
 */
import { Agent, createServer } from 'node:http';
import { forward, listenOnLoopback, readAll } from './loopback-proxy.ts';
import { TABLE_LIST, type TableKey } from '../../functions/tables.ts';
import { createTables, startDynalite } from '../../local/dynamo.ts';
import { DEFAULT_LAMBDA_SETTINGS } from '../../local/gateway/lambda.ts';

export interface ThrottleRule {
  /** `PutItem`, `UpdateItem`, `Query`, … (the X-Amz-Target operation); any when omitted. */
  operation?: string;
  /** TableName of the request; any when omitted. */
  table?: string;
  /** Throttle at most this many requests (default: every match until restored). */
  times?: number;
}

export interface ArmedThrottle {
  readonly hits: Record<string, unknown>[];
  restore(): void;
}

export interface DynamoFaults {
  /** Give this to the functions as DYNAMODB_ENDPOINT. */
  url: string;
  /** dynalite itself, for the test's own reads. */
  endpoint: string;
  throttle(rule: ThrottleRule): ArmedThrottle;
  stop(): Promise<void>;
}

const THROTTLED = JSON.stringify({
  __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
  message: 'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
});


export async function startDynamoFaults(): Promise<DynamoFaults> {
  const dynalite = await startDynalite();
  const region = process.env.AWS_REGION || DEFAULT_LAMBDA_SETTINGS.region;
  const names = Object.fromEntries(TABLE_LIST.map((t) => [t.key, process.env[t.envVar] || `plato-${t.key}`])) as Record<TableKey, string>;
  await createTables(dynalite.endpoint, region, names);
  const target = new URL(dynalite.endpoint);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const armed = new Set<{ rule: ThrottleRule; hits: Record<string, unknown>[] }>();

  const server = createServer(async (req, res) => {
    const body = await readAll(req);
    const header = req.headers['x-amz-target'];
    const operation = typeof header === 'string' ? header.slice(header.lastIndexOf('.') + 1) : '';
    let input: Record<string, unknown> = {};
    try {
      input = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    } catch {
      // not JSON: forwarded as is
    }
    for (const entry of armed) {
      const { rule, hits } = entry;
      if (rule.operation && rule.operation !== operation) continue;
      if (rule.table && rule.table !== input.TableName) continue;
      if (hits.length >= (rule.times ?? Infinity)) continue;
      hits.push(input);
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': `throttled-${hits.length}` });
      res.end(THROTTLED);
      return;
    }
    forward(target, agent, req, res, body);
  });
  const url = await listenOnLoopback(server);
  return {
    url,
    endpoint: dynalite.endpoint,
    throttle(rule) {
      const entry = { rule, hits: [] as Record<string, unknown>[] };
      armed.add(entry);
      return { hits: entry.hits, restore: () => armed.delete(entry) };
    },
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      agent.destroy();
      await dynalite.stop();
    },
  };
}
