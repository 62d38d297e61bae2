/**
 * The retention task (functions/routes.ts TASK_HANDLERS): guests' names and phones on orders older
 * than the restaurant's retention period (guestDataRetentionDays, default 365) are removed, amounts
 * stay. An EventBridge schedule runs it daily in AWS (lib/task-schedules.ts), the local runtime on a
 * timer (local/schedules.ts), and closing a day runs it too. It is idempotent: a run finds only what
 * expired since the last one.
 */
import { config } from '../../platform/config.ts';
import { logger } from '../../platform/logger.ts';
import { anonymiseExpiredGuestData } from '../data-rights.ts';
import { afterAdminCommit as afterCommit } from '../../effects.ts';

export async function anonymiseGuestData(): Promise<{ anonymisedOrders: number }> {
  const anonymisedOrders = await anonymiseExpiredGuestData(config().restaurantId);
  if (anonymisedOrders > 0) {
    await afterCommit([{ type: 'GuestDataAnonymised', anonymisedOrders }]);
  }
  logger.info('Guest data retention ran', { anonymisedOrders });
  return { anonymisedOrders };
}
