/**
 * Lambda containers for the local runtime, modelled on serverless-offline's worker-thread mode.
 *
 * Each function group (one Lambda function in AWS) runs in its own containers: worker threads, each
 * with its own module instances, so its own MongoClient, caches and module state. A container
 * serves one invocation at a time. When every container of a group is busy, a new one starts (a
 * cold start, counted); idle containers are reaped after `idleMs`. A container that times out or
 * crashes is discarded, as Lambda discards its execution environment. Each container's environment
 * is a copy of process.env taken when it starts, plus what Lambda itself sets.
 *
 * Unlike Lambda, a group never has more than `maxPerGroup` containers: past that, an invocation
 * waits for one to be free (Lambda would start more, up to the account's concurrency).
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { unionOfNeeds, type HandlerNeeds, type HandlerRef } from '../../functions/routes.ts';
import { handlerFileIn } from './lambda.ts';
import { BUNDLE_ALIASES, ESM_REQUIRE_BANNER, externalModulesFor } from '../../lib/bundling/options.ts';
import { bundleToCache, REPO_ROOT } from '../bundle-cache.ts';
import type { FromContainer, SerializedError, ToContainer } from './container-worker.ts';
import { contextFields, functionNameOf, functionSettingsOf, LambdaTimeoutError, type FunctionInvoker, type LambdaSettings } from './lambda.ts';

const WORKER_MODULE = fileURLToPath(new URL('./container-worker.ts', import.meta.url));

/**
 * Bundles a group's handler modules and the container loop into one ES module, as the CDK bundles
 * a function (lib/bundling/options.ts): our code and the packages inside, the AWS SDK too except in
 * the resize function's group (externalModulesFor), Node's built-ins through their CommonJS shims
 * (BUNDLE_ALIASES). Loading one plain-JS file per container is what keeps cold starts short (a
 * TypeScript loader in each worker thread doubled them; resolving and loading the mongodb driver's
 * files one by one took a third of what was left; importing the SDK from node_modules as ES modules
 * made Node scan each of its CommonJS files for their exports, a fifth of what was left).
 */
async function bundleGroup(modules: readonly GroupModule[], needs: HandlerNeeds): Promise<string> {
  const imports = modules.map(({ file }, i) => `import * as m${i} from ${JSON.stringify(file)};`);
  const entries = modules.map(({ module }, i) => `${JSON.stringify(module)}: m${i}`);
  const contents = [
    `import { runContainer } from ${JSON.stringify(WORKER_MODULE)};`,
    ...imports,
    `runContainer({ ${entries.join(', ')} });`,
  ].join('\n');
  return bundleToCache('plato-containers', {
    stdin: { contents, resolveDir: REPO_ROOT, loader: 'ts', sourcefile: 'container-entry.ts' },
    absWorkingDir: REPO_ROOT,
    packages: 'bundle',
    external: [...externalModulesFor({ needs }), 'sharp'], // sharp: native, as the media function's bundle keeps it
    banner: { js: ESM_REQUIRE_BANNER },
    alias: BUNDLE_ALIASES,
  });
}

export const DEFAULT_MAX_PER_GROUP = 8;


/** One handler module of a group: its name in the route table and its file. */
interface GroupModule {
  module: string;
  file: string;
}

export interface ContainerOptions {
  /** A flat directory of the handler modules (tests); default: each group's slice of functions/. */
  handlersDir?: string;
  /** Every handler the containers may run (to know each group's modules). */
  handlers: Iterable<HandlerRef>;
  lambda: LambdaSettings;
  /** Idle time after which a container is reaped. Default 5 minutes. */
  idleMs?: number;
  /** Containers per group at most (then invocations queue). Default 8. */
  maxPerGroup?: number;
  /** Told of every finished invocation: how long it waited for a container (a cold start included) and how long it ran in one. */
  observe?: (timing: InvocationTiming) => void;
  /** Node flags for each container thread (default none). */
  execArgv?: string[];
  log: (message: string, error?: unknown) => void;
}

export interface GroupStats {
  group: string;
  /** Containers started (each one a cold start). */
  coldStarts: number;
  /** Containers alive now (idle or busy). */
  live: number;
  busy: number;
  /** The most containers this group had alive at once. */
  peakLive: number;
  invocations: number;
  timeouts: number;
  crashes: number;
  reaped: number;
  /** Init duration of each cold start, ms (worker start to its bundle evaluated; not the build). */
  initMs: number[];
}

export interface InvocationTiming {
  group: string;
  module: string;
  export: string;
  /** From invoke() to a container being ready for it: queueing behind busy containers, or a cold start. */
  waitMs: number;
  /** From the event posted to the container to its answer. */
  runMs: number;
  ok: boolean;
}

interface Invocation {
  id: number;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  timer: NodeJS.Timeout;
}

interface Container {
  /** Absent until the group's bundle is built. */
  worker?: Worker;
  group: string;
  ready: Promise<void>;
  current?: Invocation;
  idleTimer?: NodeJS.Timeout;
  dead: boolean;
}

interface Waiter {
  resolve: (container: Container) => void;
  reject: (error: unknown) => void;
}

function revive(error: SerializedError): Error {
  const revived = new Error(error.message);
  revived.name = error.name;
  if (error.stack) revived.stack = error.stack;
  if (error.code !== undefined) (revived as Error & { code?: unknown }).code = error.code;
  return revived;
}

export class ContainerPool implements FunctionInvoker {
  private readonly containers = new Map<string, Set<Container>>();
  private readonly waiters = new Map<string, Waiter[]>();
  private readonly groupStats = new Map<string, GroupStats>();
  private readonly modulesByGroup = new Map<string, GroupModule[]>();
  private readonly needsByGroup = new Map<string, HandlerNeeds>();
  private readonly bundles = new Map<string, Promise<string>>();
  private readonly idleMs: number;
  private readonly maxPerGroup: number;
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: ContainerOptions) {
    this.idleMs = options.idleMs ?? 5 * 60 * 1000;
    this.maxPerGroup = options.maxPerGroup ?? DEFAULT_MAX_PER_GROUP;
    const fileOf = handlerFileIn(options.handlersDir);
    const handlers = [...options.handlers];
    for (const ref of handlers) {
      const modules = this.modulesByGroup.get(ref.group) ?? [];
      if (!modules.some(({ module }) => module === ref.module)) modules.push({ module: ref.module, file: fileOf(ref) });
      this.modulesByGroup.set(ref.group, modules);
    }
    for (const group of this.modulesByGroup.keys()) this.needsByGroup.set(group, unionOfNeeds(handlers.filter((ref) => ref.group === group)));
  }

  async invoke(ref: HandlerRef, event: unknown): Promise<unknown> {
    const group = ref.group;
    const asked = performance.now();
    const container = await this.acquire(group);
    const acquired = performance.now();
    let ok = false;
    const stats = this.stats(group);
    stats.invocations++;
    const { timeoutSeconds, memoryMb } = functionSettingsOf(ref, this.options.lambda);
    const deadline = Date.now() + timeoutSeconds * 1000;
    const context = contextFields(functionNameOf(ref), memoryMb, this.options.lambda);
    const id = this.nextId++;
    try {
      return await new Promise<unknown>((resolve, reject) => {
        const timer = setTimeout(() => {
          // Lambda stops a timed-out invocation and starts the next one in a fresh environment.
          stats.timeouts++;
          this.discard(container, new LambdaTimeoutError(context.functionName, timeoutSeconds));
        }, timeoutSeconds * 1000);
        container.current = { id, resolve, reject, timer };
        const message: ToContainer = { type: 'invoke', id, module: ref.module, export: ref.export, event, context, deadline };
        container.worker!.postMessage(message);
      }).then((value) => {
        ok = true;
        return value;
      });
    } finally {
      this.release(container);
      this.options.observe?.({ group, module: ref.module, export: ref.export, waitMs: acquired - asked, runMs: performance.now() - acquired, ok });
    }
  }

  /** Per-group figures, sorted by group; `group` narrows to one group. */
  stats(): GroupStats[];
  stats(group: string): GroupStats;
  stats(group?: string): GroupStats | GroupStats[] {
    if (group === undefined) return [...this.groupStats.values()].sort((a, b) => a.group.localeCompare(b.group));
    let stats = this.groupStats.get(group);
    if (!stats) {
      stats = { group, coldStarts: 0, live: 0, busy: 0, peakLive: 0, invocations: 0, timeouts: 0, crashes: 0, reaped: 0, initMs: [] };
      this.groupStats.set(group, stats);
    }
    return stats;
  }

  /**
   * Starts containers until `group` has `count` alive (at most the cap), `concurrency` at a time, and
   * waits for them: warm before a burst, as Lambda's provisioned concurrency is. They are reaped when
   * idle like any other. Cold starts counted as usual.
   */
  async prewarm(group: string, count: number, concurrency = 2): Promise<void> {
    if (this.closed) throw new Error('The local runtime is stopping');
    const set = this.containers.get(group) ?? new Set<Container>();
    this.containers.set(group, set);
    const wanted = Math.min(count, this.maxPerGroup) - set.size;
    let left = wanted;
    const starter = async () => {
      while (left-- > 0) {
        const container = this.start(group);
        this.claim(container); // no invocation takes it half-started
        await container.ready;
        this.release(container);
      }
    };
    await Promise.all(Array.from({ length: Math.max(0, Math.min(concurrency, wanted)) }, starter));
  }

  /** Discards every idle container, as a deploy does: the next invocations start fresh ones. */
  async recycle(): Promise<void> {
    const idle = [...this.containers.values()].flatMap((set) => [...set]).filter((c) => !c.current);
    await Promise.all(idle.map((container) => this.stop(container)));
  }

  /** Terminates every container; invocations still running fail. */
  async close(): Promise<void> {
    this.closed = true;
    for (const waiters of this.waiters.values()) for (const waiter of waiters.splice(0)) waiter.reject(new Error('The local runtime is stopping'));
    const all = [...this.containers.values()].flatMap((set) => [...set]);
    await Promise.all(all.map((container) => this.stop(container, new Error('The local runtime is stopping'))));
  }

  private async acquire(group: string): Promise<Container> {
    if (this.closed) throw new Error('The local runtime is stopping');
    const set = this.containers.get(group) ?? new Set<Container>();
    this.containers.set(group, set);
    const idle = [...set].find((c) => !c.current && !c.dead);
    if (idle) {
      this.claim(idle);
      await idle.ready;
      return idle;
    }
    if (set.size < this.maxPerGroup) {
      const container = this.start(group);
      this.claim(container);
      await container.ready;
      return container;
    }
    return new Promise<Container>((resolve, reject) => {
      const queue = this.waiters.get(group) ?? [];
      queue.push({ resolve, reject });
      this.waiters.set(group, queue);
    });
  }

  /** Marks a container busy before it has an invocation (so no one else takes it meanwhile). */
  private claim(container: Container): void {
    clearTimeout(container.idleTimer);
    container.current = { id: 0, resolve: () => undefined, reject: () => undefined, timer: undefined as never };
    this.stats(container.group).busy++;
  }

  private release(container: Container): void {
    if (container.dead) return;
    container.current = undefined;
    this.stats(container.group).busy--;
    const waiter = this.waiters.get(container.group)?.shift();
    if (waiter) {
      this.claim(container);
      waiter.resolve(container);
      return;
    }
    container.idleTimer = setTimeout(() => {
      this.stats(container.group).reaped++;
      void this.stop(container);
    }, this.idleMs);
    container.idleTimer.unref();
  }

  private bundle(group: string): Promise<string> {
    let bundle = this.bundles.get(group);
    if (!bundle) {
      bundle = bundleGroup(this.modulesByGroup.get(group) ?? [], this.needsByGroup.get(group) ?? unionOfNeeds([]));
      bundle.catch(() => this.bundles.delete(group)); // a failed build (a syntax error) is retried next time
      this.bundles.set(group, bundle);
    }
    return bundle;
  }

  private start(group: string): Container {
    const stats = this.stats(group);
    stats.coldStarts++;
    const ref = { group } as HandlerRef;
    const functionName = functionNameOf(ref);
    const { memoryMb } = functionSettingsOf(ref, this.options.lambda);
    const container: Container = { group, dead: false, ready: Promise.resolve() };
    const set = this.containers.get(group)!;
    set.add(container);
    stats.live = set.size;
    stats.peakLive = Math.max(stats.peakLive, set.size);

    container.ready = this.bundle(group).then(
      (file) =>
        new Promise<void>((resolve, reject) => {
          if (container.dead) return reject(new Error(`${functionName}: container stopped while starting`));
          const startedAt = Date.now();
          const worker = new Worker(file, {
            execArgv: this.options.execArgv ?? [],
            env: {
              ...process.env,
              // What Lambda sets; the MongoDB driver reads AWS_EXECUTION_ENV to monitor servers as on Lambda.
              AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
              AWS_LAMBDA_FUNCTION_NAME: functionName,
              AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
              AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memoryMb),
              AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${functionName}`,
              // Lambda runs Node.js 22: the SDK's notice about this machine's Node 20 is not the function's.
              AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
            },
          });
          worker.unref();
          container.worker = worker;
          worker.on('message', (message: FromContainer) => {
            if (message.type === 'ready') {
              stats.initMs.push(Date.now() - startedAt);
              resolve();
            } else if (container.current?.id === message.id) {
              const invocation = container.current;
              clearTimeout(invocation.timer);
              if (message.ok) invocation.resolve(message.value);
              else invocation.reject(revive(message.error));
            }
          });
          worker.on('error', (error) => {
            // An uncaught exception or unhandled rejection (or a failed init) ends a Lambda runtime too.
            stats.crashes++;
            this.options.log(`${functionName}: container crashed`, error);
            reject(error);
            this.discard(container, error);
          });
          worker.on('exit', () => {
            const error = new Error(`${functionName}: container exited`);
            reject(error);
            if (!container.dead) this.discard(container, error);
          });
        }),
    );
    container.ready.catch((error) => this.discard(container, error));
    return container;
  }

  /** Fails the container's invocation (if any) with `error` and terminates it. */
  private discard(container: Container, error: unknown): void {
    void this.stop(container, error);
  }

  private async stop(container: Container, error?: unknown): Promise<void> {
    if (container.dead) return;
    container.dead = true;
    clearTimeout(container.idleTimer);
    const set = this.containers.get(container.group);
    set?.delete(container);
    const stats = this.stats(container.group);
    stats.live = set?.size ?? 0;
    if (container.current) {
      stats.busy--;
      clearTimeout(container.current.timer);
      container.current.reject(error ?? new Error('The container was stopped'));
      container.current = undefined;
    }
    await container.worker?.terminate();
    // A waiter queued behind the maximum gets a fresh container in this one's place.
    const waiter = this.waiters.get(container.group)?.shift();
    if (waiter && !this.closed && set) {
      const replacement = this.start(container.group);
      this.claim(replacement);
      replacement.ready.then(() => waiter.resolve(replacement), waiter.reject);
    }
  }
}
