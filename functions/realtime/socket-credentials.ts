/**
 * Sockets follow their credentials. A socket keeps what its token was at `$connect` (connections.ts),
 * so every action re-checks that the token still holds, and whatever ends a credential (guest
 * logout, a re-join that replaces the device's token, a table closing, a staff sign-out, a user's
 * sessions ending) closes the sockets opened with it.
 */
import { ObjectId } from 'mongodb';
import { staffAccountPrincipal } from '../auth/staff-session.ts';
import { tokenIsLive } from '../data/sessions-store.ts';
import { connectionsOfGuestToken, connectionsOfSession, connectionsOfStaffSession, type ConnectionRecord } from './connections.ts';
import { logger } from '../platform/logger.ts';
import { disconnect } from './push.ts';
import { statusOfError } from '../http/error-status.ts';

/** The guest token is live (not revoked, not expired, its session open); the staff sign-in has not ended. */
export async function credentialHolds(connection: ConnectionRecord): Promise<boolean> {
  if (connection.channel === 'GUEST') {
    // A record without the token's hash predates this check: it cannot be re-checked, so it fails closed.
    if (!connection.tokenHash || !connection.sessionId || !ObjectId.isValid(connection.sessionId)) return false;
    return tokenIsLive(connection.restaurantId, new ObjectId(connection.sessionId), connection.tokenHash);
  }
  if (!connection.userId || connection.role === 'GUEST') return false;
  try {
    await staffAccountPrincipal({
      kind: 'staff',
      userId: connection.userId,
      role: connection.role,
      restaurantId: connection.restaurantId,
      username: '',
      tokenVersion: connection.tokenVersion ?? 0,
      sessionId: connection.staffSessionId,
    });
    return true;
  } catch (error) {
    if (statusOfError(error) === 401) return false;
    throw error;
  }
}

/** Closes the sockets (gone ones included) and deletes their records; returns how many. */
export async function closeSockets(sockets: readonly ConnectionRecord[]): Promise<number> {
  await Promise.all(sockets.map((socket) => disconnect(socket.connectionId)));
  return sockets.length;
}

/**
 * Closing runs after the credential ended, so it never fails the request that ended it: a socket
 * missed here is refused at its next action (credentialHolds) and cannot reconnect.
 */
async function quietly(label: string, close: () => Promise<number>): Promise<number> {
  try {
    return await close();
  } catch (error) {
    logger.warn('Could not close the sockets of an ended credential', { label, error: error as Error });
    return 0;
  }
}

/** A guest token ended (logout): its sockets close. */
export async function closeGuestTokenSockets(restaurantId: string, sessionId: string, tokenHash: string): Promise<number> {
  return quietly('guest-logout', async () => closeSockets(await connectionsOfGuestToken(restaurantId, sessionId, tokenHash)));
}

/** A device re-joined with a new token: the sockets of its earlier tokens close. */
export async function closeReplacedDeviceSockets(restaurantId: string, sessionId: string, deviceId: string, currentTokenHash: string): Promise<number> {
  return quietly('device-replaced', async () =>
    closeSockets(
      (await connectionsOfSession(restaurantId, sessionId)).filter((socket) => socket.deviceId === deviceId && socket.tokenHash !== currentTokenHash),
    ),
  );
}

/** A staff sign-in ended (its own sign-out): its sockets close. */
export async function closeStaffSessionSockets(restaurantId: string, userId: string, staffSessionId: string): Promise<number> {
  return quietly('staff-logout', async () => closeSockets(await connectionsOfStaffSession(restaurantId, userId, staffSessionId)));
}
