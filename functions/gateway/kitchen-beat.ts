/**
 * The kitchen's shared heartbeat (#18, the heartbeat bill). Every kitchen tablet of a restaurant
 * pings after 30 s without hearing anything (web/shared/heartbeat.ts) and takes any message as proof
 * that its socket is live (web/shared/ws.ts). So one tablet's ping is answered with a `pong` to every
 * kitchen socket of the restaurant: the others' silence ends with it and they do not ping, and a
 * kitchen pays for one ping (one invocation, its admission write) a heartbeat instead of one per
 * tablet; each tablet still gets its one pong message.
 *
 * The ping is admitted first as every socket action is (realtime/admission.ts: its socket's message
 * rate, its record), and what a tablet's alarm means is unchanged: a dead socket hears no pong and
 * goes stale; a socket whose record ended is no longer among the kitchen's sockets, hears no shared
 * pong, pings itself and is told TOKEN_EXPIRED by its own admission.
 *
 * Tablets whose silences end together ping together: the first claims the beat (one conditional
 * write on the rateLimits table), and a ping within `BEAT_CLAIM_SECONDS` of a claimed beat is
 * answered to its own socket only, so concurrent pings never multiply the kitchen-wide pongs.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo, tableName } from '../data/dynamo.ts';
import { connectionsOfChannel, type ConnectionRecord } from '../realtime/connections.ts';
import { pushToConnections, sendTo } from '../realtime/push.ts';
import { logger } from '../platform/logger.ts';

/** Well under the kitchen's 30 s heartbeat, well over a pong's round trip. */
export const BEAT_CLAIM_SECONDS = 10;

const isConditionFailure = (error: unknown): boolean => (error as { name?: string } | undefined)?.name === 'ConditionalCheckFailedException';

/** True when no kitchen-wide pong went out in the last BEAT_CLAIM_SECONDS: this ping sends it. */
export async function claimKitchenBeat(restaurantId: string, nowMs = Date.now()): Promise<boolean> {
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: tableName('rateLimits'),
        Key: { key: `kitchen-beat#${restaurantId}` },
        UpdateExpression: 'SET beatAt = :now, expiresAt = :expires',
        ConditionExpression: 'attribute_not_exists(beatAt) OR beatAt <= :claimedBefore',
        ExpressionAttributeValues: { ':now': nowMs, ':claimedBefore': nowMs - BEAT_CLAIM_SECONDS * 1000, ':expires': Math.floor(nowMs / 1000) + 3600 },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** The pong to an admitted ping: kitchen-wide when the socket is a kitchen tablet's and it claims the beat, else to the socket alone. */
export async function answerPing(connection: ConnectionRecord): Promise<void> {
  const pong = { type: 'pong', serverTime: new Date().toISOString() } as const;
  if (connection.channel === 'KITCHEN') {
    try {
      if (await claimKitchenBeat(connection.restaurantId)) {
        // The caller first, then the rest of the restaurant's kitchen sockets.
        const others = (await connectionsOfChannel(connection.restaurantId, 'KITCHEN')).filter((socket) => socket.connectionId !== connection.connectionId);
        await pushToConnections([connection, ...others], pong);
        return;
      }
    } catch (error) {
      // The tablet's own pong is what its alarm needs: the shared one is only a saving.
      logger.warn('Kitchen heartbeat fell back to a single pong', { error: error as Error });
    }
  }
  await sendTo(connection.connectionId, pong);
}
