/**
 * docs/openapi.json's `components/schemas`: every named schema of the edge contract (its PascalCase
 * exports, e.g. CartView) is emitted once and referenced with `$ref` wherever a body or an answer
 * uses it, instead of inlined at every use. zod 4 converts a registry of schemas with their ids in
 * one pass per direction: answers as `output`, request bodies as `input`. Where a schema's input and
 * output JSON differ (defaults, coercions), the input one is `<Name>.input`.
 */
import * as z from 'zod';
import type { IdentifiedContract } from '../functions/contract/common.ts';
import * as contract from '../functions/contract/index.ts';

type JsonSchema = Record<string, unknown>;

const PREFIX = '#/components/schemas/';
const INPUT = '.input';

export interface ComponentSchemas {
  /** `$ref`s to a route's request body and success answer. */
  body(route: IdentifiedContract): JsonSchema | undefined;
  response(route: IdentifiedContract): JsonSchema | undefined;
  /** The components every `$ref` above (and `ErrorEnvelope`) reaches, by name, sorted. */
  schemas: Record<string, JsonSchema>;
}

const ref = (name: string): JsonSchema => ({ $ref: `${PREFIX}${name}` });

/** Every `$ref` target name in a JSON value. */
function refsIn(json: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(json)) for (const item of json) refsIn(item, into);
  else if (json && typeof json === 'object') {
    for (const [key, value] of Object.entries(json)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith(PREFIX)) into.add(value.slice(PREFIX.length));
      else refsIn(value, into);
    }
  }
  return into;
}

/** `json` with every `$ref` to a name in `renamed` pointed at its new name. */
function withRefsRenamed<T>(json: T, renamed: Map<string, string>): T {
  return JSON.parse(JSON.stringify(json), (key, value) =>
    key === '$ref' && typeof value === 'string' && renamed.has(value.slice(PREFIX.length)) ? `${PREFIX}${renamed.get(value.slice(PREFIX.length))}` : value,
  ) as T;
}

export function componentSchemas(contracts: readonly IdentifiedContract[]): ComponentSchemas {
  const registry = z.registry<{ id: string }>();
  for (const [name, value] of Object.entries(contract)) {
    if (/^[A-Z]/.test(name) && value instanceof z.ZodType && !registry.has(value)) registry.add(value, { id: name });
  }
  // A route's anonymous body or answer is a component too, named after its route's contract.
  const idOf = (schema: z.ZodType, fallback: string): string => {
    if (!registry.has(schema)) registry.add(schema, { id: fallback });
    return registry.get(schema)!.id;
  };
  const bodies = new Map<string, string>();
  const responses = new Map<string, string>();
  for (const route of contracts) {
    if (route.body && !(route.body instanceof z.ZodUnknown)) bodies.set(route.id, `${idOf(route.body, `${route.id}.body`)}${INPUT}`);
    if (route.response) responses.set(route.id, idOf(route.response, `${route.id}.response`));
  }

  const convert = (io: 'input' | 'output', suffix: string): Record<string, JsonSchema> => {
    const { schemas } = z.toJSONSchema(registry, { io, unrepresentable: 'any', target: 'draft-2020-12', uri: (id) => `${PREFIX}${id}${suffix}` }) as { schemas: Record<string, JsonSchema> };
    if ('__shared' in schemas) throw new Error('A contract schema is recursive or shared without a name: give it one (a PascalCase export)');
    return Object.fromEntries(Object.entries(schemas).map(([id, { $schema: _, $id: __, ...json }]) => [`${id}${suffix}`, json]));
  };
  const all = { ...convert('output', ''), ...convert('input', INPUT) };

  // Keep only what the document reaches.
  const reached = new Set<string>();
  const pending = ['ErrorEnvelope', ...bodies.values(), ...responses.values()];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (reached.has(name)) continue;
    reached.add(name);
    pending.push(...refsIn(all[name]));
  }

  // `<Name>.input` becomes `<Name>` where no output `<Name>` is reached, or where both are the same JSON
  // once every schema it references is renamed likewise (checked until no rename depends on a kept one).
  const inputs = [...reached].filter((name) => name.endsWith(INPUT)).map((name) => name.slice(0, -INPUT.length));
  const renamed = new Map(inputs.map((name) => [`${name}${INPUT}`, name]));
  const sameAsOutput = (name: string) => JSON.stringify(withRefsRenamed(all[`${name}${INPUT}`], renamed)) === JSON.stringify(all[name]);
  for (let changed = true; changed; ) {
    changed = false;
    for (const name of inputs) {
      if (!renamed.has(`${name}${INPUT}`) || !reached.has(name)) continue;
      if (!sameAsOutput(name)) {
        renamed.delete(`${name}${INPUT}`);
        changed = true;
      }
    }
  }

  const schemas: Record<string, JsonSchema> = {};
  for (const name of [...reached].sort()) {
    const target = renamed.get(name) ?? name;
    if (target in schemas) continue;
    schemas[target] = withRefsRenamed(all[name], renamed);
  }
  const sorted = Object.fromEntries(Object.keys(schemas).sort().map((name) => [name, schemas[name]]));
  const named = (name: string | undefined) => (name === undefined ? undefined : ref(renamed.get(name) ?? name));
  return { body: (route) => named(bodies.get(route.id)), response: (route) => named(responses.get(route.id)), schemas: sorted };
}
