/** The first staff user of a new deployment comes from bin/staff-user.ts: it must be able to sign in. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { upsertStaffUser } from '../../../bin/staff-user.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';

let t: TestStack;
beforeAll(async () => {
  t = await startTestStack();
});
afterAll(() => t?.stop());

it('creates a user who can sign in with its role, and resets the password and role on a second run', async () => {
  const base = { mongoUri: t.stack.mongoUri!, database: process.env.MONGODB_DB!, restaurantId: 'demo', username: 'owner' };
  expect(await upsertStaffUser({ ...base, role: 'ADMIN', password: 'first-password-123' })).toEqual({ created: true });
  const first = await t.api.post('/api/staff/login', { username: 'owner', password: 'first-password-123' });
  expect(first.status).toBe(200);
  expect(first.body.role).toBe('ADMIN');

  expect((await t.api.get('/api/staff/me', { token: first.body.token })).status).toBe(200);

  expect(await upsertStaffUser({ ...base, role: 'MANAGER', password: 'second-password-456' })).toEqual({ created: false });
  // The reset ends the sessions the user had.
  const ended = await t.api.get('/api/staff/me', { token: first.body.token });
  expect(ended.status).toBe(401);
  expect(ended.body.error.code).toBe('TOKEN_EXPIRED');
  expect((await t.api.post('/api/staff/login', { username: 'owner', password: 'first-password-123' })).status).toBe(401);
  const second = await t.api.post('/api/staff/login', { username: 'owner', password: 'second-password-456' });
  expect(second.status).toBe(200);
  expect(second.body.role).toBe('MANAGER');
});

it('creates users only in the restaurant it is given', async () => {
  const base = { mongoUri: t.stack.mongoUri!, database: process.env.MONGODB_DB!, username: 'elsewhere', role: 'ADMIN' as const, password: 'other-password-789' };
  await upsertStaffUser({ ...base, restaurantId: 'other' });
  expect((await t.api.post('/api/staff/login', { username: 'elsewhere', password: 'other-password-789' })).status).toBe(401);
});
