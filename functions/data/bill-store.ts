/**
 * The bill's reads and writes of table sessions (`table_sessions`): who is at the table, and the
 * "bill requested" mark a guest sets and a payment clears. Every query is scoped by restaurantId.
 * The bill's orders are orders-store.ts's; its online credits payments-store.ts's.
 */
import type { ObjectId } from 'mongodb';
import type { TableSessionDoc } from './documents.ts';
import { collections } from './mongo.ts';

export type SessionForBill = Pick<TableSessionDoc, 'customerTokens' | 'billRequest'>;

/** The session's bill request and its phones (their names and whether they are still joined). */
export async function findSessionForBill(restaurantId: string, sessionId: ObjectId): Promise<SessionForBill | null> {
  const { tableSessions } = await collections();
  return tableSessions.findOne(
    { _id: sessionId, restaurantId },
    {
      projection: {
        billRequest: 1,
        'customerTokens.deviceId': 1,
        'customerTokens.customerName': 1,
        'customerTokens.revokedAt': 1,
        'customerTokens.expiresAt': 1,
        'customerTokens.lastActivityAt': 1,
      },
    },
  );
}

export type StaffBillSession = Pick<TableSessionDoc, '_id' | 'tableId' | 'tableNumber' | 'floor' | 'mode' | 'status'>;

export async function findStaffBillSession(restaurantId: string, sessionId: ObjectId): Promise<StaffBillSession | null> {
  const { tableSessions } = await collections();
  return tableSessions.findOne({ _id: sessionId, restaurantId }, { projection: { tableId: 1, tableNumber: 1, floor: 1, mode: 1, status: 1 } });
}

/** The names the session's phones gave when they joined. */
export async function findGuestNames(restaurantId: string, sessionId: ObjectId): Promise<Pick<TableSessionDoc, 'customerTokens'> | null> {
  const { tableSessions } = await collections();
  return tableSessions.findOne({ _id: sessionId, restaurantId }, { projection: { 'customerTokens.deviceId': 1, 'customerTokens.customerName': 1 } });
}

export type BillRequest = NonNullable<TableSessionDoc['billRequest']>;

/**
 * Marks an open session's bill requested, unless it was within `repeatMs` (concurrent taps race for
 * the one condition). Null when it was not marked.
 */
export async function markBillRequested(
  restaurantId: string,
  sessionId: ObjectId,
  request: BillRequest,
  repeatMs: number,
): Promise<Pick<TableSessionDoc, '_id' | 'tableId' | 'tableNumber'> | null> {
  const { tableSessions } = await collections();
  return tableSessions.findOneAndUpdate(
    {
      _id: sessionId,
      restaurantId,
      status: 'OPEN',
      $or: [{ billRequest: { $exists: false } }, { 'billRequest.at': { $lte: new Date(request.at.getTime() - repeatMs) } }],
    },
    { $set: { billRequest: request, updatedAt: request.at } },
    { returnDocument: 'after', projection: { tableId: 1, tableNumber: 1 } },
  );
}

export async function findBillRequestState(restaurantId: string, sessionId: ObjectId): Promise<Pick<TableSessionDoc, '_id' | 'status' | 'billRequest'> | null> {
  const { tableSessions } = await collections();
  return tableSessions.findOne({ _id: sessionId, restaurantId }, { projection: { status: 1, billRequest: 1 } });
}

/** The table has paid (or a waiter has been to it): its "bill requested" mark goes. */
export async function clearBillRequest(restaurantId: string, sessionId: ObjectId): Promise<void> {
  const { tableSessions } = await collections();
  await tableSessions.updateOne({ _id: sessionId, restaurantId, billRequest: { $exists: true } }, { $unset: { billRequest: '' } });
}
