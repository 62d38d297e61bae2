/**
 * The Team section's pure rules: checking the add-user form (with the server's own rules, from
 * functions/core/staff-users.ts), which actions a row offers, and the list's order. The server
 * decides in the end (SELF_LOCKOUT, LAST_ADMIN, USERNAME_TAKEN); these only spare a pointless request.
 */
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, USERNAME_PATTERN } from '../../functions/core/staff-users.ts';
import type { StaffRole } from '../shared/types.ts';
import type { NewStaffUser, StaffUser } from './types.ts';

export { PASSWORD_MIN_LENGTH };

export interface NewUserForm {
  username: string;
  displayName: string;
  role: StaffRole | '';
  password: string;
}

/** Message keys (staff.team.*) per field; empty when the form can be sent. */
export type FormProblems = Partial<Record<'username' | 'role' | 'password', string>>;

export function passwordProblem(password: string): string | undefined {
  if (password.length < PASSWORD_MIN_LENGTH) return 'staff.team.passwordTooShort';
  if (password.length > PASSWORD_MAX_LENGTH) return 'staff.team.passwordTooLong';
  return undefined;
}

export function newUserProblems(form: NewUserForm): FormProblems {
  const problems: FormProblems = {};
  if (!USERNAME_PATTERN.test(form.username.trim())) problems.username = 'staff.team.usernameRule';
  if (!form.role) problems.role = 'staff.team.roleRequired';
  const password = passwordProblem(form.password);
  if (password) problems.password = password;
  return problems;
}

/** The POST body for a checked form. */
export function newUserBody(form: NewUserForm): NewStaffUser {
  const displayName = form.displayName.trim();
  return { username: form.username.trim(), role: form.role as StaffRole, password: form.password, ...(displayName ? { displayName } : {}) };
}

const isEnabledAdmin = (user: StaffUser): boolean => user.role === 'ADMIN' && !user.disabled;

/** What the console offers on a user's row (the server enforces the same rules). */
export interface RowActions {
  /** Role changes and disabling: not on one's own account, and not on the last enabled ADMIN. */
  changeRole: boolean;
  disable: boolean;
  enable: boolean;
  resetPassword: boolean;
  signOutEverywhere: boolean;
  /** Why role and disable are locked, as a message key. */
  lockedBecause?: 'staff.team.lockedSelf' | 'staff.team.lockedLastAdmin';
}

export function rowActions(user: StaffUser, users: readonly StaffUser[], myUserId: string | undefined): RowActions {
  const self = user.userId === myUserId;
  const lastAdmin = isEnabledAdmin(user) && users.filter(isEnabledAdmin).length <= 1;
  const locked = self || lastAdmin;
  return {
    changeRole: !locked,
    disable: !user.disabled && !locked,
    enable: user.disabled,
    resetPassword: true,
    signOutEverywhere: !self && !user.disabled,
    lockedBecause: self ? 'staff.team.lockedSelf' : lastAdmin ? 'staff.team.lockedLastAdmin' : undefined,
  };
}

/** Enabled first, then by username. */
export function sortUsers(users: readonly StaffUser[]): StaffUser[] {
  return [...users].sort((a, b) => Number(a.disabled) - Number(b.disabled) || a.username.localeCompare(b.username));
}

/** A user in a list answer, replaced by the server's newer view (or added). */
export function upsertUser(users: readonly StaffUser[], user: StaffUser): StaffUser[] {
  return users.some((each) => each.userId === user.userId) ? users.map((each) => (each.userId === user.userId ? user : each)) : [...users, user];
}
