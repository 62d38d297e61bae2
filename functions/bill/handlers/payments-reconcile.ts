/**
 * The scheduled reconciliation (an EventBridge schedule in AWS): open payments older than
 * RECONCILE_AFTER_MINUTES (default 10) are looked up at the provider, catching lost webhooks.
 */
import { logger } from '../../platform/logger.ts';
import { reconcilePayments } from '../payment-admin.ts';
import { paymentProvider } from '../../payments/provider.ts';

export async function reconcile(): Promise<{ checked: number; changed: number; errors: number } | { skipped: 'no provider' }> {
  if (!(await paymentProvider())) return { skipped: 'no provider' };
  const minutes = Number(process.env.RECONCILE_AFTER_MINUTES ?? 10);
  const report = await reconcilePayments(Number.isInteger(minutes) && minutes >= 0 ? minutes : 10);
  logger.info('Payments reconciled', { checked: report.checked, changed: report.changed.length, errors: report.errors });
  return { checked: report.checked, changed: report.changed.length, errors: report.errors };
}
