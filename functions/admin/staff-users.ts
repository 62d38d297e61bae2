/**
 * Staff accounts, managed by an ADMIN from the console (GET/POST /api/staff/users,
 * PATCH /api/staff/users/{userId}, POST /api/staff/users/{userId}/sign-out).
 *
 * Ending sessions: disabling a user, changing their role, resetting their password and "sign out
 * everywhere" raise the user's tokenVersion in the same write, so every token they hold is refused
 * from the next request on (auth/staff-session.ts), and then close their open sockets.
 *
 * Rules (409): an admin cannot disable, demote or sign out themselves here (SELF_LOCKOUT), and the
 * restaurant's last enabled ADMIN can never be disabled or demoted (LAST_ADMIN). The last-admin
 * check and the change are one transaction that also writes a per-restaurant guard document, so two
 * admins demoting each other at once cannot both commit (snapshot isolation alone would let them);
 * the transaction's mechanics are the store's (data/staff-users-store.ts changeUser).
 */
import { staffActor } from '../core/events.ts';
import { ObjectId } from 'mongodb';
import type { StaffPrincipal } from '../auth/principal.ts';
import { hashPassword } from '../auth/passwords.ts';
import { DomainError, notFound } from '../core/errors.ts';
import { isObjectIdHex } from '../core/ids.ts';
import { removesAdmin } from '../core/staff-users.ts';
import type { UserDoc } from '../data/documents.ts';
import { changeUser, endAllSessions, insertUser, listUsers, type StoredUser } from '../data/staff-users-store.ts';
import { config } from '../platform/config.ts';
import type { StaffRole } from '../core/roles.ts';
import type { RequestOrigin } from '../data/audit.ts';
import { afterStaffUserCommit as afterCommit } from './admin-pushes.ts';

/** A staff account as the API shows it: never the password hash or the token version. */
export interface StaffUserView {
  userId: string;
  username: string;
  displayName?: string;
  role: StaffRole;
  disabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewStaffUser {
  username: string;
  displayName?: string;
  role: StaffRole;
  password: string;
}

/** PATCH body: displayName null (or empty) removes it. */
export interface StaffUserChange {
  displayName?: string | null;
  role?: StaffRole;
  disabled?: boolean;
  password?: string;
}

export interface UpdatedStaffUser {
  user: StaffUserView;
  /** Whether the user's sessions were ended (tokens refused, sockets closed). */
  sessionsEnded: boolean;
  /** The user's token version after the change (to sign the acting admin's own device in again). */
  tokenVersion: number;
}

const toView = (user: StoredUser): StaffUserView => ({
  userId: user._id.toHexString(),
  username: user.username,
  ...(user.displayName ? { displayName: user.displayName } : {}),
  role: user.role,
  disabled: Boolean(user.disabled),
  createdAt: user.createdAt,
  updatedAt: user.updatedAt,
});

const toUserId = (userId: string): ObjectId => {
  if (!isObjectIdHex(userId)) throw notFound('User');
  return new ObjectId(userId);
};

export async function listStaffUsers(): Promise<StaffUserView[]> {
  return (await listUsers(config().restaurantId)).map(toView);
}

export async function createStaffUser(actor: StaffPrincipal, input: NewStaffUser, origin: RequestOrigin = {}): Promise<StaffUserView> {
  const { restaurantId } = config();
  const now = new Date();
  const doc: UserDoc = {
    _id: new ObjectId(),
    restaurantId,
    username: input.username,
    passwordHash: await hashPassword(input.password),
    role: input.role,
    ...(input.displayName ? { displayName: input.displayName } : {}),
    disabled: false,
    tokenVersion: 0,
    createdAt: now,
    updatedAt: now,
  };
  if (!(await insertUser(doc))) throw new DomainError('USERNAME_TAKEN', `The username ${input.username} is taken`);
  const { passwordHash: _hash, ...stored } = doc;
  await afterCommit([{ type: 'StaffUserCreated', actor: staffActor(actor), userId: doc._id.toHexString(), username: doc.username, role: doc.role }], origin);
  return toView(stored);
}

export async function updateStaffUser(
  actor: StaffPrincipal,
  userIdInput: string,
  change: StaffUserChange,
  origin: RequestOrigin = {},
): Promise<UpdatedStaffUser> {
  const userId = toUserId(userIdInput);
  // Hashed before the transaction: scrypt is slow and must not hold a snapshot open (or run again on a retry).
  const passwordHash = change.password === undefined ? undefined : await hashPassword(change.password);
  const self = userIdInput === actor.userId;

  let details: Record<string, unknown> = {};
  let sessionsEnded = false;
  let updated: StoredUser | null;
  try {
    updated = await changeUser(config().restaurantId, userId, async (before, otherAdmins) => {
      details = {};
      sessionsEnded = false;
      const roleChanged = change.role !== undefined && change.role !== before.role;
      const disabling = change.disabled === true && !before.disabled;
      const enabling = change.disabled === false && Boolean(before.disabled);
      const displayName = change.displayName === undefined ? undefined : change.displayName || null;
      const displayNameChanged = displayName !== undefined && (displayName ?? undefined) !== before.displayName;

      if (self && disabling) throw new DomainError('SELF_LOCKOUT', 'You cannot disable your own account');
      if (self && roleChanged) throw new DomainError('SELF_LOCKOUT', 'You cannot change your own role');
      if (removesAdmin(before, { role: roleChanged ? change.role : undefined, disabled: disabling ? true : undefined }) && (await otherAdmins()) === 0) {
        throw new DomainError('LAST_ADMIN', 'This is the last enabled administrator: make another user ADMIN first');
      }

      const set: Partial<UserDoc> = {};
      const changed: Record<string, unknown> = { userId: userIdInput, username: before.username };
      if (roleChanged) {
        set.role = change.role;
        changed.role = { from: before.role, to: change.role };
      }
      if (disabling || enabling) {
        set.disabled = disabling;
        changed.disabled = { from: Boolean(before.disabled), to: disabling };
      }
      if (displayNameChanged && displayName) set.displayName = displayName;
      if (displayNameChanged) changed.displayName = { from: before.displayName ?? null, to: displayName };
      if (passwordHash !== undefined) {
        set.passwordHash = passwordHash;
        changed.passwordReset = true; // that it was reset, never the password
      }
      if (Object.keys(set).length === 0 && !displayNameChanged) return undefined;
      sessionsEnded = disabling || roleChanged || passwordHash !== undefined;
      if (sessionsEnded) changed.sessionsEnded = true;
      details = changed;
      return { set, unsetDisplayName: displayNameChanged && !displayName, endSessions: sessionsEnded };
    });
  } catch (error) {
    await auditRefusal(actor, origin, error, userIdInput);
    throw error;
  }
  if (!updated) throw notFound('User');
  if (Object.keys(details).length > 0) {
    // Sessions ended: the pipeline closes the user's sockets too.
    await afterCommit([{ type: 'StaffUserUpdated', actor: staffActor(actor), restaurantId: config().restaurantId, userId: userIdInput, sessionsEnded, details }], origin);
  }
  return { user: toView(updated), sessionsEnded, tokenVersion: updated.tokenVersion ?? 0 };
}

/** The rules' refusals (an admin locking themselves out, the last admin) are audited as failures. */
async function auditRefusal(
  actor: StaffPrincipal,
  origin: RequestOrigin,
  error: unknown,
  userId: string,
  action: 'USER_UPDATED' | 'USER_SIGNED_OUT' = 'USER_UPDATED',
): Promise<void> {
  if (!(error instanceof DomainError) || (error.code !== 'SELF_LOCKOUT' && error.code !== 'LAST_ADMIN')) return;
  await afterCommit([{ type: 'StaffUserChangeRefused', actor: staffActor(actor), action, userId, refused: error.code }], origin);
}

/** "Sign out everywhere": every token the user holds is refused from now on, and their sockets close. */
export async function signOutStaffUser(actor: StaffPrincipal, userIdInput: string, origin: RequestOrigin = {}): Promise<void> {
  const userId = toUserId(userIdInput);
  if (userIdInput === actor.userId) {
    const refused = new DomainError('SELF_LOCKOUT', 'Sign out of this device instead; you cannot end all your own sessions here');
    await auditRefusal(actor, origin, refused, userIdInput, 'USER_SIGNED_OUT');
    throw refused;
  }
  const updated = await endAllSessions(config().restaurantId, userId);
  if (!updated) throw notFound('User');
  await afterCommit([{ type: 'StaffUserSignedOut', actor: staffActor(actor), restaurantId: config().restaurantId, userId: userIdInput, username: updated.username }], origin);
}
