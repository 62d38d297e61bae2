/**
 * The local runtime's stand-in for EventBridge: each scheduled task of the route table
 * (TASK_HANDLERS with `schedule`) runs in its function group's container every `everyMinutes`, as the
 * rules of lib/task-schedules.ts run them in AWS, and once shortly after start (a laptop is rarely up
 * for the day a daily task waits). A run still going is not started twice; a failed run is logged and
 * the next one goes ahead.
 */
import { TASK_HANDLERS, type TaskHandler } from '../functions/routes.ts';
import type { FunctionInvoker } from './gateway/lambda.ts';

export interface LocalSchedulesOptions {
  functions: FunctionInvoker;
  /** Every task runs this often instead of its own interval (tests). */
  everyMs?: number;
  /** Delay before the first run. Default 5 s. */
  firstRunMs?: number;
  log: (message: string, error?: unknown) => void;
}

export interface LocalSchedules {
  /** Completed runs per task (`module.export`). */
  runs: Map<string, number>;
  stop(): void;
}

export function startLocalSchedules(options: LocalSchedulesOptions, tasks: readonly TaskHandler[] = TASK_HANDLERS): LocalSchedules {
  const timers: NodeJS.Timeout[] = [];
  const runs = new Map<string, number>();
  let stopped = false;
  for (const task of tasks) {
    if (!task.schedule) continue;
    const key = `${task.module}.${task.export}`;
    let running = false;
    const run = async () => {
      if (running || stopped) return;
      running = true;
      try {
        // An EventBridge scheduled event: no route key, so the group's dispatcher hands it to its task.
        await options.functions.invoke(task, { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} });
        runs.set(key, (runs.get(key) ?? 0) + 1);
      } catch (error) {
        if (!stopped) options.log(`scheduled task ${key} failed`, error);
      } finally {
        running = false;
      }
    };
    timers.push(setTimeout(run, options.firstRunMs ?? 5_000).unref());
    timers.push(setInterval(run, options.everyMs ?? task.schedule.everyMinutes * 60_000).unref());
  }
  return {
    runs,
    stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
    },
  };
}
