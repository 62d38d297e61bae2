/** GET /api/health: liveness of the function and its two stores (data/health-store.ts). 200 only when both answer. */
import { pingDynamo, pingMongo } from '../../data/health-store.ts';
import { config } from '../../platform/config.ts';
import { publicRoute } from '../../http/route.ts';
import { healthRoutes } from '../../contract/health.ts';

const TIMEOUT_MS = 2_000;

async function probe(check: () => Promise<unknown>): Promise<'ok' | 'unavailable'> {
  try {
    await Promise.race([check(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), TIMEOUT_MS).unref())]);
    return 'ok';
  } catch {
    return 'unavailable';
  }
}

export const health = publicRoute(healthRoutes.health, async () => {
  const [mongo, dynamodb] = await Promise.all([
    probe(pingMongo),
    probe(pingDynamo),
  ]);
  const ok = mongo === 'ok' && dynamodb === 'ok';
  return {
    status: ok ? 200 : 503,
    headers: ok ? {} : { 'retry-after': '5' },
    body: { status: ok ? 'ok' : 'degraded', version: config().version, stores: { mongo, dynamodb } },
  };
});
