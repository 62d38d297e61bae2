/**
 * Rules for staff accounts, shared by the console's API (admin/staff-users.ts), the CLI
 * (bin/staff-user.ts) and the console's Team section (web/staff/team.ts checks forms with them
 * before asking the server, which decides). No imports at run time, so the web bundle takes them as is.
 */
import type { StaffRole } from './roles.ts';

/** 1-64 letters, digits, `.`, `_` or `-`: what a sign-in form and a shell both take as typed. */
export const USERNAME_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
export const PASSWORD_MIN_LENGTH = 12;
/** The login body's limit (floor/handlers/staff-auth.ts): a longer password could never sign in. */
export const PASSWORD_MAX_LENGTH = 256;
export const DISPLAY_NAME_MAX_LENGTH = 80;

/** Why a password cannot be used, or undefined when it can. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < PASSWORD_MIN_LENGTH) return `Passwords need at least ${PASSWORD_MIN_LENGTH} characters`;
  if (password.length > PASSWORD_MAX_LENGTH) return `Passwords have at most ${PASSWORD_MAX_LENGTH} characters`;
  return undefined;
}

/** Whether a change takes ADMIN away from an enabled administrator (what the last-admin rule guards). */
export function removesAdmin(
  before: { role: StaffRole; disabled?: boolean },
  change: { role?: StaffRole; disabled?: boolean },
): boolean {
  if (before.role !== 'ADMIN' || before.disabled) return false;
  return change.disabled === true || (change.role !== undefined && change.role !== 'ADMIN');
}
