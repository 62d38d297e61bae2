/**
 * Guests at a table: join with the table code from the QR code (table-codes.ts) plus the table's
 * PIN for a device-bound session token, resume after a reload, log out.
 *
 * Joining is guarded by pin-guard.ts: only evaluated guesses count, a phone holding a live token of
 * the session is never refused its right PIN, and the floor shows a table's wrong PINs and lockout.
 * The counters and the lockout are keyed by session AND PIN version, so regenerating the PIN starts
 * that table afresh.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { GuestPrincipal } from '../auth/principal.ts';
import { hashGuestToken, newGuestToken } from '../auth/guest-token.ts';
import { DomainError } from '../core/errors.ts';
import { guestActor } from '../core/events.ts';
import { verifyPin } from '../core/pin.ts';
import type { AuditDoc, CustomerTokenEntry, SessionMode, TableSessionDoc } from '../data/documents.ts';
import { addGuestToken, findSessionStatus, findTableWithOpenSession, findSessionWithToken, revokeToken, touchToken } from '../data/sessions-store.ts';
import { config } from '../platform/config.ts';
import type { RequestOrigin } from '../data/audit.ts';
import { markCustomerLoggedOut } from './customers.ts';
import { afterCommit, record } from '../effects.ts';
import { guardPin } from './pin-guard.ts';
import { pinKey } from '../auth/session-pin.ts';
import { tableFilterOfLink } from '../data/tables-store.ts';

/** Guests' token activity is written at most this often (GET /api/sessions/me is called on every load). */
const ACTIVITY_RESOLUTION_MS = 5 * 60 * 1000;

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
  // An unknown code, a retired link and a table that is not open all answer alike (404 NO_OPEN_SESSION).
  const tableFilter = tableFilterOfLink(restaurantId, input.table);
  const linked = tableFilter && (await findTableWithOpenSession(restaurantId, tableFilter));
  const tableId = linked?.table._id;
  const session = linked?.session;
  const attempt = (outcome: AuditDoc['outcome'], details: Record<string, unknown>) =>
    record({ type: 'PinAttempted', deviceId: input.deviceId, tableId, sessionId: session?._id, outcome, details }, origin);

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

  if (!(await addGuestToken(restaurantId, session, entry))) {
    const current = await findSessionStatus(restaurantId, session._id);
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
  await afterCommit(
    [{ type: 'GuestJoined', restaurantId, tableId: session.tableId, sessionId: session._id, askedDeviceId: input.deviceId, deviceId, tokenHash: entry.tokenHash }],
    origin,
  );
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
  const session = await findSessionWithToken(guest.restaurantId, guest.sessionId, guest.tokenHash);
  if (!session) throw new DomainError('TOKEN_INVALID', 'Invalid session token');
  const entry = session.customerTokens?.[0];
  const now = new Date();
  if (entry && now.getTime() - new Date(entry.lastActivityAt).getTime() >= ACTIVITY_RESOLUTION_MS) {
    await touchToken(guest.restaurantId, guest.sessionId, guest.tokenHash, now);
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
  await revokeToken(guest.restaurantId, guest.sessionId, guest.tokenHash, new Date());
  if (guest.customerId) await markCustomerLoggedOut(guest.restaurantId, guest.customerId);
  await afterCommit(
    [{ type: 'GuestLoggedOut', actor: guestActor(guest), restaurantId: guest.restaurantId, tableId: guest.tableId, sessionId: guest.sessionId, tokenHash: guest.tokenHash }],
    origin,
  );
}
