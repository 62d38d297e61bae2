/**
 * The local runtime as if behind CloudFront: ORIGIN_VERIFY_SECRET (the local stand-in for the
 * ORIGIN_VERIFY field of the plato/<slug>/origin secret) turns origin verification on. Requests
 * without the x-plato-origin-verify header CloudFront adds get 403, with it they are served, and the
 * per-IP PIN limit counts the viewer IP CloudFront sets (x-plato-viewer-ip), never X-Forwarded-For.
 * Every request here comes from 127.0.0.1, as every request behind CloudFront comes from its nodes.
 */
import { ObjectId } from 'mongodb';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collections } from '../../../functions/data/mongo.ts';
import { startLocalStack, type LocalStack } from '../../../local/stack.ts';
import { apiClient, type ApiClient, type RequestOptions } from '../../support/http.ts';
import { TEST_PASSWORD } from '../../support/stack.ts';

const ORIGIN_SECRET = 'local-origin-verify-value-for-tests-0123456789';
const VIA_CLOUDFRONT = { 'x-plato-origin-verify': ORIGIN_SECRET };

let stack: LocalStack;
let api: ApiClient;

beforeAll(async () => {
  stack = await startLocalStack({
    port: 0,
    quiet: true,
    demoPassword: TEST_PASSWORD,
    env: { COOKIE_SECURE: 'false', ORIGIN_VERIFY_SECRET: ORIGIN_SECRET, PIN_IP_MAX_ATTEMPTS: '3', PIN_MAX_ATTEMPTS: '10' },
  });
  api = apiClient(stack.baseUrl);
});
afterAll(() => stack?.stop());

/** A request as CloudFront forwards it: the origin secret and the viewer's IP. */
const viaCloudFront = (viewerIp: string, extra: Record<string, string> = {}): RequestOptions => ({
  headers: { ...VIA_CLOUDFRONT, 'x-plato-viewer-ip': viewerIp, ...extra },
});

async function openTable(tableNumber: string): Promise<{ tableId: string; code: string; sessionId: string; pin: string }> {
  const login = await api.post('/api/staff/login', { username: 'waiter', password: TEST_PASSWORD }, viaCloudFront('198.51.100.1'));
  expect(login.status).toBe(200);
  const token: string = login.body.token;
  const tables = await api.get('/api/staff/tables', { token, ...viaCloudFront('198.51.100.1') });
  const tableId: string = tables.body.tables.find((t: { number: string }) => t.number === tableNumber).tableId;
  const opened = await api.post(`/api/staff/tables/${tableId}/sessions`, { mode: 'FAMILY' }, { token, ...viaCloudFront('198.51.100.1') });
  expect(opened.status).toBe(201);
  const code = stack.seed!.tables.find((table) => table.number === tableNumber)!.code!;
  return { tableId, code, sessionId: opened.body.sessionId, pin: opened.body.pin };
}

const wrongPin = (pin: string): string => String((Number(pin) + 1) % 10_000).padStart(4, '0');

/** The handshake's HTTP status: 101 when the socket opens, else the refusal's status. */
function handshake(query: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${stack.wsUrl}?${query}`, { headers });
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', (error) => reject(error));
  });
}

describe('HTTP', () => {
  it('refuses a request without the origin header, or with a wrong one, with 403 ORIGIN_UNVERIFIED', async () => {
    for (const options of [{}, { headers: { 'x-plato-origin-verify': `${ORIGIN_SECRET}x` } }, { headers: { 'x-plato-origin-verify': '' } }]) {
      const health = await api.get('/api/health', options);
      expect(health.status).toBe(403);
      expect(health.body.error.code).toBe('ORIGIN_UNVERIFIED');
      const login = await api.post('/api/staff/login', { username: 'waiter', password: TEST_PASSWORD }, options);
      expect(login.status).toBe(403);
      expect(login.body.error.code).toBe('ORIGIN_UNVERIFIED');
      expect(login.cookies).toEqual([]);
    }
    // The $default route (unknown paths) too: nothing answers without the header.
    const unknown = await api.get('/api/no-such-thing');
    expect(unknown.status).toBe(403);
    expect(unknown.body.error.code).toBe('ORIGIN_UNVERIFIED');
  });

  it('serves the same requests with the header', async () => {
    expect((await api.get('/api/health', { headers: VIA_CLOUDFRONT })).status).toBe(200);
    expect((await api.get('/api/no-such-thing', { headers: VIA_CLOUDFRONT })).status).toBe(404);
    const login = await api.post('/api/staff/login', { username: 'waiter', password: TEST_PASSWORD }, { headers: VIA_CLOUDFRONT });
    expect(login.status).toBe(200);
  });

  it('counts PIN failures per viewer IP, whatever X-Forwarded-For says', async () => {
    const table = await openTable('T-6');
    const join = (pin: string, options: RequestOptions) => api.post('/api/sessions/join', { table: table.code, pin }, options);

    // Viewer A uses its 3 attempts, each time claiming another address in X-Forwarded-For.
    for (let i = 0; i < 3; i++) {
      const failed = await join(wrongPin(table.pin), viaCloudFront('203.0.113.7', { 'x-forwarded-for': `192.0.2.${i + 1}` }));
      expect(failed.status).toBe(401);
      expect(failed.body.error.code).toBe('PIN_INVALID');
    }
    const blocked = await join(table.pin, viaCloudFront('203.0.113.7', { 'x-forwarded-for': '192.0.2.99' }));
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('PIN_BLOCKED');

    // Viewer B, same TCP source (127.0.0.1, as a CloudFront node would be), is not blocked.
    const other = await join(table.pin, viaCloudFront('2001:db8::42'));
    expect(other.status).toBe(200);

    const { auditLog } = await collections();
    const sessionId = new ObjectId(table.sessionId);
    const failures = await auditLog.find({ action: 'PIN_ATTEMPT', sessionId, outcome: { $ne: 'success' } }).toArray();
    expect(failures.map((entry) => entry.ip)).toEqual(['203.0.113.7', '203.0.113.7', '203.0.113.7', '203.0.113.7']);
    const success = await auditLog.findOne({ action: 'PIN_ATTEMPT', sessionId, outcome: 'success' });
    expect(success?.ip).toBe('2001:db8::42');
  });

  it('ignores a viewer-IP header on a request that did not pass origin verification', async () => {
    // Refused before anything is counted: a forged viewer IP cannot spend (or dodge) anyone's budget.
    const table = await openTable('T-7');
    const forged = await api.post('/api/sessions/join', { table: table.code, pin: wrongPin(table.pin) }, { headers: { 'x-plato-viewer-ip': '203.0.113.8' } });
    expect(forged.status).toBe(403);
    const { auditLog } = await collections();
    expect(await auditLog.countDocuments({ action: 'PIN_ATTEMPT', sessionId: new ObjectId(table.sessionId) })).toBe(0);
  });
});

describe('WebSocket $connect', () => {
  it('refuses the handshake with 403 without the origin header, and accepts it with the header', async () => {
    const table = await openTable('T-8');
    const joined = await api.post('/api/sessions/join', { table: table.code, pin: table.pin }, viaCloudFront('198.51.100.20'));
    expect(joined.status).toBe(200);
    const query = `token=${encodeURIComponent(joined.body.sessionToken)}`;
    expect(await handshake(query, {})).toBe(403);
    expect(await handshake(query, { 'x-plato-origin-verify': 'wrong-value' })).toBe(403);
    expect(await handshake(query, VIA_CLOUDFRONT)).toBe(101);
  });
});
