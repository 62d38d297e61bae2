/**
 * The WebSocket API: $connect, $disconnect, $default and the named actions of WS_ROUTES, selected by
 * `$request.body.action`. The stage is named `ws` so CloudFront's `/ws` path is the stage path as is.
 */
import { Aws, RemovalPolicy } from 'aws-cdk-lib';
import { LogGroupLogDestination, WebSocketApi, WebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { WS_ROUTES, type FunctionGroup, type WsRoute } from '../functions/routes.ts';
import { WS_ACCESS_LOG_FORMAT } from './api-logs.ts';
import { handlerId, type PlatoFunctions } from './functions.ts';
import type { PlatoSettings } from './settings.ts';

export const WS_STAGE_NAME = 'ws';
const SPECIAL_ROUTES = ['$connect', '$disconnect', '$default'];

export class PlatoWebSocketApi extends Construct {
  readonly api: WebSocketApi;
  readonly stage: WebSocketStage;
  readonly accessLogs: LogGroup;
  /** `<apiId>.execute-api.<region>.amazonaws.com`: the CloudFront origin for `/ws`. */
  readonly domainName: string;
  /** The @connections management endpoint: `https://<apiId>.execute-api.<region>.amazonaws.com/ws`. */
  readonly callbackUrl: string;

  constructor(scope: Construct, id: string, props: { settings: PlatoSettings; functions: PlatoFunctions }) {
    super(scope, id);
    const { settings, functions } = props;
    const route = (key: string): WsRoute => {
      const found = WS_ROUTES.find((r) => r.routeKey === key);
      if (!found) throw new Error(`functions/routes.ts has no WebSocket route ${key}`);
      return found;
    };
    // One integration per function, shared by its routes (each route still gets its own invoke permission).
    const integrations = new Map<FunctionGroup, WebSocketLambdaIntegration>();
    const integration = (r: WsRoute) => {
      let found = integrations.get(r.handler.group);
      if (!found) {
        found = new WebSocketLambdaIntegration(`${handlerId(r.handler.group)}Integration`, functions.fnOf(r.handler));
        integrations.set(r.handler.group, found);
      }
      return { integration: found };
    };

    this.api = new WebSocketApi(this, 'Api', {
      apiName: `plato-${settings.slug}-ws`,
      description: `Plato ${settings.slug}: WebSocket API (reached through CloudFront at /ws)`,
      routeSelectionExpression: '$request.body.action',
      connectRouteOptions: integration(route('$connect')),
      disconnectRouteOptions: integration(route('$disconnect')),
      defaultRouteOptions: integration(route('$default')),
    });
    for (const r of WS_ROUTES.filter((r) => !SPECIAL_ROUTES.includes(r.routeKey))) {
      this.api.addRoute(r.routeKey, integration(r));
    }

    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: settings.logRetentionDays as RetentionDays,
      removalPolicy: settings.stage === 'prod' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.stage = new WebSocketStage(this, 'Stage', {
      webSocketApi: this.api,
      stageName: WS_STAGE_NAME,
      autoDeploy: true,
      throttle: settings.throttle,
      accessLogSettings: { destination: new LogGroupLogDestination(this.accessLogs), format: WS_ACCESS_LOG_FORMAT },
    });
    this.domainName = `${this.api.apiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`;
    this.callbackUrl = `https://${this.domainName}/${WS_STAGE_NAME}`;
  }
}
