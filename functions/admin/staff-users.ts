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
 * admins demoting each other at once cannot both commit (snapshot isolation alone would let them).
 */
import { staffActor } from '../core/events.ts';
import { ObjectId, type ClientSession } from 'mongodb';
import type { StaffPrincipal } from '../auth/principal.ts';
import { hashPassword } from '../auth/passwords.ts';
import { DomainError, notFound } from '../core/errors.ts';
import { isObjectIdHex } from '../core/ids.ts';
import { removesAdmin } from '../core/staff-users.ts';
import { isDuplicateKeyError } from '../data/duplicate-key.ts';
import type { UserDoc } from '../data/documents.ts';
import { collections, mongoClient } from '../data/mongo.ts';
import { config } from '../platform/config.ts';
import { connectionsOfUser } from '../realtime/connections.ts';
import { disconnect } from '../realtime/push.ts';
import type { StaffRole } from '../core/roles.ts';
import type { RequestOrigin } from '../data/audit.ts';
import { afterCommit } from '../effects.ts';

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

const VIEW_PROJECTION = { passwordHash: 0 } as const;
/** The guard document (in counters) every change that removes an admin writes; see the module comment. */
const ADMIN_GUARD_TTL_MS = 24 * 3600 * 1000;

const toView = (user: Omit<UserDoc, 'passwordHash'>): StaffUserView => ({
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
  const { users } = await collections();
  const docs = await users.find({ restaurantId: config().restaurantId }, { projection: VIEW_PROJECTION }).sort({ username: 1 }).toArray();
  return docs.map(toView);
}

export async function createStaffUser(actor: StaffPrincipal, input: NewStaffUser, origin: RequestOrigin = {}): Promise<StaffUserView> {
  const { restaurantId } = config();
  const { users } = await collections();
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
  try {
    await users.insertOne(doc);
  } catch (error) {
    if (isDuplicateKeyError(error)) throw new DomainError('USERNAME_TAKEN', `The username ${input.username} is taken`);
    throw error;
  }
  const { passwordHash: _hash, ...stored } = doc;
  await afterCommit([{ type: 'StaffUserCreated', actor: staffActor(actor), userId: doc._id.toHexString(), username: doc.username, role: doc.role }], origin);
  return toView(stored);
}

/** Writes the per-restaurant guard inside `session`, then refuses if no other enabled ADMIN would remain. */
async function keepAnAdmin(session: ClientSession, userId: ObjectId): Promise<void> {
  const { restaurantId } = config();
  const { users, counters } = await collections();
  await counters.updateOne(
    { _id: `${restaurantId}#staff-admins` },
    { $inc: { seq: 1 }, $set: { restaurantId, expiresAt: new Date(Date.now() + ADMIN_GUARD_TTL_MS) } },
    { upsert: true, session },
  );
  const others = await users.countDocuments({ restaurantId, role: 'ADMIN', disabled: { $ne: true }, _id: { $ne: userId } }, { session });
  if (others === 0) throw new DomainError('LAST_ADMIN', 'This is the last enabled administrator: make another user ADMIN first');
}

export async function updateStaffUser(
  actor: StaffPrincipal,
  userIdInput: string,
  change: StaffUserChange,
  origin: RequestOrigin = {},
): Promise<UpdatedStaffUser> {
  const userId = toUserId(userIdInput);
  const { restaurantId } = config();
  const { users } = await collections();
  // Hashed before the transaction: scrypt is slow and must not hold a snapshot open (or run again on a retry).
  const passwordHash = change.password === undefined ? undefined : await hashPassword(change.password);
  const self = userIdInput === actor.userId;

  let result: { updated: Omit<UserDoc, 'passwordHash'>; details: Record<string, unknown>; sessionsEnded: boolean } | undefined;
  const session = (await mongoClient()).startSession();
  try {
    await session.withTransaction(async () => {
      result = undefined;
      const before = await users.findOne({ _id: userId, restaurantId }, { session, projection: VIEW_PROJECTION });
      if (!before) throw notFound('User');
      const roleChanged = change.role !== undefined && change.role !== before.role;
      const disabling = change.disabled === true && !before.disabled;
      const enabling = change.disabled === false && Boolean(before.disabled);
      const displayName = change.displayName === undefined ? undefined : change.displayName || null;
      const displayNameChanged = displayName !== undefined && (displayName ?? undefined) !== before.displayName;

      if (self && disabling) throw new DomainError('SELF_LOCKOUT', 'You cannot disable your own account');
      if (self && roleChanged) throw new DomainError('SELF_LOCKOUT', 'You cannot change your own role');
      if (removesAdmin(before, { role: roleChanged ? change.role : undefined, disabled: disabling ? true : undefined })) {
        await keepAnAdmin(session, userId);
      }

      const sessionsEnded = disabling || roleChanged || passwordHash !== undefined;
      const set: Partial<UserDoc> = {};
      const details: Record<string, unknown> = { userId: userIdInput, username: before.username };
      if (roleChanged) {
        set.role = change.role;
        details.role = { from: before.role, to: change.role };
      }
      if (disabling || enabling) {
        set.disabled = disabling;
        details.disabled = { from: Boolean(before.disabled), to: disabling };
      }
      if (displayNameChanged && displayName) set.displayName = displayName;
      if (displayNameChanged) details.displayName = { from: before.displayName ?? null, to: displayName };
      if (passwordHash !== undefined) {
        set.passwordHash = passwordHash;
        details.passwordReset = true; // that it was reset, never the password
      }
      if (Object.keys(set).length === 0 && !displayNameChanged) {
        result = { updated: before, details: {}, sessionsEnded: false };
        return;
      }
      const updated = await users.findOneAndUpdate(
        { _id: userId, restaurantId },
        {
          $set: { ...set, updatedAt: new Date() },
          ...(displayNameChanged && !displayName ? { $unset: { displayName: '' as const } } : {}),
          ...(sessionsEnded ? { $inc: { tokenVersion: 1 } } : {}),
        },
        { session, returnDocument: 'after', projection: VIEW_PROJECTION },
      );
      if (!updated) throw notFound('User');
      if (sessionsEnded) details.sessionsEnded = true;
      result = { updated, details, sessionsEnded };
    });
  } catch (error) {
    await auditRefusal(actor, origin, error, userIdInput);
    throw error;
  } finally {
    await session.endSession();
  }
  const done = result!;
  if (Object.keys(done.details).length > 0) {
    await afterCommit([{ type: 'StaffUserUpdated', actor: staffActor(actor), details: done.details }], origin);
  }
  if (done.sessionsEnded) await closeSocketsOf(userIdInput);
  return { user: toView(done.updated), sessionsEnded: done.sessionsEnded, tokenVersion: done.updated.tokenVersion ?? 0 };
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
  const { users } = await collections();
  const updated = await users.findOneAndUpdate(
    { _id: userId, restaurantId: config().restaurantId },
    { $inc: { tokenVersion: 1 } },
    { projection: { username: 1 } },
  );
  if (!updated) throw notFound('User');
  await afterCommit([{ type: 'StaffUserSignedOut', actor: staffActor(actor), userId: userIdInput, username: updated.username }], origin);
  await closeSocketsOf(userIdInput);
}

/** Closes the user's kitchen and staff sockets (after their tokens stopped working: a reconnect is refused). */
export async function closeSocketsOf(userId: string): Promise<number> {
  const sockets = await connectionsOfUser(config().restaurantId, userId);
  await Promise.all(sockets.map((socket) => disconnect(socket.connectionId)));
  return sockets.length;
}
