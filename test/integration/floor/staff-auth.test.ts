/** Staff sign-in over the local runtime: login, me, logout, no user enumeration, the failure limit, audit. */
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collections } from '../../../functions/data/mongo.ts';
import { startTestStack, TEST_PASSWORD, type TestStack } from '../../support/stack.ts';

let t: TestStack;

beforeAll(async () => {
  t = await startTestStack({ env: { COOKIE_SECURE: 'true' } }); // production cookie attributes
});
afterAll(() => t?.stop());

const login = (body: unknown, headers?: Record<string, string>) => t.api.post('/api/staff/login', body, { headers });

async function loginAudit(username: string) {
  const { auditLog } = await collections();
  return auditLog.find({ restaurantId: 'demo', action: 'STAFF_LOGIN', 'actor.username': username }).sort({ time: 1 }).toArray();
}

describe('POST /api/staff/login', () => {
  it('signs in: a 12-hour HS256 JWT with sub, role and restaurantId, also as an HttpOnly SameSite=Strict cookie', async () => {
    const response = await login({ username: 'waiter', password: TEST_PASSWORD });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ role: 'WAITER', restaurantId: 'demo', username: 'waiter' });
    const claims = decodeJwt(response.body.token);
    expect(claims).toMatchObject({ role: 'WAITER', restaurantId: 'demo' });
    expect(claims.sub).toMatch(/^[a-f0-9]{24}$/);
    expect(claims.exp! - claims.iat!).toBe(12 * 3600);
    expect(new Date(response.body.expiresAt).getTime()).toBe(claims.exp! * 1000);
    const cookie = response.cookies.find((c) => c.startsWith('__Host-plato_staff='))!;
    expect(cookie).toContain(response.body.token);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/Path=\//);

    for (const credentials of [{ token: response.body.token }, { cookie: `__Host-plato_staff=${response.body.token}` }]) {
      const me = await t.api.get('/api/staff/me', credentials);
      expect(me.status).toBe(200);
      expect(me.body).toEqual({ userId: claims.sub, username: 'waiter', role: 'WAITER', restaurantId: 'demo' });
    }
    const [entry] = (await loginAudit('waiter')).filter((e) => e.outcome === 'success');
    expect(entry).toMatchObject({ actor: { kind: 'staff', id: claims.sub, username: 'waiter' }, ip: '127.0.0.1', userAgent: 'plato-test/1.0' });
  });

  it('answers an unknown user and a wrong password with the same 401 INVALID_CREDENTIALS', async () => {
    const wrong = await login({ username: 'manager', password: 'not-the-password' });
    const unknown = await login({ username: 'nobody-here', password: 'not-the-password' });
    for (const response of [wrong, unknown]) {
      expect(response.status).toBe(401);
      expect(response.cookies).toEqual([]);
    }
    expect(unknown.body).toEqual(wrong.body);
    expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS');
    const failures = (await loginAudit('nobody-here')).map((e) => `${e.outcome}:${(e.details as { reason: string }).reason}`);
    expect(failures).toEqual(['failure:INVALID_CREDENTIALS']);
    // No password is ever written to the audit log.
    const { auditLog } = await collections();
    expect(JSON.stringify(await auditLog.find({ action: 'STAFF_LOGIN' }).toArray())).not.toContain('not-the-password');
  });

  it('rejects operator injection and malformed bodies with 400 VALIDATION_FAILED', async () => {
    for (const body of [
      { username: { $gt: '' }, password: TEST_PASSWORD },
      { username: 'admin', password: { $ne: '' } },
      { username: 'admin' },
      { username: '', password: 'x' },
      { username: 'admin', password: TEST_PASSWORD, role: 'ADMIN' },
      'admin',
    ]) {
      const response = await login(body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect((await t.api.post('/api/staff/login', undefined, { rawBody: '{"username":', headers: {} })).body.error.code).toBe('INVALID_JSON');
  });

  it('limits failures per username: 10 per 15 minutes, then 429 RATE_LIMITED with Retry-After (even for the right password)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await login({ username: 'kitchen', password: `wrong-${i}` })).status);
    expect(statuses).toEqual(Array(10).fill(401));
    const limited = await login({ username: 'kitchen', password: TEST_PASSWORD });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    // The sliding window counts the last 15 minutes plus at most one slice of it (a tenth): a failure
    // leaves it at most 16.5 minutes after it was made.
    expect(retryAfter).toBeLessThanOrEqual(15 * 60 * 1.1);
    // Case variants share the budget; other users are not affected.
    expect((await login({ username: 'KITCHEN', password: 'x' })).status).toBe(429);
    expect((await login({ username: 'admin', password: TEST_PASSWORD })).status).toBe(200);
    expect((await loginAudit('kitchen')).filter((e) => e.outcome === 'blocked').length).toBe(1);
  });

  it('counts only failures, and parallel guesses cannot exceed the limit', async () => {
    // Successful logins do not use up the budget.
    for (let i = 0; i < 12; i++) expect((await login({ username: 'manager', password: TEST_PASSWORD })).status).toBe(200);
    // One failure was used by the enumeration test above: 9 left for 30 parallel guesses.
    const responses = await Promise.all(Array.from({ length: 30 }, (_, i) => login({ username: 'manager', password: `guess-${i}` })));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(9);
    expect(statuses.filter((s) => s === 429)).toHaveLength(21);
  });

  it('lets every kitchen tablet sign in at once with one shared login', async () => {
    const responses = await Promise.all(Array.from({ length: 24 }, () => login({ username: 'waiter', password: TEST_PASSWORD })));
    expect(responses.map((r) => r.status)).toEqual(Array(24).fill(200));
  });
});

describe('GET /api/staff/me and POST /api/staff/logout', () => {
  it('me needs a staff token: 401 without one, 401 for a tampered one', async () => {
    expect((await t.api.get('/api/staff/me')).status).toBe(401);
    const { token } = await t.loginAs('ADMIN');
    const [header, payload, signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...decodeJwt(token), role: 'ADMIN', sub: 'someone' })).toString('base64url');
    const tampered = await t.api.get('/api/staff/me', { token: `${header}.${forged}.${signature}` });
    expect(tampered.status).toBe(401);
    expect(tampered.body.error.code).toBe('TOKEN_INVALID');
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`;
    expect((await t.api.get('/api/staff/me', { token: none })).status).toBe(401);
  });

  it('logout clears the cookie (204), also when the session was already ended or there is none', async () => {
    // Its own sign-in: logging out revokes it, and the cached ADMIN sign-in serves other tests.
    const { token } = (await login({ username: 'admin', password: TEST_PASSWORD })).body;
    for (const options of [{ token }, { token }, { token: 'not-a-jwt' }, {}]) {
      const response = await t.api.post('/api/staff/logout', undefined, options);
      expect(response.status).toBe(204);
      expect(response.cookies.find((c) => c.startsWith('__Host-plato_staff='))).toMatch(/Max-Age=0/);
    }
  });
});
