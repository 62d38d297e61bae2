/** The `setup` task: indexes and the restaurant document. Run on every deploy (CDK Trigger) and at local start. */
import { ensureIndexes } from '../data/indexes.ts';
import { ensureRestaurant } from '../services/restaurant.ts';
import { logger } from '../platform/logger.ts';

export const setup = async (): Promise<{ ok: true }> => {
  await ensureIndexes();
  await ensureRestaurant();
  logger.info('Setup complete');
  return { ok: true };
};
