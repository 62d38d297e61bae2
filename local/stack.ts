/**
 * The whole local runtime in one process: dynalite, MongoDB (MONGODB_URI or the embedded server),
 * the API Gateway emulator with the web apps, the `setup` task and the demo seed. Used by
 * `npm start` (local/start.ts) and by the integration tests.
 *
 * The functions run in Lambda-like containers (gateway/containers.ts: worker threads, one
 * function group each, a copy of the environment below each). This process also sets that
 * environment on itself and keeps a MongoDB client of its own for the seed and /config.json, so
 * one stack per process.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TABLE_LIST, type TableKey } from '../functions/tables.ts';
import { HTTP_DEFAULT_ROUTE, HTTP_ROUTES, TASK_HANDLERS, WS_ROUTES, type HandlerRef, type HttpRoute, type WsRoute } from '../functions/routes.ts';
import { DEMO_RESTAURANT_ENV } from './demo-restaurant.ts';
import { createTables, startDynalite, type LocalDynamo } from './dynamo.ts';
import { createGateway, type Gateway, type PublicConfig } from './gateway/index.ts';
import { ContainerPool, type ContainerOptions } from './gateway/containers.ts';
import { DEFAULT_LAMBDA_SETTINGS, FUNCTIONS_DIR, handlerFileIn, inProcessInvoker, type FunctionInvoker, type HandlerLoader, type LambdaSettings } from './gateway/lambda.ts';
import { createSmsOutbox, LOCAL_SNS_PATH } from './sms-outbox.ts';
import { createMediaStore, LOCAL_LAMBDA_PREFIX, LOCAL_MEDIA_BUCKET, LOCAL_S3_PREFIX, type MediaStore } from './media-store.ts';
import { createRazorpaySandbox, SANDBOX_PREFIX, type RazorpaySandbox } from './payments/razorpay-sandbox.ts';
import { seedDemoRestaurant, type SeedResult } from './seed.ts';
import { startLocalSchedules, type LocalSchedules } from './schedules.ts';

export interface LocalStackOptions {
  /** 0 = any free port. Default 0 (start.ts passes PORT, default 3000). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Use this MongoDB (default: the MONGODB_URI environment variable); else start the embedded server. */
  mongoUri?: string;
  /** Persist the embedded MongoDB here (in memory when omitted). */
  mongoDataDir?: string;
  /** Persist dynalite here (in memory when omitted). */
  dynamoDataDir?: string;
  /** Keep the media bucket's objects (dish photos) here (a temporary directory, removed at stop, when omitted). */
  mediaDataDir?: string;
  /** Extra environment for the functions, applied last (overrides the defaults below). */
  env?: Record<string, string>;
  ws?: { idleTimeoutMs?: number; maxConnectionMs?: number };
  /** Staff password for the seed (default: DEMO_PASSWORD, else random). */
  demoPassword?: string;
  /** The built web apps (default web/dist). */
  webRoot?: string;
  /** No progress messages. Handler failures are still logged to stderr. */
  quiet?: boolean;
  /**
   * Without MongoDB: no embedded server, no setup, no seed (tests of the emulator alone, with
   * fixture routes). Default true.
   */
  mongo?: boolean;
  /** Route table; default functions/routes.ts. */
  routes?: { http?: readonly HttpRoute[]; httpDefault?: HttpRoute | null; ws?: readonly WsRoute[]; groups?: LambdaSettings['groups'] };
  /**
   * The Razorpay sandbox (local/payments): guests pay on a local payment page and its signed webhooks
   * reach the local API. Default true; false runs without online payments, as a restaurant without keys.
   */
  payments?: boolean;
  /**
   * Runs the handlers in this process instead of in containers (the emulator's own tests, whose
   * fixture handlers record what they receive for the test to read).
   */
  loadHandler?: HandlerLoader;
  /**
   * Runs the route table's scheduled tasks (the guests' data retention, the payments reconciliation)
   * on timers, as EventBridge does in AWS (local/schedules.ts). `npm start` turns this on; tests ask
   * for it, with `everyMs` to run every task that often. Default off (a test stack runs nothing unasked).
   */
  schedules?: boolean | { everyMs?: number; firstRunMs?: number };
  /** The Lambda containers (ignored with `loadHandler`). */
  containers?: {
    /** Idle time before a container is reaped. Default 5 minutes. */
    idleMs?: number;
    /** Containers per function group at most. Default 8. */
    maxPerGroup?: number;
    /** A flat directory of handler modules (tests); default: each group's slice of functions/. */
    handlersDir?: string;
    /** Told of every invocation's wait for a container and its run time (the bench's profile of queueing). */
    observe?: ContainerOptions['observe'];
    /**
     * Node flags for every container thread (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`, one profile per
     * container). Default: the CONTAINER_NODE_ARGS environment variable, space-separated.
     */
    execArgv?: string[];
  };
}

export interface LocalStack {
  /** http://host:port: the apps, /api, /config.json. */
  baseUrl: string;
  /** ws://host:port/ws */
  wsUrl: string;
  port: number;
  host: string;
  mongoUri?: string;
  dynamoEndpoint: string;
  /** The staff password the seed set. */
  demoPassword?: string;
  seed?: SeedResult;
  /** The payments sandbox, when on. */
  payments?: RazorpaySandbox;
  /** The media bucket's stand-in (dish photos). */
  media: MediaStore;
  gateway: Gateway;
  /** The scheduled tasks' timers and completed runs, when `schedules` is on. */
  schedules?: LocalSchedules;
  /** The functions' containers (cold starts, live containers, invocations per group); absent with `loadHandler`. */
  containers?: ContainerPool;
  stop(): Promise<void>;
}

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
/**
 * The embedded server (local/mongo) on a thread of its own (local/mongo-on-thread.ts): its commands
 * run beside the gateway and the containers' replies rather than on this event loop. Loaded only when
 * a stack needs it; a literal specifier, so a bundled runtime carries it too.
 */
async function startEmbeddedMongo(host: string, dataDir?: string): Promise<{ uri: string; stop(): Promise<void> }> {
  const { startMongoThread } = await import('./mongo-on-thread.ts');
  return startMongoThread({ host, dataDir, port: 0 });
}

/** A host a local client can connect to (a wildcard bind address is not one). */
function connectableHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

const randomSecret = (): string => randomBytes(36).toString('base64url'); // 48 characters

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const host = options.host ?? '127.0.0.1';
  const withMongo = options.mongo ?? true;
  const say = (message: string) => {
    if (!options.quiet) console.log(message);
  };
  const cleanups: (() => Promise<unknown>)[] = [];
  // Stops in reverse start order, except that the gateway goes first: closing its sockets runs
  // their $disconnect handlers, which still need DynamoDB and MongoDB.
  let closeGateway: (() => Promise<unknown>) | undefined;
  const cleanup = async () => {
    const steps = [...(closeGateway ? [closeGateway] : []), ...cleanups.reverse()];
    closeGateway = undefined;
    cleanups.length = 0;
    for (const step of steps) await step().catch((error) => console.error('[stack] stop:', error));
  };

  const lambda: LambdaSettings = {
    ...DEFAULT_LAMBDA_SETTINGS,
    region: process.env.AWS_REGION || DEFAULT_LAMBDA_SETTINGS.region,
    ...(options.routes?.groups ? { groups: options.routes.groups } : {}),
  };
  const routes = {
    http: options.routes?.http ?? HTTP_ROUTES,
    httpDefault: options.routes?.httpDefault === undefined ? HTTP_DEFAULT_ROUTE : options.routes.httpDefault,
    ws: options.routes?.ws ?? WS_ROUTES,
  };
  const handlers: HandlerRef[] = [
    ...[...routes.http, ...(routes.httpDefault ? [routes.httpDefault] : []), ...routes.ws].map((route) => route.handler),
    ...TASK_HANDLERS,
  ];
  const containers = options.loadHandler
    ? undefined
    : new ContainerPool({
        handlersDir: options.containers?.handlersDir,
        handlers,
        lambda,
        idleMs: options.containers?.idleMs,
        maxPerGroup: options.containers?.maxPerGroup,
        observe: options.containers?.observe,
        execArgv: options.containers?.execArgv ?? process.env.CONTAINER_NODE_ARGS?.split(' ').filter(Boolean),
        log: (message, error) => console.error(`[containers] ${message}`, ...(error === undefined ? [] : [error])),
      });
  const functions: FunctionInvoker = containers ?? inProcessInvoker(options.loadHandler!, lambda);
  let markReady!: () => void;
  let markFailed!: (error: unknown) => void;
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    markFailed = reject;
  });
  ready.catch(() => undefined);

  let baseUrlForSandbox = '';
  const sandbox = (options.payments ?? true) && withMongo ? createRazorpaySandbox({ apiBaseUrl: () => baseUrlForSandbox }) : undefined;
  // 1. Bind the port first: a port in use fails at once, and the management endpoint needs the port.
  // One-time codes are published to the gateway's SNS stand-in (SNS_ENDPOINT), printed and kept
  // for GET /__local/sms instead of being texted.
  const outbox = createSmsOutbox((line) => {
    if (!options.quiet) console.log(line);
  });
  // The media bucket and the Lambda Invoke API for the resize function (MEDIA_UPLOAD_URL, S3_ENDPOINT, LAMBDA_ENDPOINT).
  const mediaDir = options.mediaDataDir ?? mkdtempSync(path.join(tmpdir(), 'plato-media-'));
  if (!options.mediaDataDir) cleanups.push(async () => rmSync(mediaDir, { recursive: true, force: true }));
  const media = createMediaStore({
    dir: mediaDir,
    credentials: () => ({ secret: process.env.AWS_SECRET_ACCESS_KEY ?? '', region: process.env.AWS_REGION ?? '' }),
    invoke: (ref, event) => functions.invoke(ref, event),
  });
  const gateway = createGateway({
    localRoutes: outbox.routes,
    mounts: [...(sandbox ? [{ prefix: SANDBOX_PREFIX, handle: sandbox.handle }] : []), ...media.mounts],
    httpRoutes: routes.http,
    httpDefaultRoute: routes.httpDefault,
    wsRoutes: routes.ws,
    functions,
    lambda,
    ws: options.ws,
    ready,
    web: {
      root: options.webRoot ?? path.join(REPO_ROOT, 'web', 'dist'),
      publicConfig: () => readPublicConfig(withMongo),
    },
  });
  const { port } = await gateway.listen(options.port ?? 0, host);
  // Containers stop after the gateway: its sockets' $disconnect handlers run in them.
  closeGateway = async () => {
    await gateway.close();
    await containers?.close();
  };
  const baseUrl = `http://${connectableHost(host)}:${port}`;
  baseUrlForSandbox = baseUrl;

  try {
    // 2. DynamoDB and 3. MongoDB, side by side: each starts on a thread of its own (the embedded
    // server recovering its data directory while dynalite opens its tables).
    let mongoUri = options.mongoUri ?? process.env.MONGODB_URI ?? undefined;
    const keptEmbeddedMongo = withMongo && !mongoUri && Boolean(options.mongoDataDir);
    const embeddedMongo = withMongo && !mongoUri
      ? startEmbeddedMongo('127.0.0.1', options.mongoDataDir).then((mongo) => {
          cleanups.push(() => mongo.stop()); // stopped with the rest, whichever start fails
          return mongo;
        })
      : undefined;
    embeddedMongo?.catch(() => undefined);
    const dynamo: LocalDynamo = await startDynalite({ dataDir: options.dynamoDataDir }).catch(async (error: unknown) => {
      await embeddedMongo?.catch(() => undefined); // its stop is registered before the cleanup runs
      throw error;
    });
    cleanups.push(() => dynamo.stop());
    say(`DynamoDB (dynalite${options.dynamoDataDir ? `, data in ${options.dynamoDataDir}` : ', in memory'}) at ${dynamo.endpoint}`);

    if (embeddedMongo) {
      const mongo = await embeddedMongo;
      mongoUri = mongo.uri;
      say(`MongoDB (embedded${options.mongoDataDir ? `, data in ${options.mongoDataDir}` : ', in memory'}) at ${mongo.uri}`);
    } else if (withMongo) {
      say('MongoDB at MONGODB_URI');
    }

    // 4. The functions' environment, before any handler module is imported.
    const env = functionEnvironment({ host: connectableHost(host), dynamoEndpoint: dynamo.endpoint, mongoUri, gatewayPort: port });
    if (sandbox) {
      Object.assign(env, {
        RAZORPAY_KEY_ID: sandbox.keys.keyId,
        RAZORPAY_KEY_SECRET: sandbox.keys.keySecret,
        RAZORPAY_WEBHOOK_SECRET: sandbox.keys.webhookSecret,
        RAZORPAY_API_URL: `${baseUrl}${SANDBOX_PREFIX}`,
      });
    } else {
      for (const name of ['RAZORPAY_KEY_ID', 'RAZORPAY_KEY_SECRET', 'RAZORPAY_WEBHOOK_SECRET', 'RAZORPAY_API_URL']) delete process.env[name];
    }
    Object.assign(process.env, env, options.env);
    delete process.env.PLATO_SECRET_ARN; // secrets come from the environment locally
    delete process.env.AWS_SESSION_TOKEN; // would pair with the dummy keys
    delete process.env.AWS_PROFILE;

    const region = process.env.AWS_REGION!;
    const tableNames = Object.fromEntries(TABLE_LIST.map((t) => [t.key, process.env[t.envVar]!])) as Record<TableKey, string>;
    for (const name of await createTables(dynamo.endpoint, region, tableNames)) {
      say(`DynamoDB table ${name} recreated: its keys or indexes changed since the data directory was written (its local contents are disposable)`);
    }

    let seed: SeedResult | undefined;
    let demoPassword: string | undefined;
    if (withMongo) {
      cleanups.push(async () => (await import('../functions/data/mongo.ts')).closeMongoClient());
      // 5. The setup task (indexes, settings), as the CDK stack runs it on every deploy; on a kept
      // data directory only when its code or settings changed since it ran there (local/setup-once.ts).
      const handlersDir = options.containers?.handlersDir;
      const codeDir = handlersDir ? path.dirname(handlersDir) : FUNCTIONS_DIR;
      if (keptEmbeddedMongo) await (await import('./setup-once.ts')).runSetupOnce(() => runSetup(functions, handlersDir), codeDir);
      else await runSetup(functions, handlersDir);
      // 6. The demo restaurant.
      demoPassword = options.demoPassword ?? process.env.DEMO_PASSWORD ?? randomBytes(9).toString('base64url');
      seed = await seedDemoRestaurant({ password: demoPassword, media });
    }

    markReady();
    // 7. The scheduled tasks, once the restaurant exists.
    let schedules: LocalSchedules | undefined;
    if (withMongo && options.schedules) {
      const timing = options.schedules === true ? {} : options.schedules;
      schedules = startLocalSchedules({ functions, ...timing, log: (message, error) => console.error(`[schedules] ${message}`, ...(error === undefined ? [] : [error])) });
      // Stopped before anything else, so no run starts against a stopping stack.
      const stopGateway = closeGateway;
      closeGateway = async () => {
        schedules!.stop();
        await stopGateway?.();
      };
    }
    const hostForUrls = connectableHost(host);
    return {
      baseUrl,
      wsUrl: `ws://${hostForUrls}:${port}/ws`,
      port,
      host,
      mongoUri,
      dynamoEndpoint: dynamo.endpoint,
      demoPassword,
      seed,
      payments: sandbox,
      schedules,
      media,
      gateway,
      containers,
      stop: cleanup,
    };
  } catch (error) {
    markFailed(error);
    await cleanup();
    throw error;
  }
}

function functionEnvironment(input: { host: string; gatewayPort: number; dynamoEndpoint: string; mongoUri?: string }) {
  const current = process.env;
  const jwtSecret = current.JWT_SECRET && current.JWT_SECRET.length >= 32 ? current.JWT_SECRET : randomSecret();
  const env: Record<string, string> = {
    RESTAURANT_ID: current.RESTAURANT_ID || 'demo',
    MONGODB_DB: current.MONGODB_DB || 'plato',
    JWT_SECRET: jwtSecret,
    DYNAMODB_ENDPOINT: input.dynamoEndpoint,
    AWS_REGION: current.AWS_REGION || DEFAULT_LAMBDA_SETTINGS.region,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    WS_MANAGEMENT_ENDPOINT: `http://${input.host}:${input.gatewayPort}`,
    SNS_ENDPOINT: `http://${input.host}:${input.gatewayPort}${LOCAL_SNS_PATH}`,
    MEDIA_BUCKET: LOCAL_MEDIA_BUCKET,
    // A path: the browser posts to the page's own origin, whichever address it reached the stack by.
    MEDIA_UPLOAD_URL: `${LOCAL_S3_PREFIX}/${LOCAL_MEDIA_BUCKET}`,
    S3_ENDPOINT: `http://${input.host}:${input.gatewayPort}${LOCAL_S3_PREFIX}`,
    LAMBDA_ENDPOINT: `http://${input.host}:${input.gatewayPort}${LOCAL_LAMBDA_PREFIX}`,
    MEDIA_RESIZE_FUNCTION: 'plato-media',
    POWERTOOLS_LOG_LEVEL: current.POWERTOOLS_LOG_LEVEL || 'WARN',
  };
  if (input.mongoUri) env.MONGODB_URI = input.mongoUri;
  // The demo restaurant's settings, for the setup task (a deployment sets these in its stack).
  for (const [name, value] of Object.entries(DEMO_RESTAURANT_ENV)) env[name] = current[name] || value;
  for (const table of TABLE_LIST) env[table.envVar] = current[table.envVar] || `plato-${table.key}`;
  return env;
}

async function runSetup(functions: FunctionInvoker, handlersDir: string | undefined): Promise<void> {
  const ref = TASK_HANDLERS.find((task) => task.module === 'setup');
  if (!ref || !existsSync(handlerFileIn(handlersDir)(ref))) return;
  await functions.invoke(ref, {});
}

async function readPublicConfig(withMongo: boolean): Promise<PublicConfig> {
  if (!withMongo) throw new Error('no MongoDB in this stack');
  const [{ collections }, { config }] = await Promise.all([
    import('../functions/data/mongo.ts'),
    import('../functions/platform/config.ts'),
  ]);
  const { restaurantId } = config();
  const restaurant = await (await collections()).restaurants.findOne({ _id: restaurantId });
  if (!restaurant) throw new Error(`restaurant ${restaurantId} not found`);
  return {
    restaurantId,
    name: restaurant.name,
    currency: restaurant.currency,
    locale: restaurant.locale,
    timeZone: restaurant.timeZone,
    apiBase: '/api',
    wsUrl: '/ws',
  };
}
