/**
 * GET /api/health: liveness of the function and its two stores. 200 only when both answer.
 * DynamoDB is probed with DescribeTable on the connections table, which the function is granted
 * (its `needs.tables` in routes.ts); ListTables would need dynamodb:ListTables on `*`.
 */
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { dynamoClient, tableName } from '../data/dynamo.ts';
import { database } from '../data/mongo.ts';
import { config } from '../platform/config.ts';
import { publicRoute } from '../http/route.ts';
import { staffRoutes } from '../contract/staff.ts';

const TIMEOUT_MS = 2_000;

async function probe(check: () => Promise<unknown>): Promise<'ok' | 'unavailable'> {
  try {
    await Promise.race([check(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), TIMEOUT_MS).unref())]);
    return 'ok';
  } catch {
    return 'unavailable';
  }
}

export const health = publicRoute(staffRoutes.health, async () => {
  const [mongo, dynamodb] = await Promise.all([
    probe(async () => (await database()).command({ ping: 1 })),
    probe(() => dynamoClient().send(new DescribeTableCommand({ TableName: tableName('connections') }))),
  ]);
  const ok = mongo === 'ok' && dynamodb === 'ok';
  return {
    status: ok ? 200 : 503,
    headers: ok ? {} : { 'retry-after': '5' },
    body: { status: ok ? 'ok' : 'degraded', version: config().version, stores: { mongo, dynamodb } },
  };
});
