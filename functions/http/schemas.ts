/** zod building blocks shared by the handlers' request schemas. Objects are strict: unknown fields are rejected. */
import * as z from 'zod';

export const objectId = z.string().regex(/^[a-f0-9]{24}$/, 'must be a 24-character hex id');
export const deviceId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8-64 letters, digits, - or _');
export const pin = z.string().regex(/^\d{4}$/, 'must be 4 digits');
/** A QR link's `?table=`: a 22-character table code, or the 24-hex table id of a link printed before codes. */
export const tableLink = z.string().regex(/^(?:[A-Za-z0-9_-]{22}|[a-f0-9]{24})$/, 'must be the table code from the QR link');
export const uuid = z.uuid();
/** Query-string integer (query parameters arrive as strings). */
export const queryInt = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

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
