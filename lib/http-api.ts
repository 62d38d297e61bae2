/** The HTTP API: one route per HTTP_ROUTES entry plus `$default`, each a Lambda proxy integration (payload 2.0) of its function group. */
import { Aws, RemovalPolicy } from 'aws-cdk-lib';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination, PayloadFormatVersion } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { HTTP_DEFAULT_ROUTE, HTTP_ROUTES, routeKeyOf, type FunctionGroup, type HandlerRef } from '../functions/routes.ts';
import { HTTP_ACCESS_LOG_FORMAT } from './api-logs.ts';
import { handlerId, type PlatoFunctions } from './functions.ts';
import type { PlatoSettings } from './settings.ts';

export class PlatoHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  /** `<apiId>.execute-api.<region>.amazonaws.com`: the CloudFront origin. */
  readonly domainName: string;

  constructor(scope: Construct, id: string, props: { settings: PlatoSettings; functions: PlatoFunctions }) {
    super(scope, id);
    const { settings, functions } = props;
    // One integration per function, shared by its routes, and one invoke permission per function for
    // this API (instead of one per route): the route table decides which routes reach a function.
    const integrations = new Map<FunctionGroup, HttpLambdaIntegration>();
    const integration = (ref: HandlerRef): HttpLambdaIntegration => {
      let found = integrations.get(ref.group);
      if (!found) {
        found = new HttpLambdaIntegration(`${handlerId(ref.group)}Integration`, functions.fnOf(ref), {
          payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
          scopePermissionToRoute: false,
        });
        integrations.set(ref.group, found);
      }
      return found;
    };

    this.api = new HttpApi(this, 'Api', {
      apiName: `plato-${settings.slug}-http`,
      description: `Plato ${settings.slug}: HTTP API (reached through CloudFront at /api)`,
      createDefaultStage: false,
      // `$default`: every request no route matched gets the JSON 404/405 envelope from the fallback handler.
      defaultIntegration: integration(HTTP_DEFAULT_ROUTE.handler),
    });

    for (const route of HTTP_ROUTES) {
      this.api.addRoutes({ path: route.path, methods: [HttpMethod[route.method]], integration: integration(route.handler) });
    }

    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: settings.logRetentionDays as RetentionDays,
      removalPolicy: settings.stage === 'prod' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: settings.throttle,
      accessLogSettings: { destination: new LogGroupLogDestination(this.accessLogs), format: HTTP_ACCESS_LOG_FORMAT },
    });
    this.domainName = `${this.api.apiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`;
  }

  /** API Gateway's route keys, as they appear in the template (for tests and reports). */
  static routeKeys(): string[] {
    return [...HTTP_ROUTES.map(routeKeyOf), '$default'];
  }
}
