/**
 * The staff accounts' store (`users`): their filters and projections (never the password hash to a
 * view), and the transaction that changes an account under the last-admin guard (admin/staff-users.ts
 * holds the rules): every change that removes an admin writes a per-restaurant guard document
 * (in counters) in the same transaction, so two admins demoting each other at once cannot both commit.
 */
import type { ClientSession, ObjectId } from 'mongodb';
import type { UserDoc } from './documents.ts';
import { isDuplicateKeyError } from './duplicate-key.ts';
import { collections, mongoClient } from './mongo.ts';

/** An account without its password hash. */
export type StoredUser = Omit<UserDoc, 'passwordHash'>;

const WITHOUT_HASH = { passwordHash: 0 } as const;
const ADMIN_GUARD_TTL_MS = 24 * 3600 * 1000;

export async function listUsers(restaurantId: string): Promise<StoredUser[]> {
  const { users } = await collections();
  return users.find({ restaurantId }, { projection: WITHOUT_HASH }).sort({ username: 1 }).toArray();
}

/** The account a sign-in names, hash included (for the verification only). */
export async function findUserForSignIn(restaurantId: string, username: string): Promise<UserDoc | null> {
  const { users } = await collections();
  return users.findOne({ restaurantId, username });
}

/** Inserts a new account; false when the username is taken. */
export async function insertUser(user: UserDoc): Promise<boolean> {
  const { users } = await collections();
  try {
    await users.insertOne(user);
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}

/** What a change writes: fields set, the display name removed, every token refused (tokenVersion raised). */
export interface UserWrite {
  set: Partial<UserDoc>;
  unsetDisplayName: boolean;
  endSessions: boolean;
}

/**
 * Changes an account in one transaction. `decide` sees the account as it is and returns the write
 * (or undefined: nothing to write); it may throw to refuse, and before removing an admin it asks
 * `otherAdmins()`, which writes the guard and counts the other enabled admins inside the
 * transaction. Returns the account after the change (or as it is), or null when there is none.
 */
export async function changeUser(
  restaurantId: string,
  userId: ObjectId,
  decide: (before: StoredUser, otherAdmins: () => Promise<number>) => Promise<UserWrite | undefined>,
): Promise<StoredUser | null> {
  const { users, counters } = await collections();
  const otherAdmins = async (session: ClientSession): Promise<number> => {
    await counters.updateOne(
      { _id: `${restaurantId}#staff-admins` },
      { $inc: { seq: 1 }, $set: { restaurantId, expiresAt: new Date(Date.now() + ADMIN_GUARD_TTL_MS) } },
      { upsert: true, session },
    );
    return users.countDocuments({ restaurantId, role: 'ADMIN', disabled: { $ne: true }, _id: { $ne: userId } }, { session });
  };
  let result: StoredUser | null = null;
  const session = (await mongoClient()).startSession();
  try {
    await session.withTransaction(async () => {
      result = null;
      const before = await users.findOne({ _id: userId, restaurantId }, { session, projection: WITHOUT_HASH });
      if (!before) return;
      const write = await decide(before, () => otherAdmins(session));
      if (!write) {
        result = before;
        return;
      }
      result = await users.findOneAndUpdate(
        { _id: userId, restaurantId },
        {
          $set: { ...write.set, updatedAt: new Date() },
          ...(write.unsetDisplayName ? { $unset: { displayName: '' as const } } : {}),
          ...(write.endSessions ? { $inc: { tokenVersion: 1 } } : {}),
        },
        { session, returnDocument: 'after', projection: WITHOUT_HASH },
      );
    });
  } finally {
    await session.endSession();
  }
  return result;
}

/** "Sign out everywhere": raises the account's tokenVersion; its username, or null when there is none. */
export async function endAllSessions(restaurantId: string, userId: ObjectId): Promise<Pick<UserDoc, '_id' | 'username'> | null> {
  const { users } = await collections();
  return users.findOneAndUpdate({ _id: userId, restaurantId }, { $inc: { tokenVersion: 1 } }, { projection: { username: 1 } });
}

/** What every staff request reads of its account: its standing, and whether the sign-in `sid` was signed out. */
export type StaffAccountState = Pick<UserDoc, 'username' | 'role' | 'disabled' | 'tokenVersion' | 'revokedSessions'>;

/**
 * The account behind a staff token, read on every staff request (one indexed read by _id): only its
 * username, role, standing and token version, and of its signed-out sign-ins only the one with `sid`.
 */
export async function findStaffAccount(restaurantId: string, userId: ObjectId, sid: string | undefined): Promise<StaffAccountState | null> {
  const { users } = await collections();
  return users.findOne(
    { _id: userId, restaurantId },
    { projection: { _id: 0, username: 1, role: 1, disabled: 1, tokenVersion: 1, ...(sid ? { revokedSessions: { $elemMatch: { sid } } } : {}) } },
  );
}

/**
 * Signs one sign-in out: its `sid` joins the account's revoked list until `expiresAt` (when its token
 * would have expired), and entries already past their expiry are dropped in the same update. False
 * when there is no such account.
 */
export async function revokeSignIn(restaurantId: string, userId: ObjectId, sid: string, expiresAt: Date, now = new Date()): Promise<boolean> {
  const { users } = await collections();
  const entry = { sid, expiresAt };
  const result = await users.updateOne({ _id: userId, restaurantId }, [
    {
      $set: {
        revokedSessions: {
          $concatArrays: [
            {
              $filter: {
                input: { $ifNull: ['$revokedSessions', []] },
                as: 'r',
                cond: { $and: [{ $gt: ['$$r.expiresAt', now] }, { $ne: ['$$r.sid', sid] }] },
              },
            },
            [{ $literal: entry }],
          ],
        },
      },
    },
  ]);
  return result.matchedCount > 0;
}
