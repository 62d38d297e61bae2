/**
 * Origin verification (the secret header CloudFront adds) and the client IP taken from the viewer-IP
 * header CloudFront sets (lib/viewer-ip.ts), and that function itself. The check is on exactly when the origin secret provides a value:
 * PLATO_ORIGIN_SECRET_ARN in AWS (Secrets Manager, mocked at the SDK: there is no local Secrets
 * Manager), ORIGIN_VERIFY_SECRET as its local stand-in, neither = off.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as OriginModule from '../../functions/http/origin.ts';
import { VIEWER_IP_CODE } from '../../lib/viewer-ip.ts';
import { ERROR_STATUS } from '../../functions/http/error-status.ts';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const ARN = 'arn:aws:secretsmanager:ap-south-1:123456789012:secret:plato/demo/origin-AbCdEf';

/** A fresh copy of the modules, so each test starts with an empty per-container cache. */
async function fresh(): Promise<typeof OriginModule> {
  vi.resetModules();
  return import('../../functions/http/origin.ts');
}

const secretsManager = mockClient(SecretsManagerClient);

beforeEach(() => {
  vi.stubEnv('PLATO_ORIGIN_SECRET_ARN', '');
  vi.stubEnv('ORIGIN_VERIFY_SECRET', '');
  secretsManager.reset();
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.useRealTimers();
});

describe('parseViewerIp', () => {
  it('takes exactly one IPv4 or IPv6 address', async () => {
    const { parseViewerIp } = await fresh();
    expect(parseViewerIp('198.51.100.10')).toBe('198.51.100.10');
    expect(parseViewerIp('2001:db8:85a3::8a2e:370:7334')).toBe('2001:db8:85a3::8a2e:370:7334');
    expect(parseViewerIp(' 203.0.113.5 ')).toBe('203.0.113.5');
    for (const value of [undefined, '', '198.51.100.10:443', '[2001:db8::1]', 'example.com', '1.2.3.4, 5.6.7.8', '999.1.1.1']) {
      expect(parseViewerIp(value), String(value)).toBeUndefined();
    }
  });
});

describe('clientAddress', () => {
  it('uses the viewer address only on a verified request', async () => {
    const { clientAddress } = await fresh();
    expect(clientAddress('verified', '198.51.100.10', '130.176.1.1')).toBe('198.51.100.10');
    expect(clientAddress('verified', '2001:db8::1', '130.176.1.1')).toBe('2001:db8::1');
    expect(clientAddress('unchecked', '198.51.100.10', '127.0.0.1')).toBe('127.0.0.1');
    expect(clientAddress('refused', '198.51.100.10', '127.0.0.1')).toBe('127.0.0.1');
    // Verified but unusable: API Gateway's sourceIp, never a guess.
    expect(clientAddress('verified', 'garbage', '130.176.1.1')).toBe('130.176.1.1');
    expect(clientAddress('verified', undefined, '130.176.1.1')).toBe('130.176.1.1');
  });
});

describe('matchesOriginSecret', () => {
  it('matches any accepted value exactly', async () => {
    const { matchesOriginSecret } = await fresh();
    expect(matchesOriginSecret(A, [A])).toBe(true);
    expect(matchesOriginSecret(B, [A, B])).toBe(true);
    expect(matchesOriginSecret(A.slice(1), [A])).toBe(false);
    expect(matchesOriginSecret(`${A} `, [A])).toBe(false);
    expect(matchesOriginSecret(undefined, [A])).toBe(false);
    expect(matchesOriginSecret('', [A])).toBe(false);
    expect(matchesOriginSecret(A, [])).toBe(false);
  });
});

describe('checkOrigin without an origin secret (the local runtime)', () => {
  it('is off: every request passes unchecked, whatever it carries', async () => {
    const { checkOrigin, assertOrigin } = await fresh();
    expect(await checkOrigin(undefined)).toBe('unchecked');
    expect(await checkOrigin('anything')).toBe('unchecked');
    expect(await assertOrigin(undefined)).toBe('unchecked');
  });
});

describe('checkOrigin with ORIGIN_VERIFY_SECRET (the local stand-in for the secret field)', () => {
  it('verifies the right value and refuses a missing or wrong one with 403 ORIGIN_UNVERIFIED', async () => {
    vi.stubEnv('ORIGIN_VERIFY_SECRET', A);
    const { checkOrigin, assertOrigin } = await fresh();
    expect(await checkOrigin(A)).toBe('verified');
    expect(await checkOrigin(undefined)).toBe('refused');
    expect(await checkOrigin(B)).toBe('refused');
    await expect(assertOrigin(undefined)).rejects.toMatchObject({ code: 'ORIGIN_UNVERIFIED' });
    expect(ERROR_STATUS.ORIGIN_UNVERIFIED).toBe(403);
  });

  it('refuses to run with a short value', async () => {
    vi.stubEnv('ORIGIN_VERIFY_SECRET', 'short');
    const { checkOrigin } = await fresh();
    await expect(checkOrigin(A)).rejects.toThrow(/at least 32/);
  });
});

describe('checkOrigin with the origin secret (AWS)', () => {
  it('reads the secret once per container', async () => {
    vi.stubEnv('PLATO_ORIGIN_SECRET_ARN', ARN);
    secretsManager.on(GetSecretValueCommand, { SecretId: ARN }).resolves({ SecretString: JSON.stringify({ ORIGIN_VERIFY: A }) });
    const { checkOrigin } = await fresh();
    expect(await checkOrigin(A)).toBe('verified');
    expect(await checkOrigin(A)).toBe('verified');
    expect(await checkOrigin(undefined)).toBe('refused');
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('fails closed when the secret lacks the value, and retries the read on the next request', async () => {
    vi.stubEnv('PLATO_ORIGIN_SECRET_ARN', ARN);
    secretsManager
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: JSON.stringify({}) })
      .resolves({ SecretString: JSON.stringify({ ORIGIN_VERIFY: A }) });
    const { checkOrigin } = await fresh();
    await expect(checkOrigin(A)).rejects.toThrow(/ORIGIN_VERIFY/);
    expect(await checkOrigin(A)).toBe('verified');
  });

  it('rotation: accepts ORIGIN_VERIFY_PREVIOUS, and re-reads the secret (at most once a minute) when a request presents an unknown value', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.stubEnv('PLATO_ORIGIN_SECRET_ARN', ARN);
    secretsManager.on(GetSecretValueCommand).resolvesOnce({ SecretString: JSON.stringify({ ORIGIN_VERIFY: A }) });
    const { checkOrigin, ORIGIN_RELOAD_INTERVAL_MS } = await fresh();
    expect(await checkOrigin(A)).toBe('verified');

    // Devops put {new, previous: old} in the secret; this container still holds only A.
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ ORIGIN_VERIFY: B, ORIGIN_VERIFY_PREVIOUS: A }) });
    vi.advanceTimersByTime(ORIGIN_RELOAD_INTERVAL_MS / 2);
    expect(await checkOrigin(B)).toBe('refused'); // read less than a minute ago: no new read
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    expect(await checkOrigin(undefined)).toBe('refused'); // no header at all never causes a read

    vi.advanceTimersByTime(ORIGIN_RELOAD_INTERVAL_MS / 2);
    expect(await checkOrigin(B)).toBe('verified'); // CloudFront now sends the new value
    expect(await checkOrigin(A)).toBe('verified'); // edges not yet updated still send the old one
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('a failed re-read keeps the values already held', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.stubEnv('PLATO_ORIGIN_SECRET_ARN', ARN);
    secretsManager.on(GetSecretValueCommand).resolvesOnce({ SecretString: JSON.stringify({ ORIGIN_VERIFY: A }) }).rejects(new Error('throttled'));
    const { checkOrigin, ORIGIN_RELOAD_INTERVAL_MS } = await fresh();
    expect(await checkOrigin(A)).toBe('verified');
    vi.advanceTimersByTime(ORIGIN_RELOAD_INTERVAL_MS);
    expect(await checkOrigin(B)).toBe('refused');
    expect(await checkOrigin(A)).toBe('verified');
  });

  it('the secret ARN wins over the local stand-in', async () => {
    vi.stubEnv('PLATO_ORIGIN_SECRET_ARN', ARN);
    vi.stubEnv('ORIGIN_VERIFY_SECRET', B);
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ ORIGIN_VERIFY: A }) });
    const { checkOrigin } = await fresh();
    expect(await checkOrigin(A)).toBe('verified');
    expect(await checkOrigin(B)).toBe('refused');
  });
});

describe('the CloudFront viewer-IP function', () => {
  type Headers = Record<string, { value: string }>;
  const handler = new Function(`${VIEWER_IP_CODE}; return handler;`)() as (event: { request: { headers: Headers }; viewer: { ip: string } }) => {
    headers: Headers;
  };

  it("sets x-plato-viewer-ip to the connection's address, replacing what the client sent", () => {
    const request = { headers: { 'x-plato-viewer-ip': { value: '10.0.0.1' }, 'x-forwarded-for': { value: '10.0.0.2' } } };
    const out = handler({ request, viewer: { ip: '2001:db8::7' } });
    expect(out.headers['x-plato-viewer-ip']).toEqual({ value: '2001:db8::7' });
    expect(out.headers['x-forwarded-for']).toEqual({ value: '10.0.0.2' }); // untouched, and never read
    expect(handler({ request: { headers: {} }, viewer: { ip: '198.51.100.10' } }).headers['x-plato-viewer-ip']).toEqual({ value: '198.51.100.10' });
  });
});
