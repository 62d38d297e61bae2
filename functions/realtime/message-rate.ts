/**
 * Every message a socket sends (ping, sync, anything else) counts against its message rate, and is
 * only served while the socket's record exists: the record is removed whenever its credential ends,
 * and lives no longer than it. Both are one DynamoDB update: the rate's sliding window lives on the
 * connection record itself (slice attributes `s<n>`), updated only if the record is there and not
 * expired, returning the record. One write per message, no read (a ping used to make two calls: the
 * window in `rateLimits`, then a GetItem of the record).
 */
import { config } from '../platform/config.ts';
import { addToItemWindow, isSliceAttribute } from '../data/sliding-window.ts';
import type { ConnectionRecord } from './connections.ts';

export type MessageAdmission =
  | { admitted: true; connection: ConnectionRecord }
  /** The socket's record is gone or expired: its credential ended. */
  | { admitted: false; reason: 'CREDENTIAL_ENDED' }
  | { admitted: false; reason: 'RATE_LIMITED'; retryAfterSeconds: number };

/** Few enough that the record stays well under 1 KB (one write unit): ~15 bytes a slice. */
export const STALE_SLICES_CLEANED_AT = 10;

export async function admitMessage(connectionId: string, nowMs = Date.now()): Promise<MessageAdmission> {
  const rate = config().rates.messagesPerConnection;
  const counted = await addToItemWindow(
    {
      table: 'connections',
      key: { connectionId },
      condition: { expression: 'attribute_exists(connectionId) AND expiresAt > :now', values: { ':now': Math.floor(nowMs / 1000) } },
      // A heartbeat ping comes after a silence longer than two windows by design (30 s against 10 s),
      // so it always leaves a stale slice: cleaning them ten at a time keeps a ping at one write.
      staleCleanupAt: STALE_SLICES_CLEANED_AT,
    },
    { scope: 'ws-messages', subject: connectionId, windowSeconds: rate.windowSeconds },
    1,
    nowMs,
  );
  if (!counted) return { admitted: false, reason: 'CREDENTIAL_ENDED' };
  if (counted.total.total > rate.limit) return { admitted: false, reason: 'RATE_LIMITED', retryAfterSeconds: counted.total.retryAfterSeconds(rate.limit) };
  const connection = Object.fromEntries(Object.entries(counted.attributes).filter(([name]) => !isSliceAttribute(name))) as unknown as ConnectionRecord;
  return { admitted: true, connection };
}

