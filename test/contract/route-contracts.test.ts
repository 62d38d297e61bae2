/** Every route carries its contract, and a handler validates only through the contract its route carries. */
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { cartRoutes } from '../../functions/contract/cart.ts';
import { publicRoute } from '../../functions/http/route.ts';
import { staffRoutes } from '../../functions/contract/staff.ts';
import { HTTP_ROUTES } from '../../functions/routes.ts';

const healthEvent = {
  version: '2.0',
  routeKey: 'GET /api/health',
  rawPath: '/api/health',
  headers: { host: 'plato.test' },
  requestContext: { requestId: 'r1', http: { method: 'GET', path: '/api/health', sourceIp: '127.0.0.1', userAgent: 'test' } },
  isBase64Encoded: false,
};

describe('route contracts', () => {
  it('every route has a contract of its own with a summary', () => {
    for (const route of HTTP_ROUTES) expect(route.contract.summary, `${route.method} ${route.path}`).toMatch(/\w/);
    const shared = HTTP_ROUTES.filter((route, i) => HTTP_ROUTES.findIndex((other) => other.contract === route.contract) !== i);
    expect(shared.map((route) => `${route.method} ${route.path}`)).toEqual([]);
  });

  it("a handler built with another contract than its route's fails closed (500), one built with it runs", async () => {
    const wrong = publicRoute(cartRoutes.getCart, async () => ({ ran: true }));
    const right = publicRoute(staffRoutes.health, async () => ({ ran: true }));
    const refused = (await wrong(structuredClone(healthEvent) as never, {} as Context)) as { statusCode: number; body: string };
    expect(refused.statusCode).toBe(500);
    expect(JSON.parse(refused.body).error.code).toBe('INTERNAL');
    const served = (await right(structuredClone(healthEvent) as never, {} as Context)) as { statusCode: number; body: string };
    expect(served.statusCode).toBe(200);
    expect(JSON.parse(served.body)).toEqual({ ran: true });
  });
});
