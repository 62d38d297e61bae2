/**
 * The parts of the official `razorpay` package Plato uses: its API client (axios with the key's Basic
 * auth and the package's User-Agent) and two of its resource modules, Payment Links and Payments.
 *
 * Why not `new Razorpay()`: its constructor require()s all 24 resource modules (accounts, invoices,
 * subscriptions…), ~45 KB of the payments function's bundle that no code path calls. Built from the
 * same modules the constructor wires up, these two resources are exactly what `razorpay.paymentLink`
 * and `razorpay.payments` are (test/unit/razorpay-adapter.test.ts checks them against the class).
 */
import API from 'razorpay/dist/api.js';
import paymentLinkResource from 'razorpay/dist/resources/paymentLink.js';
import paymentsResource from 'razorpay/dist/resources/payments.js';
import type Razorpay from 'razorpay';

export interface RazorpayClient {
  paymentLink: Razorpay['paymentLink'];
  payments: Razorpay['payments'];
  /** The package's HTTP client (axios), whose base URL the local sandbox replaces. */
  api: { rq: { defaults: { baseURL?: string } } };
}

export const RAZORPAY_API_URL = 'https://api.razorpay.com';

/**
 * The package version the User-Agent names, as `Razorpay.VERSION` would (package.json pins it; the
 * adapter test fails when they differ). Not read from razorpay/package.json: a JSON import needs
 * import attributes, which the local runtime's container bundles (target node20) do not keep.
 */
export const RAZORPAY_PACKAGE_VERSION = '2.9.8';

export function razorpayClient(keyId: string, keySecret: string, apiBaseUrl?: string): RazorpayClient {
  // The options Razorpay's constructor passes (dist/razorpay.js).
  const api = new API({ hostUrl: RAZORPAY_API_URL, ua: `razorpay-node@${RAZORPAY_PACKAGE_VERSION}`, key_id: keyId, key_secret: keySecret });
  if (apiBaseUrl) api.rq.defaults.baseURL = apiBaseUrl;
  return { paymentLink: paymentLinkResource(api), payments: paymentsResource(api), api };
}
