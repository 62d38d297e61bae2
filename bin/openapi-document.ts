/**
 * The API's reference, generated from the edge contract (functions/contract/) and the route table
 * (functions/routes.ts) with zod 4's JSON Schema output: docs/openapi.json (OpenAPI 3.1, each named schema
 * once under components/schemas: bin/openapi-components.ts) and
 * docs/websocket.md (every WebSocket message). `npm run openapi` writes both; test/contract/openapi.test.ts
 * fails when either is not current.
 */
import * as z from 'zod';
import type { RouteContract } from '../functions/contract/common.ts';
import { ClientAction, ConnectQuery, ServerPush } from '../functions/contract/pushes.ts';
import { contractOf } from '../functions/contract/route-contracts.ts';
import { ERROR_CODES } from '../functions/core/errors.ts';
import { ERROR_STATUS } from '../functions/http/error-status.ts';
import { HTTP_ROUTES, type HttpRoute } from '../functions/routes.ts';
import { componentSchemas, type ComponentSchemas } from './openapi-components.ts';

type JsonSchema = Record<string, unknown>;

const schemaOf = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _, ...json } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  return json;
};

/** The cookie a route's caller presents (or the same token as a Bearer header). */
function security(route: HttpRoute): Record<string, string[]>[] | undefined {
  if (route.auth.kind === 'public') return undefined;
  if (route.auth.kind === 'diner') return [{ guestCookie: [] }, { bearer: [] }];
  return [{ staffCookie: [`role:${route.auth.minRole}`] }, { bearer: [`role:${route.auth.minRole}`] }];
}

function parameters(contract: RouteContract): JsonSchema[] {
  const out: JsonSchema[] = [];
  const add = (where: 'path' | 'query' | 'header', schema: z.ZodType | undefined) => {
    if (!schema) return;
    const json = schemaOf(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[]; oneOf?: JsonSchema[]; anyOf?: JsonSchema[] };
    // A discriminated query (the bill's split) lists every variant's fields, required only in its variant.
    const variants = json.properties ? [json] : [...(json.oneOf ?? []), ...(json.anyOf ?? [])];
    const seen = new Set<string>();
    for (const variant of variants as typeof json[]) {
      for (const [name, property] of Object.entries(variant.properties ?? {})) {
        if (seen.has(name)) continue;
        seen.add(name);
        out.push({ name, in: where, required: where === 'path' || (variants.length === 1 && (variant.required ?? []).includes(name)), schema: property });
      }
    }
  };
  add('path', contract.params);
  add('query', contract.query);
  if (contract.headers) add('header', z.object(contract.headers));
  return out;
}

/** Every error status, with the codes that map to it: one `components/responses` entry each (`Error400`…). */
function errorStatuses(): Map<number, string[]> {
  const statuses = new Map<number, string[]>();
  for (const code of ERROR_CODES) {
    const status = ERROR_STATUS[code];
    statuses.set(status, [...(statuses.get(status) ?? []), code]);
  }
  return new Map([...statuses].sort(([a], [b]) => a - b));
}

function errorResponseComponents(): Record<string, JsonSchema> {
  return Object.fromEntries(
    [...errorStatuses()].map(([status, codes]) => [
      `Error${status}`,
      { description: codes.join(', '), content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorEnvelope' } } } },
    ]),
  );
}

/** The error statuses a route can answer, each a `$ref` to its `components/responses` entry. */
function errorResponses(route: HttpRoute): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  for (const status of errorStatuses().keys()) {
    if (route.auth.kind === 'public' && status === 401 && route.path !== '/api/staff/login' && route.path !== '/api/sessions/join') continue;
    out[String(status)] = { $ref: `#/components/responses/Error${status}` };
  }
  return out;
}

function operation(route: HttpRoute, components: ComponentSchemas): JsonSchema {
  const contract = contractOf(route.contract);
  const status = contract.status ?? (contract.response ? 200 : 204);
  const success: JsonSchema = contract.response
    ? { description: 'Success', content: { 'application/json': { schema: components.response(contract) } } }
    : { description: status === 204 ? 'No content' : 'Success (JSON, or CSV where the route says so)' };
  const body = contract.body ? (components.body(contract) ?? {}) : undefined;
  return {
    operationId: `${route.handler.module}.${route.handler.export}`,
    summary: contract.summary,
    tags: [route.handler.group],
    ...(security(route) ? { security: security(route) } : { security: [] }),
    ...(parameters(contract).length ? { parameters: parameters(contract) } : {}),
    ...(body ? { requestBody: { required: !(contract.body!.safeParse(undefined).success), content: { 'application/json': { schema: body } } } } : {}),
    responses: { [String(status)]: success, ...errorResponses(route) },
  };
}

export function openApiDocument(): JsonSchema {
  const components = componentSchemas(HTTP_ROUTES.map((route) => contractOf(route.contract)));
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of HTTP_ROUTES) {
    paths[route.path] ??= {};
    paths[route.path][route.method.toLowerCase()] = operation(route, components);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Plato API',
      version: '1',
      description:
        'Serverless QR table ordering. Generated from functions/contract and functions/routes.ts by `npm run openapi`. Money is integer minor units; dates are ISO 8601 (UTC). Every error is the envelope {error: {code, message, details?}} with a stable code. State-changing requests must be application/json; a present Origin must be the restaurant\'s own.',
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      securitySchemes: {
        guestCookie: { type: 'apiKey', in: 'cookie', name: 'plato_guest', description: 'A guest session token, from POST /api/sessions/join' },
        staffCookie: { type: 'apiKey', in: 'cookie', name: 'plato_staff', description: 'A staff JWT, from POST /api/staff/login; scopes name the least role' },
        bearer: { type: 'http', scheme: 'bearer', description: 'The same token as the cookie, for clients other than the apps' },
      },
      schemas: components.schemas,
      responses: errorResponseComponents(),
    },
  };
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const fieldsOf = (schema: z.ZodType): string => {
  const json = schemaOf(schema, 'output') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.keys(json.properties ?? {})
    .filter((name) => name !== 'type' && name !== 'action')
    .map((name) => `\`${name}\`${(json.required ?? []).includes(name) ? '' : '?'}`)
    .join(', ');
};

export function websocketReference(): string {
  const lines = [
    '# WebSocket messages',
    '',
    'Generated from functions/contract/pushes.ts by `npm run openapi`; do not edit. Connect to `/ws` with the guest or staff cookie',
    '(or `?token=`); staff apps add `channel=kitchen` (and a `station`) or `channel=staff`. Full schemas: `ServerPush` and',
    '`ClientAction` in functions/contract/pushes.ts.',
    '',
    `Handshake query: ${fieldsOf(ConnectQuery)}. A refused handshake answers 401, 403, 429 or 503 (no body).`,
    '',
    '## Client → server',
    '',
    '| action | fields | answer |',
    '| --- | --- | --- |',
    ...ClientAction.options.map((option) => `| \`${option.shape.action.value}\` | ${fieldsOf(option) || '—'} | ${cell(option.description ?? '')} |`),
    '',
    '## Server → client (`type`)',
    '',
    '| type | fields | sent to |',
    '| --- | --- | --- |',
    ...ServerPush.options.map((option) => {
      const type = (option as unknown as z.ZodObject<{ type: z.ZodLiteral<string> }>).shape.type.value;
      return `| \`${type}\` | ${fieldsOf(option)} | ${cell(z.globalRegistry.get(option)?.description ?? '')} |`;
    }),
    '',
  ];
  return lines.join('\n');
}
