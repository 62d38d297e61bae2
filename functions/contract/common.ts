/**
 * zod building blocks shared by the contract's schemas. Request objects are strict: unknown fields
 * are rejected. The contract imports zod and functions/core only (never mongodb or data/): the web
 * apps take their types from here.
 */
import * as z from 'zod';
import { ERROR_CODES } from '../core/errors.ts';
import { OBJECT_ID_HEX, OBJECT_ID_PATTERN } from '../core/ids.ts';
import { STATION_PATTERN } from '../core/kitchen-board.ts';

export const objectId = z.string().regex(OBJECT_ID_PATTERN, 'must be a 24-character hex id');
export const deviceId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8-64 letters, digits, - or _');
export const pin = z.string().regex(/^\d{4}$/, 'must be 4 digits');
/** A QR link's `?table=`: a 22-character table code, or the 24-hex table id of a link printed before codes. */
export const tableLink = z.string().regex(new RegExp(`^(?:[A-Za-z0-9_-]{22}|${OBJECT_ID_HEX})$`), 'must be the table code from the QR link');
export const uuid = z.uuid();
/** A kitchen station's code, as dishes and kitchen tablets name it. */
export const station = z.string().regex(STATION_PATTERN, 'must be a station code such as GRILL');
/** Query-string integer (query parameters arrive as strings). */
export const queryInt = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
/** A phone number as guests give it: 10 digits. */
export const phone = z.string().regex(/^\d{10}$/, 'must be exactly 10 digits');
/** A body that carries nothing: no body, `null`… or `{}` (what the apps send). */
export const noBody = z.strictObject({}).optional();

export const idParams = <K extends string>(...names: K[]) =>
  z.strictObject(Object.fromEntries(names.map((name) => [name, objectId])) as Record<K, typeof objectId>);

/**
 * A record keyed by `key`. zod drops an own `__proto__` key silently (it guards against prototype
 * pollution), which would serve a body that named one; this refuses it as an invalid key instead.
 */
export const keyedRecord = <K extends z.ZodType<string>, V extends z.ZodType>(key: K, value: V) =>
  z.preprocess((input, ctx) => {
    if (input !== null && typeof input === 'object' && Object.hasOwn(input, '__proto__')) {
      ctx.addIssue({ code: 'custom', message: '__proto__ is not a valid key', path: ['__proto__'] });
    }
    return input;
  }, z.record(key, value));

// ---------- response building blocks (what JSON carries: dates as ISO strings, money in minor units) ----------

export const isoDate = z.iso.datetime();
/** Integer minor units (paise). */
export const money = z.number().int();
/** Language code → text. */
export const translations = z.record(z.string(), z.string());

/** The error envelope of every 4xx/5xx answer, with its stable code (core/errors.ts). */
export const ErrorEnvelope = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ErrorEnvelope = z.infer<typeof ErrorEnvelope>;

/**
 * One route's contract: its request body, path and query schemas, the JSON body it answers on success
 * and that answer's status. functions/routes.ts names it by id (`cart.addItem`); the route's handler
 * validates through the contract of that id (http/route.ts refuses a handler built with another one).
 */
export interface RouteContract {
  body?: z.ZodType;
  params?: z.ZodType;
  query?: z.ZodType;
  /** The success answer's JSON body (absent: no body, 204, or not JSON such as a CSV). */
  response?: z.ZodType;
  /** The success status (default 200; 204 when there is no response body). */
  status?: number;
  /** Request headers the route requires, e.g. `Idempotency-Key`. */
  headers?: Record<string, z.ZodType>;
  summary: string;
}

export const route = <C extends RouteContract>(contract: C): C => contract;

/** A route contract with its id, `<module>.<name>` (`cart.addItem`): how functions/routes.ts names it. */
export type IdentifiedContract<C extends RouteContract = RouteContract, Id extends string = string> = C & { readonly id: Id };

/**
 * A contract module's routes, each given its id `<module>.<name>`. The route table names contracts by
 * id, never by object, so a function's bundle builds only the schemas its own handlers import.
 */
export const routeContracts = <M extends string, R extends Record<string, RouteContract>>(
  module: M,
  routes: R,
): { [K in keyof R & string]: IdentifiedContract<R[K], `${M}.${K}`> } =>
  Object.fromEntries(Object.entries(routes).map(([name, contract]) => [name, { ...contract, id: `${module}.${name}` }])) as {
    [K in keyof R & string]: IdentifiedContract<R[K], `${M}.${K}`>;
  };
