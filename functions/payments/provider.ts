/**
 * The restaurant's payment provider, built once per container from its secret. Adding a provider
 * means an adapter under functions/payments/ and a line here; the domain does not change.
 */
import type { PaymentProvider } from '../core/payment-provider.ts';
import { secrets, type PaymentSecrets } from '../platform/secrets.ts';
import { razorpayProvider } from './razorpay.ts';

const ADAPTERS: Record<PaymentSecrets['provider'], (keys: PaymentSecrets) => PaymentProvider> = {
  // RAZORPAY_API_URL exists for the local runtime's sandbox; the stack never sets it.
  razorpay: (keys) => razorpayProvider({ ...keys, apiBaseUrl: process.env.RAZORPAY_API_URL || undefined }),
};

let cached: { keys: PaymentSecrets; provider: PaymentProvider } | undefined;

/** The provider, or undefined when the restaurant has no payment keys (guests pay the waiter). */
export async function paymentProvider(): Promise<PaymentProvider | undefined> {
  const keys = (await secrets()).payments;
  if (!keys) return undefined;
  if (cached?.keys !== keys) cached = { keys, provider: ADAPTERS[keys.provider](keys) };
  return cached.provider;
}
