/**
 * WebSocket API routes. `$connect` authenticates from the cookie (browsers) or `?token=` (other
 * clients) and stores what the verified token allows; nothing a client sends later changes which
 * pushes it receives. Clients may only `ping` and `sync`: carts are never relayed between clients.
 *
 * Limits: `$connect` per network and per token (sliding windows, 429); at most N sockets per guest
 * token and per staff sign-in, the oldest closed when another opens (a phone that lost its network
 * reconnects before its old socket is noticed gone: refusing the new one would lock it out); every
 * action counts against its socket's message rate, and past it the socket gets a RATE_LIMITED error
 * and is closed; every action re-checks the credential, and a socket whose credential has ended gets
 * TOKEN_EXPIRED and is closed.
 */
import { STATION_PATTERN } from '../contract/common.ts';
import { statusOfError } from '../http/error-status.ts';
import { toHttpError } from '../http/errors-to-http.ts';
import { GUEST_COOKIE, STAFF_COOKIE, readCookie } from '../auth/cookies.ts';
import { staffAccountPrincipal } from '../auth/staff-session.ts';
import { looksLikeJwt, verifyStaffToken } from '../auth/staff-token.ts';
import { hashGuestToken, verifyGuestToken } from '../auth/guest-token.ts';
import { checkOrigin, clientAddress, ORIGIN_VERIFY_HEADER, VIEWER_IP_HEADER } from '../http/origin.ts';
import { config } from '../platform/config.ts';
import { logger } from '../platform/logger.ts';
import {
  beyondNewest,
  connectionsOfGuestToken,
  connectionsOfStaffSession,
  deleteConnection,
  saveConnection,
  type Channel,
  type ConnectionRecord,
} from '../realtime/connections.ts';
import { disconnect as closeSocket, sendTo } from '../realtime/push.ts';
import { closeSockets, credentialHolds } from '../realtime/socket-credentials.ts';
import { syncStateFor } from '../services/socket-sync.ts';
import { countRequest, networkOf } from '../services/request-limits.ts';
import { admitMessage } from '../realtime/message-rate.ts';
import { roleAtLeast } from '../core/roles.ts';

export interface WsEvent {
  requestContext: {
    connectionId: string;
    routeKey: string;
    domainName?: string;
    stage?: string;
    connectedAt?: number;
    identity?: { sourceIp?: string };
  };
  headers?: Record<string, string | undefined>;
  queryStringParameters?: Record<string, string | undefined> | null;
  body?: string;
}

export interface WsResult {
  statusCode: number;
  body?: string;
}

const OK: WsResult = { statusCode: 200 };

function headerOf(event: WsEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

/** A browser's handshake carries its page's Origin: it must be ours (cross-site pages cannot subscribe). */
function originAllowed(event: WsEvent): boolean {
  const origin = headerOf(event, 'origin');
  if (origin === undefined) return true;
  const own = config().publicOrigin;
  if (own) return origin === own;
  const host = headerOf(event, 'host');
  return host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
}

export const connect = async (event: WsEvent): Promise<WsResult> => {
  const { connectionId } = event.requestContext;
  const query = event.queryStringParameters ?? {};
  const wantsStaffChannel = query.channel === 'kitchen' || query.channel === 'staff';
  // In AWS only handshakes that came through CloudFront; a refused $connect leaves no connection
  // for the other routes to act on, so they need no check of their own.
  const originCheck = await checkOrigin(headerOf(event, ORIGIN_VERIFY_HEADER));
  if (originCheck === 'refused') return { statusCode: 403 };
  if (!originAllowed(event)) return { statusCode: 403 };
  const cookieHeader = headerOf(event, 'cookie');
  const token = query.token ?? readCookie(undefined, cookieHeader, wantsStaffChannel ? STAFF_COOKIE : GUEST_COOKIE);
  try {
    // Counted before anything costly, refused handshakes included: a flooding client stays refused.
    const ip = clientAddress(originCheck, headerOf(event, VIEWER_IP_HEADER), event.requestContext.identity?.sourceIp ?? '');
    if (!(await countRequest('connectPerIp', networkOf(ip))).allowed) return { statusCode: 429 };
    if (!token) return { statusCode: 401 };
    if (!(await countRequest('connectPerToken', hashGuestToken(token))).allowed) return { statusCode: 429 };
    const connectedAt = event.requestContext.connectedAt ?? Date.now();
    if (looksLikeJwt(token)) {
      // The token's role is the account's while its version matches (a role change raises it).
      const staff = await verifyStaffToken(token);
      const channel: Channel =
        query.channel === 'kitchen' ? 'KITCHEN' : query.channel === 'staff' ? 'STAFF' : staff.role === 'KITCHEN' ? 'KITCHEN' : 'STAFF';
      if (channel === 'STAFF' && !roleAtLeast(staff.role, 'WAITER')) return { statusCode: 403 };
      const station = query.station && STATION_PATTERN.test(query.station) ? query.station : undefined;
      await saveConnection({
        connectionId,
        restaurantId: staff.restaurantId,
        channel,
        role: staff.role,
        userId: staff.userId,
        staffSessionId: staff.sessionId,
        tokenVersion: staff.tokenVersion,
        credentialExpiresAt: staff.expiresAt,
        station,
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
    } else {
      if (wantsStaffChannel) return { statusCode: 403 };
      const guest = await verifyGuestToken(token);
      await saveConnection({
        connectionId,
        restaurantId: guest.restaurantId,
        channel: 'GUEST',
        role: 'GUEST',
        sessionId: guest.sessionId.toHexString(),
        deviceId: guest.deviceId,
        tokenHash: guest.tokenHash,
        credentialExpiresAt: guest.tokenExpiresAt,
        connectedAt,
      });
      const sockets = await connectionsOfGuestToken(guest.restaurantId, guest.sessionId.toHexString(), guest.tokenHash);
      await closeBeyondCap(sockets, config().limits.socketsPerGuestToken, connectionId);
    }
    return OK;
  } catch (error) {
    if (statusOfError(error) === 401) return { statusCode: 401 };
    // As over HTTP: a store outage refuses with 503 (the client backs off and retries), anything else 500.
    return { statusCode: toHttpError(error).statusCode ?? 500 };
  }
};

/**
 * A credential's socket cap: the oldest sockets past the newest `max` are closed (the new one is
 * always kept: it is the one the client is using now).
 */
async function closeBeyondCap(sockets: ConnectionRecord[], max: number, newConnectionId: string): Promise<void> {
  const others = sockets.filter((socket) => socket.connectionId !== newConnectionId);
  const excess = beyondNewest(others, Math.max(0, max - 1));
  if (excess.length > 0) await closeSockets(excess);
}

export const disconnect = async (event: WsEvent): Promise<WsResult> => {
  await deleteConnection(event.requestContext.connectionId);
  return OK;
};

/**
 * What every action does first, in one DynamoDB update (realtime/message-rate.ts): counts the message
 * against its socket's rate, and checks the socket's record (removed whenever its credential ends, and
 * living no longer than the credential).
 * `recheck` also re-checks the credential itself in MongoDB: sync does, since it returns the
 * session's data; ping and $default run in the `edge` function, which carries no MongoDB driver
 * (heartbeats stay cheap), and return nothing but a pong or an error. Past the rate, or with an
 * ended credential, the socket is told why and closed; the action does not run.
 */
async function admit(connectionId: string, recheck?: (connection: ConnectionRecord) => Promise<boolean>): Promise<ConnectionRecord | undefined> {
  const admission = await admitMessage(connectionId);
  if (!admission.admitted && admission.reason === 'RATE_LIMITED') {
    // API Gateway's DeleteConnection carries no close code: the reason (1008, policy violation) travels in this last message.
    await sendTo(connectionId, {
      type: 'error',
      error: { code: 'RATE_LIMITED', message: 'Too many messages on this connection', retryAfterSeconds: admission.retryAfterSeconds },
      closeCode: 1008,
    });
    await closeSocket(connectionId);
    return undefined;
  }
  const connection = admission.admitted ? admission.connection : undefined;
  if (!connection || (recheck && !(await recheck(connection)))) {
    await sendTo(connectionId, { type: 'error', error: { code: 'TOKEN_EXPIRED', message: 'Reconnect to continue' } });
    logger.info('Closed a socket whose credential ended', { channel: connection?.channel });
    await closeSocket(connectionId);
    return undefined;
  }
  return connection;
}

export const ping = async (event: WsEvent): Promise<WsResult> => {
  const { connectionId } = event.requestContext;
  if (!(await admit(connectionId))) return OK;
  await sendTo(connectionId, { type: 'pong', serverTime: new Date().toISOString() });
  return OK;
};

export const sync = async (event: WsEvent): Promise<WsResult> => {
  const { connectionId } = event.requestContext;
  const connection = await admit(connectionId, credentialHolds);
  if (!connection) return OK;
  // connectionId: the app names its own socket on HTTP calls, so pushes about its own changes skip it.
  await sendTo(connectionId, { type: 'sync', connectionId, ...(await syncStateFor(connection)) });
  return OK;
};

export const unknownAction = async (event: WsEvent): Promise<WsResult> => {
  const { connectionId } = event.requestContext;
  if (!(await admit(connectionId))) return OK;
  await sendTo(connectionId, {
    type: 'error',
    error: { code: 'UNKNOWN_ACTION', message: 'Send {"action":"ping"} or {"action":"sync"}' },
  });
  return OK;
};
