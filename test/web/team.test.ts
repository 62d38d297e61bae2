/** The staff console's Team section: its pure rules (web/staff/team.ts) and its words in both languages. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { newUserBody, newUserProblems, passwordProblem, rowActions, sortUsers, upsertUser, type NewUserForm } from '../../web/staff/team.ts';
import type { StaffUser } from '../../web/staff/types.ts';

const user = (username: string, role: StaffUser['role'], disabled = false): StaffUser => ({
  userId: username.padEnd(24, '0').slice(0, 24),
  username,
  role,
  disabled,
  createdAt: '2026-11-21T10:00:00.000Z',
  updatedAt: '2026-11-21T10:00:00.000Z',
});

const form = (change: Partial<NewUserForm> = {}): NewUserForm => ({ username: 'asha', displayName: '', role: 'WAITER', password: 'twelve-chars', ...change });

describe('the add-user form', () => {
  it('accepts what the server accepts, and builds the body (trimmed, no empty display name)', () => {
    expect(newUserProblems(form())).toEqual({});
    expect(newUserBody(form({ username: ' asha ', displayName: '  ' }))).toEqual({ username: 'asha', role: 'WAITER', password: 'twelve-chars' });
    expect(newUserBody(form({ displayName: ' Asha K ' }))).toMatchObject({ displayName: 'Asha K' });
  });

  it('names each field that the server would refuse', () => {
    expect(newUserProblems(form({ username: 'has space' }))).toEqual({ username: 'staff.team.usernameRule' });
    expect(newUserProblems(form({ username: '' })).username).toBeDefined();
    expect(newUserProblems(form({ username: 'x'.repeat(65) })).username).toBeDefined();
    expect(newUserProblems(form({ role: '' }))).toEqual({ role: 'staff.team.roleRequired' });
    expect(newUserProblems(form({ password: 'eleven-char' }))).toEqual({ password: 'staff.team.passwordTooShort' });
    expect(passwordProblem('x'.repeat(257))).toBe('staff.team.passwordTooLong');
    expect(passwordProblem('x'.repeat(256))).toBeUndefined();
  });
});

describe('row actions', () => {
  const admin = user('admin', 'ADMIN');
  const other = user('other', 'ADMIN');
  const waiter = user('waiter', 'WAITER');
  const gone = user('gone', 'KITCHEN', true);

  it('never offer to disable, demote or sign out oneself', () => {
    const mine = rowActions(admin, [admin, other, waiter], admin.userId);
    expect(mine).toMatchObject({ changeRole: false, disable: false, signOutEverywhere: false, resetPassword: true, lockedBecause: 'staff.team.lockedSelf' });
  });

  it('never offer to disable or demote the last enabled admin', () => {
    const disabledAdmin = user('old-admin', 'ADMIN', true);
    expect(rowActions(other, [admin, other], admin.userId)).toMatchObject({ changeRole: true, disable: true, signOutEverywhere: true });
    const last = rowActions(other, [other, disabledAdmin, waiter], waiter.userId);
    expect(last).toMatchObject({ changeRole: false, disable: false, signOutEverywhere: true, lockedBecause: 'staff.team.lockedLastAdmin' });
  });

  it('offer enable for disabled users and everything for the rest', () => {
    expect(rowActions(gone, [admin, gone], admin.userId)).toMatchObject({ enable: true, disable: false, changeRole: true, signOutEverywhere: false });
    expect(rowActions(waiter, [admin, waiter], admin.userId)).toEqual({ changeRole: true, disable: true, enable: false, resetPassword: true, signOutEverywhere: true, lockedBecause: undefined });
  });
});

describe('the list', () => {
  it('shows enabled users first, each group by username', () => {
    const list = [user('zed', 'WAITER'), user('amy', 'KITCHEN', true), user('bob', 'ADMIN')];
    expect(sortUsers(list).map((u) => u.username)).toEqual(['bob', 'zed', 'amy']);
  });

  it('replaces a user with the server’s newer view, or adds a new one', () => {
    const list = [user('amy', 'WAITER'), user('bob', 'ADMIN')];
    const changed = { ...list[0], role: 'MANAGER' as const };
    expect(upsertUser(list, changed).map((u) => `${u.username}:${u.role}`)).toEqual(['amy:MANAGER', 'bob:ADMIN']);
    expect(upsertUser(list, user('cat', 'KITCHEN'))).toHaveLength(3);
  });
});

describe('words', () => {
  it('has every key the Team section uses in English and Hindi, with the same placeholders', async () => {
    await import('../../web/staff/messages.ts');
    const { setLang, t } = await import('../../web/shared/i18n.ts');
    const sources = ['web/staff/team-admin.tsx', 'web/staff/team.ts', 'web/staff/store.ts', 'web/staff/app.tsx'].map((path) => readFileSync(path, 'utf8')).join('\n');
    const keys = [...new Set(sources.match(/'staff\.(team\.\w+|error\.\w+|nav\.team)'/g)!.map((quoted) => quoted.slice(1, -1)))];
    expect(keys.length).toBeGreaterThan(40);
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    try {
      for (const key of keys) {
        setLang('en');
        const en = t(key);
        setLang('hi');
        const hi = t(key);
        expect(en, key).not.toBe(key);
        expect(hi, `${key} in Hindi`).not.toBe(en);
        expect(placeholders(hi), key).toEqual(placeholders(en));
      }
    } finally {
      setLang('en');
    }
  });
});
