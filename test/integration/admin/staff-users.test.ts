/**
 * Staff accounts over the local runtime: the ADMIN API (list, create, update, sign out everywhere)
 * and sessions that end at once. Disabling a user, changing their role, resetting their password
 * and "sign out everywhere" make every token they hold fail on HTTP and on a new WebSocket, and
 * close the sockets they have open. Each test works on users it creates, so the seed's logins
 * (cached by loginAs) stay valid; the test that disables the seed's admin runs last.
 */
import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collections } from '../../../functions/data/mongo.ts';
import type { StaffRole } from '../../../functions/core/roles.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { refusedWith } from '../../support/ws.ts';

let t: TestStack;
let admin: string;

beforeAll(async () => {
  t = await startTestStack();
  admin = (await t.loginAs('ADMIN')).token;
});
afterAll(() => t?.stop());

const PASSWORD = 'a-long-enough-password';

interface Created {
  userId: string;
  username: string;
  role: StaffRole;
}

async function createUser(role: StaffRole, extra: Record<string, unknown> = {}): Promise<Created> {
  const username = `u-${randomUUID().slice(0, 8)}`;
  const response = await t.api.post('/api/staff/users', { username, role, password: PASSWORD, ...extra }, { token: admin });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return { userId: response.body.userId, username, role };
}

async function signIn(username: string, password = PASSWORD): Promise<string> {
  const response = await t.api.post('/api/staff/login', { username, password });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.token;
}

const patch = (userId: string, body: unknown, token = admin) => t.api.request('PATCH', `/api/staff/users/${userId}`, body, { token });
const signOut = (userId: string, token = admin) => t.api.post(`/api/staff/users/${userId}/sign-out`, undefined, { token });
const me = (token: string) => t.api.get('/api/staff/me', { token });

async function auditOf(action: string, userId: string) {
  const { auditLog } = await collections();
  return auditLog.find({ restaurantId: 'demo', action, 'details.userId': userId }).toArray();
}

/** A token that worked, and a socket opened with it, both ended by `end`. */
async function expectSessionsEnded(user: Created, end: () => Promise<{ status: number; body: unknown }>, expectedStatus = 200) {
  const token = await signIn(user.username);
  expect((await me(token)).status).toBe(200);
  const channel = user.role === 'KITCHEN' ? 'kitchen' : 'staff';
  const socket = await t.connectWs({ token, channel });

  const response = await end();
  expect(response.status, JSON.stringify(response.body)).toBe(expectedStatus);

  const refused = await me(token);
  expect(refused.status).toBe(401);
  expect(refused.body.error.code).toBe('TOKEN_EXPIRED');
  expect(refused.body.error.message).toMatch(/sign in again/);
  const close = await Promise.race([socket.closed, new Promise((resolve) => setTimeout(() => resolve('still open'), 5_000))]);
  expect(close, 'the open socket is closed').not.toBe('still open');
  expect(await refusedWith(t.wsUrl, { token, channel })).toBe(401);
  return token;
}

describe('GET /api/staff/users', () => {
  it('lists the restaurant’s users without password hashes or token versions', async () => {
    const response = await t.api.get('/api/staff/users', { token: admin });
    expect(response.status).toBe(200);
    const names = response.body.users.map((u: { username: string }) => u.username);
    expect(names).toEqual(expect.arrayContaining(['admin', 'manager', 'waiter', 'kitchen']));
    const waiter = response.body.users.find((u: { username: string }) => u.username === 'waiter');
    expect(Object.keys(waiter).sort()).toEqual(['createdAt', 'disabled', 'role', 'updatedAt', 'userId', 'username'].concat(waiter.displayName ? ['displayName'] : []).sort());
    expect(waiter).toMatchObject({ role: 'WAITER', disabled: false });
    expect(JSON.stringify(response.body)).not.toMatch(/passwordHash|scrypt|tokenVersion/);
  });

  it('is for ADMINs only', async () => {
    const response = await t.api.get('/api/staff/users', { token: (await t.loginAs('MANAGER')).token });
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('FORBIDDEN');
  });
});

describe('POST /api/staff/users', () => {
  it('creates a user who can sign in at once (201), audited without the password', async () => {
    const username = `new-${randomUUID().slice(0, 8)}`;
    const response = await t.api.post('/api/staff/users', { username, displayName: '  Asha K  ', role: 'WAITER', password: PASSWORD }, { token: admin });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ username, displayName: 'Asha K', role: 'WAITER', disabled: false });
    expect(response.body.userId).toMatch(/^[a-f0-9]{24}$/);
    expect(JSON.stringify(response.body)).not.toMatch(/password/i);

    const token = await signIn(username);
    expect((await me(token)).body).toMatchObject({ userId: response.body.userId, username, role: 'WAITER' });
    const stored = await (await collections()).users.findOne({ _id: new ObjectId(response.body.userId as string) });
    expect(stored?.passwordHash).toMatch(/^scrypt\$/);
    const [entry] = await auditOf('USER_CREATED', response.body.userId);
    expect(entry).toMatchObject({ outcome: 'success', actor: { kind: 'staff', username: 'admin' }, details: { username, role: 'WAITER' } });
    expect(JSON.stringify(entry)).not.toContain(PASSWORD);
  });

  it('refuses a taken username with 409 USERNAME_TAKEN', async () => {
    const response = await t.api.post('/api/staff/users', { username: 'waiter', role: 'WAITER', password: PASSWORD }, { token: admin });
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('USERNAME_TAKEN');
  });

  it('applies the CLI’s rules: usernames of letters, digits, . _ -; passwords of 12 characters or more; known roles', async () => {
    for (const body of [
      { username: 'has space', role: 'WAITER', password: PASSWORD },
      { username: 'x'.repeat(65), role: 'WAITER', password: PASSWORD },
      { username: 'short-pass', role: 'WAITER', password: 'elevenchars' },
      { username: 'bad-role', role: 'OWNER', password: PASSWORD },
      { username: 'op', role: 'WAITER', password: { $ne: '' } },
      { username: 'extra', role: 'WAITER', password: PASSWORD, disabled: true },
    ]) {
      const response = await t.api.post('/api/staff/users', body, { token: admin });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION_FAILED');
    }
  });
});

describe('ending sessions', () => {
  it('disabling a user ends their sessions at once; re-enabled, they sign in again', async () => {
    const user = await createUser('WAITER');
    await expectSessionsEnded(user, () => patch(user.userId, { disabled: true }));
    expect((await t.api.post('/api/staff/login', { username: user.username, password: PASSWORD })).status).toBe(401);

    const enabled = await patch(user.userId, { disabled: false });
    expect(enabled.body).toMatchObject({ disabled: false });
    const token = await signIn(user.username);
    expect((await me(token)).status).toBe(200);
    const socket = await t.connectWs({ token, channel: 'staff' });
    socket.send({ action: 'ping' });
    await socket.waitFor((m) => m.type === 'pong');
  });

  it('a role change ends the sessions; the next sign-in carries the new role', async () => {
    const user = await createUser('MANAGER');
    await expectSessionsEnded(user, () => patch(user.userId, { role: 'KITCHEN' }));
    const token = await signIn(user.username);
    expect(decodeJwt(token).role).toBe('KITCHEN');
    expect((await me(token)).body.role).toBe('KITCHEN');
    expect((await t.api.get('/api/staff/orders', { token })).status).toBe(403);
    const [entry] = await auditOf('USER_UPDATED', user.userId);
    expect(entry.details).toMatchObject({ role: { from: 'MANAGER', to: 'KITCHEN' }, sessionsEnded: true });
  });

  it('a kitchen tablet’s socket closes too', async () => {
    const user = await createUser('KITCHEN');
    await expectSessionsEnded(user, () => signOut(user.userId), 204);
  });

  it('a password reset ends the sessions; only the new password signs in', async () => {
    const user = await createUser('WAITER');
    const newPassword = 'another-long-password';
    await expectSessionsEnded(user, () => patch(user.userId, { password: newPassword }));
    expect((await t.api.post('/api/staff/login', { username: user.username, password: PASSWORD })).status).toBe(401);
    const token = await signIn(user.username, newPassword);
    expect((await me(token)).status).toBe(200);
    const [entry] = await auditOf('USER_UPDATED', user.userId);
    expect(entry.details).toMatchObject({ passwordReset: true, sessionsEnded: true });
    expect(JSON.stringify(entry)).not.toContain(newPassword);
  });

  it('sign out everywhere closes every socket the user holds, on every sign-in, and no one else’s', async () => {
    const user = await createUser('WAITER');
    const colleague = await createUser('WAITER');
    const sockets = [
      await t.connectWs({ token: await signIn(user.username), channel: 'staff' }),
      await t.connectWs({ token: await signIn(user.username), channel: 'staff' }),
    ];
    const colleagueSocket = await t.connectWs({ token: await signIn(colleague.username), channel: 'staff' });

    expect((await signOut(user.userId)).status).toBe(204);
    for (const socket of sockets) {
      const close = await Promise.race([socket.closed, new Promise((resolve) => setTimeout(() => resolve('still open'), 5_000))]);
      expect(close, 'each of the user’s sockets is closed').not.toBe('still open');
    }
    // The colleague's socket stays open and still hears the floor.
    const table = await t.openTable('T-7');
    await colleagueSocket.waitFor((m) => m.type === 'table.updated' && m.tableId === table.tableId);
    expect(colleagueSocket.ws.readyState).toBe(colleagueSocket.ws.OPEN);
    await t.closeTable(table.sessionId);
  });

  it('sign out everywhere (204) ends every session; a fresh sign-in works', async () => {
    const user = await createUser('WAITER');
    const other = await signIn(user.username);
    await expectSessionsEnded(user, () => signOut(user.userId), 204);
    expect((await me(other)).status).toBe(401);
    expect((await me(await signIn(user.username))).status).toBe(200);
    expect(await auditOf('USER_SIGNED_OUT', user.userId)).toHaveLength(1);
  });

  it('a display name change leaves the sessions alone', async () => {
    const user = await createUser('WAITER', { displayName: 'Ravi' });
    const token = await signIn(user.username);
    const renamed = await patch(user.userId, { displayName: 'Ravi S' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.displayName).toBe('Ravi S');
    const cleared = await patch(user.userId, { displayName: null });
    expect(cleared.body.displayName).toBeUndefined();
    expect((await me(token)).status).toBe(200);
  });

  it('a token naming a user that no longer exists is refused', async () => {
    const user = await createUser('WAITER');
    const token = await signIn(user.username);
    await (await collections()).users.deleteOne({ _id: new ObjectId(user.userId) });
    expect((await me(token)).status).toBe(401);
    expect(await refusedWith(t.wsUrl, { token, channel: 'staff' })).toBe(401);
  });
});

describe('rules', () => {
  it('answers 404 for an unknown user and 403 for non-admins', async () => {
    const missing = new ObjectId().toHexString();
    expect((await patch(missing, { disabled: true })).body.error.code).toBe('NOT_FOUND');
    expect((await signOut(missing)).status).toBe(404);
    const user = await createUser('WAITER');
    const manager = (await t.loginAs('MANAGER')).token;
    expect((await patch(user.userId, { disabled: true }, manager)).status).toBe(403);
    expect((await signOut(user.userId, manager)).status).toBe(403);
    expect((await patch(user.userId, {})).body).toMatchObject({ disabled: false });
  });

  it('an admin cannot disable, demote or sign out themselves (409 SELF_LOCKOUT); a new own password keeps this device signed in', async () => {
    const self = await createUser('ADMIN');
    const token = await signIn(self.username);
    const elsewhere = await signIn(self.username);
    for (const response of [await patch(self.userId, { disabled: true }, token), await patch(self.userId, { role: 'MANAGER' }, token), await signOut(self.userId, token)]) {
      expect(response.status).toBe(409);
      expect(response.body.error.code).toBe('SELF_LOCKOUT');
    }
    expect((await me(token)).body.role).toBe('ADMIN');
    // Each refusal is in the audit log as a failure.
    const refusals = await t.collection('audit_log').find({ outcome: 'failure', 'details.userId': self.userId, 'details.refused': 'SELF_LOCKOUT' }).toArray();
    expect(refusals.map((entry) => entry.action).sort()).toEqual(['USER_SIGNED_OUT', 'USER_UPDATED', 'USER_UPDATED']);

    const changed = await patch(self.userId, { password: 'my-own-new-password' }, token);
    expect(changed.status).toBe(200);
    const cookie = changed.cookies.find((c) => c.startsWith('plato_staff='));
    expect(cookie).toBeDefined();
    const fresh = cookie!.split(';')[0].slice('plato_staff='.length);
    expect((await me(fresh)).status).toBe(200);
    expect((await me(token)).status).toBe(401);
    expect((await me(elsewhere)).status).toBe(401);
  });

  // Last in the file: it disables the seed's admin.
  it('never leaves the restaurant without an enabled ADMIN, even when two admins demote each other at once', async () => {
    const { users } = await collections();
    for (let round = 0; round < 3; round += 1) {
      const x = await createUser('ADMIN');
      const y = await createUser('ADMIN');
      const [xToken, yToken] = [await signIn(x.username), await signIn(y.username)];
      // Only x and y stay enabled admins.
      for (const other of await users.find({ restaurantId: 'demo', role: 'ADMIN', disabled: { $ne: true } }).toArray()) {
        const id = other._id.toHexString();
        if (id !== x.userId && id !== y.userId) expect((await patch(id, { disabled: true }, xToken)).status).toBe(200);
      }
      const [a, b] = await Promise.all([
        patch(y.userId, round === 1 ? { role: 'WAITER' } : { disabled: true }, xToken),
        patch(x.userId, { disabled: true }, yToken),
      ]);
      const statuses = [a.status, b.status].sort();
      expect(statuses[0], JSON.stringify([a.body, b.body])).toBe(200);
      expect([401, 409]).toContain(statuses[1]);
      for (const refused of [a, b].filter((r) => r.status === 409)) expect(refused.body.error.code).toBe('LAST_ADMIN');
      expect(await users.countDocuments({ restaurantId: 'demo', role: 'ADMIN', disabled: { $ne: true } })).toBe(1);
      admin = a.status === 200 ? xToken : yToken;
    }
  });
});
