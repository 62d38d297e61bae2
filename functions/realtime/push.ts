/**
 * Pushes to WebSocket connections through the API Gateway Management API (@connections), with
 * bounded concurrency and a per-call timeout. A connection that answers 410 is gone: its record is
 * deleted. A push never fails the request that caused it: failures are logged, and the screens'
 * resync (`sync` action, or reloading over HTTP on reconnect) covers anything missed.
 */
import type { ServerPush } from '../contract/pushes.ts';
import { config } from '../platform/config.ts';
import { logger } from '../platform/logger.ts';
import {
  connectionsOfChannel,
  connectionsOfSession,
  deleteConnection,
  type ConnectionRecord,
} from './connections.ts';
import { managementApi, type ManagementApi } from './management-api.ts';

/** Every message the server pushes: one union discriminated on `type` (contract/pushes.ts). */
export type PushMessage = ServerPush;

export interface PushOutcome {
  sent: number;
  gone: number;
  failed: number;
}

/** One per container: its keep-alive sockets serve every push of every invocation. */
let client: ManagementApi | undefined;

function managementClient(): ManagementApi {
  const endpoint = config().wsManagementEndpoint;
  if (!endpoint) throw new Error('WS_MANAGEMENT_ENDPOINT is not configured');
  client ??= managementApi(endpoint, config().region, config().push.concurrency);
  return client;
}

/** The HTTP status is in $metadata (as the SDK's errors carry it); locally the error name need not be GoneException. */
const isGone = (error: unknown): boolean =>
  (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode === 410 ||
  (error as { name?: string })?.name === 'GoneException';

async function mapWithConcurrency<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(workers);
}

export async function pushToConnections(connections: readonly ConnectionRecord[], message: PushMessage): Promise<PushOutcome> {
  const outcome: PushOutcome = { sent: 0, gone: 0, failed: 0 };
  if (connections.length === 0) return outcome;
  const data = Buffer.from(JSON.stringify(message));
  const { concurrency, timeoutMs } = config().push;
  await mapWithConcurrency(connections, concurrency, async ({ connectionId }) => {
    try {
      await managementClient().post(connectionId, data, AbortSignal.timeout(timeoutMs));
      outcome.sent++;
    } catch (error) {
      if (isGone(error)) {
        outcome.gone++;
        await deleteConnection(connectionId).catch((cause) =>
          logger.warn('Could not delete a gone connection', { connectionId, error: cause as Error }),
        );
      } else {
        outcome.failed++;
        logger.warn('Push failed', { connectionId, type: message.type, error: error as Error });
      }
    }
  });
  return outcome;
}

/** Runs a push and swallows (logs) any failure, including the connection lookup's. */
async function safely(label: string, push: () => Promise<PushOutcome>): Promise<PushOutcome> {
  try {
    return await push();
  } catch (error) {
    logger.error('Push could not be delivered', { label, error: error as Error });
    return { sent: 0, gone: 0, failed: 1 };
  }
}

export const pushToStaff = (restaurantId: string, message: PushMessage) =>
  safely('staff', async () => pushToConnections(await connectionsOfChannel(restaurantId, 'STAFF'), message));

export const pushToAllGuests = (restaurantId: string, message: PushMessage) =>
  safely('guests', async () => pushToConnections(await connectionsOfChannel(restaurantId, 'GUEST'), message));

export interface SessionPushFilter {
  /** Only this device's sockets (INDIVIDUAL mode). */
  deviceId?: string;
}

export const pushToSession = (restaurantId: string, sessionId: string, message: PushMessage, filter: SessionPushFilter = {}) =>
  safely('session', async () => {
    const connections = (await connectionsOfSession(restaurantId, sessionId)).filter((c) => !filter.deviceId || c.deviceId === filter.deviceId);
    return pushToConnections(connections, message);
  });

/** Sends one message to one connection (e.g. a reply to its own action). */
export const sendTo = (connectionId: string, message: PushMessage) =>
  safely('reply', () => pushToConnections([{ connectionId } as ConnectionRecord], message));

/**
 * Closes a socket from the server side (a credential ended, a socket cap, a message flood). Its
 * record goes first: every push reads its audience from the records, and every action checks the
 * socket's own, so from then on no push reaches the socket and its next action is refused, even if
 * API Gateway's DeleteConnection then fails or hangs (such a socket stays open, silent, until API
 * Gateway's idle timeout). Gone is fine.
 */
export async function disconnect(connectionId: string): Promise<void> {
  await deleteConnection(connectionId).catch((error) =>
    logger.error('Could not delete the record of a socket being closed', { connectionId, error: error as Error }),
  );
  try {
    await managementClient().delete(connectionId, AbortSignal.timeout(config().push.timeoutMs));
  } catch (error) {
    if (!isGone(error)) logger.warn('Could not close a connection', { connectionId, error: error as Error });
  }
}
