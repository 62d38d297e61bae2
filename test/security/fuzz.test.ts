/**
 * Every route fuzzed with malformed input (fixed hostile cases plus fast-check generated ones):
 * wrong JSON types at every field (nested ones too), unknown keys, `$` operators, `__proto__` and
 * `constructor` keys, huge strings, 10,000-level nesting, invalid UTF-8, oversized bodies, wrong
 * content types, bad path parameters (non-hex ids, huge numbers, `../`), bad query strings and
 * bad credentials/headers.
 *
 * Each request carries valid credentials for its route (so the input reaches validation) and is
 * malformed by construction, so the only right answer is a 4xx error envelope with a stable code:
 * never a 5xx, never a stack trace or an internal message. After each route, a snapshot of every
 * MongoDB collection (canonical EJSON of every document) and every DynamoDB table (Scan) must be
 * byte-identical to the one taken before fuzzing: nothing here may write anything, not even an
 * audit entry or a rate-limit counter, because none of it is a well-formed attempt.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTP_ROUTES, routeKeyOf, type HttpRoute } from '../../functions/routes.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { dynamoSnapshot, expectEnvelope, mongoSnapshot, rawClient, type RawClient, type RawRequest, type RawResponse } from './helpers.ts';
import { mapLimit } from '../support/concurrency.ts';

let t: TestStack;
let http: RawClient;
let baseline: { mongo: Record<string, string[]>; dynamo: Record<string, string[]> };

const ids: Record<string, string> = {};
let staffToken: string;
let guestToken: string;

/** Valid bodies (templates the generators break), for every state-changing route. Path params use real ids. */
const TEMPLATES: Record<string, () => unknown> = {
  'POST /api/staff/login': () => ({ username: 'admin', password: 'not-the-password' }),
  'POST /api/staff/logout': () => ({}),
  'POST /api/staff/users': () => ({ username: 'fuzz-user', displayName: 'Fuzz', role: 'WAITER', password: 'fuzz-password-1' }),
  // No displayName here: null is a valid value of it (removes the name), so a generated null would be served.
  'PATCH /api/staff/users/{userId}': () => ({ role: 'MANAGER', disabled: true, password: 'fuzz-password-1' }),
  'POST /api/staff/users/{userId}/sign-out': () => ({}),
  'POST /api/staff/tables/{tableId}/sessions': () => ({ mode: 'FAMILY' }),
  'POST /api/staff/tables/{tableId}/code': () => ({}),
  'POST /api/staff/tables': () => ({ number: 'F-1', floor: 'Fuzz Floor' }),
  'PATCH /api/staff/tables/{tableId}': () => ({ number: 'F-2', floor: 'Fuzz Floor' }),
  'DELETE /api/staff/tables/{tableId}': () => ({}),
  'POST /api/staff/sessions/{sessionId}/pin': () => ({}),
  'POST /api/staff/sessions/{sessionId}/close': () => ({}),
  'POST /api/staff/sessions/{sessionId}/payment': () => ({ method: 'CASH', status: 'paid' }),
  'POST /api/sessions/join': () => ({ table: ids.tableCode, pin: '1234', deviceId: 'fuzz-device-1' }),
  'POST /api/sessions/logout': () => ({}),
  'POST /api/customers/identify': () => ({ name: 'Asha', phone: '9876543210' }),
  'POST /api/customers/verify': () => ({ code: '123456' }),
  'PUT /api/customers/favorites/{itemId}': () => ({}),
  'DELETE /api/customers/favorites/{itemId}': () => ({}),
  'POST /api/staff/menu/items': () => ({
    name: 'Fuzz dish',
    description: 'd',
    price: 100,
    category: 'Fuzz',
    isVeg: true,
    image: '/x.jpg',
    isAvailable: true,
    station: 'GRILL',
    modifierGroups: [{ groupId: 'g1', name: 'Size', min: 0, max: 1, options: [{ id: 'o1', name: 'Large', price: 50 }] }],
    spiceLevels: ['regular'],
    sortOrder: 1,
  }),
  'PATCH /api/staff/menu/items/{itemId}': () => ({ isAvailable: false, name: 'Renamed', price: 5, modifierGroups: [], translations: { hi: { name: 'नाम' } } }),
  'PUT /api/staff/menu/names': () => ({ languages: ['en', 'hi'], names: [{ kind: 'floor', name: 'Ground Floor', translations: { hi: 'भूतल' } }] }),
  'DELETE /api/staff/menu/items/{itemId}': () => ({}),
  'POST /api/staff/menu/items/{itemId}/photo/upload': () => ({ contentType: 'image/jpeg', size: 1000 }),
  'PUT /api/staff/menu/items/{itemId}/photo': () => ({ key: `uploads/demo/${ids.itemId}/0123456789abcdef0123456789abcdef` }),
  'DELETE /api/staff/menu/items/{itemId}/photo': () => ({}),
  'POST /api/cart/items': () => ({ menuItemId: ids.itemId, quantity: 1, modifierOptionIds: ['o1'], spiceLevel: 'regular', notes: 'n' }),
  'PATCH /api/cart/items/{lineId}': () => ({ quantity: 2, spiceLevel: 'regular', notes: 'n', expectedVersion: 1 }),
  'DELETE /api/cart/items/{lineId}': () => ({}),
  'DELETE /api/cart': () => ({}),
  'POST /api/orders': () => ({ cartVersion: 1, paymentMethod: 'CASH' }),
  'POST /api/bill/request': () => ({ method: 'UPI' }),
  'POST /api/payments': () => ({ scope: { kind: 'equal', n: 2, index: 0 } }),
  // Unsigned, as any forger's: refused as WEBHOOK_SIGNATURE_INVALID (see check) before the body is read.
  'POST /api/payments/webhook': () => ({ entity: 'event', event: 'payment.captured', payload: { payment: { entity: { id: 'pay_x', amount: 100, currency: 'INR', notes: { plato_intent: 'x' } } } } }),
  'POST /api/staff/payments/{intentId}/refund': () => ({ amount: 100, reason: 'r' }),
  'POST /api/staff/payments/check': () => ({ olderThanMinutes: 5 }),
  'POST /api/staff/orders/{orderId}/confirm': () => ({}),
  'POST /api/staff/orders/{orderId}/reject': () => ({ reason: 'r' }),
  'POST /api/staff/orders/{orderId}/cancel': () => ({ reason: 'r' }),
  'POST /api/staff/orders/{orderId}/payment': () => ({ method: 'CASH', status: 'paid' }),
  'PATCH /api/kitchen/orders/{orderId}/items/{itemIndex}': () => ({ status: 'COOKING', from: 'NEW' }),
  'POST /api/kitchen/orders/{orderId}/bump': () => ({}),
  'POST /api/kitchen/orders/{orderId}/recall': () => ({}),
  'POST /api/staff/reports/day-close': () => ({ date: '2025-01-01' }),
  'POST /api/staff/reports/day-close/reopen': () => ({ date: '2025-01-01', reason: 'r' }),
  'POST /api/staff/data-rights/export': () => ({ phone: '9000000099' }),
  'POST /api/staff/data-rights/erase': () => ({ phone: '9000000099' }),
};

/** Query keys each GET route accepts (routes not listed take none and ignore query strings). */
const QUERY_ROUTES: Record<string, string> = {
  'GET /api/kitchen/orders': 'station=GRILL&status=open',
  'GET /api/kitchen/all-day': 'station=GRILL',
  'GET /api/staff/orders': 'status=pending',
  'GET /api/bill/split': 'by=equal&n=2',
  'GET /api/staff/reports/{report}': 'date=2025-01-01&format=json',
};

const ALL_FIELD_NAMES = new Set(
  Object.values(TEMPLATES).flatMap((template) => JSON.stringify(template()).match(/"(\w+)":/g)?.map((m) => m.slice(1, -2)) ?? []),
);
for (const name of ['username', 'password', 'tableId', 'table', 'pin', 'deviceId', 'reason', 'from', 'station', 'status', 'by', 'n', 'shares', 'sessionId']) ALL_FIELD_NAMES.add(name);

beforeAll(async () => {
  t = await startTestStack();
  http = rawClient(t.baseUrl, { maxSockets: 8 });

  // A lived-in restaurant: an open table with a guest, a cart line and an order, so the snapshot has real data.
  staffToken = (await t.loginAs('ADMIN')).token;
  const table = await t.openTable('T-2', 'FAMILY');
  const guest = await t.joinTable(table.tableId, table.pin);
  guestToken = guest.sessionToken;
  const item = (await t.menuItems()).find((i) => i.isAvailable)!;
  const added = await t.addToCart(guest, item.name);
  const placed = await t.orderCart(guest, added.version);
  const line = await t.addToCart(guest, item.name, 2);
  const waiter = await t.api.get('/api/staff/me', { token: (await t.loginAs('WAITER')).token });
  Object.assign(ids, { userId: waiter.body.userId, tableId: table.tableId, tableCode: table.code, sessionId: table.sessionId, itemId: item.id, orderId: placed.orderId, lineId: line.lines[0].lineId, itemIndex: '0', report: 'summary', intentId: '0123456789abcdef01234567' });

  baseline = await snapshot();
});

afterAll(async () => {
  http?.close();
  await t?.stop();
});

const snapshot = async () => ({ mongo: await mongoSnapshot(await t.db()), dynamo: await dynamoSnapshot(t.stack.dynamoEndpoint, process.env.AWS_REGION!) });

// ---------------------------------------------------------------- building requests

const pathOf = (route: HttpRoute, override: Record<string, string> = {}): string =>
  route.path.replace(/\{(\w+)\}/g, (_, name: string) => override[name] ?? ids[name]);

function credentialsFor(route: HttpRoute): Record<string, string> {
  if (route.auth.kind === 'staff') return { authorization: `Bearer ${staffToken}` };
  if (route.auth.kind === 'diner') return { authorization: `Bearer ${guestToken}` };
  return {};
}

interface Case {
  label: string;
  request: RawRequest;
  /** Acceptable codes (any 4xx envelope when omitted). */
  codes?: string[];
  /** For inputs a route legitimately ignores (a query string on a route that takes none): any non-5xx answer. */
  mayServe?: boolean;
}

function jsonRequest(route: HttpRoute, body: string | Buffer | undefined, extra: { path?: string; headers?: Record<string, string> } = {}): RawRequest {
  const headers: Record<string, string> = { ...credentialsFor(route), ...extra.headers };
  if (route.method !== 'GET' && !('content-type' in headers)) headers['content-type'] = 'application/json';
  return { method: route.method, path: extra.path ?? pathOf(route), headers, body };
}

/** A JSON object text with extra raw members in front (JSON.stringify cannot write a `__proto__` key). */
const withRawMembers = (template: unknown, members: string): string => {
  const rest = JSON.stringify(template).slice(1);
  return `{${members}${rest === '}' ? '}' : `,${rest}`}`;
};

const nested = (depth: number, open: string, close: string, leaf = '1') => open.repeat(depth) + leaf + close.repeat(depth);

const OPERATORS = [
  { $ne: null },
  { $ne: '' },
  { $gt: '' },
  { $where: 'sleep(1000) || true' },
  { $regex: '.*' },
  { $in: ['FAMILY', 'INDIVIDUAL', 1] },
  { $exists: true },
  { $expr: { $eq: [1, 1] } },
];

type JsonKind = 'string' | 'number' | 'boolean' | 'array' | 'object' | 'null';
const kindOf = (value: unknown): JsonKind =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : (typeof value as JsonKind);

/** Every path to a value inside a template (objects and arrays, nested). */
function valuePaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const paths: (string | number)[][] = prefix.length > 0 ? [prefix] : [];
  if (Array.isArray(value)) value.forEach((item, i) => paths.push(...valuePaths(item, [...prefix, i])));
  else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) paths.push(...valuePaths(item, [...prefix, key]));
  return paths;
}

const getAt = (value: any, path: (string | number)[]) => path.reduce((v, k) => v[k], value);
function setAt(value: any, path: (string | number)[], replacement: unknown): any {
  const copy = structuredClone(value);
  const parent = getAt(copy, path.slice(0, -1));
  parent[path[path.length - 1]] = replacement;
  return copy;
}

/** JSON values whose type differs from `kind` (body schemas never coerce, so each is invalid there). */
function wrongTyped(kind: JsonKind): fc.Arbitrary<unknown> {
  const options: fc.Arbitrary<unknown>[] = [
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Number.isInteger(n)),
    fc.string({ maxLength: 30 }),
    fc.constantFrom('1', 'true', 'null', '', '0x10', '1e400'),
    fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
    fc.constantFrom(...OPERATORS),
  ];
  const compatible: Record<JsonKind, (v: unknown) => boolean> = {
    string: (v) => typeof v === 'string',
    number: (v) => typeof v === 'number',
    boolean: (v) => typeof v === 'boolean',
    array: Array.isArray,
    object: (v) => v !== null && typeof v === 'object' && !Array.isArray(v),
    null: (v) => v === null,
  };
  return fc.oneof(...options).filter((v) => !compatible[kind](v));
}

/** A body that breaks the template in one generated way: a field of the wrong type, an unknown key, or not an object at all. */
function brokenBody(template: unknown): fc.Arbitrary<{ label: string; body: string }> {
  const paths = valuePaths(template);
  const objectPaths = [[], ...paths.filter((p) => kindOf(getAt(template, p)) === 'object')];
  const unknownKey = fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !ALL_FIELD_NAMES.has(k));
  const arbitraries: fc.Arbitrary<{ label: string; body: string }>[] = [
    fc
      .tuple(fc.constantFrom(...objectPaths), unknownKey, fc.jsonValue({ maxDepth: 2 }))
      .map(([path, key, value]) => ({
        label: `unknown key ${JSON.stringify(key)} at /${path.join('/')}`,
        body: JSON.stringify(path.length === 0 ? { ...(template as object), [key]: value } : setAt(template, path, { ...getAt(template, path), [key]: value })),
      })),
    fc
      .oneof(fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 }), fc.string(), fc.integer(), fc.double({ noNaN: true }), fc.boolean())
      .map((value) => ({ label: 'not an object', body: JSON.stringify(value) })),
  ];
  if (paths.length > 0) {
    arbitraries.push(
      fc.constantFrom(...paths).chain((path) =>
        wrongTyped(kindOf(getAt(template, path))).map((value) => ({
          label: `/${path.join('/')} = ${JSON.stringify(value)?.slice(0, 60)}`,
          body: JSON.stringify(setAt(template, path, value)),
        })),
      ),
    );
    const stringPaths = paths.filter((p) => kindOf(getAt(template, p)) === 'string');
    if (stringPaths.length > 0) {
      arbitraries.push(
        fc.tuple(fc.constantFrom(...stringPaths), fc.integer({ min: 2_000, max: 60_000 }), fc.constantFrom('x', 'é', '😀', '\u0000', '"')).map(([path, length, unit]) => {
          // Stay under the 64 KB cap once encoded, so the string reaches validation (the cap has its own cases).
          const count = Math.min(length, Math.floor(60_000 / Buffer.byteLength(JSON.stringify(unit).slice(1, -1))));
          return {
            label: `/${path.join('/')} = huge string (${count} × ${JSON.stringify(unit)})`,
            body: JSON.stringify(setAt(template, path, unit.repeat(count))),
          };
        }),
      );
    }
  }
  return fc.oneof(...arbitraries);
}

/** Path parameter values that are never valid: a bad id or index, traversal, operators, huge numbers. */
function badParams(name: string): fc.Arbitrary<string> {
  const valid =
    name === 'itemIndex'
      ? (v: string) => /^\s*\d+(\.0*)?\s*$/.test(decodeSafe(v)) && Number(decodeSafe(v)) <= 199
      : name === 'lineId'
        ? (v: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(decodeSafe(v))
        : (v: string) => /^[a-f0-9]{24}$/.test(decodeSafe(v));
  return fc
    .oneof(
      fc.string({ minLength: 1, maxLength: 40 }).map(encodeURIComponent),
      fc.stringMatching(/^[0-9a-fA-F]{20,28}$/),
      fc.constantFrom(
        '..',
        '..%2F..%2Fstaff%2Ftables',
        '%2e%2e%2f%2e%2e%2fhealth',
        '%252e%252e',
        'A'.repeat(24),
        'g'.repeat(24),
        `${ids.orderId ?? '0'.repeat(24)}0`,
        '%20' + '0'.repeat(24),
        '0'.repeat(24) + '%00',
        '%24ne',
        encodeURIComponent('{"$ne":null}'),
        '__proto__',
        'constructor',
        'x'.repeat(10_000),
        '-1',
        '200',
        '1.5',
        '1e400',
        '99999999999999999999999999',
        'NaN',
        'Infinity',
        '%ff%fe',
        '%C0%AF',
        'caf%C3%A9',
      ),
    )
    .filter((v) => !valid(v));
}

function decodeSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Query strings each route with a query schema must refuse. */
function badQueries(baseQuery: string): fc.Arbitrary<string> {
  const knownKey = baseQuery.split('&')[0].split('=')[0];
  return fc.oneof(
    fc.constantFrom(
      `${baseQuery}&__proto__=1`,
      `${baseQuery}&constructor=1`,
      `${baseQuery}&__proto__[admin]=1`,
      `${knownKey}[$ne]=1`,
      `${knownKey}=${encodeURIComponent('{"$ne":null}')}`,
      `${knownKey}=%24where`,
      `${baseQuery}&${knownKey}=x`, // repeated: joined with a comma, so never one valid value
      `${knownKey}=${'Z'.repeat(9_000)}`,
      `${knownKey}=%00`,
      `${knownKey}=%ff%fe`,
      `${knownKey}=__proto__`,
      `${knownKey}=`,
      `by=equal&n=1e400`,
      `by=equal&n=-1`,
      `by=equal&n=NaN`,
      `by=equal&n=99999999999999999999`,
      `by=item&shares=${'a'.repeat(8_100)}`,
      `by=item&shares=${ids.orderId}:0:${encodeURIComponent('<script>')}`,
      `by=item&shares=${ids.orderId}:9999:fuzz-device-1`,
      `by=%24ne`,
      `station=grill`,
      `status=__proto__`,
    ),
    fc
      .tuple(fc.string({ minLength: 1, maxLength: 10 }).filter((k) => !ALL_FIELD_NAMES.has(k)), fc.string({ maxLength: 20 }))
      .map(([key, value]) => `${baseQuery}&${encodeURIComponent(key)}=${encodeURIComponent(value)}`),
  );
}

/** The fixed hostile cases for a state-changing route (one request each). */
function fixedBodyCases(route: HttpRoute, template: unknown): Case[] {
  const valid = JSON.stringify(template);
  const invalidUtf8 = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));
  const cases: Case[] = [
    // Wrong or missing content type, with an otherwise valid body: refused before anything runs (CSRF defence).
    ...['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp', 'application/json-patch+json', 'text/json', 'application/x-json', ''].map(
      (type): Case => ({ label: `content-type ${JSON.stringify(type)}`, request: jsonRequest(route, valid, { headers: { 'content-type': type } }), codes: ['UNSUPPORTED_MEDIA_TYPE'] }),
    ),
    { label: 'no content-type', request: { ...jsonRequest(route, valid), headers: credentialsFor(route) }, codes: ['UNSUPPORTED_MEDIA_TYPE'] },
    // Too big.
    { label: 'body of 65 KB', request: jsonRequest(route, JSON.stringify({ padding: 'x'.repeat(65 * 1024) })), codes: ['PAYLOAD_TOO_LARGE'] },
    { label: 'body of 1 MB', request: jsonRequest(route, Buffer.alloc(1024 * 1024, 0x20)), codes: ['PAYLOAD_TOO_LARGE'] },
    { label: '100,000-level nesting (200 KB)', request: jsonRequest(route, nested(100_000, '[', ']')), codes: ['PAYLOAD_TOO_LARGE'] },
    // Deep nesting within the size limit.
    { label: '10,000-level array', request: jsonRequest(route, nested(10_000, '[', ']')), codes: ['VALIDATION_FAILED'] },
    { label: '10,000-level object', request: jsonRequest(route, nested(10_000, '{"a":', '}')), codes: ['VALIDATION_FAILED'] },
    { label: '10,000-level unterminated', request: jsonRequest(route, '['.repeat(10_000)), codes: ['INVALID_JSON'] },
    // Not JSON.
    ...['{', '{"a":}', "{'a':1}", '{"a":1,}', '[1,]', 'NaN', 'undefined', '{"a":1}//', '/*x*/{}', '\uFEFF{}', '{"a":1}{"b":2}', 'nul', '"\\u00"'].map(
      (text): Case => ({ label: `not JSON: ${text}`, request: jsonRequest(route, text), codes: ['INVALID_JSON'] }),
    ),
    // Invalid UTF-8 (the gateway passes application/json as text: bad bytes must never become accepted input).
    { label: 'invalid UTF-8 key', request: jsonRequest(route, invalidUtf8('{"', [0xff, 0xfe], '":1,', valid.slice(1))), codes: ['VALIDATION_FAILED', 'INVALID_JSON'] },
    { label: 'invalid UTF-8 outside strings', request: jsonRequest(route, invalidUtf8([0xc0, 0xaf], valid)), codes: ['INVALID_JSON'] },
    { label: 'overlong "/" before the body', request: jsonRequest(route, invalidUtf8(valid.slice(0, -1), [0xe0, 0x80, 0xaf], '}')), codes: ['INVALID_JSON'] },
    { label: 'lone surrogate bytes', request: jsonRequest(route, invalidUtf8([0xed, 0xa0, 0x80])), codes: ['INVALID_JSON'] },
    { label: 'truncated sequence at the end', request: jsonRequest(route, invalidUtf8(valid, [0xe2, 0x82])), codes: ['INVALID_JSON'] },
    { label: 'binary body', request: jsonRequest(route, invalidUtf8([0xff], Array.from({ length: 512 }, (_, i) => (i * 37) % 256))), codes: ['INVALID_JSON'] },
    // Prototype keys and operators at the top level.
    { label: '__proto__ key', request: jsonRequest(route, withRawMembers(template, '"__proto__":{"polluted":true,"role":"ADMIN"}')), codes: ['VALIDATION_FAILED'] },
    { label: 'constructor.prototype key', request: jsonRequest(route, withRawMembers(template, '"constructor":{"prototype":{"polluted":true}}')), codes: ['VALIDATION_FAILED'] },
    { label: 'prototype key', request: jsonRequest(route, withRawMembers(template, '"prototype":{"polluted":true}')), codes: ['VALIDATION_FAILED'] },
    { label: '$where member', request: jsonRequest(route, withRawMembers(template, '"$where":"sleep(5000)"')), codes: ['VALIDATION_FAILED'] },
    { label: '$set member', request: jsonRequest(route, withRawMembers(template, '"$set":{"restaurantId":"other"}')), codes: ['VALIDATION_FAILED'] },
    { label: 'restaurantId member', request: jsonRequest(route, withRawMembers(template, '"restaurantId":"other"')), codes: ['VALIDATION_FAILED'] },
    { label: 'top-level operator object', request: jsonRequest(route, JSON.stringify({ $ne: null })), codes: ['VALIDATION_FAILED'] },
    { label: 'top-level array of the valid body', request: jsonRequest(route, `[${valid}]`), codes: ['VALIDATION_FAILED'] },
  ];
  // Every field (nested too) replaced by each operator object, a 10,000-level nesting, and a __proto__ object.
  for (const path of valuePaths(template)) {
    const where = `/${path.join('/')}`;
    for (const operator of OPERATORS.slice(0, 4)) {
      cases.push({ label: `${where} = ${JSON.stringify(operator)}`, request: jsonRequest(route, JSON.stringify(setAt(template, path, operator))), codes: ['VALIDATION_FAILED'] });
    }
    const marker = '"__DEEP__"';
    cases.push({
      label: `${where} = 10,000-level array`,
      request: jsonRequest(route, JSON.stringify(setAt(template, path, '__DEEP__')).replace(marker, nested(10_000, '[', ']'))),
      codes: ['VALIDATION_FAILED'],
    });
    cases.push({
      label: `${where} = {"__proto__": …}`,
      request: jsonRequest(route, JSON.stringify(setAt(template, path, '__DEEP__')).replace(marker, '{"__proto__":{"polluted":true}}')),
      codes: ['VALIDATION_FAILED'],
    });
  }
  return cases;
}

/** Bad credentials on a route that needs them: refused before anything runs. */
function headerCases(route: HttpRoute, body: string | undefined): Case[] {
  const garbage = ['Bearer', 'Bearer ', 'Bearer a.b.c', 'Bearer ..', `Bearer ${'A'.repeat(43)}`, `Bearer ${'x'.repeat(8_000)}`, 'Basic YWRtaW46YWRtaW4=', `Bearer ${staffToken.slice(0, -2)}xx`, `Bearer ${guestToken}${guestToken}`, 'Bearer {"$ne":""}'];
  const cases: Case[] = garbage.map((authorization) => ({
    label: `authorization ${authorization.slice(0, 30)}`,
    request: { ...jsonRequest(route, body), headers: { ...jsonRequest(route, body).headers, authorization } },
    codes: ['UNAUTHENTICATED', 'TOKEN_INVALID', 'FORBIDDEN'],
  }));
  for (const cookie of ['plato_guest=', 'plato_staff=%00', `plato_staff=${'z'.repeat(4_000)}`, 'plato_guest={"$ne":""}', '__proto__=1; plato_guest=x']) {
    const headers: Record<string, string> = { ...jsonRequest(route, body).headers, cookie };
    delete headers.authorization;
    cases.push({ label: `cookie ${cookie.slice(0, 30)}`, request: { ...jsonRequest(route, body), headers }, codes: ['UNAUTHENTICATED', 'TOKEN_INVALID', 'FORBIDDEN'] });
  }
  return cases;
}

async function check(routeKey: string, c: Case): Promise<RawResponse> {
  const response = await http.send(c.request);
  const where = `${routeKey} [${c.label}] → ${response.status} ${response.text.slice(0, 300)}`;
  expect(response.status, where).toBeLessThan(500);
  if (c.mayServe && response.status < 400) return response;
  expect(response.status, where).toBeGreaterThanOrEqual(400);
  const code = expectEnvelope(response);
  // The webhook's credential is its signature: an unsigned body is refused before validation.
  const codes = c.codes && routeKey === 'POST /api/payments/webhook' ? [...c.codes, 'WEBHOOK_SIGNATURE_INVALID'] : c.codes;
  if (codes) expect(codes, where).toContain(code);
  return response;
}

// ---------------------------------------------------------------- the runs

const FC_RUNS = 12;

describe('fuzzing every route', () => {
  it('covers every route in the table', () => {
    const stateChanging = HTTP_ROUTES.filter((route) => route.method !== 'GET').map(routeKeyOf);
    expect(stateChanging.filter((key) => !(key in TEMPLATES)), 'state-changing routes without a fuzz template').toEqual([]);
  });

  for (const route of HTTP_ROUTES) {
    const key = routeKeyOf(route);
    it(key, async () => {
      const template = TEMPLATES[key]?.();
      const validBody = template === undefined ? undefined : JSON.stringify(template);
      const cases: Case[] = [];
      if (route.method !== 'GET') cases.push(...fixedBodyCases(route, template));
      if (route.auth.kind !== 'public') cases.push(...headerCases(route, validBody));

      const params = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const baseQuery = QUERY_ROUTES[key];
      const generated: fc.Arbitrary<Case>[] = [];
      if (template !== undefined) {
        generated.push(brokenBody(template).map(({ label, body }) => ({ label, request: jsonRequest(route, body), codes: ['VALIDATION_FAILED'] })));
      }
      for (const name of params) {
        generated.push(
          badParams(name).map((value) => ({
            label: `{${name}} = ${value.slice(0, 40)}`,
            request: jsonRequest(route, validBody, { path: pathOf(route, { [name]: value }) }),
            codes: ['VALIDATION_FAILED', 'NOT_FOUND', 'METHOD_NOT_ALLOWED'],
          })),
        );
      }
      if (baseQuery) {
        generated.push(badQueries(baseQuery).map((query) => ({ label: `?${query.slice(0, 60)}`, request: jsonRequest(route, undefined, { path: `${pathOf(route)}?${query}` }), codes: ['VALIDATION_FAILED'] })));
      } else if (route.method === 'GET') {
        // Routes without a query schema ignore query strings: whatever arrives must not hurt.
        generated.push(
          badQueries('x=1').map((query) => ({ label: `ignored ?${query.slice(0, 60)}`, request: jsonRequest(route, undefined, { path: `${pathOf(route)}?${query}` }), mayServe: true })),
        );
      }
      for (const arbitrary of generated) cases.push(...fc.sample(arbitrary, { numRuns: FC_RUNS, seed: hash(key) }));
      // Also the fixed bad values of every path parameter.
      for (const name of params) {
        for (const value of ['..', '..%2F..%2Fstaff%2Ftables', 'x'.repeat(10_000), '1e400', '-1', '__proto__', encodeURIComponent('{"$ne":null}'), '%ff%fe', 'A'.repeat(24)]) {
          cases.push({ label: `{${name}} = ${value.slice(0, 40)}`, request: jsonRequest(route, validBody, { path: pathOf(route, { [name]: value }) }), codes: ['VALIDATION_FAILED', 'NOT_FOUND', 'METHOD_NOT_ALLOWED'] });
        }
      }

      await mapLimit(cases, 6, (c) => check(key, c));
      expect(({} as Record<string, unknown>).polluted, 'Object.prototype was polluted').toBeUndefined();
      expect(({} as Record<string, unknown>).role).toBeUndefined();

      const after = await snapshot();
      expect(after.dynamo, `${key}: DynamoDB changed`).toEqual(baseline.dynamo);
      expect(after.mongo, `${key}: MongoDB changed`).toEqual(baseline.mongo);
    });
  }

  it('the stack still serves the guest and the staff afterwards', async () => {
    expect((await t.api.get('/api/cart', { token: guestToken })).status).toBe(200);
    expect((await t.api.get('/api/staff/tables', { token: staffToken })).status).toBe(200);
    expect((await t.api.get('/api/health')).status).toBe(200);
  });
});

function hash(text: string): number {
  let h = 0;
  for (const char of text) h = (Math.imul(h, 31) + char.charCodeAt(0)) | 0;
  return h;
}
