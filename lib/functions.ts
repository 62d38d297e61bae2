/**
 * One Lambda function per function group of the route table (functions/routes.ts FUNCTION_GROUPS):
 * about ten functions for every route, instead of one per route.
 *
 * Each group is bundled from a generated entry that imports the group's handlers by name and hands
 * them to functions/dispatch.ts `groupHandler`, so esbuild leaves out everything they do not use: a
 * group none of whose handlers touches MongoDB carries no driver. Each function has its own role,
 * granted the union of its routes' `needs` and nothing more, and its own log group.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { HTTP_DEFAULT_ROUTE, HTTP_ROUTES, WS_ROUTES, functionGroups, handlerFile, type FunctionGroup, type FunctionGroupSpec, type HandlerRef } from '../functions/routes.ts';
import { TABLES } from '../functions/tables.ts';
import { COLLECTION_DEFAULTS, collectionEnvVar, type CollectionKey } from '../functions/platform/config.ts';
import type { DataTables } from './data-tables.ts';
import type { PlatoSettings } from './settings.ts';
import { functionBundlingHooks } from './bundling/hooks.ts';

import { BUNDLE_ALIAS_ARGS, BUNDLE_ALIASES, ESM_REQUIRE_BANNER, EXTERNAL_MODULES, externalModulesFor, FORM_DATA_ALIAS, FUNCTION_NODE_OPTIONS, MONGODB_OPTIONAL_MODULES, WHATWG_URL_ALIAS } from './bundling/options.ts';

export { BUNDLE_ALIASES, ESM_REQUIRE_BANNER, EXTERNAL_MODULES, externalModulesFor, FORM_DATA_ALIAS, FUNCTION_NODE_OPTIONS, MONGODB_OPTIONAL_MODULES, WHATWG_URL_ALIAS };

/** `staff-floor` → `StaffFloor`, `staff-auth.login` → `StaffAuthLogin` (construct ids). */
export const handlerId = (key: string): string =>
  key
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');

const keyOf = (ref: HandlerRef): string => `${ref.module}.${ref.export}`;

/** Handlers behind a staff route verify staff JWTs, whose signing key lives in the secret. */
function verifiesStaffTokens(key: string): boolean {
  return HTTP_ROUTES.some((route) => keyOf(route.handler) === key && route.auth.kind === 'staff');
}

/** Reads the secret: MONGODB_URI for the driver, JWT_SECRET for staff tokens. */
export const needsSecret = (key: string, ref: HandlerRef): boolean => ref.needs.mongo || verifiesStaffTokens(key);

/**
 * Refuses requests that did not come through CloudFront (functions/http/origin.ts): every HTTP
 * handler, and WebSocket $connect (the other WebSocket routes act only for connections it accepted).
 */
export function verifiesOrigin(key: string): boolean {
  return (
    [...HTTP_ROUTES, HTTP_DEFAULT_ROUTE].some((route) => keyOf(route.handler) === key) ||
    WS_ROUTES.some((route) => route.routeKey === '$connect' && keyOf(route.handler) === key)
  );
}

/** Serves HTTP or WebSocket traffic (and so checks the request's Origin against PUBLIC_ORIGIN). */
function servesRequests(key: string): boolean {
  return [...HTTP_ROUTES, HTTP_DEFAULT_ROUTE, ...WS_ROUTES].some((route) => keyOf(route.handler) === key);
}

/** What a function needs is what any of its handlers needs. */
const anyHandler = (spec: FunctionGroupSpec, test: (key: string, ref: HandlerRef) => boolean): boolean =>
  [...spec.handlers].some(([key, ref]) => test(key, ref));
export const groupNeedsSecret = (spec: FunctionGroupSpec): boolean => anyHandler(spec, needsSecret);
export const groupVerifiesOrigin = (spec: FunctionGroupSpec): boolean => anyHandler(spec, (key) => verifiesOrigin(key));
export const groupServesRequests = (spec: FunctionGroupSpec): boolean => anyHandler(spec, (key) => servesRequests(key));

export interface PlatoFunctionsProps {
  settings: PlatoSettings;
  tables: DataTables;
  secret: ISecret;
  /** plato/<slug>/origin, read by the functions that verify the origin. */
  originSecret: ISecret;
  /** Repository root: holds package-lock.json and functions/. */
  projectRoot: string;
  /** The folder each handler's module is under (`<slice>/handlers/<module>.ts`); defaults to <projectRoot>/functions. */
  functionsDir?: string;
  version: string;
}

export class PlatoFunctions extends Construct {
  /** Function group → function. */
  readonly functions: ReadonlyMap<FunctionGroup, NodejsFunction>;
  readonly groups: ReadonlyMap<FunctionGroup, FunctionGroupSpec>;

  constructor(scope: Construct, id: string, props: PlatoFunctionsProps) {
    super(scope, id);
    const { settings, projectRoot } = props;
    const functionsDir = props.functionsDir ?? path.join(projectRoot, 'functions');
    const groups = functionGroups();
    assertHandlerFilesExist(groups, functionsDir, projectRoot);
    const entriesDir = path.join(projectRoot, 'node_modules', '.cache', 'plato-cdk', 'entries');
    mkdirSync(entriesDir, { recursive: true });

    const functions = new Map<FunctionGroup, NodejsFunction>();
    for (const [group, spec] of groups) {
      const fnId = handlerId(group);
      const logGroup = new LogGroup(this, `${fnId}Logs`, {
        retention: settings.logRetentionDays as RetentionDays,
        removalPolicy: settings.stage === 'prod' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      });
      // An explicit role instead of AWSLambdaBasicExecutionRole: it may write to its own log group only.
      const role = new Role(this, `${fnId}Role`, {
        assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
        description: `Plato ${settings.slug}: ${group} function`,
      });
      role.addToPrincipalPolicy(
        new PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }),
      );

      const fn = new NodejsFunction(this, fnId, {
        description: `Plato ${settings.slug}: ${group} (${spec.what})`.slice(0, 256),
        entry: writeEntry(entriesDir, functionsDir, spec, projectRoot),
        handler: 'handler',
        runtime: Runtime.NODEJS_22_X,
        architecture: Architecture.ARM_64,
        memorySize: spec.memoryMb,
        timeout: Duration.seconds(spec.timeoutSeconds),
        role,
        logGroup,
        projectRoot,
        depsLockFilePath: path.join(projectRoot, 'package-lock.json'),
        environment: this.environmentFor(spec, props),
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
          externalModules: externalModulesFor(spec),
          // The source map cut down to our own code; the resize function's sharp (a native library) copied beside its bundle for linux-arm64.
          commandHooks: functionBundlingHooks(projectRoot, spec),
          forceDockerBundling: false,
          logLevel: LogLevel.WARNING,
          esbuildArgs: BUNDLE_ALIAS_ARGS,
        },
      });

      for (const tableKey of spec.needs.tables) grantTable(props.tables.table(tableKey), TABLES[tableKey].globalIndexes.map((i) => i.indexName), fn);
      if (groupNeedsSecret(spec)) props.secret.grantRead(fn);
      if (groupVerifiesOrigin(spec)) props.originSecret.grantRead(fn);
      if (spec.needs.sms) {
        // SMS to a phone number has no resource ARN; no topic may be published to.
        fn.addToRolePolicy(new PolicyStatement({ actions: ['sns:Publish'], resources: ['*'] }));
        fn.addToRolePolicy(
          new PolicyStatement({ effect: Effect.DENY, actions: ['sns:Publish'], resources: [`arn:${Stack.of(this).partition}:sns:*:*:*`] }),
        );
      }
      functions.set(group, fn);
    }
    this.functions = functions;
    this.groups = groups;
  }

  private environmentFor(spec: FunctionGroupSpec, props: PlatoFunctionsProps): Record<string, string> {
    const { settings } = props;
    const environment: Record<string, string> = {
      POWERTOOLS_SERVICE_NAME: 'plato',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      RESTAURANT_ID: settings.slug,
      PLATO_VERSION: props.version,
      COOKIE_SECURE: 'true',
    };
    if (FUNCTION_NODE_OPTIONS) environment.NODE_OPTIONS = FUNCTION_NODE_OPTIONS;
    if (groupNeedsSecret(spec)) environment.PLATO_SECRET_ARN = props.secret.secretArn;
    if (groupVerifiesOrigin(spec)) environment.PLATO_ORIGIN_SECRET_ARN = props.originSecret.secretArn;
    if (spec.needs.mongo) {
      environment.MONGODB_DB = settings.mongoDb;
      environment.POS_MONEY_UNIT = settings.posMoneyUnit;
      for (const collection of Object.keys(COLLECTION_DEFAULTS) as CollectionKey[]) {
        environment[collectionEnvVar(collection)] = settings.collections[collection] ?? COLLECTION_DEFAULTS[collection];
      }
    }
    for (const tableKey of spec.needs.tables) environment[TABLES[tableKey].envVar] = props.tables.table(tableKey).tableName;
    if (spec.tasks.some((task) => task.module === 'setup')) {
      // Settings the setup task writes into the restaurant document when it is first created.
      Object.assign(environment, {
        RESTAURANT_NAME: settings.restaurantName,
        CURRENCY: settings.currency,
        TAX_RATE_BPS: String(settings.taxRateBps),
        TIME_ZONE: settings.timeZone,
        LOCALE: settings.locale,
        GUEST_DATA_RETENTION_DAYS: String(settings.guestDataRetentionDays),
      });
    }
    return environment;
  }

  fn(group: FunctionGroup): NodejsFunction {
    const fn = this.functions.get(group);
    if (!fn) throw new Error(`No function for group ${group}`);
    return fn;
  }

  /** The function that serves a handler. */
  fnOf(ref: HandlerRef): NodejsFunction {
    return this.fn(ref.group);
  }

  /** Sets a variable on every function for which `select` is true (values known only after the APIs exist). */
  addEnvironment(name: string, value: string, select: (spec: FunctionGroupSpec) => boolean): void {
    for (const [group, fn] of this.functions) {
      if (select(this.groups.get(group)!)) fn.addEnvironment(name, value);
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

function assertHandlerFilesExist(groups: Map<FunctionGroup, FunctionGroupSpec>, functionsDir: string, projectRoot: string): void {
  const missing = new Map<string, string[]>();
  for (const spec of groups.values()) {
    for (const [key, ref] of spec.handlers) {
      const file = path.join(functionsDir, handlerFile(ref));
      if (!existsSync(file)) missing.set(file, [...(missing.get(file) ?? []), key]);
    }
  }
  if (missing.size === 0) return;
  const lines = [...missing].map(([file, keys]) => `  ${path.relative(projectRoot, file)} (for ${keys.join(', ')})`);
  throw new MissingHandlerError(`Missing handler file${missing.size > 1 ? 's' : ''} named by functions/routes.ts:\n${lines.join('\n')}`);
}

const importPath = (from: string, to: string): string => {
  const relative = path.relative(from, to).split(path.sep).join('/');
  return relative.startsWith('.') ? relative : `./${relative}`;
};

/**
 * The entry module of one group's bundle: named imports of the group's handlers (so esbuild can drop
 * what they do not use) handed to groupHandler. Written only when changed; returns its path.
 */
export function groupEntrySource(spec: FunctionGroupSpec, entriesDir: string, functionsDir: string, projectRoot: string): string {
  const byModule = new Map<string, Set<string>>();
  for (const ref of spec.handlers.values()) byModule.set(ref.module, (byModule.get(ref.module) ?? new Set()).add(ref.export));
  const modules = [...byModule].sort(([a], [b]) => a.localeCompare(b));
  const fileOf = (module: string): string => path.join(functionsDir, handlerFile({ group: spec.group, module }));
  const lines = [`// Generated by lib/functions.ts: the ${spec.group} function.`];
  lines.push(`import { groupHandler } from '${importPath(entriesDir, path.join(projectRoot, 'functions', 'dispatch.ts'))}';`);
  modules.forEach(([module, exports], i) => {
    const names = [...exports].sort().map((name) => `${name} as m${i}_${name}`);
    lines.push(`import { ${names.join(', ')} } from '${importPath(entriesDir, fileOf(module))}';`);
  });
  const table = modules.map(([module, exports], i) => `  '${module}': { ${[...exports].sort().map((name) => `${name}: m${i}_${name}`).join(', ')} },`);
  lines.push(`export const handler = groupHandler('${spec.group}', {`, ...table, '});', '');
  return lines.join('\n');
}

function writeEntry(entriesDir: string, functionsDir: string, spec: FunctionGroupSpec, projectRoot: string): string {
  const file = path.join(entriesDir, `${spec.group}.ts`);
  const content = groupEntrySource(spec, entriesDir, functionsDir, projectRoot);
  if (existsSync(file) && readFileSync(file, 'utf8') === content) return file;
  // Written whole, then renamed: synths running side by side (the test workers) never bundle a half-written entry.
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, content);
  renameSync(partial, file);
  return file;
}
