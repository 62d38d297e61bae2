/**
 * WebSocket connection records in DynamoDB. Which pushes a socket receives follows only from what
 * $connect stored here from the verified token: its channel, restaurant, session and device.
 */
import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../platform/config.ts';
import { dynamo, nowEpochSeconds, tableName } from '../data/dynamo.ts';
import type { StaffRole } from '../core/roles.ts';

/** GUEST: a diner's phone; KITCHEN: a kitchen display; STAFF: a waiter's or manager's console. */
export type Channel = 'GUEST' | 'KITCHEN' | 'STAFF';

export interface ConnectionRecord {
  connectionId: string;
  restaurantId: string;
  channel: Channel;
  /** `<restaurantId>#<channel>`: partition key of the byAudience index. */
  audience: string;
  /** `<restaurantId>#<sessionId>`, guests only: partition key of the bySession index. */
  sessionKey?: string;
  sessionId?: string;
  deviceId?: string;
  role: StaffRole | 'GUEST';
  /** Guests: the SHA-256 hash of the token the socket opened with (as stored in the table session). */
  tokenHash?: string;
  userId?: string;
  /** Staff: the sign-in (`sid`) and session version of the JWT the socket opened with. */
  staffSessionId?: string;
  tokenVersion?: number;
  station?: string;
  connectedAt: number; // epoch ms
  expiresAt: number; // epoch seconds
}

export const audienceKey = (restaurantId: string, channel: Channel): string => `${restaurantId}#${channel}`;
export const sessionKeyOf = (restaurantId: string, sessionId: string): string => `${restaurantId}#${sessionId}`;

export type NewConnection = Omit<ConnectionRecord, 'audience' | 'sessionKey' | 'expiresAt'> & {
  /** When the token the socket opened with expires: the record (and so every push) ends no later. */
  credentialExpiresAt?: Date;
};

export async function saveConnection({ credentialExpiresAt, ...connection }: NewConnection): Promise<ConnectionRecord> {
  const socketEnds = nowEpochSeconds() + config().connectionTtlSeconds;
  const credentialEnds = credentialExpiresAt ? Math.floor(credentialExpiresAt.getTime() / 1000) : socketEnds;
  const record: ConnectionRecord = {
    ...connection,
    audience: audienceKey(connection.restaurantId, connection.channel),
    sessionKey: connection.sessionId ? sessionKeyOf(connection.restaurantId, connection.sessionId) : undefined,
    expiresAt: Math.min(socketEnds, credentialEnds),
  };
  await dynamo().send(new PutCommand({ TableName: tableName('connections'), Item: record }));
  return record;
}

export async function getConnection(connectionId: string): Promise<ConnectionRecord | undefined> {
  const { Item } = await dynamo().send(new GetCommand({ TableName: tableName('connections'), Key: { connectionId } }));
  const record = Item as ConnectionRecord | undefined;
  return record && record.expiresAt > nowEpochSeconds() ? record : undefined;
}

export async function deleteConnection(connectionId: string): Promise<void> {
  await dynamo().send(new DeleteCommand({ TableName: tableName('connections'), Key: { connectionId } }));
}

async function queryIndex(indexName: 'byAudience' | 'bySession' | 'byRestaurant', keyName: string, keyValue: string): Promise<ConnectionRecord[]> {
  const records: ConnectionRecord[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamo().send(
      new QueryCommand({
        TableName: tableName('connections'),
        IndexName: indexName,
        KeyConditionExpression: '#k = :v',
        // dynalite has no TTL and DynamoDB's TTL deletion lags: expired records are filtered on every read.
        FilterExpression: 'expiresAt > :now',
        ExpressionAttributeNames: { '#k': keyName },
        ExpressionAttributeValues: { ':v': keyValue, ':now': nowEpochSeconds() },
        ExclusiveStartKey: startKey,
      }),
    );
    records.push(...((page.Items ?? []) as ConnectionRecord[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return records;
}

export function connectionsOfChannel(restaurantId: string, channel: Channel): Promise<ConnectionRecord[]> {
  return queryIndex('byAudience', 'audience', audienceKey(restaurantId, channel));
}

export function connectionsOfSession(restaurantId: string, sessionId: string): Promise<ConnectionRecord[]> {
  return queryIndex('bySession', 'sessionKey', sessionKeyOf(restaurantId, sessionId));
}

/**
 * The sockets without the caller's own, when the request named it (http/request.ts
 * callerConnectionId) and it really is a socket of the caller's device: a borrowed id silences nobody.
 */
export function withoutCallerSocket(sockets: ConnectionRecord[], caller: { connectionId: string | undefined; deviceId: string }): ConnectionRecord[] {
  if (caller.connectionId === undefined) return sockets;
  return sockets.filter((socket) => !(socket.connectionId === caller.connectionId && socket.deviceId === caller.deviceId));
}

/**
 * The same for staff: the named socket is skipped only when it was opened with the caller's own
 * sign-in (same user, same JWT `sid`), so an id borrowed from a colleague's tablet silences nobody.
 */
export function withoutStaffCallerSocket(
  sockets: ConnectionRecord[],
  caller: { connectionId: string | undefined; userId: string; sessionId?: string },
): ConnectionRecord[] {
  if (caller.connectionId === undefined || caller.sessionId === undefined) return sockets;
  return sockets.filter(
    (socket) => !(socket.connectionId === caller.connectionId && socket.userId === caller.userId && socket.staffSessionId === caller.sessionId),
  );
}

/** A staff user's sockets (kitchen and staff channels), to close them when the user's sessions end. Rare: one index query, then a filter. */
export async function connectionsOfUser(restaurantId: string, userId: string): Promise<ConnectionRecord[]> {
  return (await queryIndex('byRestaurant', 'restaurantId', restaurantId)).filter((socket) => socket.userId === userId);
}

/** The sockets opened with one guest token. */
export async function connectionsOfGuestToken(restaurantId: string, sessionId: string, tokenHash: string): Promise<ConnectionRecord[]> {
  return (await connectionsOfSession(restaurantId, sessionId)).filter((socket) => socket.tokenHash === tokenHash);
}

/** The sockets opened with one staff sign-in (one JWT `sid`). */
export async function connectionsOfStaffSession(restaurantId: string, userId: string, staffSessionId: string): Promise<ConnectionRecord[]> {
  return (await connectionsOfUser(restaurantId, userId)).filter((socket) => socket.staffSessionId === staffSessionId);
}

/** The sockets past the newest `max` (oldest first): the ones a credential's socket cap closes. */
export function beyondNewest(sockets: readonly ConnectionRecord[], max: number): ConnectionRecord[] {
  const newestFirst = [...sockets].sort((a, b) => b.connectedAt - a.connectedAt || (a.connectionId < b.connectionId ? 1 : -1));
  return newestFirst.slice(max).reverse();
}

/** The sockets an order change concerns, split by who they are. */
export interface OrderAudience {
  kitchen: ConnectionRecord[];
  staff: ConnectionRecord[];
  /** The whole table (FAMILY) or only the ordering device (INDIVIDUAL). */
  guests: ConnectionRecord[];
}

export interface OrderAudienceKey {
  restaurantId: string;
  sessionId: { toHexString(): string };
  sessionMode: 'FAMILY' | 'INDIVIDUAL';
  deviceId: string;
}

/**
 * One query for everyone an order change concerns, instead of one per channel: placement's
 * budget is three DynamoDB calls (two of them the idempotency record), and a restaurant has a
 * few hundred sockets at most.
 */
export async function orderAudience(order: OrderAudienceKey): Promise<OrderAudience> {
  const sessionId = order.sessionId.toHexString();
  const audience: OrderAudience = { kitchen: [], staff: [], guests: [] };
  for (const socket of await queryIndex('byRestaurant', 'restaurantId', order.restaurantId)) {
    if (socket.channel === 'KITCHEN') audience.kitchen.push(socket);
    else if (socket.channel === 'STAFF') audience.staff.push(socket);
    else if (socket.sessionId === sessionId && (order.sessionMode === 'FAMILY' || socket.deviceId === order.deviceId)) {
      audience.guests.push(socket);
    }
  }
  return audience;
}
