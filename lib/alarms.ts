/**
 * CloudWatch alarms for one restaurant: HTTP API 5xx rate, Lambda errors (a metric-math sum over the
 * functions), Lambda throttles, DynamoDB throttles and WebSocket integration errors. When an
 * email is configured they notify an SNS topic.
 */
import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  MathExpression,
  Metric,
  TreatMissingData,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Alias } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { PlatoFunctions } from './functions.ts';
import type { PlatoHttpApi } from './http-api.ts';
import type { PlatoSettings } from './settings.ts';
import type { PlatoWebSocketApi } from './websocket-api.ts';

const PERIOD = Duration.minutes(5);
/** CloudWatch alarms accept at most 10 metrics in one math expression. */
const MAX_METRICS_PER_ALARM = 10;

export interface AlarmsProps {
  settings: PlatoSettings;
  functions: PlatoFunctions;
  httpApi: PlatoHttpApi;
  webSocketApi: PlatoWebSocketApi;
  tables: readonly TableV2[];
}

export class PlatoAlarms extends Construct {
  readonly alarms: Alarm[] = [];
  readonly topic?: Topic;
  private readonly slug: string;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    const { settings } = props;
    this.slug = settings.slug;
    if (settings.alarmEmail) {
      this.topic = new Topic(this, 'Topic', {
        displayName: `Plato ${settings.slug} alarms`,
        enforceSSL: true,
        masterKey: Alias.fromAliasName(this, 'SnsKey', 'alias/aws/sns'),
      });
      this.topic.addSubscription(new EmailSubscription(settings.alarmEmail));
    }

    const errors = props.httpApi.api.metricServerError({ period: PERIOD, statistic: 'Sum' });
    const count = props.httpApi.api.metricCount({ period: PERIOD, statistic: 'Sum' });
    this.add('Http5xxRate', {
      description: 'More than 5% of API requests answered 5xx over 5 minutes (at least 20 requests)',
      metric: new MathExpression({
        expression: 'IF(requests >= 20, 100 * errors / requests, 0)',
        usingMetrics: { errors, requests: count },
        period: PERIOD,
        label: 'HTTP 5xx %',
      }),
      threshold: 5,
      evaluationPeriods: 1,
    });

    // Lambda errors of every function, summed (≤ 10 functions an alarm, the math-expression limit).
    const metrics = [...props.functions.functions].map(([group, fn], i) => ({ id: `e${i}`, group, metric: fn.metricErrors({ period: PERIOD, statistic: 'Sum' }) }));
    for (let start = 0; start < metrics.length; start += MAX_METRICS_PER_ALARM) {
      const chunk = metrics.slice(start, start + MAX_METRICS_PER_ALARM);
      const suffix = metrics.length > MAX_METRICS_PER_ALARM ? `${start / MAX_METRICS_PER_ALARM + 1}` : '';
      this.add(`LambdaErrors${suffix}`, {
        description: `Unhandled errors in the ${chunk.map((m) => m.group).join(', ')} functions`,
        metric: new MathExpression({
          expression: chunk.map((m) => m.id).join(' + '),
          usingMetrics: Object.fromEntries(chunk.map((m) => [m.id, m.metric])),
          period: PERIOD,
          label: 'Lambda errors',
        }),
        threshold: 1,
        evaluationPeriods: 1,
      });
    }

    // Plato reserves no concurrency, so a function is only throttled when the account's (region's)
    // unreserved concurrency is exhausted: the account-level metric is the signal, and it costs one
    // alarm metric instead of one per function.
    this.add('LambdaThrottles', {
      description: "Lambda throttled invocations in this account and region (Plato's functions share its concurrency)",
      metric: new Metric({ namespace: 'AWS/Lambda', metricName: 'Throttles', period: PERIOD, statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
    });

    const throttleMetrics: Record<string, IMetric> = {};
    props.tables.forEach((table, i) => {
      throttleMetrics[`r${i}`] = table.metric('ReadThrottleEvents', { period: PERIOD, statistic: 'Sum' });
      throttleMetrics[`w${i}`] = table.metric('WriteThrottleEvents', { period: PERIOD, statistic: 'Sum' });
    });
    this.add('DynamoDbThrottles', {
      description: 'DynamoDB read or write throttle events on the Plato tables',
      metric: new MathExpression({ expression: Object.keys(throttleMetrics).join(' + '), usingMetrics: throttleMetrics, period: PERIOD }),
      threshold: 1,
      evaluationPeriods: 1,
    });

    const wsDimensions = { ApiId: props.webSocketApi.api.apiId, Stage: props.webSocketApi.stage.stageName };
    this.add('WebSocketIntegrationErrors', {
      description: 'WebSocket messages whose Lambda integration failed',
      metric: new MathExpression({
        expression: 'integration + execution',
        usingMetrics: {
          integration: new Metric({ namespace: 'AWS/ApiGateway', metricName: 'IntegrationError', dimensionsMap: wsDimensions, period: PERIOD, statistic: 'Sum' }),
          execution: new Metric({ namespace: 'AWS/ApiGateway', metricName: 'ExecutionError', dimensionsMap: wsDimensions, period: PERIOD, statistic: 'Sum' }),
        },
        period: PERIOD,
      }),
      threshold: 5,
      evaluationPeriods: 1,
    });
  }

  private add(id: string, props: { description: string; metric: IMetric; threshold: number; evaluationPeriods: number }): void {
    const alarm = new Alarm(this, id, {
      alarmDescription: `Plato ${this.slug}: ${props.description}`,
      metric: props.metric,
      threshold: props.threshold,
      evaluationPeriods: props.evaluationPeriods,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    if (this.topic) alarm.addAlarmAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
  }
}
