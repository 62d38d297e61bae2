/**
 * The first deploy creates the secret with a placeholder MONGODB_URI. The setup task must then
 * succeed (so CloudFormation does not roll the stack back) and requests must answer 503, not 500.
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';

beforeAll(() => {
  process.env.MONGODB_URI = 'REPLACE_WITH_MONGODB_ATLAS_URI';
  process.env.JWT_SECRET = 'x'.repeat(40);
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  delete process.env.PLATO_SECRET_ARN;
});

describe('a deployment whose secret still holds the placeholder', () => {
  it('runs setup successfully without touching MongoDB, saying it waits for the secret', async () => {
    const { setup } = await import('../../../functions/admin/handlers/setup.ts');
    await expect(setup({})).resolves.toEqual({ ok: false, waitingForSecret: true });
  });

  it('answers API requests with 503 SERVICE_UNAVAILABLE and Retry-After', async () => {
    const { getMenu } = await import('../../../functions/sessions/handlers/menu.ts');
    const event = {
      version: '2.0',
      routeKey: 'GET /api/menu',
      rawPath: '/api/menu',
      rawQueryString: '',
      headers: { host: 'plato.test' },
      requestContext: { requestId: 'r1', http: { method: 'GET', path: '/api/menu', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' } },
      isBase64Encoded: false,
    } as unknown as APIGatewayProxyEventV2;
    const response = (await getMenu(event, {} as Context)) as { statusCode: number; headers: Record<string, string>; body: string };
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBeDefined();
    expect(JSON.parse(response.body).error.code).toBe('SERVICE_UNAVAILABLE');
  });
});
