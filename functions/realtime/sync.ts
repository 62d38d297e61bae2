/**
 * What a socket receives when it asks to `sync` after a reconnect: the same state its screen
 * would load over HTTP, chosen by the channel its verified token gave it.
 */
import { listTickets } from '../services/kitchen.ts';
import type { ConnectionRecord } from './connections.ts';

export async function syncStateFor(connection: ConnectionRecord): Promise<Record<string, unknown>> {
  if (connection.channel === 'KITCHEN') {
    // The open tickets for this tablet's station, exactly as GET /api/kitchen/orders gives them.
    const { serverTime, orders } = await listTickets(connection.restaurantId, { station: connection.station });
    return { serverTime, channel: connection.channel, orders };
  }
  return { serverTime: new Date().toISOString(), channel: connection.channel };
}
