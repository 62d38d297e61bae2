/**
 * One Lambda container: a worker thread with its own module instances (its own MongoClient,
 * SDK clients, caches and module state), serving one invocation at a time.
 *
 * containers.ts bundles each function group with esbuild, as the CDK does (our code in the bundle,
 * node_modules left outside), into an entry that imports the group's handler modules and calls
 * `runContainer`. Evaluating that bundle is the container's init (its cold start); then every
 * `invoke` message runs a handler and posts back its result or its error.
 */
import { parentPort } from 'node:worker_threads';
import { callHandler, contextOf, type ContextFields, type LambdaHandler } from './lambda.ts';

export type ToContainer = { type: 'invoke'; id: number; module: string; export: string; event: unknown; context: ContextFields; deadline: number };

export type FromContainer =
  | { type: 'ready' }
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: SerializedError };

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  code?: unknown;
}

const serialize = (error: unknown): SerializedError =>
  error instanceof Error
    ? { name: error.name, message: error.message, stack: error.stack, code: (error as { code?: unknown }).code }
    : { name: 'Error', message: String(error) };

/** Handler modules by name (`cart` for functions/cart/handlers/cart.ts). */
export type HandlerModules = Record<string, Record<string, unknown>>;

function handlerOf(modules: HandlerModules, module: string, exportName: string): LambdaHandler {
  const handler = modules[module]?.[exportName];
  if (typeof handler !== 'function') throw new Error(`Handler module ${module}.ts has no exported function "${exportName}"`);
  return handler as LambdaHandler;
}

export function runContainer(modules: HandlerModules): void {
  const port = parentPort!;
  port.on('message', (message: ToContainer) => {
    if (message.type !== 'invoke') return;
    Promise.resolve()
      .then(() => callHandler(handlerOf(modules, message.module, message.export), message.event, contextOf(message.context, message.deadline)))
      .then(
        (value) => port.postMessage({ type: 'result', id: message.id, ok: true, value } satisfies FromContainer),
        (error) => port.postMessage({ type: 'result', id: message.id, ok: false, error: serialize(error) } satisfies FromContainer),
      );
  });
  port.postMessage({ type: 'ready' } satisfies FromContainer); // init done: the bundle is evaluated
}
