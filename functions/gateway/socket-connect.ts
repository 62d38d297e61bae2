/**
 * Opening a socket (`$connect`): authenticated from the cookie (browsers) or `?token=` (other
 * clients) by the same authenticators as HTTP (auth/), and stored with what the verified token
 * allows; nothing a client sends later changes which pushes it receives.
 *
 * Limits: `$connect` per network and per token (sliding windows, 429); at most N sockets per guest
 * token and per staff sign-in, the oldest closed when another opens (a phone that lost its network
 * reconnects before its old socket is noticed gone: refusing the new one would lock it out).
 */
import { GUEST_COOKIE, STAFF_COOKIE, readCookie } from '../auth/cookies.ts';
import { authenticateGuestCredential } from '../auth/guest-credential.ts';
import { hashGuestToken } from '../auth/guest-token.ts';
import { assertStaffRole, staffAccountPrincipal, verifyStaffCredential } from '../auth/staff-session.ts';
import { looksLikeJwt } from '../auth/staff-token.ts';
import { STATION_PATTERN } from '../core/kitchen-board.ts';
import type { Handshake } from '../http/socket-route.ts';
import { config } from '../platform/config.ts';
import {
  beyondNewest,
  connectionsOfGuestToken,
  connectionsOfStaffSession,
  deleteConnection,
  saveConnection,
  type Channel,
  type ConnectionRecord,
} from '../realtime/connections.ts';
import { closeSockets } from '../realtime/socket-credentials.ts';
import { networkOf, takeRequest } from '../http/request-limits.ts';

const STAFF_CHANNELS: Record<string, Channel> = { kitchen: 'KITCHEN', staff: 'STAFF' };

export async function openSocket(handshake: Handshake): Promise<void> {
  const channel = STAFF_CHANNELS[handshake.query.channel ?? ''];
  const token = handshake.query.token ?? readCookie(undefined, handshake.header('cookie'), channel ? STAFF_COOKIE : GUEST_COOKIE);
  // Counted before anything costly, refused handshakes included: a flooding client stays refused.
  await takeRequest('connectPerIp', networkOf(handshake.ip));
  if (token) await takeRequest('connectPerToken', hashGuestToken(token));
  if (channel || (token && looksLikeJwt(token))) await openStaffSocket(handshake, token, channel);
  else await openGuestSocket(handshake, token);
}

async function openStaffSocket({ connectionId, query, connectedAt }: Handshake, token: string | undefined, wanted: Channel | undefined): Promise<void> {
  // The token's role is the account's while its version matches (a role change raises it).
  const staff = await verifyStaffCredential(token);
  const channel = wanted ?? (staff.role === 'KITCHEN' ? 'KITCHEN' : 'STAFF');
  assertStaffRole(staff.role, channel === 'STAFF' ? 'WAITER' : 'KITCHEN');
  await saveConnection({
    connectionId,
    restaurantId: staff.restaurantId,
    channel,
    role: staff.role,
    userId: staff.userId,
    staffSessionId: staff.sessionId,
    tokenVersion: staff.tokenVersion,
    credentialExpiresAt: staff.expiresAt,
    station: query.station && STATION_PATTERN.test(query.station) ? query.station : undefined,
    connectedAt,
  });
  // The account is checked once the record exists: ending a user's sessions raises the version
  // and then closes the sockets it finds, so a socket is either found there or refused here,
  // never let through between the two.
  try {
    await staffAccountPrincipal(staff);
  } catch (error) {
    await deleteConnection(connectionId);
    throw error;
  }
  if (staff.sessionId) {
    await closeBeyondCap(await connectionsOfStaffSession(staff.restaurantId, staff.userId, staff.sessionId), config().limits.socketsPerStaffSession, connectionId);
  }
}

async function openGuestSocket({ connectionId, connectedAt }: Handshake, token: string | undefined): Promise<void> {
  const guest = await authenticateGuestCredential(token);
  const sessionId = guest.sessionId.toHexString();
  await saveConnection({
    connectionId,
    restaurantId: guest.restaurantId,
    channel: 'GUEST',
    role: 'GUEST',
    sessionId,
    deviceId: guest.deviceId,
    tokenHash: guest.tokenHash,
    credentialExpiresAt: guest.tokenExpiresAt,
    connectedAt,
  });
  await closeBeyondCap(await connectionsOfGuestToken(guest.restaurantId, sessionId, guest.tokenHash), config().limits.socketsPerGuestToken, connectionId);
}

/**
 * A credential's socket cap: the oldest sockets past the newest `max` are closed (the new one is
 * always kept: it is the one the client is using now).
 */
async function closeBeyondCap(sockets: ConnectionRecord[], max: number, newConnectionId: string): Promise<void> {
  const others = sockets.filter((socket) => socket.connectionId !== newConnectionId);
  const excess = beyondNewest(others, Math.max(0, max - 1));
  if (excess.length > 0) await closeSockets(excess);
}
