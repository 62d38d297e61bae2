/**
 * The table sessions' reads and writes (`table_sessions`, with the tables and carts they touch):
 * projections, conditional updates and the close's transaction. Every query is scoped by restaurantId.
 */
import type { Filter, ObjectId } from 'mongodb';
import { FAMILY_CART_OWNER, type CustomerTokenEntry, type TableDoc, type TableSessionDoc } from './documents.ts';
import { isDuplicateKeyError } from './duplicate-key.ts';
import { collections, mongoClient } from './mongo.ts';

export async function findTable(restaurantId: string, tableId: ObjectId): Promise<TableDoc | null> {
  const { tables } = await collections();
  return tables.findOne({ _id: tableId, restaurantId });
}

/** Inserts a new open session; false when the table already has one (unique partial index). */
export async function insertOpenSession(doc: TableSessionDoc): Promise<boolean> {
  const { tableSessions } = await collections();
  try {
    await tableSessions.insertOne(doc);
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}

/** Takes back a session just opened, before anyone joined it: its table was removed meanwhile (sessions/table-setup.ts). */
export async function discardOpenedSession(restaurantId: string, sessionId: ObjectId): Promise<void> {
  const { tableSessions } = await collections();
  await tableSessions.deleteOne({ _id: sessionId, restaurantId, status: 'OPEN' });
}

export type SessionState = Pick<TableSessionDoc, '_id' | 'tableId' | 'status' | 'pinVersion'>;

export async function findSessionState(restaurantId: string, sessionId: ObjectId): Promise<SessionState | null> {
  const { tableSessions } = await collections();
  return tableSessions.findOne({ _id: sessionId, restaurantId }, { projection: { _id: 1, tableId: 1, status: 1, pinVersion: 1 } });
}

/** A new PIN for an open session: its version moves on and its lockout goes. Null when the session is not open. */
export async function replacePin(restaurantId: string, sessionId: ObjectId, pinHash: string): Promise<Pick<TableSessionDoc, '_id' | 'tableId' | 'pinVersion'> | null> {
  const { tableSessions } = await collections();
  return tableSessions.findOneAndUpdate(
    { _id: sessionId, restaurantId, status: 'OPEN' },
    { $set: { pinHash, updatedAt: new Date() }, $inc: { pinVersion: 1 }, $unset: { pinLockout: '' } },
    { projection: { _id: 1, tableId: 1, pinVersion: 1 }, returnDocument: 'after' },
  );
}

export type CloseOutcome =
  | { outcome: 'closed'; tableId: ObjectId; unpaid: number; closedAt: Date }
  | { outcome: 'refused'; tableId: ObjectId; unpaid: number }
  | { outcome: 'not-found' }
  | { outcome: 'not-open' };

/** Thrown inside the close's transaction to abort it (its cart writes with it). */
class CloseRefused extends Error {}

/**
 * Closes an open session in one transaction (snapshot isolation): every cart its guests can order
 * from is emptied (and the ones its devices could still create are created empty), its unpaid
 * orders are counted, and unless `mayClose(unpaid)` refuses, it is CLOSED with every live token
 * revoked. A refusal aborts the whole transaction.
 */
export async function closeSession(
  restaurantId: string,
  sessionId: ObjectId,
  closedBy: { userId: ObjectId; username: string },
  mayClose: (unpaid: number) => boolean,
): Promise<CloseOutcome> {
  const { tableSessions, carts, orders } = await collections();
  const client = await mongoClient();
  const transaction = client.startSession();
  let result: CloseOutcome = { outcome: 'not-found' };
  try {
    await transaction.withTransaction(
      async () => {
        const session = await tableSessions.findOne(
          { _id: sessionId, restaurantId },
          { session: transaction, projection: { tableId: 1, status: 1, mode: 1, 'customerTokens.deviceId': 1 } },
        );
        if (!session || session.status !== 'OPEN') {
          result = { outcome: session ? 'not-open' : 'not-found' };
          return;
        }

        const now = new Date();
        await carts.updateMany({ restaurantId, sessionId }, { $set: { lines: [], updatedAt: now }, $inc: { version: 1 } }, { session: transaction });
        // A device that joins after this snapshot changes the session document, which this
        // transaction writes last: that is a write conflict too, and the retry sees the device.
        const owners = session.mode === 'FAMILY' ? [FAMILY_CART_OWNER] : sessionDevices(session.customerTokens ?? []);
        if (owners.length > 0) {
          await carts.bulkWrite(
            owners.map((owner) => ({
              updateOne: {
                filter: { restaurantId, sessionId, owner },
                update: { $setOnInsert: { lines: [], version: 1, updatedAt: now } },
                upsert: true,
              },
            })),
            { session: transaction, ordered: true },
          );
        }

        const unpaid = await orders.countDocuments(
          { restaurantId, sessionId, paymentStatus: { $ne: 'paid' }, status: { $ne: 'cancelled' } },
          { session: transaction },
        );
        if (!mayClose(unpaid)) {
          result = { outcome: 'refused', tableId: session.tableId, unpaid };
          throw new CloseRefused();
        }

        await tableSessions.updateOne(
          { _id: sessionId, restaurantId, status: 'OPEN' },
          { $set: { status: 'CLOSED', closedAt: now, closedBy, updatedAt: now, 'customerTokens.$[live].revokedAt': now } },
          { session: transaction, arrayFilters: [{ 'live.revokedAt': { $exists: false } }] },
        );
        result = { outcome: 'closed', tableId: session.tableId, unpaid, closedAt: now };
      },
      { readConcern: { level: 'snapshot' }, writeConcern: { w: 'majority' } },
    );
  } catch (error) {
    if (!(error instanceof CloseRefused)) throw error;
  } finally {
    await transaction.endSession().catch(() => undefined);
  }
  return result;
}

/**
 * Every device that was given a token in this session: the INDIVIDUAL carts that could be ordered
 * from. Revoked and expired ones too, since a request authenticated just before its token ended may
 * still be running.
 */
function sessionDevices(tokens: readonly Pick<CustomerTokenEntry, 'deviceId'>[]): string[] {
  return [...new Set(tokens.map((token) => token.deviceId))];
}

/** What a join reads of the table's open session: never more than the PIN check and the token proofs need. */
export type JoinableSession = Pick<TableSessionDoc, '_id' | 'tableId' | 'tableNumber' | 'floor' | 'mode' | 'pinHash' | 'pinVersion' | 'pinLockout' | 'customerTokens'>;

const JOINABLE_PROJECTION = {
  tableId: 1,
  tableNumber: 1,
  floor: 1,
  mode: 1,
  pinHash: 1,
  pinVersion: 1,
  'pinLockout.pinVersion': 1,
  'pinLockout.lockedUntil': 1,
  'customerTokens.deviceId': 1,
  'customerTokens.tokenHash': 1,
  'customerTokens.expiresAt': 1,
  'customerTokens.revokedAt': 1,
} as const;

export interface TableWithOpenSession {
  table: Pick<TableDoc, '_id' | 'number' | 'floor'>;
  session: JoinableSession | null;
}

/**
 * The table `tableFilter` finds (it must be scoped by restaurantId) and its open session, in one
 * command: a join's first read. The session comes through the unique open-session index
 * (restaurantId, tableId where OPEN). Null when there is no such table.
 */
export async function findTableWithOpenSession(restaurantId: string, tableFilter: Filter<TableDoc>): Promise<TableWithOpenSession | null> {
  const { tables, tableSessions } = await collections();
  const [found] = await tables
    .aggregate<Pick<TableDoc, '_id' | 'number' | 'floor'> & { open: JoinableSession[] }>([
      { $match: { ...tableFilter, restaurantId } },
      { $limit: 1 },
      { $project: { _id: 1, number: 1, floor: 1 } },
      {
        $lookup: {
          from: tableSessions.collectionName,
          localField: '_id',
          foreignField: 'tableId',
          pipeline: [{ $match: { restaurantId, status: 'OPEN' } }, { $limit: 1 }, { $project: JOINABLE_PROJECTION }],
          as: 'open',
        },
      },
    ])
    .toArray();
  if (!found) return null;
  const { open, ...table } = found;
  return { table, session: open[0] ?? null };
}

/**
 * One atomic update, valid only while the session is open and at the PIN version just checked:
 * this device's earlier tokens are revoked and the new one appended. False when nothing matched.
 */
export async function addGuestToken(restaurantId: string, session: Pick<TableSessionDoc, '_id' | 'pinVersion'>, entry: CustomerTokenEntry): Promise<boolean> {
  const { tableSessions } = await collections();
  const result = await tableSessions.updateOne({ _id: session._id, restaurantId, status: 'OPEN', pinVersion: session.pinVersion }, [
    {
      $set: {
        updatedAt: entry.issuedAt,
        customerTokens: {
          $concatArrays: [
            {
              $map: {
                input: { $ifNull: ['$customerTokens', []] },
                as: 't',
                in: {
                  $cond: [
                    { $and: [{ $eq: ['$$t.deviceId', { $literal: entry.deviceId }] }, { $eq: [{ $ifNull: ['$$t.revokedAt', null] }, null] }] },
                    { $mergeObjects: ['$$t', { revokedAt: entry.issuedAt }] },
                    '$$t',
                  ],
                },
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

export async function findSessionStatus(restaurantId: string, sessionId: ObjectId): Promise<Pick<TableSessionDoc, '_id' | 'status'> | null> {
  const { tableSessions } = await collections();
  return tableSessions.findOne({ _id: sessionId, restaurantId }, { projection: { status: 1 } });
}

export type GuestSessionDoc = Pick<TableSessionDoc, '_id' | 'tableId' | 'tableNumber' | 'floor' | 'mode' | 'status' | 'openedAt' | 'customerTokens'>;

/** The session with only the presented token's entry. */
export async function findSessionWithToken(restaurantId: string, sessionId: ObjectId, tokenHash: string): Promise<GuestSessionDoc | null> {
  const { tableSessions } = await collections();
  return tableSessions.findOne(
    { _id: sessionId, restaurantId },
    { projection: { tableId: 1, tableNumber: 1, floor: 1, mode: 1, status: 1, openedAt: 1, customerTokens: { $elemMatch: { tokenHash } } } },
  );
}

/** What a guest request's authentication reads: the session's place and state, and only the presented token's entry. */
export type TokenSession = Pick<TableSessionDoc, '_id' | 'tableId' | 'tableNumber' | 'floor' | 'mode' | 'status' | 'customerTokens'>;

/** The session holding a guest token (by its hash), read on every guest request: one indexed query. */
export async function findSessionByToken(restaurantId: string, tokenHash: string): Promise<TokenSession | null> {
  const { tableSessions } = await collections();
  return tableSessions.findOne(
    { restaurantId, 'customerTokens.tokenHash': tokenHash },
    { projection: { _id: 1, tableId: 1, tableNumber: 1, floor: 1, mode: 1, status: 1, customerTokens: { $elemMatch: { tokenHash } } } },
  );
}

/** The token is live: not revoked, not expired, and its session open (a socket's re-check, reading only the _id). */
export async function tokenIsLive(restaurantId: string, sessionId: ObjectId, tokenHash: string, now = new Date()): Promise<boolean> {
  const { tableSessions } = await collections();
  const session = await tableSessions.findOne(
    { _id: sessionId, restaurantId, status: 'OPEN', customerTokens: { $elemMatch: { tokenHash, revokedAt: { $exists: false }, expiresAt: { $gt: now } } } },
    { projection: { _id: 1 } },
  );
  return session !== null;
}

/**
 * Records a guest's name and number on their token in an open session, with the code sent to check
 * it (or, without one, no pending check); any customer linked before is unlinked. False when the
 * session is not open.
 */
export async function recordTokenContact(
  restaurantId: string,
  sessionId: ObjectId,
  tokenHash: string,
  contact: { name: string; phone: string; check?: CustomerTokenEntry['phoneCheck'] },
): Promise<boolean> {
  const { tableSessions } = await collections();
  const { name, phone, check } = contact;
  const result = await tableSessions.updateOne(
    { _id: sessionId, restaurantId, status: 'OPEN' },
    {
      $set: { 'customerTokens.$[mine].customerName': name, 'customerTokens.$[mine].customerPhone': phone, ...(check ? { 'customerTokens.$[mine].phoneCheck': check } : {}) },
      $unset: { 'customerTokens.$[mine].customerId': '', ...(check ? {} : { 'customerTokens.$[mine].phoneCheck': '' }) },
    },
    { arrayFilters: [{ 'mine.tokenHash': tokenHash }] },
  );
  return result.matchedCount > 0;
}

/** A wrong code entered for the token's pending phone check: its count of wrong tries goes up. */
export async function countWrongPhoneCode(restaurantId: string, sessionId: ObjectId, tokenHash: string): Promise<void> {
  const { tableSessions } = await collections();
  await tableSessions.updateOne(
    { _id: sessionId, restaurantId },
    { $inc: { 'customerTokens.$[mine].phoneCheck.wrong': 1 } },
    { arrayFilters: [{ 'mine.tokenHash': tokenHash, 'mine.phoneCheck': { $exists: true } }] },
  );
}

/** The token's phone check is done with (the right code came). */
export async function clearPhoneCheck(restaurantId: string, sessionId: ObjectId, tokenHash: string): Promise<void> {
  const { tableSessions } = await collections();
  await tableSessions.updateOne({ _id: sessionId, restaurantId }, { $unset: { 'customerTokens.$[mine].phoneCheck': '' } }, { arrayFilters: [{ 'mine.tokenHash': tokenHash }] });
}

export async function touchToken(restaurantId: string, sessionId: ObjectId, tokenHash: string, at: Date): Promise<void> {
  const { tableSessions } = await collections();
  await tableSessions.updateOne({ _id: sessionId, restaurantId, 'customerTokens.tokenHash': tokenHash }, { $set: { 'customerTokens.$.lastActivityAt': at } });
}

export async function revokeToken(restaurantId: string, sessionId: ObjectId, tokenHash: string, at: Date): Promise<void> {
  const { tableSessions } = await collections();
  await tableSessions.updateOne(
    { _id: sessionId, restaurantId },
    { $set: { 'customerTokens.$[mine].revokedAt': at } },
    { arrayFilters: [{ 'mine.tokenHash': tokenHash, 'mine.revokedAt': { $exists: false } }] },
  );
}

export type FloorSessionDoc = Pick<TableSessionDoc, '_id' | 'tableId' | 'mode' | 'status' | 'openedAt' | 'billRequest' | 'pinVersion' | 'pinLockout' | 'customerTokens'>;

/** The restaurant's tables in floor order. */
export async function tablesInFloorOrder(restaurantId: string): Promise<TableDoc[]> {
  const { tables } = await collections();
  return tables.find({ restaurantId }).sort({ sortOrder: 1, number: 1 }).toArray();
}

/** Every table in floor order, and every open session (never a PIN or hash). */
export async function floorDocuments(restaurantId: string): Promise<{ tables: TableDoc[]; sessions: FloorSessionDoc[] }> {
  const { tableSessions } = await collections();
  const [allTables, openSessions] = await Promise.all([
    tablesInFloorOrder(restaurantId),
    tableSessions
      .find(
        { restaurantId, status: 'OPEN' },
        {
          projection: {
            tableId: 1,
            mode: 1,
            status: 1,
            openedAt: 1,
            billRequest: 1,
            pinVersion: 1,
            pinLockout: 1,
            'customerTokens.deviceId': 1,
            'customerTokens.customerName': 1,
            'customerTokens.expiresAt': 1,
            'customerTokens.revokedAt': 1,
            'customerTokens.lastActivityAt': 1,
          },
        },
      )
      .toArray(),
  ]);
  return { tables: allTables, sessions: openSessions };
}

/** A table's newest session (open or closed), for what its QR link shows before the PIN. */
export async function findLatestSession(restaurantId: string, tableId: ObjectId): Promise<Pick<TableSessionDoc, '_id' | 'status' | 'closedAt'> | null> {
  const { tableSessions } = await collections();
  return tableSessions.findOne({ restaurantId, tableId }, { projection: { status: 1, closedAt: 1 }, sort: { openedAt: -1, _id: -1 } });
}

/** Copies a PIN guard's change (wrong PINs in the window, or a lockout) onto the open session, while its PIN is the one guarded. */
export async function setPinLockout(restaurantId: string, session: Pick<TableSessionDoc, '_id' | 'pinVersion'>, fields: Record<string, unknown>): Promise<void> {
  const { tableSessions } = await collections();
  const set = Object.fromEntries(Object.entries(fields).map(([key, value]) => [`pinLockout.${key}`, value]));
  await tableSessions.updateOne({ _id: session._id, restaurantId, status: 'OPEN', pinVersion: session.pinVersion }, { $set: { 'pinLockout.pinVersion': session.pinVersion, ...set } });
}
