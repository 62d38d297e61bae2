/**
 * What every socket action does first, in one DynamoDB update (message-rate.ts): counts the message
 * against its socket's rate, and checks the socket's record (removed whenever its credential ends,
 * and living no longer than the credential).
 * `recheck` also re-checks the credential itself in MongoDB: sync does, since it returns the
 * session's data; ping and $default run in the `edge` function, which carries no MongoDB driver
 * (heartbeats stay cheap), and return nothing but a pong or an error. Past the rate it throws
 * RATE_LIMITED, with an ended credential TOKEN_EXPIRED: the socket's edge (http/socket-route.ts)
 * tells the socket why and closes it, and the action does not run.
 */
import { DomainError } from '../core/errors.ts';
import { logger } from '../platform/logger.ts';
import type { ConnectionRecord } from './connections.ts';
import { admitMessage } from './message-rate.ts';

export async function admit(connectionId: string, recheck?: (connection: ConnectionRecord) => Promise<boolean>): Promise<ConnectionRecord> {
  const admission = await admitMessage(connectionId);
  if (!admission.admitted && admission.reason === 'RATE_LIMITED') {
    throw new DomainError('RATE_LIMITED', 'Too many messages on this connection', { retryAfterSeconds: admission.retryAfterSeconds });
  }
  const connection = admission.admitted ? admission.connection : undefined;
  if (!connection || (recheck && !(await recheck(connection)))) {
    logger.info('Closed a socket whose credential ended', { channel: connection?.channel });
    throw new DomainError('TOKEN_EXPIRED', 'Reconnect to continue');
  }
  return connection;
}
