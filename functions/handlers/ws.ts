/**
 * WebSocket API routes. `$connect` authenticates from the cookie (browsers) or `?token=` (other
 * clients) and stores what the verified token allows; nothing a client sends later changes which
 * pushes it receives. Clients may only `ping` and `sync`: carts are never relayed between clients.
 */
import { DomainError } from '../core/errors.ts';
import { toHttpError } from '../http/errors-to-http.ts';
import { GUEST_COOKIE, STAFF_COOKIE, readCookie } from '../auth/cookies.ts';
import { verifyGuestToken } from '../auth/guest-token.ts';
import { staffAccountPrincipal } from '../auth/staff-session.ts';
import { looksLikeJwt, verifyStaffToken } from '../auth/staff-token.ts';
import { checkOrigin, ORIGIN_VERIFY_HEADER } from '../http/origin.ts';
import { config } from '../platform/config.ts';
import { deleteConnection, getConnection, saveConnection, type Channel } from '../realtime/connections.ts';
import { sendTo } from '../realtime/push.ts';
import { syncStateFor } from '../realtime/sync.ts';
import { roleAtLeast } from '../routes.ts';

export interface WsEvent {
  requestContext: { connectionId: string; routeKey: string; domainName?: string; stage?: string; connectedAt?: number };
  headers?: Record<string, string | undefined>;
  queryStringParameters?: Record<string, string | undefined> | null;
  body?: string;
}

export interface WsResult {
  statusCode: number;
  body?: string;
}

const OK: WsResult = { statusCode: 200 };
const STATION_PATTERN = /^[A-Z][A-Z0-9_]{0,23}$/;

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
  if ((await checkOrigin(headerOf(event, ORIGIN_VERIFY_HEADER))) === 'refused') return { statusCode: 403 };
  if (!originAllowed(event)) return { statusCode: 403 };
  const cookieHeader = headerOf(event, 'cookie');
  const token = query.token ?? readCookie(undefined, cookieHeader, wantsStaffChannel ? STAFF_COOKIE : GUEST_COOKIE);
  if (!token) return { statusCode: 401 };
  try {
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
        connectedAt,
      });
    }
    return OK;
  } catch (error) {
    if (error instanceof DomainError && error.status === 401) return { statusCode: 401 };
    // As over HTTP: a store outage refuses with 503 (the client backs off and retries), anything else 500.
    return { statusCode: toHttpError(error).statusCode ?? 500 };
  }
};

export const disconnect = async (event: WsEvent): Promise<WsResult> => {
  await deleteConnection(event.requestContext.connectionId);
  return OK;
};

export const ping = async (event: WsEvent): Promise<WsResult> => {
  const { connectionId } = event.requestContext;
  await sendTo(connectionId, { type: 'pong', serverTime: new Date().toISOString() });
  return OK;
};

export const sync = async (event: WsEvent): Promise<WsResult> => {
  const { connectionId } = event.requestContext;
  const connection = await getConnection(connectionId);
  if (!connection) {
    await sendTo(connectionId, { type: 'error', error: { code: 'TOKEN_EXPIRED', message: 'Reconnect to continue' } });
    return OK;
  }
  // connectionId: the app names its own socket on HTTP calls, so pushes about its own changes skip it.
  await sendTo(connectionId, { type: 'sync', connectionId, ...(await syncStateFor(connection)) });
  return OK;
};

export const unknownAction = async (event: WsEvent): Promise<WsResult> => {
  await sendTo(event.requestContext.connectionId, {
    type: 'error',
    error: { code: 'UNKNOWN_ACTION', message: 'Send {"action":"ping"} or {"action":"sync"}' },
  });
  return OK;
};
