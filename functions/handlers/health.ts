/** GET /api/health: liveness of the function and its two stores. 200 only when both answer. */
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { dynamoClient } from '../data/dynamo.ts';
import { database } from '../data/mongo.ts';
import { config } from '../platform/config.ts';
import { publicRoute } from '../http/route.ts';

const TIMEOUT_MS = 2_000;

async function probe(check: () => Promise<unknown>): Promise<'ok' | 'unavailable'> {
  try {
    await Promise.race([check(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), TIMEOUT_MS).unref())]);
    return 'ok';
  } catch {
    return 'unavailable';
  }
}

export const health = publicRoute({}, async () => {
  const [mongo, dynamodb] = await Promise.all([
    probe(async () => (await database()).command({ ping: 1 })),
    probe(() => dynamoClient().send(new ListTablesCommand({ Limit: 1 }))),
  ]);
  const ok = mongo === 'ok' && dynamodb === 'ok';
  return {
    status: ok ? 200 : 503,
    headers: ok ? {} : { 'retry-after': '5' },
    body: { status: ok ? 'ok' : 'degraded', version: config().version, stores: { mongo, dynamodb } },
  };
});
