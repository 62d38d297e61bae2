/** Staff account rules shared by the API and the CLI (functions/core/staff-users.ts). */
import { describe, expect, it } from 'vitest';
import { passwordProblem, removesAdmin, USERNAME_PATTERN } from '../../functions/core/staff-users.ts';

describe('removesAdmin', () => {
  it('is true only when an enabled ADMIN is disabled or given a lower role', () => {
    expect(removesAdmin({ role: 'ADMIN' }, { disabled: true })).toBe(true);
    expect(removesAdmin({ role: 'ADMIN', disabled: false }, { role: 'MANAGER' })).toBe(true);
    expect(removesAdmin({ role: 'ADMIN' }, { role: 'KITCHEN', disabled: false })).toBe(true);
    expect(removesAdmin({ role: 'ADMIN' }, { role: 'ADMIN' })).toBe(false);
    expect(removesAdmin({ role: 'ADMIN' }, { disabled: false })).toBe(false);
    expect(removesAdmin({ role: 'ADMIN' }, {})).toBe(false);
    expect(removesAdmin({ role: 'ADMIN', disabled: true }, { role: 'WAITER' })).toBe(false);
    expect(removesAdmin({ role: 'MANAGER' }, { disabled: true })).toBe(false);
  });
});

describe('username and password rules', () => {
  it('takes 1-64 letters, digits, . _ -', () => {
    for (const ok of ['a', 'asha.k', 'night_shift-2', 'x'.repeat(64)]) expect(USERNAME_PATTERN.test(ok)).toBe(true);
    for (const bad of ['', 'has space', 'x'.repeat(65), 'a@b', 'ré', '$ne']) expect(USERNAME_PATTERN.test(bad)).toBe(false);
  });

  it('needs passwords of 12 to 256 characters', () => {
    expect(passwordProblem('x'.repeat(11))).toMatch(/at least 12/);
    expect(passwordProblem('x'.repeat(12))).toBeUndefined();
    expect(passwordProblem('x'.repeat(256))).toBeUndefined();
    expect(passwordProblem('x'.repeat(257))).toMatch(/at most 256/);
  });
});
