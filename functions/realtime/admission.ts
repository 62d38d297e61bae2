/**
 * What every socket action does first, in one DynamoDB update (message-rate.ts): counts the message
 * against its socket's rate, and checks the socket's record (removed whenever its credential ends,
 * and living no longer than the credential).
 * `recheck` also re-checks the credential itself in MongoDB: sync does, since it returns the
 * session's data; ping and $default run in the `edge` function, which carries no MongoDB driver
 * (heartbeats stay cheap), and return nothing but a pong or an error. Past the rate, or with an
 * ended credential, the socket is told why and closed; the action does not run.
 */
import { logger } from '../platform/logger.ts';
import type { ConnectionRecord } from './connections.ts';
import { admitMessage } from './message-rate.ts';
import { disconnect as closeSocket, sendTo } from './push.ts';

export async function admit(connectionId: string, recheck?: (connection: ConnectionRecord) => Promise<boolean>): Promise<ConnectionRecord | undefined> {
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
