/**
 * One Lambda function per handler in the route table (functions/routes.ts → allHandlers()).
 *
 * Functions are bundled from generated one-line entries that re-export the handlers of one module
 * with the same `needs.mongo`: handlers that never touch MongoDB get an entry without the exports
 * that do, so esbuild can leave the driver out of their bundle; the others share one bundle per
 * module (one esbuild run and one uploaded asset for all of them). Each function has its own role, granted exactly what
 * its `needs` declare, and its own log group.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { HTTP_DEFAULT_ROUTE, HTTP_ROUTES, WS_ROUTES, allHandlers, type HandlerRef } from '../functions/routes.ts';
import { TABLES } from '../functions/tables.ts';
import { COLLECTION_DEFAULTS, collectionEnvVar, type CollectionKey } from '../functions/platform/config.ts';
import type { DataTables } from './data-tables.ts';
import type { PlatoSettings } from './settings.ts';

export const DEFAULT_MEMORY_MB = 256;
export const DEFAULT_TIMEOUT_SECONDS = 10;

/**
 * The mongodb driver's optional dependencies: it require()s them inside try/catch only when a
 * feature needs them (Kerberos, zstd/snappy compression, AWS/GCP auth, SOCKS proxies, client-side
 * encryption). None is installed; left external they fail softly at runtime instead of at bundling.
 * `aws4` is the pre-v6 driver's name for AWS auth, kept so an older lockfile still bundles.
 */
export const MONGODB_OPTIONAL_MODULES = [
  'kerberos',
  '@mongodb-js/zstd',
  '@aws-sdk/credential-providers',
  'gcp-metadata',
  'snappy',
  'socks',
  'aws4',
  'mongodb-client-encryption',
];

/**
 * The Node.js 22 Lambda runtime ships AWS SDK v3; bundling it would put every function over the
 * 900 KB budget (the SDK clients alone are ~600 KB minified), so it stays external.
 */
export const EXTERNAL_MODULES = ['@aws-sdk/*', ...MONGODB_OPTIONAL_MODULES];

/** Resolved from the project root (esbuild resolves alias targets in its working directory). */
export const WHATWG_URL_ALIAS = './lib/bundling/whatwg-url.ts';
export const FORM_DATA_ALIAS = './lib/bundling/form-data.cjs';

/** ESM bundles still contain CommonJS code (the mongodb driver) that calls require(). */
export const ESM_REQUIRE_BANNER = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/** `staff-auth.login` → `StaffAuthLogin` (construct ids). */
export const handlerId = (key: string): string =>
  key
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');

/** Handlers behind a staff route verify staff JWTs, whose signing key lives in the secret. */
function verifiesStaffTokens(key: string): boolean {
  return HTTP_ROUTES.some((route) => `${route.handler.module}.${route.handler.export}` === key && route.auth.kind === 'staff');
}

/** Reads the secret: MONGODB_URI for the driver, JWT_SECRET for staff tokens. */
export const needsSecret = (key: string, ref: HandlerRef): boolean => ref.needs.mongo || verifiesStaffTokens(key);

/**
 * Refuses requests that did not come through CloudFront (functions/http/origin.ts): every HTTP
 * handler, and WebSocket $connect (the other WebSocket routes act only for connections it accepted).
 */
export function verifiesOrigin(key: string): boolean {
  return (
    [...HTTP_ROUTES, HTTP_DEFAULT_ROUTE].some((route) => `${route.handler.module}.${route.handler.export}` === key) ||
    WS_ROUTES.some((route) => route.routeKey === '$connect' && `${route.handler.module}.${route.handler.export}` === key)
  );
}

/** Serves HTTP or WebSocket traffic (and so checks the request's Origin against PUBLIC_ORIGIN). */
export function servesRequests(key: string): boolean {
  return [...HTTP_ROUTES, HTTP_DEFAULT_ROUTE, ...WS_ROUTES].some((route) => `${route.handler.module}.${route.handler.export}` === key);
}

export interface PlatoFunctionsProps {
  settings: PlatoSettings;
  tables: DataTables;
  secret: ISecret;
  /** plato/<slug>/origin, read by the functions that verify the origin. */
  originSecret: ISecret;
  /** Repository root: holds package-lock.json and functions/. */
  projectRoot: string;
  /** Directory of the handler modules; defaults to <projectRoot>/functions/handlers. */
  handlersDir?: string;
  version: string;
}

export class PlatoFunctions extends Construct {
  /** `module.export` → function. */
  readonly functions: ReadonlyMap<string, NodejsFunction>;
  readonly refs: ReadonlyMap<string, HandlerRef>;

  constructor(scope: Construct, id: string, props: PlatoFunctionsProps) {
    super(scope, id);
    const { settings, projectRoot } = props;
    const handlersDir = props.handlersDir ?? path.join(projectRoot, 'functions', 'handlers');
    const refs = allHandlers();
    assertHandlerFilesExist(refs, handlersDir, projectRoot);
    const entriesDir = path.join(projectRoot, 'node_modules', '.cache', 'plato-cdk', 'entries');
    mkdirSync(entriesDir, { recursive: true });
    const entries = writeEntries(entriesDir, handlersDir, refs);

    const functions = new Map<string, NodejsFunction>();
    for (const [key, ref] of refs) {
      const fnId = handlerId(key);
      const logGroup = new LogGroup(this, `${fnId}Logs`, {
        retention: settings.logRetentionDays as RetentionDays,
        removalPolicy: settings.stage === 'prod' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      });
      // An explicit role instead of AWSLambdaBasicExecutionRole: it may write to its own log group only.
      const role = new Role(this, `${fnId}Role`, {
        assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
        description: `Plato ${settings.slug}: ${key}`,
      });
      role.addToPrincipalPolicy(
        new PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }),
      );

      const fn = new NodejsFunction(this, fnId, {
        description: `Plato ${settings.slug}: ${key}`,
        entry: entries.get(key)!,
        handler: ref.export,
        runtime: Runtime.NODEJS_22_X,
        architecture: Architecture.ARM_64,
        memorySize: ref.memoryMb ?? DEFAULT_MEMORY_MB,
        timeout: Duration.seconds(ref.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS),
        role,
        logGroup,
        projectRoot,
        depsLockFilePath: path.join(projectRoot, 'package-lock.json'),
        environment: this.environmentFor(key, ref, props),
        bundling: {
          format: OutputFormat.ESM,
          target: 'node22',
          mainFields: ['module', 'main'],
          minify: true,
          sourceMap: true,
          sourceMapMode: SourceMapMode.DEFAULT,
          sourcesContent: false,
          metafile: true,
          banner: ESM_REQUIRE_BANNER,
          externalModules: EXTERNAL_MODULES,
          forceDockerBundling: false,
          logLevel: LogLevel.WARNING,
          esbuildArgs: { '--alias:whatwg-url': WHATWG_URL_ALIAS, '--alias:form-data': FORM_DATA_ALIAS },
        },
      });

      for (const tableKey of ref.needs.tables) grantTable(props.tables.table(tableKey), TABLES[tableKey].globalIndexes.map((i) => i.indexName), fn);
      if (needsSecret(key, ref)) props.secret.grantRead(fn);
      if (verifiesOrigin(key)) props.originSecret.grantRead(fn);
      functions.set(key, fn);
    }
    this.functions = functions;
    this.refs = refs;
  }

  private environmentFor(key: string, ref: HandlerRef, props: PlatoFunctionsProps): Record<string, string> {
    const { settings } = props;
    const environment: Record<string, string> = {
      POWERTOOLS_SERVICE_NAME: 'plato',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      NODE_OPTIONS: '--enable-source-maps',
      RESTAURANT_ID: settings.slug,
      PLATO_VERSION: props.version,
      COOKIE_SECURE: 'true',
    };
    if (needsSecret(key, ref)) environment.PLATO_SECRET_ARN = props.secret.secretArn;
    if (verifiesOrigin(key)) environment.PLATO_ORIGIN_SECRET_ARN = props.originSecret.secretArn;
    if (ref.needs.mongo) {
      environment.MONGODB_DB = settings.mongoDb;
      for (const collection of Object.keys(COLLECTION_DEFAULTS) as CollectionKey[]) {
        environment[collectionEnvVar(collection)] = settings.collections[collection] ?? COLLECTION_DEFAULTS[collection];
      }
    }
    for (const tableKey of ref.needs.tables) environment[TABLES[tableKey].envVar] = props.tables.table(tableKey).tableName;
    if (ref.module === 'setup') {
      // Settings the setup task writes into the restaurant document when it is first created.
      Object.assign(environment, {
        RESTAURANT_NAME: settings.restaurantName,
        CURRENCY: settings.currency,
        TAX_RATE_BPS: String(settings.taxRateBps),
        TIME_ZONE: settings.timeZone,
        LOCALE: settings.locale,
      });
    }
    return environment;
  }

  fn(key: string): NodejsFunction {
    const fn = this.functions.get(key);
    if (!fn) throw new Error(`No function for handler ${key}`);
    return fn;
  }

  fnOf(ref: HandlerRef): NodejsFunction {
    return this.fn(`${ref.module}.${ref.export}`);
  }

  /** Sets a variable on every function for which `select` is true (values known only after the APIs exist). */
  addEnvironment(name: string, value: string, select: (key: string, ref: HandlerRef) => boolean): void {
    for (const [key, fn] of this.functions) {
      if (select(key, this.refs.get(key)!)) fn.addEnvironment(name, value);
    }
  }
}

/**
 * Item reads and writes on one table (and its indexes), nothing else: no table management,
 * no streams, no wildcard actions. The actions are those the functions' SDK calls use.
 */
export const TABLE_DATA_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
];

function grantTable(table: TableV2, indexNames: readonly string[], fn: NodejsFunction): void {
  // Each index by name, so the policy holds no wildcard at all.
  const resources = [table.tableArn, ...indexNames.map((name) => `${table.tableArn}/index/${name}`)];
  fn.addToRolePolicy(new PolicyStatement({ actions: TABLE_DATA_ACTIONS, resources }));
}

export class MissingHandlerError extends Error {
  override name = 'MissingHandlerError';
}

function assertHandlerFilesExist(refs: Map<string, HandlerRef>, handlersDir: string, projectRoot: string): void {
  const missing = new Map<string, string[]>();
  for (const [key, ref] of refs) {
    const file = path.join(handlersDir, `${ref.module}.ts`);
    if (!existsSync(file)) missing.set(file, [...(missing.get(file) ?? []), key]);
  }
  if (missing.size === 0) return;
  const lines = [...missing].map(([file, keys]) => `  ${path.relative(projectRoot, file)} (for ${keys.join(', ')})`);
  throw new MissingHandlerError(`Missing handler file${missing.size > 1 ? 's' : ''} named by functions/routes.ts:\n${lines.join('\n')}`);
}

/** The bundle a handler belongs to: its module, split by whether it needs MongoDB. */
export const bundleGroupOf = (ref: HandlerRef): string => (ref.needs.mongo ? ref.module : `${ref.module}.no-mongo`);

/** Writes `export { a, b } from '<handler module>'` per bundle group (only when changed); returns key → entry file. */
function writeEntries(entriesDir: string, handlersDir: string, refs: Map<string, HandlerRef>): Map<string, string> {
  const groups = new Map<string, HandlerRef[]>();
  for (const ref of refs.values()) groups.set(bundleGroupOf(ref), [...(groups.get(bundleGroupOf(ref)) ?? []), ref]);
  const files = new Map<string, string>();
  for (const [group, members] of groups) {
    const file = path.join(entriesDir, `${group}.ts`);
    let target = path.relative(entriesDir, path.join(handlersDir, `${members[0].module}.ts`)).split(path.sep).join('/');
    if (!target.startsWith('.')) target = `./${target}`;
    const names = [...new Set(members.map((m) => m.export))].sort();
    const content = `// Generated by lib/functions.ts: the ${group} bundle.\nexport { ${names.join(', ')} } from '${target}';\n`;
    if (!existsSync(file) || readFileSync(file, 'utf8') !== content) writeFileSync(file, content);
    for (const member of members) files.set(`${member.module}.${member.export}`, file);
  }
  return files;
}
