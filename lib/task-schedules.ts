/**
 * EventBridge schedules for the scheduled TASK_HANDLERS (functions/routes.ts): the payments
 * reconciliation every few minutes (open payments looked up at the provider in case a webhook never
 * arrived) and the guests' data retention daily. Each rule invokes the task's group function; its
 * event has no route key, so functions/dispatch.ts hands it to the group's task.
 */
import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import { TASK_HANDLERS } from '../functions/routes.ts';
import type { PlatoFunctions } from './functions.ts';

export class TaskSchedules extends Construct {
  constructor(scope: Construct, id: string, props: { functions: PlatoFunctions }) {
    super(scope, id);
    for (const task of TASK_HANDLERS) {
      if (!task.schedule) continue;
      const key = `${task.module}.${task.export}`;
      new Rule(this, `Every${key.replace(/[^A-Za-z0-9]/g, '')}`, {
        description: `Runs ${key} every ${task.schedule.everyMinutes} minutes`,
        schedule: Schedule.rate(Duration.minutes(task.schedule.everyMinutes)),
        targets: [new LambdaFunction(props.functions.fnOf(task), { retryAttempts: 0 })],
      });
    }
  }
}
