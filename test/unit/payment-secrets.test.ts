/**
 * The payment provider's keys and webhook secret come from the restaurant's Secrets Manager secret
 * (issue #21): all three present → the Razorpay provider; none → no online payments; an incomplete
 * set → no online payments either (never a broken provider, never the rest of the API down). Secrets
 * Manager has no local emulator, so it is mocked at the SDK (as in cold-start-secrets.test.ts).
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const ARN = 'arn:aws:secretsmanager:ap-south-1:123456789012:secret:plato/demo-AbCdEf';
const secretsManager = mockClient(SecretsManagerClient);
const BASE = { MONGODB_URI: 'mongodb://127.0.0.1:1/', JWT_SECRET: 'j'.repeat(40) };
const KEYS = { RAZORPAY_KEY_ID: 'rzp_live_abc', RAZORPAY_KEY_SECRET: 'key-secret-value', RAZORPAY_WEBHOOK_SECRET: 'w'.repeat(24) };

beforeEach(() => {
  vi.resetModules();
  vi.stubEnv('PLATO_SECRET_ARN', ARN);
  vi.stubEnv('RAZORPAY_API_URL', '');
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
  secretsManager.reset();
});
afterEach(() => vi.unstubAllEnvs());

async function providerFrom(secret: Record<string, string>) {
  secretsManager.on(GetSecretValueCommand, { SecretId: ARN }).resolves({ SecretString: JSON.stringify(secret) });
  const { paymentProvider } = await import('../../functions/payments/provider.ts');
  return paymentProvider();
}

describe('the payment keys in the restaurant’s secret', () => {
  it('all three: the Razorpay provider, read from Secrets Manager', async () => {
    const provider = await providerFrom({ ...BASE, ...KEYS });
    expect(provider?.name).toBe('razorpay');
    expect(secretsManager.commandCalls(GetSecretValueCommand, { SecretId: ARN })).toHaveLength(1);
  });

  it('none: no online payments', async () => {
    expect(await providerFrom(BASE)).toBeUndefined();
  });

  it('an incomplete set (no webhook secret, or one too short to be one): no online payments', async () => {
    expect(await providerFrom({ ...BASE, RAZORPAY_KEY_ID: KEYS.RAZORPAY_KEY_ID, RAZORPAY_KEY_SECRET: KEYS.RAZORPAY_KEY_SECRET })).toBeUndefined();
    vi.resetModules();
    secretsManager.reset();
    expect(await providerFrom({ ...BASE, ...KEYS, RAZORPAY_WEBHOOK_SECRET: 'short' })).toBeUndefined();
  });
});
