/**
 * Every route names its contract by id, and a handler validates only through the contract its route names;
 * the WebSocket API's action routes are the contract's client actions.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { cartRoutes } from '../../functions/contract/cart.ts';
import { publicRoute } from '../../functions/http/route.ts';
import { staffRoutes } from '../../functions/contract/staff.ts';
import { contractOf, ROUTE_CONTRACTS } from '../../functions/contract/route-contracts.ts';
import { ClientAction } from '../../functions/contract/pushes.ts';
import { HTTP_DEFAULT_ROUTE, HTTP_ROUTES, WS_ROUTES } from '../../functions/routes.ts';

const healthEvent = {
  version: '2.0',
  routeKey: 'GET /api/health',
  rawPath: '/api/health',
  headers: { host: 'plato.test' },
  requestContext: { requestId: 'r1', http: { method: 'GET', path: '/api/health', sourceIp: '127.0.0.1', userAgent: 'test' } },
  isBase64Encoded: false,
};

describe('route contracts', () => {
  it('every route names a contract of its own, with a summary, and every contract serves a route', () => {
    for (const route of [...HTTP_ROUTES, HTTP_DEFAULT_ROUTE]) expect(contractOf(route.contract).summary, `${route.method} ${route.path}`).toMatch(/\w/);
    const shared = HTTP_ROUTES.filter((route, i) => HTTP_ROUTES.findIndex((other) => other.contract === route.contract) !== i);
    expect(shared.map((route) => `${route.method} ${route.path}`)).toEqual([]);
    const named = new Set([...HTTP_ROUTES, HTTP_DEFAULT_ROUTE].map((route) => route.contract));
    expect([...ROUTE_CONTRACTS.keys()].filter((id) => !named.has(id))).toEqual([]);
    for (const [id, contract] of ROUTE_CONTRACTS) expect(contract.id).toBe(id);
  });

  it('an unknown contract id is refused', () => {
    expect(() => contractOf('cart.noSuchRoute')).toThrow(/cart.noSuchRoute/);
  });

  it('the route table builds no schema: it imports the contract as types only', () => {
    const source = readFileSync(path.resolve(import.meta.dirname, '../../functions/routes.ts'), 'utf8');
    const contractImports = source.split('\n').filter((line) => /^import .*contract\//.test(line));
    expect(contractImports.length).toBeGreaterThan(0);
    expect(contractImports.filter((line) => !line.startsWith('import type '))).toEqual([]);
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

describe('WebSocket contract', () => {
  it("the API's action routes are exactly the contract's client actions ($connect, $disconnect and $default apart)", () => {
    const actions = WS_ROUTES.map((route) => route.routeKey).filter((key) => !key.startsWith('$'));
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.sort()).toEqual(ClientAction.options.map((option) => option.shape.action.value).sort());
    expect(WS_ROUTES.map((route) => route.routeKey).filter((key) => key.startsWith('$')).sort()).toEqual(['$connect', '$default', '$disconnect']);
  });
});
