/**
 * The restaurant's webhook verifier, without the provider's API client (so the webhook function
 * bundles no SDK or HTTP client). Adding a provider: its verifier here, its API adapter in provider.ts.
 */
import type { PaymentEvent, WebhookRequest } from '../core/payment-provider.ts';
import { secrets } from '../platform/secrets.ts';
import { verifyRazorpayWebhook } from './razorpay-webhooks.ts';

export interface WebhookVerifier {
  /** The provider's name, as intents record it. */
  name: string;
  verify(request: WebhookRequest): PaymentEvent;
}

/** Undefined when the restaurant has no payment keys. */
export async function webhookVerifier(): Promise<WebhookVerifier | undefined> {
  const keys = (await secrets()).payments;
  if (!keys) return undefined;
  return { name: keys.provider, verify: (request) => verifyRazorpayWebhook(request, keys.webhookSecret) };
}

/** Whether guests can pay online (the bill shows the Pay buttons). */
export const paymentsEnabled = async (): Promise<boolean> => Boolean((await secrets()).payments);
