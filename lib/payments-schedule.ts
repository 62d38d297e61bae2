/**
 * EventBridge schedules for SCHEDULED_HANDLERS (functions/routes.ts): the payments reconciliation
 * every few minutes, looking up open payments at the provider in case a webhook never arrived.
 */
import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import { SCHEDULED_HANDLERS } from '../functions/routes.ts';
import type { PlatoFunctions } from './functions.ts';

export class PaymentsSchedule extends Construct {
  constructor(scope: Construct, id: string, props: { functions: PlatoFunctions }) {
    super(scope, id);
    for (const task of SCHEDULED_HANDLERS) {
      const key = `${task.module}.${task.export}`;
      new Rule(this, `Every${key.replace(/[^A-Za-z0-9]/g, '')}`, {
        description: `Runs ${key} every ${task.everyMinutes} minutes`,
        schedule: Schedule.rate(Duration.minutes(task.everyMinutes)),
        targets: [new LambdaFunction(props.functions.fn(key), { retryAttempts: 0 })],
      });
    }
  }
}
