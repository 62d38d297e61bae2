/**
 * The route table is the single source of truth: every route names a handler that exists, and every
 * handler module export is reached by some route (or is a task), so nothing is deployed unreachable.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HTTP_ROUTES, WS_ROUTES, allHandlers, routeKeyOf } from '../../functions/routes.ts';

const handlersDir = fileURLToPath(new URL('../../functions/handlers/', import.meta.url));
const handlerModules = readdirSync(handlersDir)
  .filter((file) => file.endsWith('.ts'))
  .map((file) => file.slice(0, -3));

describe('route table', () => {
  it('has no duplicate HTTP route keys or WebSocket route keys', () => {
    const httpKeys = HTTP_ROUTES.map(routeKeyOf);
    expect(new Set(httpKeys).size).toBe(httpKeys.length);
    const wsKeys = WS_ROUTES.map((route) => route.routeKey);
    expect(new Set(wsKeys).size).toBe(wsKeys.length);
  });

  it('uses API Gateway path syntax under /api', () => {
    for (const route of HTTP_ROUTES) {
      expect(route.path).toMatch(/^\/api(\/([a-z0-9-]+|\{[a-zA-Z]+\}))+$/);
    }
  });

  it('names only handlers that exist as functions', async () => {
    for (const [name, ref] of allHandlers()) {
      expect(handlerModules, `module for ${name}`).toContain(ref.module);
      const mod = (await import(`../../functions/handlers/${ref.module}.ts`)) as Record<string, unknown>;
      expect(typeof mod[ref.export], `export ${name}`).toBe('function');
    }
  });

  it('leaves no handler export unreferenced', async () => {
    const referenced = new Set(allHandlers().keys());
    for (const module of handlerModules) {
      const mod = (await import(`../../functions/handlers/${module}.ts`)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(mod)) {
        if (typeof value === 'function') expect(referenced, `functions/handlers/${module}.ts exports ${name}`).toContain(`${module}.${name}`);
      }
    }
  });

  // Per-client limits (http/request-limits.ts) live in the rateLimits table, a socket's message rate
  // on its connection record (realtime/message-rate.ts): a route whose needs lack the table would be
  // denied by its IAM role in AWS, while the local runtime (no IAM) would pass.
  it('grants rateLimits to every diner write (per-token rate) and $connect (per-network rate), connections to every WebSocket message (per-socket rate)', () => {
    const writes = HTTP_ROUTES.filter((route) => route.auth.kind === 'diner' && route.method !== 'GET');
    expect(writes.length).toBeGreaterThan(5);
    for (const route of writes) expect(route.handler.needs.tables, routeKeyOf(route)).toContain('rateLimits');
    expect(WS_ROUTES.find((r) => r.routeKey === '$connect')?.handler.needs.tables).toContain('rateLimits');
    for (const route of WS_ROUTES.filter((r) => !r.routeKey.startsWith('$') || r.routeKey === '$default')) expect(route.handler.needs.tables, route.routeKey).toContain('connections');
  });
});
