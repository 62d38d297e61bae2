/**
 * A task CloudFormation runs on every deploy: the stack names the task's function as a custom
 * resource's service token (lib/plato-stack.ts), so no provider function of CDK's stands between them
 * (one Lambda function fewer). The task answers CloudFormation itself: it PUTs SUCCESS or FAILED to
 * the presigned ResponseURL the event carries. Deleting the resource does nothing. Invoked any other
 * way (the local runtime), it runs the task and returns its result.
 */
import type { Context } from 'aws-lambda';
import { logger } from './logger.ts';

export interface CustomResourceEvent {
  RequestType: 'Create' | 'Update' | 'Delete';
  ResponseURL: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  PhysicalResourceId?: string;
  /** `Custom::<Name>`: one task can serve several kinds of resource (admin/handlers/setup.ts). */
  ResourceType?: string;
}

export const isCustomResourceEvent = (event: unknown): event is CustomResourceEvent =>
  typeof event === 'object' &&
  event !== null &&
  typeof (event as CustomResourceEvent).ResponseURL === 'string' &&
  ['Create', 'Update', 'Delete'].includes((event as CustomResourceEvent).RequestType);

/** Answers this long before the function's timeout, so a task that hangs fails the deploy instead of stalling it. */
const MARGIN_MS = 5_000;

async function respond(event: CustomResourceEvent, status: 'SUCCESS' | 'FAILED', reason: string, data?: Record<string, unknown>): Promise<void> {
  const body = JSON.stringify({
    Status: status,
    Reason: reason.slice(0, 1000),
    PhysicalResourceId: event.PhysicalResourceId ?? event.LogicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    ...(data ? { Data: data } : {}),
  });
  // The presigned URL signs no content type: send none.
  const response = await fetch(event.ResponseURL, { method: 'PUT', body, headers: { 'content-type': '' } });
  if (!response.ok) throw new Error(`CloudFormation refused the response: ${response.status}`);
}

export function deployTask<T extends Record<string, unknown>>(task: (event?: CustomResourceEvent) => Promise<T>) {
  return async (event: unknown, context?: Context): Promise<T | void> => {
    if (!isCustomResourceEvent(event)) return task();
    if (event.RequestType === 'Delete') return respond(event, 'SUCCESS', 'Nothing to undo');
    const remaining = context ? context.getRemainingTimeInMillis() - MARGIN_MS : Number.POSITIVE_INFINITY;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      if (Number.isFinite(remaining)) timer = setTimeout(() => reject(new Error('The task did not finish in time')), Math.max(remaining, 0));
    });
    try {
      const result = await Promise.race([task(event), timeout]);
      await respond(event, 'SUCCESS', 'Done', Object.fromEntries(Object.entries(result).map(([k, v]) => [k, String(v)])));
    } catch (error) {
      logger.error('Deploy task failed', { error: error as Error });
      await respond(event, 'FAILED', `${(error as Error).message} (see the function's log)`);
    } finally {
      clearTimeout(timer);
    }
  };
}
