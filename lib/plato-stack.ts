/**
 * One restaurant: `Plato-<slug>`. Built from the same route table (functions/routes.ts) and table
 * definitions (functions/tables.ts) as the local runtime.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CfnOutput, CustomResource, Duration, RemovalPolicy, SecretValue, Stack, type StackProps } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { FUNCTION_GROUPS, TASK_HANDLERS } from '../functions/routes.ts';
import { MONGODB_URI_PLACEHOLDER, ORIGIN_VERIFY_KEY, ORIGIN_VERIFY_PREVIOUS_KEY } from '../functions/platform/secrets.ts';
import { PlatoAlarms } from './alarms.ts';
import { DataTables } from './data-tables.ts';
import { groupServesRequests, PlatoFunctions } from './functions.ts';
import { PlatoHttpApi } from './http-api.ts';
import { grantMedia } from './media.ts';
import { addNagSuppressions } from './nag.ts';
import { TaskSchedules } from './task-schedules.ts';
import type { PlatoSettings } from './settings.ts';
import { importedWebAclArn } from './waf.ts';
import { WebDistribution } from './web-distribution.ts';
import { PlatoWebSocketApi, WS_STAGE_NAME } from './websocket-api.ts';

/**
 * What the stack writes as MONGODB_URI until devops put the Atlas connection string in the secret
 * (README, "Deploy to AWS"). Not a URI on purpose: the driver rejects it at once instead of timing out.
 */

export interface PlatoStackProps extends StackProps {
  settings: PlatoSettings;
  /** Repository root (package-lock.json, functions/, web/dist). */
  projectRoot: string;
  /** Where handler modules are (`<slice>/handlers/<module>.ts`); defaults to <projectRoot>/functions. */
  functionsDir?: string;
  /** Defaults to <projectRoot>/web/dist. */
  webDistDir?: string;
}

export class PlatoStack extends Stack {
  readonly settings: PlatoSettings;
  readonly functions: PlatoFunctions;
  readonly httpApi: PlatoHttpApi;
  readonly webSocketApi: PlatoWebSocketApi;
  readonly web: WebDistribution;
  readonly secret: Secret;
  /** plato/<slug>/origin: the value CloudFront sends in the origin-verify header. */
  readonly originSecret: Secret;
  readonly tables: DataTables;
  /** The web ACL the distribution uses: created by PlatoEdge-<slug> (read from us-east-1), given, or none (`waf=off`). */
  readonly webAclArn?: string;

  constructor(scope: Construct, id: string, props: PlatoStackProps) {
    const { settings } = props;
    super(scope, id, {
      description: `Plato QR table ordering: restaurant ${settings.slug} (${settings.stage})`,
      ...props,
    });
    this.settings = settings;
    const prod = settings.stage === 'prod';
    const version = (JSON.parse(readFileSync(path.join(props.projectRoot, 'package.json'), 'utf8')) as { version: string }).version;

    this.tables = new DataTables(this, 'Tables', { stage: settings.stage });

    // MONGODB_URI and the staff-token signing key; functions receive only the ARN and read it once per container.
    this.secret = new Secret(this, 'Secret', {
      secretName: `plato/${settings.slug}`,
      description: `Plato ${settings.slug}: {"MONGODB_URI", "JWT_SECRET"}. Put the Atlas URI in MONGODB_URI (README, "Deploy to AWS").`,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ MONGODB_URI: MONGODB_URI_PLACEHOLDER }),
        generateStringKey: 'JWT_SECRET',
        passwordLength: 64,
        excludePunctuation: true,
      },
      removalPolicy: prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    // The origin-verify value: CloudFront adds it to every API origin request and the functions refuse
    // requests without it (functions/http/origin.ts). A secret of its own because Secrets Manager
    // generates one field per secret; CloudFront gets it by dynamic reference, never in plain text.
    this.originSecret = new Secret(this, 'OriginSecret', {
      secretName: `plato/${settings.slug}/origin`,
      description:
        `Plato ${settings.slug}: {"${ORIGIN_VERIFY_KEY}"}, the header CloudFront adds to API requests ` +
        `(${ORIGIN_VERIFY_PREVIOUS_KEY} also accepted while rotating; README, "Deploy to AWS").`,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({}),
        generateStringKey: ORIGIN_VERIFY_KEY,
        passwordLength: 64,
        excludePunctuation: true,
      },
      removalPolicy: prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const originVerifyValue = SecretValue.secretsManager(this.originSecret.secretArn, {
      jsonField: ORIGIN_VERIFY_KEY,
      versionId: settings.originSecretVersion,
    }).unsafeUnwrap(); // a {{resolve:secretsmanager:...}} reference, resolved by CloudFormation at deploy time

    this.functions = new PlatoFunctions(this, 'Functions', {
      settings,
      tables: this.tables,
      secret: this.secret,
      originSecret: this.originSecret,
      projectRoot: props.projectRoot,
      functionsDir: props.functionsDir,
      version,
    });

    this.httpApi = new PlatoHttpApi(this, 'HttpApi', { settings, functions: this.functions });
    this.webSocketApi = new PlatoWebSocketApi(this, 'WebSocketApi', { settings, functions: this.functions });
    for (const [group, spec] of this.functions.groups) {
      if (spec.needs.push) this.webSocketApi.api.grantManageConnections(this.functions.fn(group));
    }
    this.functions.addEnvironment('WS_MANAGEMENT_ENDPOINT', this.webSocketApi.callbackUrl, (spec) => spec.needs.push);

    // The WAF's web ACL lives in us-east-1 (lib/waf.ts): its ARN is read from there at deploy time.
    const setupTask = TASK_HANDLERS.find((task) => task.module === 'setup')!;
    this.webAclArn =
      settings.waf === 'created'
        ? importedWebAclArn(this, {
            slug: settings.slug,
            deployStamp: settings.deployStamp,
            reader: this.functions.fnOf(setupTask),
            timeoutSeconds: FUNCTION_GROUPS[setupTask.group].timeoutSeconds,
          })
        : settings.waf === 'existing'
          ? settings.webAclArn
          : undefined;

    this.web = new WebDistribution(this, 'Web', {
      webAclArn: this.webAclArn,
      settings,
      httpApiDomain: this.httpApi.domainName,
      webSocketApiDomain: this.webSocketApi.domainName,
      originVerifyValue,
      webDistDir: props.webDistDir ?? path.join(props.projectRoot, 'web', 'dist'),
    });
    // The distribution depends on the APIs only (not on their routes or functions), so handing its
    // domain to the functions creates no cycle: APIs → distribution → functions → routes.
    this.functions.addEnvironment('PUBLIC_ORIGIN', this.web.publicOrigin, groupServesRequests);
    grantMedia(this.functions, this.web.mediaBucket);

    // setup: MongoDB indexes and the restaurant document, after the tables and the secret exist. The
    // setup function is the custom resource's service token and answers CloudFormation itself
    // (functions/platform/deploy-task.ts): no provider function in between.
    for (const task of TASK_HANDLERS.filter((candidate) => !candidate.schedule && !candidate.onDemand)) {
      const key = `${task.module}.${task.export}`;
      const run = new CustomResource(this, `Run${key.replace(/[^A-Za-z0-9]/g, '')}`, {
        serviceToken: this.functions.fnOf(task).functionArn,
        resourceType: 'Custom::PlatoSetup',
        // A property that changes on every synth makes CloudFormation update the resource, so the task
        // runs on every deploy (e.g. the one after the secret was filled), not only on code changes.
        properties: { DeployStamp: settings.deployStamp },
        // A task that never answers fails the deploy after this long instead of CloudFormation's hour.
        serviceTimeout: Duration.seconds(Math.min(FUNCTION_GROUPS[task.group].timeoutSeconds + 30, 3600)),
      });
      run.node.addDependency(this.tables, this.secret);
    }

    // The construct keeps its first name, so the reconciliation rule deployed before keeps its logical id.
    new TaskSchedules(this, 'PaymentsSchedule', { functions: this.functions });

    new PlatoAlarms(this, 'Alarms', {
      settings,
      functions: this.functions,
      httpApi: this.httpApi,
      webSocketApi: this.webSocketApi,
      tables: [...this.tables.tables.values()],
    });

    const origin = this.web.publicOrigin;
    new CfnOutput(this, 'DinerUrl', { value: `${origin}/`, description: 'Diner app (tables link to /?table=<tableId>)' });
    new CfnOutput(this, 'KitchenUrl', { value: `${origin}/kitchen`, description: 'Kitchen display' });
    new CfnOutput(this, 'StaffUrl', { value: `${origin}/staff`, description: 'Staff console' });
    new CfnOutput(this, 'ApiUrl', { value: `${origin}/api`, description: 'HTTP API through CloudFront' });
    new CfnOutput(this, 'WebSocketUrl', { value: `${origin.replace(/^https/, 'wss')}/ws`, description: 'WebSocket API through CloudFront' });
    new CfnOutput(this, 'SecretArn', { value: this.secret.secretArn, description: 'Put MONGODB_URI here (README, "Deploy to AWS")' });
    new CfnOutput(this, 'OriginSecretArn', { value: this.originSecret.secretArn, description: 'CloudFront origin-verify header value (rotation: README, "Deploy to AWS")' });
    new CfnOutput(this, 'DistributionId', { value: this.web.distribution.distributionId });
    // For `npm run smoke -- --stack Plato-<slug>`: these must refuse anything that skipped CloudFront.
    new CfnOutput(this, 'HttpApiDirectUrl', { value: `https://${this.httpApi.domainName}`, description: 'HTTP API execute-api address (refuses requests without the origin header)' });
    new CfnOutput(this, 'WebSocketApiDirectUrl', { value: `wss://${this.webSocketApi.domainName}/${WS_STAGE_NAME}`, description: 'WebSocket API execute-api address (refuses requests without the origin header)' });

    addNagSuppressions(this);
  }
}
