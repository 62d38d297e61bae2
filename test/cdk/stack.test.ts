/**
 * The restaurant stack as CloudFormation, without bundling (esbuild runs in bundles.test.ts).
 * One app, synthesized once: `demo` (dev, CloudFront domain) and `bistro` (prod, custom domain,
 * alarm email, a collection override), so the same synth also shows two restaurants side by side.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Stack, type CfnElement } from 'aws-cdk-lib';
import { Template as Assertions } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_GROUPS, HTTP_DEFAULT_ROUTE, HTTP_ROUTES, WS_ROUTES, allHandlers, functionGroups, routeKeyOf, type FunctionGroup } from '../../functions/routes.ts';
import { TABLE_LIST, type TableKey } from '../../functions/tables.ts';
import { COLLECTION_DEFAULTS, collectionEnvVar, type CollectionKey } from '../../functions/platform/config.ts';
import { buildApp, type BuiltApp } from '../../lib/app.ts';
import { groupNeedsSecret, groupServesRequests, groupVerifiesOrigin, MissingHandlerError, verifiesOrigin } from '../../lib/functions.ts';
import type { PlatoStack } from '../../lib/plato-stack.ts';
import { contentSecurityPolicy } from '../../lib/csp.ts';
import { VIEWER_IP_CODE } from '../../lib/viewer-ip.ts';
import { asList, findCycle, references, resourcesOfType, statementsOfRole, type Template } from './template-graph.ts';

const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';
const ORIGIN_SECRET_VERSION = 'EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE';
const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666';

let outdir: string;
let built: BuiltApp;
let demo: PlatoStack;
let bistro: PlatoStack;
const templates = new Map<string, Template>();
let report: { pluginReports: { pluginName: string; conclusion: string; violations: unknown[]; suppressedViolations: { acknowledgedId: string; reason: string }[] }[] };

beforeAll(() => {
  outdir = mkdtempSync(path.join(tmpdir(), 'plato-cdk-'));
  built = buildApp({
    outdir,
    bundle: false,
    webDistDir: path.join(outdir, 'no-web-dist'),
    context: { deployStamp: '2026-01-01T00:00:00.000Z' },
    restaurants: [
      { restaurant: 'demo' },
      {
        restaurant: 'bistro',
        stage: 'prod',
        domain: 'order.bistro.example',
        certificateArn: CERTIFICATE,
        alarmEmail: 'ops@bistro.example',
        collections: '{"orders":"pos_orders"}',
        restaurantName: 'Bistro',
        originSecretVersion: ORIGIN_SECRET_VERSION,
      },
    ],
  });
  [demo, bistro] = built.stacks;
  built.app.synth(); // throws on any unacknowledged cdk-nag finding
  for (const stack of [...built.stacks, built.account]) {
    templates.set(stack.stackName, JSON.parse(readFileSync(path.join(outdir, `${stack.stackName}.template.json`), 'utf8')));
  }
  report = JSON.parse(readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
}, 120_000);

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const template = (stack: PlatoStack): Template => templates.get(stack.stackName)!;
const logicalId = (construct: { node: { defaultChild?: unknown } }, stack: PlatoStack) =>
  Stack.of(stack).getLogicalId(construct.node.defaultChild as CfnElement);

/** Function group → the function's logical id, found by its description. */
function functionIds(stack: PlatoStack): Map<FunctionGroup, string> {
  const ids = new Map<FunctionGroup, string>();
  for (const [id, resource] of resourcesOfType(template(stack), 'AWS::Lambda::Function')) {
    const group = /^Plato [a-z0-9-]+: ([a-z-]+) \(/.exec(resource.Properties.Description ?? '')?.[1];
    if (group) ids.set(group as FunctionGroup, id);
  }
  return ids;
}

const specOf = (group: FunctionGroup) => functionGroups().get(group)!;

const tableIds = (stack: PlatoStack): Record<TableKey, string> =>
  Object.fromEntries(TABLE_LIST.map((def) => [def.key, logicalId(stack.tables.table(def.key), stack)])) as Record<TableKey, string>;

describe('stacks', () => {
  it('are named Plato-<slug>, one per restaurant, plus the shared PlatoAccount stack', () => {
    expect(built.stacks.map((s) => s.stackName)).toEqual(['Plato-demo', 'Plato-bistro']);
    expect(built.account.stackName).toBe('PlatoAccount');
    expect(demo.dependencies.map((s) => s.stackName)).toEqual(['PlatoAccount', 'PlatoEdge-demo']);
  });

  it('pass cdk-nag AwsSolutions with no unacknowledged finding, and every acknowledgement has a reason', () => {
    const plugin = report.pluginReports.find((p) => p.pluginName === 'AwsSolutions');
    expect(plugin).toBeDefined();
    expect(plugin!.violations).toEqual([]);
    expect(plugin!.conclusion).toBe('success');
    for (const acknowledged of plugin!.suppressedViolations) expect(acknowledged.reason.length).toBeGreaterThan(60);
  });

  it('have no dependency cycle (PUBLIC_ORIGIN comes from the distribution, which depends on the APIs only)', () => {
    for (const stack of built.stacks) expect(findCycle(template(stack))).toBeUndefined();
  });

  it('hold one Lambda function per function group of the route table', () => {
    for (const stack of built.stacks) expect([...functionIds(stack).keys()].sort()).toEqual([...functionGroups().keys()].sort());
  });

  it('fit CloudFormation with room to grow: at most 200 resources and 15 Lambda functions (figures printed)', () => {
    const resources = Object.keys(template(demo).Resources).length;
    const functions = resourcesOfType(template(demo), 'AWS::Lambda::Function').length;
    console.log(`Plato-demo: ${resources} CloudFormation resources (limit 500), ${functions} Lambda functions (${functionGroups().size} of Plato's)`);
    expect(resources).toBeLessThanOrEqual(200);
    expect(functions).toBeLessThanOrEqual(15);
  });
});

describe('HTTP API', () => {
  it('has every route of the table, each integrated (payload 2.0) with its own handler, plus $default', () => {
    const t = template(demo);
    const fns = functionIds(demo);
    const routes = resourcesOfType(t, 'AWS::ApiGatewayV2::Route').filter(([, r]) => references(r.Properties.ApiId).has(logicalId(demo.httpApi.api, demo)));
    const byKey = new Map(routes.map(([, r]) => [r.Properties.RouteKey, r]));
    expect([...byKey.keys()].sort()).toEqual([...HTTP_ROUTES.map(routeKeyOf), '$default'].sort());
    for (const route of [...HTTP_ROUTES, HTTP_DEFAULT_ROUTE]) {
      const key = route === HTTP_DEFAULT_ROUTE ? '$default' : routeKeyOf(route);
      const [integrationId] = [...references(byKey.get(key)!.Properties.Target)];
      const integration = t.Resources[integrationId];
      expect(integration.Type, key).toBe('AWS::ApiGatewayV2::Integration');
      expect(integration.Properties.IntegrationType).toBe('AWS_PROXY');
      expect(integration.Properties.PayloadFormatVersion).toBe('2.0');
      expect([...references(integration.Properties.IntegrationUri)], key).toEqual([fns.get(route.handler.group)]);
    }
  });

  it('has a $default stage with throttling and JSON access logs kept for the retention period', () => {
    const assertions = Assertions.fromJSON(template(demo));
    assertions.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 500, ThrottlingBurstLimit: 1000 },
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [logicalId(demo.httpApi.accessLogs, demo), 'Arn'] } },
    });
    const stage = resourcesOfType(template(demo), 'AWS::ApiGatewayV2::Stage').find(([, r]) => r.Properties.StageName === '$default')![1];
    expect(JSON.parse(stage.Properties.AccessLogSettings.Format)).toMatchObject({ requestId: '$context.requestId', status: '$context.status' });
    assertions.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });
});

describe('WebSocket API', () => {
  it('routes by $request.body.action to each WS_ROUTES handler, stage `ws` auto-deployed with throttling and logs', () => {
    const t = template(demo);
    const fns = functionIds(demo);
    const apiId = logicalId(demo.webSocketApi.api, demo);
    expect(t.Resources[apiId].Properties).toMatchObject({ ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' });
    const routes = resourcesOfType(t, 'AWS::ApiGatewayV2::Route').filter(([, r]) => references(r.Properties.ApiId).has(apiId));
    expect(routes.map(([, r]) => r.Properties.RouteKey).sort()).toEqual(WS_ROUTES.map((r) => r.routeKey).sort());
    for (const route of WS_ROUTES) {
      const [, resource] = routes.find(([, r]) => r.Properties.RouteKey === route.routeKey)!;
      const integration = t.Resources[[...references(resource.Properties.Target)][0]];
      expect(references(integration.Properties.IntegrationUri).has(fns.get(route.handler.group)!), route.routeKey).toBe(true);
    }
    Assertions.fromJSON(t).hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      ApiId: { Ref: apiId },
      StageName: 'ws',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 500, ThrottlingBurstLimit: 1000 },
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [logicalId(demo.webSocketApi.accessLogs, demo), 'Arn'] } },
    });
  });
});

describe('functions', () => {
  it('run nodejs22.x on arm64 with their group memory and timeout, logging to their own log group', () => {
    const t = template(demo);
    for (const [group, id] of functionIds(demo)) {
      const props = t.Resources[id].Properties;
      expect(props, group).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        MemorySize: FUNCTION_GROUPS[group].memoryMb,
        Timeout: FUNCTION_GROUPS[group].timeoutSeconds,
      });
      const [logGroupId] = [...references(props.LoggingConfig.LogGroup)];
      expect(t.Resources[logGroupId].Type).toBe('AWS::Logs::LogGroup');
      expect(t.Resources[logGroupId].Properties.RetentionInDays).toBe(30);
    }
  });

  it('get exactly the configuration they need, and never a secret value', () => {
    for (const stack of built.stacks) {
      const t = template(stack);
      const tables = tableIds(stack);
      for (const [key, id] of functionIds(stack)) {
        const spec = specOf(key);
        const env: Record<string, unknown> = t.Resources[id].Properties.Environment.Variables;
        expect(env, key).toMatchObject({
          RESTAURANT_ID: stack.settings.slug,
          POWERTOOLS_SERVICE_NAME: 'plato',
          POWERTOOLS_LOG_LEVEL: 'INFO',
          COOKIE_SECURE: 'true',
        });
        // No --enable-source-maps (its scan of the bundle costs every cold start): logged errors are mapped on demand (functions/platform/source-lines.ts).
        expect('NODE_OPTIONS' in env, key).toBe(false);
        expect(Object.keys(env).filter((name) => /MONGODB_URI|JWT_SECRET|PASSWORD/.test(name)), key).toEqual([]);
        expect('PLATO_SECRET_ARN' in env, key).toBe(groupNeedsSecret(spec));
        if (groupNeedsSecret(spec)) expect(env.PLATO_SECRET_ARN).toEqual({ Ref: logicalId(stack.secret, stack) });
        expect('PLATO_ORIGIN_SECRET_ARN' in env, key).toBe(groupVerifiesOrigin(spec));
        if (groupVerifiesOrigin(spec)) expect(env.PLATO_ORIGIN_SECRET_ARN).toEqual({ Ref: logicalId(stack.originSecret, stack) });
        expect('ORIGIN_VERIFY_SECRET' in env, key).toBe(false); // the local stand-in, never set in AWS
        expect('MONGODB_DB' in env, key).toBe(spec.needs.mongo);
        if (spec.needs.mongo) {
          expect(env.MONGODB_DB).toBe('plato');
          for (const collection of Object.keys(COLLECTION_DEFAULTS) as CollectionKey[]) {
            const expected = stack === bistro && collection === 'orders' ? 'pos_orders' : COLLECTION_DEFAULTS[collection];
            expect(env[collectionEnvVar(collection)], `${key} ${collection}`).toBe(expected);
          }
        }
        for (const def of TABLE_LIST) {
          if (spec.needs.tables.includes(def.key)) expect(env[def.envVar], `${key} ${def.envVar}`).toEqual({ Ref: tables[def.key] });
          else expect(env[def.envVar], `${key} ${def.envVar}`).toBeUndefined();
        }
        expect('WS_MANAGEMENT_ENDPOINT' in env, key).toBe(spec.needs.push);
        if (spec.needs.push) {
          expect(JSON.stringify(env.WS_MANAGEMENT_ENDPOINT)).toContain(logicalId(stack.webSocketApi.api, stack));
          expect(JSON.stringify(env.WS_MANAGEMENT_ENDPOINT)).toMatch(/\/ws"\]\]\}$/);
        }
        expect('PUBLIC_ORIGIN' in env, key).toBe(groupServesRequests(spec));
      }
    }
  });

  it('reach the apps origin: PUBLIC_ORIGIN is the distribution domain, or the custom domain', () => {
    const demoEnv = template(demo).Resources[functionIds(demo).get('orders')!].Properties.Environment.Variables;
    expect(demoEnv.PUBLIC_ORIGIN).toEqual({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalId(demo.web.distribution, demo), 'DomainName'] }]] });
    const bistroEnv = template(bistro).Resources[functionIds(bistro).get('orders')!].Properties.Environment.Variables;
    expect(bistroEnv.PUBLIC_ORIGIN).toBe('https://order.bistro.example');
  });

  it('are granted only the union of their routes\' needs: named tables and indexes, the secret, @connections, SMS', () => {
    const t = template(demo);
    const tables = tableIds(demo);
    const secretId = logicalId(demo.secret, demo);
    for (const [key, id] of functionIds(demo)) {
      const spec = specOf(key);
      const [roleId] = [...references(t.Resources[id].Properties.Role)];
      const all = statementsOfRole(t, roleId);
      // Texting a code: SMS publishing has no resource ARN, so sns:Publish on *, with every topic denied.
      const sns = all.filter((s) => asList<string>(s.Action).includes('sns:Publish'));
      const everyTopic = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sns:*:*:*']] };
      expect(sns.map((s) => [s.Effect, asList(s.Resource)]), `${key} sms`).toEqual(spec.needs.sms ? [['Allow', ['*']], ['Deny', [everyTopic]]] : []);
      const statements = all.filter((s) => !sns.includes(s));
      for (const statement of statements) {
        expect(statement.Effect).toBe('Allow');
        expect(asList(statement.Resource), `${key} resource`).not.toContain('*');
        for (const action of asList<string>(statement.Action)) expect(action.endsWith('*') && !action.startsWith('execute-api'), `${key} ${action}`).toBe(false);
      }

      const dynamo = statements.filter((s) => asList<string>(s.Action).some((a) => a.startsWith('dynamodb:')));
      const touched = new Set(dynamo.flatMap((s) => [...references(s.Resource)]));
      expect([...touched].sort(), key).toEqual(spec.needs.tables.map((k) => tables[k]).sort());
      for (const statement of dynamo) {
        expect(asList<string>(statement.Action).every((a) => a.startsWith('dynamodb:') && !a.includes('*')), key).toBe(true);
        expect(asList<string>(statement.Action)).not.toContain('dynamodb:Scan');
      }

      const readsSecret = statements.some((s) => asList<string>(s.Action).includes('secretsmanager:GetSecretValue') && references(s.Resource).has(secretId));
      expect(readsSecret, `${key} secret`).toBe(groupNeedsSecret(spec));
      const readsOriginSecret = statements.some(
        (s) => asList<string>(s.Action).includes('secretsmanager:GetSecretValue') && references(s.Resource).has(logicalId(demo.originSecret, demo)),
      );
      expect(readsOriginSecret, `${key} origin secret`).toBe(groupVerifiesOrigin(spec));
      const manages = statements.some((s) => asList<string>(s.Action).includes('execute-api:ManageConnections'));
      expect(manages, `${key} push`).toBe(spec.needs.push);
      const logs = statements.filter((s) => asList<string>(s.Action).some((a) => a.startsWith('logs:')));
      expect(logs.flatMap((s) => [...references(s.Resource)]), `${key} logs`).toEqual([...references(t.Resources[id].Properties.LoggingConfig.LogGroup)]);
      expect(t.Resources[roleId].Properties.ManagedPolicyArns, `${key} managed policies`).toBeUndefined();
    }
  });
});

describe('SMS', () => {
  it('only the function serving identify may text: its group alone needs sms', () => {
    const texting = [...functionGroups()].filter(([, spec]) => spec.needs.sms).map(([group]) => group);
    const identify = HTTP_ROUTES.find((route) => routeKeyOf(route) === 'POST /api/customers/identify')!;
    expect(texting).toEqual([identify.handler.group]);
    expect(HTTP_ROUTES.filter((route) => route.handler.needs.sms).map(routeKeyOf)).toEqual(['POST /api/customers/identify']);
  });
});

describe('data', () => {
  it('creates the DynamoDB tables from functions/tables.ts: on demand, TTL, PITR, AWS-managed encryption', () => {
    for (const def of TABLE_LIST) {
      const resource = template(demo).Resources[tableIds(demo)[def.key]];
      expect(resource.Type).toBe('AWS::DynamoDB::GlobalTable');
      expect(resource.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        TimeToLiveSpecification: { AttributeName: def.expiryAttribute, Enabled: true },
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
        KeySchema: [{ AttributeName: def.partitionKey.name, KeyType: 'HASH' }],
      });
      expect(resource.Properties.Replicas[0].PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
      expect((resource.Properties.GlobalSecondaryIndexes ?? []).map((i: { IndexName: string }) => i.IndexName)).toEqual(def.globalIndexes.map((i) => i.indexName));
    }
  });

  it('protects tables, secret, buckets and logs in prod and lets dev stacks be torn down', () => {
    const table = (stack: PlatoStack, key: TableKey) => template(stack).Resources[tableIds(stack)[key]];
    expect(table(bistro, 'connections').DeletionPolicy).toBe('Retain');
    expect(table(bistro, 'connections').Properties.Replicas[0].DeletionProtectionEnabled).toBe(true);
    expect(table(demo, 'connections').DeletionPolicy).toBe('Delete');
    expect(table(demo, 'connections').Properties.Replicas[0].DeletionProtectionEnabled).toBe(false);
    expect(template(bistro).Resources[logicalId(bistro.secret, bistro)].DeletionPolicy).toBe('Retain');
    expect(template(bistro).Resources[logicalId(bistro.web.bucket, bistro)].DeletionPolicy).toBe('Retain');
    expect(resourcesOfType(template(bistro), 'Custom::S3AutoDeleteObjects')).toEqual([]);
    expect(template(bistro).Resources[logicalId(bistro.web.mediaBucket, bistro)].DeletionPolicy).toBe('Retain');
    expect(resourcesOfType(template(demo), 'Custom::S3AutoDeleteObjects').length).toBe(3);
  });

  it('creates the secret plato/<slug> with a generated JWT_SECRET and a MONGODB_URI placeholder', () => {
    Assertions.fromJSON(template(demo)).hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'plato/demo',
      GenerateSecretString: { GenerateStringKey: 'JWT_SECRET', PasswordLength: 64, SecretStringTemplate: '{"MONGODB_URI":"REPLACE_WITH_MONGODB_ATLAS_URI"}' },
    });
  });

  it('runs setup as a custom resource served by the setup function itself, after the tables and the secret, on every deploy', () => {
    const t = template(demo);
    expect(resourcesOfType(t, 'Custom::Trigger')).toEqual([]);
    const [[, run], ...others] = resourcesOfType(t, 'Custom::PlatoSetup');
    expect(others).toEqual([]);
    expect(run.Properties.ServiceToken).toEqual({ 'Fn::GetAtt': [functionIds(demo).get('setup'), 'Arn'] });
    expect(run.Properties).toMatchObject({ DeployStamp: '2026-01-01T00:00:00.000Z', ServiceTimeout: String(FUNCTION_GROUPS.setup.timeoutSeconds + 30) });
    const dependsOn = asList(run.DependsOn ?? []);
    for (const id of [...Object.values(tableIds(demo)), logicalId(demo.secret, demo)]) expect(dependsOn).toContain(id);
  });

  it('schedules the retention of guests\' data daily and the payments reconciliation every 5 minutes (EventBridge → the task\'s function)', () => {
    const t = template(demo);
    const rules = resourcesOfType(t, 'AWS::Events::Rule').map(([, rule]) => rule.Properties);
    const targetOf = (expression: string) => rules.find((rule) => rule.ScheduleExpression === expression)?.Targets?.[0]?.Arn;
    expect(rules.map((rule) => rule.ScheduleExpression).sort()).toEqual(['rate(1 day)', 'rate(5 minutes)']);
    expect(targetOf('rate(1 day)')).toEqual({ 'Fn::GetAtt': [functionIds(demo).get('staff-admin'), 'Arn'] });
    // The retention period the setup task writes into the restaurant (the guestDataRetentionDays setting).
    expect(t.Resources[functionIds(demo).get('setup')!].Properties.Environment.Variables.GUEST_DATA_RETENTION_DAYS).toBe('365');
    expect(targetOf('rate(5 minutes)')).toEqual({ 'Fn::GetAtt': [functionIds(demo).get('payments'), 'Arn'] });
    for (const rule of rules) expect(rule.State).toBe('ENABLED');
    // EventBridge may invoke the retention function.
    const permissions = resourcesOfType(t, 'AWS::Lambda::Permission').map(([, permission]) => permission.Properties);
    expect(permissions).toContainEqual(expect.objectContaining({ Principal: 'events.amazonaws.com', FunctionName: { 'Fn::GetAtt': [functionIds(demo).get('staff-admin'), 'Arn'] } }));
  });

});

describe('web', () => {
  it('keeps the apps bucket private: public access blocked, TLS only, read only by this distribution', () => {
    const t = template(demo);
    const bucketId = logicalId(demo.web.bucket, demo);
    expect(t.Resources[bucketId].Properties).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      LoggingConfiguration: { DestinationBucketName: { Ref: logicalId(demo.web.logsBucket, demo) } },
    });
    expect(t.Resources[bucketId].Properties.WebsiteConfiguration).toBeUndefined();
    const [[, policy]] = resourcesOfType(t, 'AWS::S3::BucketPolicy').filter(([, p]) => p.Properties.Bucket.Ref === bucketId);
    const statements = policy.Properties.PolicyDocument.Statement;
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    for (const statement of statements.filter((s: { Effect: string }) => s.Effect === 'Allow')) {
      const principal = JSON.stringify(statement.Principal);
      if (principal.includes('cloudfront.amazonaws.com')) {
        expect(asList(statement.Action)).toEqual(['s3:GetObject']);
        expect(references(statement.Condition).has(logicalId(demo.web.distribution, demo))).toBe(true);
      } else {
        // CDK's auto-delete handler in dev stacks (its own role), never a public principal.
        expect(principal).not.toMatch(/"\*"/);
        expect(demo.settings.stage).toBe('dev');
      }
    }
  });

  it('serves /api/*, the cached menu and /ws through one CloudFront distribution with security headers', () => {
    const t = template(demo);
    const distribution = t.Resources[logicalId(demo.web.distribution, demo)].Properties.DistributionConfig;
    const behaviors = new Map<string, any>(distribution.CacheBehaviors.map((b: { PathPattern: string }) => [b.PathPattern, b]));
    expect([...behaviors.keys()]).toEqual(['/api/menu', '/api/*', '/media/*', '/ws']);
    const originDomain = (originId: string) => distribution.Origins.find((o: { Id: string }) => o.Id === originId).DomainName;

    const api = behaviors.get('/api/*');
    expect(api).toMatchObject({ CachePolicyId: CACHING_DISABLED, OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER, ViewerProtocolPolicy: 'https-only' });
    expect(api.AllowedMethods).toHaveLength(7);
    expect(references(originDomain(api.TargetOriginId)).has(logicalId(demo.httpApi.api, demo))).toBe(true);

    const menu = behaviors.get('/api/menu');
    expect(menu.TargetOriginId).toBe(api.TargetOriginId);
    const menuCache = t.Resources[[...references(menu.CachePolicyId)][0]].Properties.CachePolicyConfig;
    expect(menuCache).toMatchObject({ MinTTL: 0, DefaultTTL: 30, MaxTTL: 300 });
    expect(menuCache.ParametersInCacheKeyAndForwardedToOrigin.CookiesConfig.CookieBehavior).toBe('none');
    // `?x=<random>` must not bypass the cache: no query string in the key, none forwarded.
    expect(menuCache.ParametersInCacheKeyAndForwardedToOrigin.QueryStringsConfig.QueryStringBehavior).toBe('none');
    const menuRequests = t.Resources[[...references(menu.OriginRequestPolicyId)][0]].Properties.OriginRequestPolicyConfig;
    expect(menuRequests).toMatchObject({
      CookiesConfig: { CookieBehavior: 'none' },
      HeadersConfig: { HeaderBehavior: 'whitelist', Headers: ['x-plato-viewer-ip'] },
      QueryStringsConfig: { QueryStringBehavior: 'none' },
    });

    const ws = behaviors.get('/ws');
    expect(ws).toMatchObject({ CachePolicyId: CACHING_DISABLED, OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER });
    expect(references(originDomain(ws.TargetOriginId)).has(logicalId(demo.webSocketApi.api, demo))).toBe(true);

    const s3 = distribution.DefaultCacheBehavior;
    expect(s3.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(distribution.Origins.find((o: { Id: string }) => o.Id === s3.TargetOriginId).OriginAccessControlId).toBeDefined();
    expect(s3.FunctionAssociations).toEqual([expect.objectContaining({ EventType: 'viewer-request' })]);
    expect(distribution.Logging.Bucket).toBeDefined();

    const headers = t.Resources[[...references(s3.ResponseHeadersPolicyId)][0]].Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    // connect-src: no scheme wildcard (`wss:` would allow any host), plus the media bucket's own address for photo
    // uploads (lib/media.ts) and nothing else; with a custom domain its wss origin is named too.
    const [beforeUpload, afterUpload] = contentSecurityPolicy(undefined, 'UPLOAD').split('UPLOAD');
    expect(beforeUpload).toContain("connect-src 'self' ");
    expect(headers.ContentSecurityPolicy.ContentSecurityPolicy).toEqual({
      'Fn::Join': ['', [`${beforeUpload}https://`, { 'Fn::GetAtt': [logicalId(demo.web.mediaBucket, demo), 'RegionalDomainName'] }, afterUpload]],
    });
    const bistroHeaders = resourcesOfType(template(bistro), 'AWS::CloudFront::ResponseHeadersPolicy').map(
      ([, p]) => p.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig?.ContentSecurityPolicy?.ContentSecurityPolicy,
    );
    expect(JSON.stringify(bistroHeaders.filter(Boolean))).toContain("connect-src 'self' wss://order.bistro.example https://");
    expect(headers.FrameOptions.FrameOption).toBe('DENY');
    expect(headers.StrictTransportSecurity.AccessControlMaxAgeSec).toBe(31_536_000);
    expect(headers.ContentTypeOptions.Override).toBe(true);
    expect(headers.ReferrerPolicy.ReferrerPolicy).toBe('strict-origin-when-cross-origin');
  });

  it('uses the custom domain with TLS 1.2 when one is configured', () => {
    const distribution = template(bistro).Resources[logicalId(bistro.web.distribution, bistro)].Properties.DistributionConfig;
    expect(distribution.Aliases).toEqual(['order.bistro.example']);
    expect(distribution.ViewerCertificate).toMatchObject({ AcmCertificateArn: CERTIFICATE, MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' });
  });

  it('writes config.json with the restaurant public settings, and warns when web/dist is missing', () => {
    const [[, deployment]] = resourcesOfType(template(bistro), 'Custom::CDKBucketDeployment');
    expect(deployment.Properties).toMatchObject({ Prune: false, SystemMetadata: { 'cache-control': 'no-cache' }, DistributionPaths: ['/*'] });
    const [objectKey] = deployment.Properties.SourceObjectKeys; // web/dist is absent: config.json is the only source
    const staged = path.join(outdir, `asset.${objectKey.replace(/\.zip$/, '')}`, 'config.json');
    expect(JSON.parse(readFileSync(staged, 'utf8'))).toEqual({
      restaurantId: 'bistro',
      name: 'Bistro',
      currency: 'INR',
      locale: 'en-IN',
      timeZone: 'Asia/Kolkata',
      apiBase: '/api',
      wsUrl: '/ws',
    });
    const warnings = bistro.web.node.metadata.filter((m) => m.type === 'aws:cdk:warning').map((m) => String(m.data));
    expect(warnings.some((w) => w.includes('no index.html'))).toBe(true);
  });

  it('outputs the diner, kitchen, staff, API and WebSocket URLs and the secret ARN', () => {
    const outputs = template(bistro).Outputs;
    expect(outputs.DinerUrl.Value).toBe('https://order.bistro.example/');
    expect(outputs.KitchenUrl.Value).toBe('https://order.bistro.example/kitchen');
    expect(outputs.StaffUrl.Value).toBe('https://order.bistro.example/staff');
    expect(outputs.ApiUrl.Value).toBe('https://order.bistro.example/api');
    expect(outputs.WebSocketUrl.Value).toBe('wss://order.bistro.example/ws');
    expect(outputs.SecretArn.Value).toEqual({ Ref: logicalId(bistro.secret, bistro) });
  });

  it('outputs the execute-api addresses for the smoke check (npm run smoke -- --stack)', () => {
    const outputs = template(bistro).Outputs;
    const http = JSON.stringify(outputs.HttpApiDirectUrl.Value);
    const ws = JSON.stringify(outputs.WebSocketApiDirectUrl.Value);
    expect(http).toContain(logicalId(bistro.httpApi.api, bistro));
    expect(http).toMatch(/"https:\/\/".*execute-api/);
    expect(ws).toContain(logicalId(bistro.webSocketApi.api, bistro));
    expect(ws).toMatch(/"wss:\/\/".*execute-api.*\/ws"/);
  });
});

describe('origin verification and the viewer address', () => {
  const distributionOf = (stack: PlatoStack) => template(stack).Resources[logicalId(stack.web.distribution, stack)].Properties.DistributionConfig;
  const behaviorsOf = (stack: PlatoStack) =>
    new Map<string, any>(distributionOf(stack).CacheBehaviors.map((b: { PathPattern: string }) => [b.PathPattern, b]));
  const originOf = (stack: PlatoStack, originId: string) => distributionOf(stack).Origins.find((o: { Id: string }) => o.Id === originId);

  it('exactly the HTTP handlers and WebSocket $connect verify the origin', () => {
    const verifying = [...allHandlers().keys()].filter(verifiesOrigin).sort();
    const http = [...HTTP_ROUTES, HTTP_DEFAULT_ROUTE].map((r) => `${r.handler.module}.${r.handler.export}`);
    expect(verifying).toEqual([...new Set([...http, 'ws.connect'])].sort());
  });

  it('creates plato/<slug>/origin with a generated ORIGIN_VERIFY, kept in prod', () => {
    Assertions.fromJSON(template(demo)).hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'plato/demo/origin',
      GenerateSecretString: { GenerateStringKey: 'ORIGIN_VERIFY', PasswordLength: 64, ExcludePunctuation: true, SecretStringTemplate: '{}' },
    });
    expect(template(bistro).Resources[logicalId(bistro.originSecret, bistro)].DeletionPolicy).toBe('Retain');
    expect(template(bistro).Outputs.OriginSecretArn.Value).toEqual({ Ref: logicalId(bistro.originSecret, bistro) });
  });

  it('both API origins carry x-plato-origin-verify as a {{resolve:secretsmanager:...}} dynamic reference, never a plain value', () => {
    for (const [stack, version] of [[demo, ''], [bistro, ORIGIN_SECRET_VERSION]] as const) {
      const behaviors = behaviorsOf(stack);
      const apiOrigin = originOf(stack, behaviors.get('/api/*').TargetOriginId);
      const wsOrigin = originOf(stack, behaviors.get('/ws').TargetOriginId);
      expect(apiOrigin.Id).not.toBe(wsOrigin.Id);
      for (const origin of [apiOrigin, wsOrigin]) {
        expect(origin.OriginCustomHeaders).toEqual([
          {
            HeaderName: 'x-plato-origin-verify',
            HeaderValue: {
              'Fn::Join': [
                '',
                ['{{resolve:secretsmanager:', { Ref: logicalId(stack.originSecret, stack) }, `:SecretString:ORIGIN_VERIFY::${version}}}`],
              ],
            },
          },
        ]);
      }
      // The apps' S3 origin gets no secret.
      expect(originOf(stack, distributionOf(stack).DefaultCacheBehavior.TargetOriginId).OriginCustomHeaders).toBeUndefined();
    }
  });

  it('/api/*, the menu and /ws run the viewer-IP function at viewer request and forward its header', () => {
    const t = template(demo);
    const behaviors = behaviorsOf(demo);
    const [[functionId, fn]] = resourcesOfType(t, 'AWS::CloudFront::Function').filter(([, f]) => f.Properties.FunctionCode === VIEWER_IP_CODE);
    expect(fn.Properties.FunctionConfig.Runtime).toBe('cloudfront-js-2.0');
    for (const path of ['/api/*', '/api/menu', '/ws']) {
      const associations = behaviors.get(path).FunctionAssociations;
      expect(associations, path).toEqual([{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [functionId, 'FunctionARN'] } }]);
    }
    // /api/*: AllViewerExceptHostHeader forwards every viewer header (the function's included) but Host.
    expect(behaviors.get('/api/*').OriginRequestPolicyId).toBe(ALL_VIEWER_EXCEPT_HOST_HEADER);
    // /ws: $connect needs the Sec-WebSocket-* headers, and the IP for its per-network limit.
    expect(behaviors.get('/ws').OriginRequestPolicyId).toBe(ALL_VIEWER_EXCEPT_HOST_HEADER);
  });
});

describe('alarms', () => {
  it('watch API 5xx rate, Lambda errors of every function, Lambda and DynamoDB throttles, WebSocket integration errors', () => {
    const alarms = resourcesOfType(template(demo), 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    const metricNames = alarms.flatMap((a) => (a.Metrics ?? []).map((m: any) => m.MetricStat?.Metric.MetricName).concat(a.MetricName)).filter(Boolean);
    expect(new Set(metricNames)).toEqual(new Set(['5xx', 'Count', 'Errors', 'Throttles', 'ReadThrottleEvents', 'WriteThrottleEvents', 'IntegrationError', 'ExecutionError']));
    const watched = new Set(
      alarms.flatMap((a) => (a.Metrics ?? []).filter((m: any) => m.MetricStat?.Metric.MetricName === 'Errors').flatMap((m: any) => [...references(m.MetricStat.Metric.Dimensions)])),
    );
    expect([...watched].sort()).toEqual([...functionIds(demo).values()].sort());
    for (const alarm of alarms) expect((alarm.Metrics ?? []).filter((m: any) => m.MetricStat).length).toBeLessThanOrEqual(10);
    expect(alarms.every((a) => a.AlarmActions === undefined)).toBe(true);
    const bistroAlarms = resourcesOfType(template(bistro), 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    expect(bistroAlarms.every((a) => a.AlarmActions?.length === 1)).toBe(true);
    Assertions.fromJSON(template(bistro)).hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@bistro.example' });
  });
});

describe('two restaurants in one account', () => {
  /** Properties whose value is an account- or region-wide name. */
  const GLOBAL_NAMES = /^(TableName|FunctionName|RoleName|BucketName|LogGroupName|AlarmName|TopicName|Name|PolicyName)$/;
  const literalNames = (value: unknown, parentType: string, into: Set<string>): Set<string> => {
    if (Array.isArray(value)) for (const item of value) literalNames(item, parentType, into);
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'Dimensions' || key === 'Policies') continue; // metric dimension names; role-scoped inline policy names
        if (GLOBAL_NAMES.test(key) && typeof inner === 'string' && parentType !== 'AWS::IAM::Policy') into.add(`${key}=${inner}`);
        else literalNames(inner, parentType, into);
      }
    }
    return into;
  };
  const namesOf = (stack: PlatoStack) => {
    const names = new Set<string>();
    for (const resource of Object.values(template(stack).Resources)) literalNames(resource.Properties, resource.Type, names);
    return names;
  };

  it('share no physical name and no cross-stack reference', () => {
    const shared = [...namesOf(demo)].filter((name) => namesOf(bistro).has(name));
    expect(shared).toEqual([]);
    expect([...namesOf(demo)]).toContain('Name=plato/demo');
    expect([...namesOf(bistro)]).toContain('Name=plato/bistro');
    for (const stack of built.stacks) expect(JSON.stringify(template(stack))).not.toContain('Fn::ImportValue');
  });
});

describe('missing handler files', () => {
  it('fail the synth naming each missing file and the handlers that need it', () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'plato-no-handlers-'));
    try {
      expect(() => buildApp({ bundle: false, outdir: path.join(empty, 'out'), functionsDir: empty, context: { restaurant: 'demo' } })).toThrowError(MissingHandlerError);
      try {
        buildApp({ bundle: false, outdir: path.join(empty, 'out'), functionsDir: empty, context: { restaurant: 'demo' } });
      } catch (error) {
        expect((error as Error).message).toMatch(/cart\.ts \(for cart\.getCart, cart\.addItem/);
        expect((error as Error).message).toMatch(/ws\.ts \(for [^)]*ws\.connect, ws\.sync\)/);
      }
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

