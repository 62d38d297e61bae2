/**
 * The `setup` task: indexes and the restaurant document. Run on every deploy (a custom resource whose
 * service token is this function: platform/deploy-task.ts) and at local start. The same function
 * answers the stack's other deploy-time question, the edge stack's web ACL ARN (platform/edge-web-acl.ts).
 */
import { ensureIndexes } from '../../data/indexes.ts';
import { ensureRestaurant } from '../../data/restaurant.ts';
import * as Sessions from '../../sessions/index.ts';
import { logger } from '../../platform/logger.ts';
import { SecretNotConfiguredError, secrets } from '../../platform/secrets.ts';
import { deployTask } from '../../platform/deploy-task.ts';
import { config } from '../../platform/config.ts';
import { readEdgeWebAclArn, WEB_ACL_RESOURCE_TYPE } from '../../platform/edge-web-acl.ts';

const runSetup = async (): Promise<{ ok: boolean; waitingForSecret?: true }> => {
  try {
    await secrets();
  } catch (error) {
    // The first deploy creates the secret with a placeholder: succeed, so the stack is not rolled
    // back, and run again on the deploy after devops fill in the connection string.
    if (error instanceof SecretNotConfiguredError) {
      logger.warn('Setup skipped: fill in MONGODB_URI in the Plato secret, then deploy again');
      return { ok: false, waitingForSecret: true };
    }
    throw error;
  }
  await ensureIndexes();
  await ensureRestaurant();
  await Sessions.ensureTableCodes();
  await Sessions.ensureTableNumberKeys();
  logger.info('Setup complete');
  return { ok: true };
};

export const setup = deployTask<Record<string, unknown>>((event) =>
  event?.ResourceType === WEB_ACL_RESOURCE_TYPE ? readEdgeWebAclArn(config().restaurantId) : runSetup(),
);
