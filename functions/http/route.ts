/**
 * Builds a Lambda handler for an HTTP route: middy with one error-envelope middleware, and a
 * pipeline that checks the request (came through CloudFront, JSON content type, same origin, body size), authenticates it
 * per the route table, validates body, path and query with the route's contract (functions/contract/), and calls the use case.
 *
 *   export const addItem = dinerRoute(cartRoutes.addItem, async ({ guest, body }) => cartService.add(guest, body));
 *
 * The contract a handler is built with must be the one the route table names for its route (by id): a
 * handler validating with any other schemas fails closed, like one built for the wrong kind of caller.
 *
 * `publicRoute` lives here; `dinerRoute` (http/diner-route.ts) and `staffRoute` (http/staff-route.ts)
 * each bring only their own token verifier, so a staff-only function never bundles the guest-token
 * lookup (and with it the MongoDB driver), and a diner function never bundles the staff JWT code.
 */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import * as z from 'zod';
import type { GuestPrincipal, StaffPrincipal } from '../auth/principal.ts';
import { DomainError } from '../core/errors.ts';
import { secrets } from '../platform/secrets.ts';
import { httpRouteByKey, type RouteAuth } from '../routes.ts';
import { toHttpError, zodIssues } from './errors-to-http.ts';
import { assertOrigin, ORIGIN_VERIFY_HEADER } from './origin.ts';
import { assertSafeStateChange, clientIp, header, jsonBody, userAgent } from './request.ts';

export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyStructuredResultV2;
export type HttpHandler = (event: HttpEvent, context: Context) => Promise<HttpResult>;

/** What a use case returns: a body (200 JSON by default) with optional status, headers and cookies. */
export interface Reply {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  cookies?: string[];
  /** A body sent as it is instead of JSON (e.g. a CSV export; set its content-type in headers). */
  text?: string;
}

export const reply = (body: unknown, options: Omit<Reply, 'body'> = {}): Reply => ({ body, ...options });

/** A route's contract (contract/common.ts IdentifiedContract), as far as the pipeline validates it. */
export interface Schemas<B extends z.ZodType, P extends z.ZodType, Q extends z.ZodType> {
  /** The id functions/routes.ts names the route's contract by (`cart.addItem`). */
  id: string;
  body?: B;
  params?: P;
  query?: Q;
  summary: string;
}

export interface RequestInfo<B, P, Q> {
  body: B;
  params: P;
  query: Q;
  event: HttpEvent;
  context: Context;
  ip: string;
  userAgent: string;
  requestId: string;
}

export type Infer<T> = T extends z.ZodType ? z.output<T> : undefined;

/**
 * A route that declares no body takes none: no body, `null` or `{}` (what the apps send), nothing else.
 * Without this, any JSON at all (`[[[…]]]`, `{"$where": …}`) was ignored and the action still ran.
 */
const NO_BODY = z.strictObject({}).optional();

function parseWith<S extends z.ZodType | undefined>(schema: S, value: unknown, where: string): Infer<S> {
  if (!schema) return undefined as Infer<S>;
  const result = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (!result.success) {
    const details = zodIssues(result.error).map((issue) => ({ ...issue, path: issue.path ? `${where}.${issue.path}` : where }));
    throw new DomainError('VALIDATION_FAILED', `The request ${where} is not valid`, { details });
  }
  return result.data as Infer<S>;
}

function toResult(outcome: Reply | unknown): HttpResult {
  const r: Reply = outcome && typeof outcome === 'object' && ('body' in outcome || 'status' in outcome || 'text' in outcome) ? (outcome as Reply) : { body: outcome };
  const status = r.status ?? (r.body === undefined && r.text === undefined ? 204 : 200);
  return {
    statusCode: status,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      ...r.headers,
    },
    cookies: r.cookies,
    body: status === 204 || status === 304 ? '' : (r.text ?? JSON.stringify(r.body ?? null)),
  };
}

/** Maps whatever the pipeline threw to the error envelope; the only onError in Plato's HTTP layer. */
const errorEnvelope = (): middy.MiddlewareObj<HttpEvent, HttpResult> => ({
  onError: async (request) => {
    request.response = toHttpError(request.error);
  },
});

export type Principals = { public: object; diner: { guest: GuestPrincipal }; staff: { staff: StaffPrincipal } };

/** Resolves the caller of a route of kind K from verified credentials, given the route table's `auth`. */
export type Authenticator<K extends RouteAuth['kind']> = (
  event: HttpEvent,
  auth: Extract<RouteAuth, { kind: K }>,
) => Promise<Principals[K]>;

/**
 * The pipeline shared by every route builder. `kind` must match the route table's `auth.kind` for
 * the event's route (a handler built for the wrong kind fails closed); `authenticate` is the
 * builder's own verifier.
 */
export function build<K extends RouteAuth['kind'], B extends z.ZodType, P extends z.ZodType, Q extends z.ZodType>(
  kind: K,
  authenticate: Authenticator<K>,
  schemas: Schemas<B, P, Q>,
  useCase: (request: RequestInfo<Infer<B>, Infer<P>, Infer<Q>> & Principals[K]) => Promise<Reply | unknown>,
): HttpHandler {
  const handler = middy<HttpEvent, HttpResult>()
    .use(errorEnvelope())
    .handler(async (event, context) => {
      const route = httpRouteByKey(event.routeKey);
      // On a cold start the main secret (MongoDB URI, JWT key) is fetched alongside the origin secret
      // rather than after it. Cached per container; errors surface where it is used.
      if (route && (route.handler.needs.mongo || route.auth.kind === 'staff')) secrets().catch(() => undefined);
      // First of all: in AWS, only requests that came through CloudFront are served.
      const origin = await assertOrigin(header(event, ORIGIN_VERIFY_HEADER));
      if (!route || route.auth.kind !== kind) {
        throw new Error(`Route ${event.routeKey} is not declared as ${kind} in functions/routes.ts`);
      }
      if (route.contract !== schemas.id) {
        throw new Error(`The handler of ${event.routeKey} validates with another contract than functions/routes.ts names`);
      }
      assertSafeStateChange(event);
      const principal = await authenticate(event, route.auth as Extract<RouteAuth, { kind: K }>);
      const request = {
        body: parseWith(schemas.body ?? NO_BODY, jsonBody(event), 'body'),
        params: parseWith(schemas.params, event.pathParameters, 'path'),
        query: parseWith(schemas.query, event.queryStringParameters, 'query'),
        event,
        context,
        ip: clientIp(event, origin),
        userAgent: userAgent(event),
        requestId: event.requestContext.requestId,
        ...principal,
      } as RequestInfo<Infer<B>, Infer<P>, Infer<Q>> & Principals[K];
      return toResult(await useCase(request));
    });
  return handler as unknown as HttpHandler;
}

const noPrincipal: Authenticator<'public'> = async () => ({});

export const publicRoute = <B extends z.ZodType, P extends z.ZodType, Q extends z.ZodType>(
  schemas: Schemas<B, P, Q>,
  useCase: (request: RequestInfo<Infer<B>, Infer<P>, Infer<Q>>) => Promise<Reply | unknown>,
) => build('public', noPrincipal, schemas, useCase);
