/**
 * On a cold start in AWS a request needs two Secrets Manager secrets: the origin secret (checked
 * first) and the main one (MongoDB URI, JWT key). They are fetched at the same time, not one after
 * the other. Secrets Manager has no local emulator, so it is mocked at the SDK (as in origin.test.ts).
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const MAIN_ARN = 'arn:aws:secretsmanager:ap-south-1:123456789012:secret:plato/demo-AbCdEf';
const ORIGIN_ARN = 'arn:aws:secretsmanager:ap-south-1:123456789012:secret:plato/demo/origin-AbCdEf';
const ORIGIN_VALUE = 'o'.repeat(40);
const secretsManager = mockClient(SecretsManagerClient);

beforeEach(() => {
  vi.resetModules();
  vi.stubEnv('PLATO_SECRET_ARN', MAIN_ARN);
  vi.stubEnv('PLATO_ORIGIN_SECRET_ARN', ORIGIN_ARN);
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
  secretsManager.reset();
});
afterEach(() => vi.unstubAllEnvs());

describe('a cold start', () => {
  it('asks for the main secret while the origin secret is still on its way', async () => {
    const events: string[] = [];
    secretsManager.on(GetSecretValueCommand).callsFake(async ({ SecretId }: { SecretId: string }) => {
      if (SecretId === ORIGIN_ARN) {
        events.push('origin requested');
        await new Promise((resolve) => setTimeout(resolve, 50));
        events.push('origin answered');
        return { SecretString: JSON.stringify({ ORIGIN_VERIFY: ORIGIN_VALUE }) };
      }
      events.push('main requested');
      return { SecretString: JSON.stringify({ MONGODB_URI: 'mongodb://127.0.0.1:1/', JWT_SECRET: 'j'.repeat(40) }) };
    });
    const { publicRoute } = await import('../../functions/http/route.ts');
    const { staffRoutes } = await import('../../functions/contract/staff.ts');
    const handler = publicRoute(staffRoutes.health, async () => ({ ok: true }));
    const event = {
      version: '2.0',
      routeKey: 'GET /api/health',
      rawPath: '/api/health',
      rawQueryString: '',
      headers: { host: 'plato.test', 'x-plato-origin-verify': ORIGIN_VALUE },
      requestContext: { requestId: 'r1', http: { method: 'GET', path: '/api/health', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' } },
      isBase64Encoded: false,
    } as unknown as APIGatewayProxyEventV2;
    const response = (await handler(event, {} as Context)) as { statusCode: number };
    expect(response.statusCode).toBe(200);
    expect(events.indexOf('main requested')).toBeGreaterThan(-1);
    expect(events.indexOf('main requested')).toBeLessThan(events.indexOf('origin answered'));
  });
});
