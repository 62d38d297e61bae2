/**
 * Table sessions, the staff's side: a waiter opens a table (FAMILY or INDIVIDUAL) and gets a
 * 4-digit PIN, gives it a new PIN, and closes it, which revokes every guest token and disconnects
 * the guests' sockets. Guests joining, resuming and leaving are guest-sessions.ts; the floor view
 * is floor.ts.
 */
import { ObjectId } from 'mongodb';
import type { StaffPrincipal } from '../auth/principal.ts';
import { DomainError, notFound } from '../core/errors.ts';
import { staffActor } from '../core/events.ts';
import { generatePin, hashPin } from '../core/pin.ts';
import { roleAtLeast } from '../core/roles.ts';
import type { SessionMode, TableSessionDoc } from '../data/documents.ts';
import { closeSession, discardOpenedSession, findSessionState, findTable, insertOpenSession, replacePin } from '../data/sessions-store.ts';
import { config } from '../platform/config.ts';
import type { RequestOrigin, StaffActor } from '../data/audit.ts';
import { afterCommit, record } from '../effects.ts';
import { pinKey } from '../auth/session-pin.ts';

export { guestSessionView, joinTableSession, logoutGuest, type GuestSessionView, type JoinInput, type JoinedSession } from './guest-sessions.ts';
export { listFloorTables, type FloorTable } from './floor.ts';

export const toObjectId = (id: ObjectId | string): ObjectId => (typeof id === 'string' ? new ObjectId(id) : id);

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
  const table = await findTable(restaurantId, tableId);
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
  const actor = staffActor(input.openedBy);
  if (!(await insertOpenSession(doc))) {
    await record({ type: 'TableOpenRefused', actor, tableId, reason: 'SESSION_ALREADY_OPEN' }, origin);
    throw new DomainError('SESSION_ALREADY_OPEN', `Table ${table.number} already has an open session`);
  }
  // A manager removing the table at this moment: it is gone, so is this session (see table-setup.ts removeTable).
  if (!(await findTable(restaurantId, tableId))) {
    await discardOpenedSession(restaurantId, doc._id);
    throw notFound('Table');
  }
  await afterCommit([{ type: 'TableOpened', actor, restaurantId, tableId, sessionId: doc._id, mode: input.mode }], origin);
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
  const pin = generatePin();
  const updated = await replacePin(restaurantId, sessionId, hashPin(pin, await pinKey()));
  if (!updated) {
    const session = await findSessionState(restaurantId, sessionId);
    if (!session) throw notFound('Session');
    if (session.status !== 'OPEN') throw new DomainError('SESSION_CLOSED', 'This table session is already closed');
    throw new DomainError('CONFLICT', 'The session changed meanwhile; try again');
  }
  await record({ type: 'PinRegenerated', actor: staffActor(staff), tableId: updated.tableId, sessionId, pinVersion: updated.pinVersion }, origin);
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
  const actor = staffActor(staff);
  const closedBy = { userId: toObjectId(staff.userId), username: staff.username };
  const result = await closeSession(restaurantId, sessionId, closedBy, (unpaid) => unpaid === 0 || roleAtLeast(staff.role, 'MANAGER'));
  switch (result.outcome) {
    case 'not-found':
      throw notFound('Session');
    case 'not-open':
      throw new DomainError('SESSION_CLOSED', 'This table session is already closed');
    case 'refused':
      await record({ type: 'TableCloseRefused', actor, tableId: result.tableId, sessionId, unpaidOrders: result.unpaid }, origin);
      throw new DomainError('FORBIDDEN', `This table has ${result.unpaid} unpaid order(s); a manager must close it or take payment first`, {
        details: { unpaidOrders: result.unpaid },
      });
  }
  const { tableId, unpaid, closedAt } = result;
  const { disconnected } = await afterCommit([{ type: 'TableClosed', actor, restaurantId, tableId, sessionId, unpaidOrders: unpaid }], origin);
  return { sessionId: sessionId.toHexString(), tableId: tableId.toHexString(), status: 'CLOSED', closedAt, disconnected };
}
