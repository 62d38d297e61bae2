/**
 * Helpers shared by the hostile-input and fault suites (test/security/*.test.ts):
 * a raw HTTP client (node:http, keep-alive, exact bytes and paths, optional source address),
 * forged and foreign credentials, the error-envelope check and store snapshots.
 */
import http from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { SignJWT, UnsecuredJWT, decodeJwt } from 'jose';
import { EJSON } from 'bson';
import { ObjectId, type Db } from 'mongodb';
import { DynamoDBClient, ListTablesCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { expect } from 'vitest';
import { ERROR_STATUS } from '../../functions/http/error-status.ts';
import type { StaffRole } from '../../functions/core/roles.ts';
import { REQUEST_RATE_SCOPES } from '../../functions/http/request-limits.ts';

// ---------------------------------------------------------------- raw HTTP

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** Parsed JSON, or undefined when the body is empty or not JSON. */
  json: any;
}

export interface RawRequest {
  method: string;
  /** Sent exactly as given (no URL normalisation: `..`, `%2e` and friends reach the server). */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** A keep-alive HTTP client for one base URL, optionally bound to a local source address (e.g. 127.0.0.7). */
export function rawClient(baseUrl: string, options: { localAddress?: string; maxSockets?: number } = {}) {
  const url = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 16, localAddress: options.localAddress });
  const send = (request: RawRequest): Promise<RawResponse> =>
    new Promise((resolve, reject) => {
      const body = request.body === undefined ? undefined : Buffer.isBuffer(request.body) ? request.body : Buffer.from(request.body, 'utf8');
      const headers: Record<string, string | number> = { 'user-agent': 'plato-security-test/1.0', ...request.headers };
      if (body) headers['content-length'] = body.length;
      const req = http.request(
        { agent, host: url.hostname, port: url.port, method: request.method, path: request.path, headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json: unknown;
            try {
              json = text ? JSON.parse(text) : undefined;
            } catch {
              json = undefined;
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  return { send, close: () => agent.destroy() };
}

export type RawClient = ReturnType<typeof rawClient>;


// ---------------------------------------------------------------- the error envelope

/** Things that must never appear in an answer: stack frames, file paths, driver and runtime internals. */
export const LEAK_PATTERN =
  /\bat [\w$.<>]+ \(|\bat (?:async )?file:|node_modules|\/work\/|\.ts:\d+|\.js:\d+|Mongo[A-Za-z]*Error|MongoServer|E11000|TypeError|ReferenceError|RangeError|SyntaxError|ZodError|Cannot read prop|undefined is not|\bstack\b/i;

/** The answer is the error envelope with a stable code whose status is `status` (or any 4xx when omitted). */
export function expectEnvelope(response: { status: number; text?: string; body?: unknown; json?: unknown }, status?: number, code?: string): string {
  const body = (response.json ?? response.body) as { error?: { code?: unknown; message?: unknown } } | undefined;
  const where = `${response.status} ${response.text ?? JSON.stringify(response.body)}`.slice(0, 600);
  expect(body?.error, `error envelope expected, got ${where}`).toBeTypeOf('object');
  const errorCode = body!.error!.code as string;
  expect(Object.keys(ERROR_STATUS), `unknown error code in ${where}`).toContain(errorCode);
  expect(response.status, `status of ${errorCode} in ${where}`).toBe(ERROR_STATUS[errorCode as keyof typeof ERROR_STATUS]);
  expect(body!.error!.message, where).toBeTypeOf('string');
  if (status !== undefined) expect(response.status, where).toBe(status);
  if (code !== undefined) expect(errorCode, where).toBe(code);
  const text = response.text ?? JSON.stringify(response.body);
  expect(text, `internal detail leaked in ${where}`).not.toMatch(LEAK_PATTERN);
  return errorCode;
}

// ---------------------------------------------------------------- credentials

const encoder = new TextEncoder();

/** A staff JWT exactly as the server issues them, signed with `secret`, with claims overridden as given. */
export async function signStaffJwt(
  secret: string,
  claims: { role?: StaffRole | string; restaurantId?: string; sub?: string; username?: string; exp?: number; iat?: number; iss?: string; aud?: string } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role: claims.role ?? 'ADMIN', restaurantId: claims.restaurantId ?? 'demo', username: claims.username ?? 'admin' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub ?? new ObjectId().toHexString())
    .setIssuer(claims.iss ?? 'plato')
    .setAudience(claims.aud ?? 'plato-staff')
    .setIssuedAt(claims.iat ?? now)
    .setExpirationTime(claims.exp ?? now + 3600)
    .sign(encoder.encode(secret));
}

/** The same claims as a real token, with `alg: none` and no signature. */
export function unsignedJwtLike(realToken: string): string {
  const claims = decodeJwt(realToken);
  return new UnsecuredJWT({ ...claims, role: 'ADMIN' }).encode();
}

/** A real token whose payload was edited (role raised to ADMIN) while the signature was kept. */
export function tamperedJwt(realToken: string): string {
  const [header, payload, signature] = realToken.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  claims.role = 'ADMIN';
  const forged = Buffer.from(JSON.stringify(claims)).toString('base64url');
  expect(forged).not.toBe(payload);
  return [header, forged, signature].join('.');
}

/** A well-formed guest token (32 random bytes, base64url) and its stored hash. */
export function guestTokenPair(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, tokenHash: createHash('sha256').update(token, 'utf8').digest('hex') };
}

/**
 * A live guest token of an OPEN session stored for restaurant `restaurantId` (inserted directly into
 * the shared database, as another restaurant's stack would have written it).
 */
export async function foreignGuestToken(db: Db, restaurantId: string): Promise<{ token: string; sessionId: ObjectId }> {
  const { token, tokenHash } = guestTokenPair();
  const now = new Date();
  const sessionId = new ObjectId();
  await db.collection('table_sessions').insertOne({
    _id: sessionId,
    restaurantId,
    tableId: new ObjectId(),
    tableNumber: 'T-1',
    floor: 'Ground Floor',
    mode: 'FAMILY',
    status: 'OPEN',
    pinHash: 'x',
    pinVersion: 1,
    customerTokens: [{ tokenHash, deviceId: 'foreign-device-1', expiresAt: new Date(Date.now() + 3600_000), issuedAt: now, lastActivityAt: now }],
    openedBy: { userId: new ObjectId(), username: 'someone' },
    openedAt: now,
    updatedAt: now,
  });
  return { token, sessionId };
}

// ---------------------------------------------------------------- store snapshots

/** Every document of every collection, canonical Extended JSON, sorted: byte-comparable. */
export async function mongoSnapshot(db: Db): Promise<Record<string, string[]>> {
  const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
  const snapshot: Record<string, string[]> = {};
  for (const name of names) {
    const docs = await db.collection(name).find({}).toArray();
    snapshot[name] = docs.map((doc) => EJSON.stringify(doc, { relaxed: false })).sort();
  }
  return snapshot;
}

/** Every item of every DynamoDB table (raw attribute values with sorted keys), sorted. */
/**
 * Per-client request counters (http/request-limits.ts) record that a request arrived, refused
 * ones included by design: they are not data a request wrote, so snapshots leave them out.
 */
const REQUEST_COUNTER_PREFIXES = Object.values(REQUEST_RATE_SCOPES).map((scope) => `${scope}#`);
const isRequestCounter = (item: Record<string, any>): boolean =>
  typeof item.key?.S === 'string' && REQUEST_COUNTER_PREFIXES.some((prefix) => item.key.S.startsWith(prefix));

export async function dynamoSnapshot(endpoint: string, region: string): Promise<Record<string, string[]>> {
  const client = new DynamoDBClient({ endpoint, region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    const { TableNames = [] } = await client.send(new ListTablesCommand({}));
    const snapshot: Record<string, string[]> = {};
    for (const name of [...TableNames].sort()) {
      const items: string[] = [];
      let startKey: Record<string, any> | undefined;
      do {
        const page = await client.send(new ScanCommand({ TableName: name, ExclusiveStartKey: startKey, ConsistentRead: true }));
        for (const item of page.Items ?? []) if (!isRequestCounter(item)) items.push(stableStringify(item));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      snapshot[name] = items.sort();
    }
    return snapshot;
  } finally {
    client.destroy();
  }
}

export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stableStringify((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value).toString('base64'));
  return JSON.stringify(value);
}
