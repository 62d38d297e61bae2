/** docs/openapi.json and docs/websocket.md are the generated reference of the edge contract: they must be current. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openApiDocument, websocketReference } from '../../bin/openapi-document.ts';
import { contractOf } from '../../functions/contract/route-contracts.ts';
import { ERROR_CODES } from '../../functions/core/errors.ts';
import { HTTP_ROUTES } from '../../functions/routes.ts';

const docs = path.resolve(import.meta.dirname, '../../docs');
const STALE = 'run `npm run openapi` and commit docs/';

describe('the generated API reference', () => {
  it('docs/openapi.json is current', () => {
    expect(JSON.parse(readFileSync(path.join(docs, 'openapi.json'), 'utf8')), STALE).toEqual(openApiDocument());
  });

  it('docs/websocket.md is current', () => {
    expect(readFileSync(path.join(docs, 'websocket.md'), 'utf8'), STALE).toBe(websocketReference());
  });

  it('emits each named schema once, under components, and every $ref resolves', () => {
    const document = openApiDocument() as { components: Record<string, Record<string, unknown>> };
    const text = JSON.stringify(document);
    const refs = new Set([...text.matchAll(/"\$ref":"#\/components\/(\w+)\/([^"]+)"/g)].map(([, kind, name]) => `${kind}/${name}`));
    expect(refs.size).toBeGreaterThan(50);
    expect([...refs].filter((ref) => {
      const [kind, name] = ref.split('/');
      return document.components[kind]?.[name] === undefined;
    })).toEqual([]);
    // CartView answers five routes and rides in no other schema: its fields are declared once.
    expect(refs).toContain('schemas/CartView');
    expect(text.match(/"unavailableLineIds":/g)).toHaveLength(1);
  });

  it('documents every route, its auth, body and parameters, and the stable error codes', () => {
    const document = openApiDocument() as { paths: Record<string, Record<string, Record<string, unknown>>>; components: { schemas: Record<string, unknown> } };
    for (const route of HTTP_ROUTES) {
      const operation = document.paths[route.path]?.[route.method.toLowerCase()];
      expect(operation, `${route.method} ${route.path}`).toBeDefined();
      expect(operation.summary).toBe(contractOf(route.contract).summary);
      if (route.auth.kind === 'staff') expect(operation.security).toContainEqual({ staffCookie: [`role:${route.auth.minRole}`] });
      if (route.auth.kind === 'diner') expect(operation.security).toContainEqual({ guestCookie: [] });
    }
    const join = document.paths['/api/sessions/join'].post as { requestBody: { content: { 'application/json': { schema: { $ref: string } } } } };
    const joinBody = document.components.schemas[join.requestBody.content['application/json'].schema.$ref.replace('#/components/schemas/', '')] as { required: string[] };
    expect(joinBody.required).toEqual(['table', 'pin']);
    const bump = document.paths['/api/kitchen/orders/{orderId}/bump'].post as { parameters: { name: string; in: string }[] };
    expect(bump.parameters).toContainEqual(expect.objectContaining({ name: 'orderId', in: 'path', required: true }));
    expect(JSON.stringify(document.components.schemas.ErrorEnvelope)).toContain('"PIN_INVALID"');
    expect(ERROR_CODES.length).toBeGreaterThan(40);
  });
});
