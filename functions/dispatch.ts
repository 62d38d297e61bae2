/**
 * The Lambda handler of one function group (functions/routes.ts FUNCTION_GROUPS): it serves every
 * route and task of the group by handing the event to the handler the route table names for it.
 *
 * The CDK stack bundles one generated entry per group that imports the group's handlers by name (so
 * esbuild leaves out what they do not use, the MongoDB driver included) and exports
 * `handler = groupHandler('<group>', { <module>: { <export>, … }, … })`, each module from the group's
 * slice (`functions/<slice>/handlers/<module>.ts`, routes.ts handlerFile); the local runtime's containers
 * build the same handler from the same modules.
 */
import type { Context } from 'aws-lambda';
import { functionGroups, routeKeyOf, type FunctionGroup, type HandlerRef } from './routes.ts';

export type LambdaFunction = (event: unknown, context: Context) => unknown;
/** A group's handler modules: module name → export name → function. */
export type GroupModules = Record<string, Record<string, unknown>>;

interface EventShape {
  routeKey?: unknown;
  requestContext?: { routeKey?: unknown; eventType?: unknown };
}

/** A route key the group does not serve: the deployment and the route table disagree. */
export class UnroutedEventError extends Error {
  override name = 'UnroutedEventError';
}

/**
 * `http:<routeKey>` for an HTTP API event (payload 2.0, including `$default`), `ws:<routeKey>` for a
 * WebSocket API event (it has an eventType: CONNECT, MESSAGE, DISCONNECT), `task` for anything else
 * (the setup custom resource's event, the resize function's invocation).
 */
export function dispatchKeyOf(event: unknown): string {
  const shape = (event ?? {}) as EventShape;
  if (shape.requestContext?.eventType !== undefined && typeof shape.requestContext.routeKey === 'string') {
    return `ws:${shape.requestContext.routeKey}`;
  }
  if (typeof shape.routeKey === 'string') return `http:${shape.routeKey}`;
  return 'task';
}

function resolve(group: FunctionGroup, modules: GroupModules, ref: HandlerRef): LambdaFunction {
  const fn = modules[ref.module]?.[ref.export];
  if (typeof fn !== 'function') throw new Error(`Function group ${group} was built without ${ref.module}.${ref.export}`);
  return fn as LambdaFunction;
}

/**
 * Builds the group's handler. Every handler the route table gives the group must be in `modules`: a
 * missing one fails at init (a broken bundle never starts) rather than on its first request.
 */
export function groupHandler(group: FunctionGroup, modules: GroupModules): LambdaFunction {
  const spec = functionGroups().get(group);
  if (!spec) throw new Error(`functions/routes.ts has no route or task in function group ${group}`);
  const byKey = new Map<string, LambdaFunction>();
  for (const route of spec.httpRoutes) byKey.set(`http:${route.path === '$default' ? '$default' : routeKeyOf(route)}`, resolve(group, modules, route.handler));
  for (const route of spec.wsRoutes) byKey.set(`ws:${route.routeKey}`, resolve(group, modules, route.handler));
  if (spec.tasks.length > 1) throw new Error(`Function group ${group} has more than one task`);
  if (spec.tasks[0]) byKey.set('task', resolve(group, modules, spec.tasks[0]));

  return (event, context) => {
    const key = dispatchKeyOf(event);
    const fn = byKey.get(key);
    if (!fn) throw new UnroutedEventError(`Function group ${group} serves no ${key}`);
    return fn(event, context);
  };
}
