/**
 * The route table is the single source of truth: every route names a handler that exists, and every
 * handler module export is reached by some route (or is a task), so nothing is deployed unreachable.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FUNCTION_GROUP_NAMES, HTTP_ROUTES, SLICE_OF_GROUP, WS_ROUTES, allHandlers, handlerFile, routeKeyOf } from '../../functions/routes.ts';

const functionsDir = fileURLToPath(new URL('../../functions/', import.meta.url));
const slices = [...new Set(Object.values(SLICE_OF_GROUP))];
/** Every handler module on disk: `<slice>/handlers/<module>.ts`, relative to functions/. */
const handlerFiles = slices.flatMap((slice) =>
  readdirSync(path.join(functionsDir, slice, 'handlers'))
    .filter((file) => file.endsWith('.ts'))
    .map((file) => `${slice}/handlers/${file}`),
);

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

  it('names only handlers that exist as functions, each in its function group\'s slice', async () => {
    for (const [name, ref] of allHandlers()) {
      expect(handlerFiles, `module for ${name} (group ${ref.group})`).toContain(handlerFile(ref));
      expect(handlerFile(ref).startsWith(`${SLICE_OF_GROUP[ref.group]}/handlers/`), name).toBe(true);
      const mod = (await import(path.join(functionsDir, handlerFile(ref)))) as Record<string, unknown>;
      expect(typeof mod[ref.export], `export ${name}`).toBe('function');
    }
  });

  it('gives every function group a slice, and slices are the only folders of functions/ with handlers', () => {
    for (const group of FUNCTION_GROUP_NAMES) expect(SLICE_OF_GROUP[group], group).toBeTruthy();
    const withHandlers = readdirSync(functionsDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(path.join(functionsDir, entry.name, 'handlers')))
      .map((entry) => entry.name);
    expect(withHandlers.sort()).toEqual([...slices].sort());
  });

  it('leaves no handler export unreferenced, and serves a slice\'s handlers only from its own groups', async () => {
    const referenced = new Set([...allHandlers().values()].map((ref) => `${handlerFile(ref)}#${ref.export}`));
    for (const file of handlerFiles) {
      const mod = (await import(path.join(functionsDir, file))) as Record<string, unknown>;
      for (const [name, value] of Object.entries(mod)) {
        if (typeof value === 'function') expect(referenced, `functions/${file} exports ${name}`).toContain(`${file}#${name}`);
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
