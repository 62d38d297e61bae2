/**
 * Table sessions: a waiter opens a table (FAMILY or INDIVIDUAL) and gets a 4-digit PIN; guests join
 * with the table code from the QR code (table-codes.ts) plus that PIN and get a device-bound session token; closing
 * the table revokes every token and disconnects the guests' sockets.
 *
 * Joining is guarded by pin-guard.ts: only evaluated guesses count, a phone holding a live token of
 * the session is never refused its right PIN, and the floor shows a table's wrong PINs and lockout.
 * The counters and the lockout are keyed by session AND PIN version, so regenerating the PIN starts
 * that table afresh.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { ObjectId } from 'mongodb';
import type { GuestPrincipal, StaffPrincipal } from '../auth/principal.ts';
import { hashGuestToken, newGuestToken } from '../auth/guest-token.ts';
import { DomainError, notFound } from '../core/errors.ts';
import { derivePinKey, generatePin, hashPin, verifyPin } from '../core/pin.ts';
import { joinedDevices } from '../core/joined-devices.ts';
import { isDuplicateKeyError } from '../data/duplicate-key.ts';
import { FAMILY_CART_OWNER, type AuditDoc, type BillRequest, type CustomerTokenEntry, type PaymentMethod, type PinLockoutView, type SessionMode, type TableSessionDoc } from '../data/documents.ts';
import { collections, mongoClient } from '../data/mongo.ts';
import { config } from '../platform/config.ts';
import { secrets } from '../platform/secrets.ts';
import { connectionsOfSession } from '../realtime/connections.ts';
import { disconnect, pushToSession, pushToStaff } from '../realtime/push.ts';
import { closeGuestTokenSockets, closeReplacedDeviceSockets } from '../realtime/socket-credentials.ts';
import { roleAtLeast } from '../core/roles.ts';
import { auditQuietly, type RequestOrigin, type StaffActor } from './audit.ts';
import { paidOnlineBySession } from './payment-views.ts';
import { markCustomerLoggedOut } from './customers.ts';
import { tableOfLink } from './table-codes.ts';
import { guardPin, lockoutView } from './pin-guard.ts';

/** Guests' token activity is written at most this often (GET /api/sessions/me is called on every load). */
const ACTIVITY_RESOLUTION_MS = 5 * 60 * 1000;

let pinKeyPromise: Promise<Buffer> | undefined;
/** The PIN hashing key, derived once per container from the server secret. */
const pinKey = (): Promise<Buffer> =>
  (pinKeyPromise ??= secrets()
    .then(({ jwtSecret }) => derivePinKey(jwtSecret))
    .catch((error) => {
      pinKeyPromise = undefined;
      throw error;
    }));

export const toObjectId = (id: ObjectId | string): ObjectId => (typeof id === 'string' ? new ObjectId(id) : id);

const actorOf = (staff: StaffActor): AuditDoc['actor'] => ({
  kind: 'staff',
  id: toObjectId(staff.userId).toHexString(),
  username: staff.username,
});


// ───────────────────────────── staff: open, regenerate, close ─────────────────────────────

export interface OpenedSession {
  sessionId: string;
  tableId: string;
  tableNumber: string;
  floor: string;
  mode: SessionMode;
  /** The only time the PIN leaves the server (and again on regeneration). */
  pin: string;
  openedAt: Date;
}

/**
 * Opens a session on a table with a fresh PIN. 404 NOT_FOUND for an unknown table,
 * 409 SESSION_ALREADY_OPEN when the table already has an open session (unique partial index).
 * Used by POST /api/staff/tables/{tableId}/sessions and by the local seed.
 */
export async function openTableSession(
  input: { tableId: ObjectId | string; mode: SessionMode; openedBy: StaffActor },
  origin: RequestOrigin = {},
): Promise<OpenedSession> {
  const { restaurantId } = config();
  const tableId = toObjectId(input.tableId);
  const { tables, tableSessions } = await collections();
  const table = await tables.findOne({ _id: tableId, restaurantId });
  if (!table) throw notFound('Table');

  const pin = generatePin();
  const now = new Date();
  const doc: TableSessionDoc = {
    _id: new ObjectId(),
    restaurantId,
    tableId,
    tableNumber: table.number,
    floor: table.floor,
    mode: input.mode,
    status: 'OPEN',
    pinHash: hashPin(pin, await pinKey()),
    pinVersion: 1,
    customerTokens: [],
    openedBy: { userId: toObjectId(input.openedBy.userId), username: input.openedBy.username },
    openedAt: now,
    updatedAt: now,
  };
  try {
    await tableSessions.insertOne(doc);
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    await auditQuietly({
      action: 'SESSION_OPENED',
      outcome: 'failure',
      actor: actorOf(input.openedBy),
      tableId,
      ...origin,
      details: { reason: 'SESSION_ALREADY_OPEN' },
    });
    throw new DomainError('SESSION_ALREADY_OPEN', `Table ${table.number} already has an open session`);
  }
  await auditQuietly({ action: 'SESSION_OPENED', outcome: 'success', actor: actorOf(input.openedBy), tableId, sessionId: doc._id, ...origin, details: { mode: input.mode } });
  await pushToStaff(restaurantId, { type: 'table.updated', tableId: tableId.toHexString() });
  return {
    sessionId: doc._id.toHexString(),
    tableId: tableId.toHexString(),
    tableNumber: table.number,
    floor: table.floor,
    mode: input.mode,
    pin,
    openedAt: now,
  };
}

/** An open session by id, or 404 NOT_FOUND / 409 SESSION_CLOSED. */
async function openSessionById(sessionId: ObjectId): Promise<Pick<TableSessionDoc, '_id' | 'tableId' | 'status' | 'pinVersion'>> {
  const { tableSessions } = await collections();
  const session = await tableSessions.findOne(
    { _id: sessionId, restaurantId: config().restaurantId },
    { projection: { _id: 1, tableId: 1, status: 1, pinVersion: 1 } },
  );
  if (!session) throw notFound('Session');
  if (session.status !== 'OPEN') throw new DomainError('SESSION_CLOSED', 'This table session is already closed');
  return session;
}

/**
 * Replaces the session's PIN: the old PIN stops working at once; tokens already issued stay valid.
 * The attempt counters and lockout start afresh (they are keyed by PIN version).
 */
export async function regenerateSessionPin(
  sessionIdInput: ObjectId | string,
  staff: StaffActor,
  origin: RequestOrigin = {},
): Promise<{ sessionId: string; pin: string }> {
  const sessionId = toObjectId(sessionIdInput);
  const { restaurantId } = config();
  const { tableSessions } = await collections();
  const pin = generatePin();
  const updated = await tableSessions.findOneAndUpdate(
    { _id: sessionId, restaurantId, status: 'OPEN' },
    { $set: { pinHash: hashPin(pin, await pinKey()), updatedAt: new Date() }, $inc: { pinVersion: 1 }, $unset: { pinLockout: '' } },
    { projection: { _id: 1, tableId: 1, pinVersion: 1 }, returnDocument: 'after' },
  );
  if (!updated) {
    await openSessionById(sessionId); // throws the right 404 NOT_FOUND / 409 SESSION_CLOSED
    throw new DomainError('CONFLICT', 'The session changed meanwhile; try again');
  }
  await auditQuietly({
    action: 'PIN_REGENERATED',
    outcome: 'success',
    actor: actorOf(staff),
    tableId: updated.tableId,
    sessionId,
    ...origin,
    details: { pinVersion: updated.pinVersion },
  });
  return { sessionId: sessionId.toHexString(), pin };
}

export interface ClosedSession {
  sessionId: string;
  tableId: string;
  status: 'CLOSED';
  closedAt: Date;
  /** Guest sockets that were told and disconnected. */
  disconnected: number;
}

/**
 * Closes a table: status CLOSED, every guest token revoked, the guests' sockets told
 * `{"type":"session.closed"}` and disconnected, the staff floor view updated.
 * A table with unpaid orders can only be closed by a MANAGER or ADMIN (403 FORBIDDEN otherwise).
 *
 * The check for unpaid orders and the close are one MongoDB transaction (snapshot isolation) that
 * also writes every cart the session's guests can order from. Placement takes the cart inside its
 * own transaction, so a close and a placement running together write the same cart document and
 * cannot both commit: either the order commits first and the close (retried by withTransaction on
 * the write conflict, or starting after it) sees it, or the close commits first and the placement
 * finds the cart changed (409 CART_CHANGED) — it was emptied, so not even a client that guesses the
 * next cart version can order from it. The carts the session's devices could still create are
 * created here (empty), so none can appear behind the close's back. Pushes and disconnects follow
 * the commit.
 */
export async function closeTableSession(
  sessionIdInput: ObjectId | string,
  staff: StaffActor & { role: StaffPrincipal['role'] },
  origin: RequestOrigin = {},
): Promise<ClosedSession> {
  const sessionId = toObjectId(sessionIdInput);
  const { restaurantId } = config();
  const { tableSessions, carts, orders } = await collections();
  const client = await mongoClient();
  const transaction = client.startSession();
  let closed: { tableId: ObjectId; unpaid: number; closedAt: Date } | undefined;
  let refused: { tableId: ObjectId; unpaid: number } | undefined;
  try {
    await transaction.withTransaction(
      async () => {
        closed = refused = undefined;
        const session = await tableSessions.findOne(
          { _id: sessionId, restaurantId },
          { session: transaction, projection: { tableId: 1, status: 1, mode: 1, 'customerTokens.deviceId': 1 } },
        );
        if (!session) throw notFound('Session');
        if (session.status !== 'OPEN') throw new DomainError('SESSION_CLOSED', 'This table session is already closed');

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
        if (unpaid > 0 && !roleAtLeast(staff.role, 'MANAGER')) {
          refused = { tableId: session.tableId, unpaid };
          throw new DomainError('FORBIDDEN', `This table has ${unpaid} unpaid order(s); a manager must close it or take payment first`, {
            details: { unpaidOrders: unpaid },
          });
        }

        const closedBy = { userId: toObjectId(staff.userId), username: staff.username };
        await tableSessions.updateOne(
          { _id: sessionId, restaurantId, status: 'OPEN' },
          { $set: { status: 'CLOSED', closedAt: now, closedBy, updatedAt: now, 'customerTokens.$[live].revokedAt': now } },
          { session: transaction, arrayFilters: [{ 'live.revokedAt': { $exists: false } }] },
        );
        closed = { tableId: session.tableId, unpaid, closedAt: now };
      },
      { readConcern: { level: 'snapshot' }, writeConcern: { w: 'majority' } },
    );
  } catch (error) {
    if (refused) {
      await auditQuietly({
        action: 'SESSION_CLOSED',
        outcome: 'failure',
        actor: actorOf(staff),
        tableId: refused.tableId,
        sessionId,
        ...origin,
        details: { reason: 'UNPAID_ORDERS', unpaidOrders: refused.unpaid },
      });
    }
    throw error;
  } finally {
    await transaction.endSession().catch(() => undefined);
  }
  const { tableId, unpaid, closedAt } = closed!;

  await auditQuietly({
    action: 'SESSION_CLOSED',
    outcome: 'success',
    actor: actorOf(staff),
    tableId,
    sessionId,
    ...origin,
    details: unpaid > 0 ? { unpaidOrders: unpaid } : undefined,
  });

  const sessionKey = sessionId.toHexString();
  await pushToSession(restaurantId, sessionKey, { type: 'session.closed', sessionId: sessionKey });
  const sockets = await connectionsOfSession(restaurantId, sessionKey).catch(() => []);
  await Promise.all(sockets.map((socket) => disconnect(socket.connectionId)));
  await pushToStaff(restaurantId, { type: 'table.updated', tableId: tableId.toHexString() });
  return { sessionId: sessionKey, tableId: tableId.toHexString(), status: 'CLOSED', closedAt, disconnected: sockets.length };
}

/**
 * Every device that was given a token in this session: the INDIVIDUAL carts that could be ordered
 * from. Revoked and expired ones too, since a request authenticated just before its token ended may
 * still be running.
 */
function sessionDevices(tokens: readonly Pick<CustomerTokenEntry, 'deviceId'>[]): string[] {
  return [...new Set(tokens.map((token) => token.deviceId))];
}

// ───────────────────────────── guests: join, resume, logout ─────────────────────────────

export interface JoinInput {
  /** What the table's QR link carries in `?table=`: its code, or its id on a link printed before codes. */
  table: string;
  pin: string;
  /** The phone's own id (kept in localStorage) so a re-join replaces its previous token. */
  deviceId?: string;
  /**
   * The guest token the request carried (cookie or bearer), if any. A deviceId that still has a
   * live token is only kept when the caller proves it is that device by presenting the token;
   * otherwise the caller gets a new deviceId (a table-mate who saw an id cannot take over a phone).
   */
  presentedToken?: string;
}

export interface JoinedSession {
  sessionId: string;
  /** Shown once; only its SHA-256 hash is stored. */
  sessionToken: string;
  deviceId: string;
  mode: SessionMode;
  table: { number: string; floor: string };
  expiresAt: Date;
}

const newDeviceId = (): string => randomBytes(16).toString('base64url');


/**
 * A guest joins the table's open session with its PIN. See the file comment for the order of the
 * checks. 404 NO_OPEN_SESSION, 429 PIN_BLOCKED (Retry-After), 401 PIN_INVALID with attemptsLeft.
 */
export async function joinTableSession(input: JoinInput, origin: RequestOrigin = {}): Promise<JoinedSession> {
  const { restaurantId, limits } = config();
  const { tableSessions } = await collections();
  // An unknown code, a retired link and a table that is not open all answer alike (404 NO_OPEN_SESSION).
  const linked = await tableOfLink(input.table);
  const tableId = linked?._id;
  const session = linked && await tableSessions.findOne(
    { restaurantId, tableId: linked._id, status: 'OPEN' },
    {
      projection: {
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
      },
    },
  );
  const attempt = (outcome: AuditDoc['outcome'], details: Record<string, unknown>) =>
    auditQuietly({
      action: 'PIN_ATTEMPT',
      outcome,
      actor: { kind: 'anonymous', deviceId: input.deviceId },
      tableId,
      sessionId: session?._id,
      ...origin,
      details,
    });

  if (!session) {
    await attempt('failure', { reason: 'NO_OPEN_SESSION' });
    throw new DomainError('NO_OPEN_SESSION', 'This table is not open yet; ask your waiter');
  }

  // See pin-guard.ts for the order of the checks. Right and wrong PINs make the same requests until
  // the answer, so timing tells nothing either.
  const correct = verifyPin(input.pin, session.pinHash, await pinKey());
  const holdsLiveToken = input.presentedToken !== undefined && liveTokenOf(session.customerTokens ?? [], input.presentedToken) !== undefined;
  await guardPin({ session, correct, holdsLiveToken, ip: origin.ip, attempt });

  const token = newGuestToken();
  const deviceId = input.deviceId && mayClaimDevice(session.customerTokens ?? [], input.deviceId, input.presentedToken) ? input.deviceId : newDeviceId();
  const issuedAt = new Date();
  const expiresAt = new Date(issuedAt.getTime() + config().guestTokenTtlSeconds * 1000);
  const entry: CustomerTokenEntry = { tokenHash: hashGuestToken(token), deviceId, expiresAt, issuedAt, lastActivityAt: issuedAt };

  // One atomic update, valid only while the session is open and the PIN is the one just checked:
  // this device's earlier tokens are revoked and the new one appended.
  const result = await tableSessions.updateOne({ _id: session._id, restaurantId, status: 'OPEN', pinVersion: session.pinVersion }, [
    {
      $set: {
        updatedAt: issuedAt,
        customerTokens: {
          $concatArrays: [
            {
              $map: {
                input: { $ifNull: ['$customerTokens', []] },
                as: 't',
                in: {
                  $cond: [
                    { $and: [{ $eq: ['$$t.deviceId', { $literal: deviceId }] }, { $eq: [{ $ifNull: ['$$t.revokedAt', null] }, null] }] },
                    { $mergeObjects: ['$$t', { revokedAt: issuedAt }] },
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
  if (result.matchedCount === 0) {
    const current = await tableSessions.findOne({ _id: session._id, restaurantId }, { projection: { status: 1 } });
    if (current?.status !== 'OPEN') {
      await attempt('failure', { reason: 'NO_OPEN_SESSION' });
      throw new DomainError('NO_OPEN_SESSION', 'This table is not open any more; ask your waiter');
    }
    // The PIN was regenerated between the check and the update: the PIN just used is no longer
    // valid. The guest guessed nothing wrong, and the new PIN's counters start afresh.
    const left = limits.pinAttemptsPerSession;
    await attempt('failure', { reason: 'PIN_CHANGED', attemptsLeft: left });
    throw new DomainError('PIN_INVALID', 'The PIN was just changed; ask your waiter for the new one', { details: { attemptsLeft: left } });
  }

  // The staff floor view lists the phones at each table; the device's replaced tokens lose their sockets.
  await Promise.all([
    attempt('success', { deviceId }),
    pushToStaff(restaurantId, { type: 'table.updated', tableId: session.tableId.toHexString() }),
    closeReplacedDeviceSockets(restaurantId, session._id.toHexString(), deviceId, entry.tokenHash),
  ]);
  return {
    sessionId: session._id.toHexString(),
    sessionToken: token,
    deviceId,
    mode: session.mode,
    table: { number: session.tableNumber, floor: session.floor },
    expiresAt,
  };
}

type TokenProof = Pick<CustomerTokenEntry, 'deviceId' | 'tokenHash' | 'expiresAt' | 'revokedAt'>;

const isLive = (t: TokenProof, now: number): boolean => !t.revokedAt && new Date(t.expiresAt).getTime() > now;

/** The live token of this session that the caller presented, if any. */
function liveTokenOf(tokens: readonly TokenProof[], presentedToken: string): TokenProof | undefined {
  const now = Date.now();
  const presented = Buffer.from(hashGuestToken(presentedToken));
  return tokens.find((t) => {
    const stored = Buffer.from(t.tokenHash);
    return isLive(t, now) && stored.length === presented.length && timingSafeEqual(stored, presented);
  });
}

/** A device id may be (re)used when it has no live token, or when the caller presents that live token. */
function mayClaimDevice(tokens: readonly TokenProof[], deviceId: string, presentedToken?: string): boolean {
  const now = Date.now();
  if (!tokens.some((t) => t.deviceId === deviceId && isLive(t, now))) return true;
  return presentedToken !== undefined && liveTokenOf(tokens, presentedToken)?.deviceId === deviceId;
}

export interface GuestSessionView {
  session: { sessionId: string; mode: SessionMode; status: TableSessionDoc['status']; openedAt: Date };
  table: { tableId: string; number: string; floor: string };
  device: { deviceId: string; customerId?: string; customerName?: string; expiresAt: Date };
}

/**
 * Where a (reloaded or reconnected) phone stands: its session, table and device. Records the
 * token's activity at most every 5 minutes.
 */
export async function guestSessionView(guest: GuestPrincipal): Promise<GuestSessionView> {
  const { tableSessions } = await collections();
  const session = await tableSessions.findOne(
    { _id: guest.sessionId, restaurantId: guest.restaurantId },
    {
      projection: {
        tableId: 1,
        tableNumber: 1,
        floor: 1,
        mode: 1,
        status: 1,
        openedAt: 1,
        customerTokens: { $elemMatch: { tokenHash: guest.tokenHash } },
      },
    },
  );
  if (!session) throw new DomainError('TOKEN_INVALID', 'Invalid session token');
  const entry = session.customerTokens?.[0];
  const now = new Date();
  if (entry && now.getTime() - new Date(entry.lastActivityAt).getTime() >= ACTIVITY_RESOLUTION_MS) {
    await tableSessions.updateOne(
      { _id: guest.sessionId, restaurantId: guest.restaurantId, 'customerTokens.tokenHash': guest.tokenHash },
      { $set: { 'customerTokens.$.lastActivityAt': now } },
    );
  }
  return {
    session: { sessionId: session._id.toHexString(), mode: session.mode, status: session.status, openedAt: session.openedAt },
    table: { tableId: session.tableId.toHexString(), number: session.tableNumber, floor: session.floor },
    device: {
      deviceId: guest.deviceId,
      ...(guest.customerId ? { customerId: guest.customerId.toHexString() } : {}),
      ...(guest.customerName ? { customerName: guest.customerName } : {}),
      expiresAt: guest.tokenExpiresAt,
    },
  };
}

/**
 * Guest logout: revokes this device's token (the other phones at the table are unaffected) and
 * shows the identified customer, if any, as logged out.
 */
export async function logoutGuest(guest: GuestPrincipal, origin: RequestOrigin = {}): Promise<void> {
  const { tableSessions } = await collections();
  await tableSessions.updateOne(
    { _id: guest.sessionId, restaurantId: guest.restaurantId },
    { $set: { 'customerTokens.$[mine].revokedAt': new Date() } },
    { arrayFilters: [{ 'mine.tokenHash': guest.tokenHash, 'mine.revokedAt': { $exists: false } }] },
  );
  if (guest.customerId) await markCustomerLoggedOut(guest.restaurantId, guest.customerId);
  await Promise.all([
    // The token's sockets stop listening with it.
    closeGuestTokenSockets(guest.restaurantId, guest.sessionId.toHexString(), guest.tokenHash),
    auditQuietly({
      action: 'GUEST_LOGOUT',
      outcome: 'success',
      actor: { kind: 'guest', deviceId: guest.deviceId, id: guest.customerId?.toHexString() },
      sessionId: guest.sessionId,
      tableId: guest.tableId,
      ...origin,
    }),
    // The phone leaves the staff floor view's list.
    pushToStaff(guest.restaurantId, { type: 'table.updated', tableId: guest.tableId.toHexString() }),
  ]);
}

// ───────────────────────────── staff floor view ─────────────────────────────

export interface FloorTable {
  tableId: string;
  number: string;
  floor: string;
  session: {
    sessionId: string;
    mode: SessionMode;
    status: TableSessionDoc['status'];
    openedAt: Date;
    /** Phones currently joined (unrevoked, unexpired tokens), one entry per device. */
    devices: { deviceId: string; customerName?: string; lastActivityAt: Date }[];
    /** A guest asked for the bill and no payment has been recorded since. */
    billRequest?: { at: Date; customerName?: string; method?: PaymentMethod };
    /** Wrong PINs in the current window, and the lockout in force: a new PIN lifts it. */
    lockout?: PinLockoutView;
    /** Paid online and not yet counted against any order (a share, before the table is covered), minor units. */
    paidOnline?: number;
  } | null;
}

const billRequestView = ({ at, customerName, method }: BillRequest) => ({ at, ...(customerName ? { customerName } : {}), ...(method ? { method } : {}) });

const withLockout = (session: Pick<TableSessionDoc, 'pinVersion' | 'pinLockout'>, now: number) => {
  const lockout = lockoutView(session, now);
  return lockout ? { lockout } : {};
};

/** Every table with its open session (never a PIN or hash), in floor order. */
export async function listFloorTables(): Promise<FloorTable[]> {
  const { restaurantId } = config();
  const { tables, tableSessions } = await collections();
  const [allTables, openSessions] = await Promise.all([
    tables.find({ restaurantId }).sort({ sortOrder: 1, number: 1 }).toArray(),
    tableSessions
      .find(
        { restaurantId, status: 'OPEN' },
        { projection: { tableId: 1, mode: 1, status: 1, openedAt: 1, billRequest: 1, pinVersion: 1, pinLockout: 1, 'customerTokens.deviceId': 1, 'customerTokens.customerName': 1, 'customerTokens.expiresAt': 1, 'customerTokens.revokedAt': 1, 'customerTokens.lastActivityAt': 1 } },
      )
      .toArray(),
  ]);
  const now = Date.now();
  const byTable = new Map(openSessions.map((s) => [s.tableId.toHexString(), s]));
  const paidOnline = await paidOnlineBySession(openSessions.map((s) => s._id));
  return allTables.map((table) => {
    const session = byTable.get(table._id.toHexString());
    return {
      tableId: table._id.toHexString(),
      number: table.number,
      floor: table.floor,
      session: session
        ? {
            sessionId: session._id.toHexString(),
            mode: session.mode,
            status: session.status,
            openedAt: session.openedAt,
            devices: joinedDevices(session.customerTokens ?? [], now),
            ...(session.billRequest ? { billRequest: billRequestView(session.billRequest) } : {}),
            ...withLockout(session, now),
            ...(paidOnline.has(session._id.toHexString()) ? { paidOnline: paidOnline.get(session._id.toHexString()) } : {}),
          }
        : null,
    };
  });
}
