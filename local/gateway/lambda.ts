/**
 * The Lambda side of the emulator: builds a Lambda context and invokes a handler the way the
 * Node.js runtime does (async or callback style, with the function's timeout). Where the handler
 * runs is a FunctionInvoker's choice: in Lambda-like containers (containers.ts, the default for
 * Plato's functions) or in this process (`inProcessInvoker`, for the emulator's own fixture tests).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { Context } from 'aws-lambda';
import { FUNCTION_GROUPS, handlerFile, type HandlerRef } from '../../functions/routes.ts';

export type LambdaHandler = (event: unknown, context: Context, callback?: (error?: unknown, result?: unknown) => void) => unknown;

/** Resolves a route's HandlerRef to the function to call. Must cache: a module is imported once. */
export type HandlerLoader = (ref: HandlerRef) => Promise<LambdaHandler>;

export const FUNCTIONS_DIR = fileURLToPath(new URL('../../functions/', import.meta.url));

/**
 * Where a handler's module is: `<dir>/<module>.ts` when a directory is given (a test's flat fixture
 * handlers), else its group's slice of functions/ (functions/routes.ts handlerFile).
 */
export const handlerFileIn =
  (dir?: string) =>
  (ref: Pick<HandlerRef, 'group' | 'module'>): string =>
    dir ? path.join(dir, `${ref.module}.ts`) : path.join(FUNCTIONS_DIR, handlerFile(ref));

/** A loader for each handler's module (see handlerFileIn), named export `<export>`; each module is imported once. */
export function moduleHandlerLoader(dir?: string): HandlerLoader {
  const fileOf = handlerFileIn(dir);
  const modules = new Map<string, Promise<Record<string, unknown>>>();
  return async (ref) => {
    const file = fileOf(ref);
    let loading = modules.get(file);
    if (!loading) {
      loading = import(pathToFileURL(file).href) as Promise<Record<string, unknown>>;
      loading.catch(() => modules.delete(file)); // a module that failed to load is retried next time
      modules.set(file, loading);
    }
    const handler = (await loading)[ref.export];
    if (typeof handler !== 'function') {
      throw new Error(`Handler module ${ref.module}.ts has no exported function "${ref.export}"`);
    }
    return handler as LambdaHandler;
  };
}

export interface FunctionSettings {
  memoryMb: number;
  timeoutSeconds: number;
}

export interface LambdaSettings {
  region: string;
  accountId: string;
  /** Memory and timeout per function group, as the CDK stack sets them (functions/routes.ts). */
  groups: Readonly<Record<string, FunctionSettings>>;
}

export const DEFAULT_LAMBDA_SETTINGS: LambdaSettings = {
  region: 'ap-south-1',
  accountId: '000000000000',
  groups: FUNCTION_GROUPS,
};

/** The function serving a handler is its group's, as in AWS. */
export const functionNameOf = (ref: HandlerRef): string => `plato-${ref.group}`;

export function functionSettingsOf(ref: HandlerRef, settings: LambdaSettings): FunctionSettings {
  const found = settings.groups[ref.group];
  if (!found) throw new Error(`No function settings for group ${ref.group}`);
  return found;
}

/** Runs a route's handler somewhere and settles with its result (or its failure, or a timeout). */
export interface FunctionInvoker {
  invoke(ref: HandlerRef, event: unknown): Promise<unknown>;
  /** Stops whatever the invoker runs (containers); in-process invokers have nothing to stop. */
  close?(): Promise<void>;
}

/** Handlers imported into this process, one warm module each, shared by every request. */
export function inProcessInvoker(loadHandler: HandlerLoader, settings: LambdaSettings): FunctionInvoker {
  return { invoke: async (ref, event) => invokeHandler(await loadHandler(ref), ref, event, settings) };
}

/**
 * Random bytes for the gateway's ids, cut from a pool refilled 4 KB at a time: the same CSPRNG, one
 * call into it per ~200 ids instead of one per id (every push's answer, every invocation's context
 * and trace take one; under the 100-table service load, randomBytes was 2 % of the gateway's thread).
 */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let offset = 0;
function randomChunk(size: number): Buffer {
  if (offset + size > pool.length) {
    pool = randomBytes(POOL_BYTES);
    offset = 0;
  }
  offset += size;
  return pool.subarray(offset - size, offset);
}

/** API Gateway's request and connection ids look like `L0SM9cOFvHcCIhw=` (11 random bytes, base64). */
export const gatewayId = (): string => randomChunk(11).toString('base64');

/** X-Amzn-Trace-Id root, `Root=1-<epoch hex>-<24 hex>`. */
export const traceId = (): string =>
  `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomChunk(12).toString('hex')}`;

/** API Gateway's `requestTime` / `time` format: `12/Mar/2020:19:03:58 +0000`. */
export function clfTime(epochMs: number): string {
  const d = new Date(epochMs);
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** The serializable part of a Lambda context (what crosses into a container). */
export type ContextFields = Omit<Context, 'getRemainingTimeInMillis' | 'done' | 'succeed' | 'fail'>;

export function contextFields(functionName: string, memoryMb: number, settings: LambdaSettings): ContextFields {
  const now = new Date();
  const day = `${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, '0')}/${String(now.getUTCDate()).padStart(2, '0')}`;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${settings.region}:${settings.accountId}:function:${functionName}`,
    memoryLimitInMB: String(memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `${day}/[$LATEST]${randomChunk(16).toString('hex')}`,
  };
}

/** A full context from its fields and the invocation's deadline (epoch ms). */
export function contextOf(fields: ContextFields, deadline: number): Context {
  const unsupported = () => {
    throw new Error('context.done/succeed/fail are not supported: return a value or a promise');
  };
  return {
    ...fields,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    succeed: unsupported,
    fail: unsupported,
  };
}

export function lambdaContext(ref: HandlerRef, settings: LambdaSettings, deadline: number): Context {
  return contextOf(contextFields(functionNameOf(ref), functionSettingsOf(ref, settings).memoryMb, settings), deadline);
}

/** Calls a handler like the Node.js runtime: a returned promise (or value) or the callback settles it. */
export function callHandler(handler: LambdaHandler, event: unknown, context: Context): Promise<unknown> {
  return new Promise<unknown>((resolve, reject) => {
    const callback = (error?: unknown, result?: unknown) => (error ? reject(error) : resolve(result));
    try {
      const returned = handler(event, context, callback);
      if (returned !== undefined || handler.length < 3) Promise.resolve(returned).then(resolve, reject);
    } catch (error) {
      reject(error);
    }
  });
}

export class LambdaTimeoutError extends Error {
  constructor(functionName: string, seconds: number) {
    super(`${functionName}: Task timed out after ${seconds.toFixed(2)} seconds`);
    this.name = 'LambdaTimeoutError';
  }
}

/**
 * Invokes a handler like the Node.js Lambda runtime: a returned promise (or value) or the callback
 * settles the invocation; a throw, rejection or timeout fails it. The handler is not cancelled on
 * timeout (a real runtime would freeze it), but the caller gets the failure at the deadline.
 */
export async function invokeHandler(
  handler: LambdaHandler,
  ref: HandlerRef,
  event: unknown,
  settings: LambdaSettings,
): Promise<unknown> {
  const { timeoutSeconds } = functionSettingsOf(ref, settings);
  const deadline = Date.now() + timeoutSeconds * 1000;
  const context = lambdaContext(ref, settings, deadline);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new LambdaTimeoutError(context.functionName, timeoutSeconds)), timeoutSeconds * 1000);
    timer.unref();
  });
  const run = callHandler(handler, event, context);
  try {
    return await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
