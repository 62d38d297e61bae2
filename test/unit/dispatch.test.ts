/** functions/dispatch.ts: one Lambda handler per function group, routing by the event's route key. */
import { describe, expect, it } from 'vitest';
import { dispatchKeyOf, groupHandler, UnroutedEventError } from '../../functions/dispatch.ts';
import { functionGroups, type FunctionGroup } from '../../functions/routes.ts';

/** A group's modules with stand-in functions that report which handler was called. */
function recordingModules(group: FunctionGroup) {
  const modules: Record<string, Record<string, unknown>> = {};
  for (const ref of functionGroups().get(group)!.handlers.values()) {
    (modules[ref.module] ??= {})[ref.export] = () => `${ref.module}.${ref.export}`;
  }
  return modules;
}

const context = {} as never;

describe('groupHandler', () => {
  it('hands every HTTP route, WebSocket route and task of a group to the handler the route table names', () => {
    for (const [group, spec] of functionGroups()) {
      const handler = groupHandler(group, recordingModules(group));
      for (const route of spec.httpRoutes) {
        const routeKey = route.path === '$default' ? '$default' : `${route.method} ${route.path}`;
        expect(handler({ version: '2.0', routeKey, requestContext: { http: {} } }, context)).toBe(`${route.handler.module}.${route.handler.export}`);
      }
      for (const route of spec.wsRoutes) {
        expect(handler({ requestContext: { routeKey: route.routeKey, eventType: 'MESSAGE', connectionId: 'c' } }, context)).toBe(
          `${route.handler.module}.${route.handler.export}`,
        );
      }
      for (const task of spec.tasks) expect(handler({}, context)).toBe(`${task.module}.${task.export}`);
    }
  });

  it('tells the HTTP $default route from the WebSocket $default route when one function serves both', () => {
    const handler = groupHandler('edge', recordingModules('edge'));
    expect(handler({ version: '2.0', routeKey: '$default', requestContext: { http: {} } }, context)).toBe('fallback.notFound');
    expect(handler({ requestContext: { routeKey: '$default', eventType: 'MESSAGE' } }, context)).toBe('ws.unknownAction');
  });

  it('refuses a route key the group does not serve, and fails at init when built without one of its handlers', () => {
    const handler = groupHandler('cart', recordingModules('cart'));
    expect(() => handler({ version: '2.0', routeKey: 'POST /api/orders' }, context)).toThrow(UnroutedEventError);
    expect(() => groupHandler('cart', { cart: { getCart: () => 1 } })).toThrow(/built without cart\./);
  });

  it('keys events: HTTP by routeKey, WebSocket by eventType and requestContext.routeKey, anything else as the task', () => {
    expect(dispatchKeyOf({ routeKey: 'GET /api/menu' })).toBe('http:GET /api/menu');
    expect(dispatchKeyOf({ requestContext: { routeKey: '$connect', eventType: 'CONNECT' } })).toBe('ws:$connect');
    expect(dispatchKeyOf({ RequestType: 'Create' })).toBe('task');
    expect(dispatchKeyOf(undefined)).toBe('task');
  });
});
