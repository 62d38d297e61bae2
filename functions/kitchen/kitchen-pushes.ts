/**
 * Delivering a ticket to the kitchen's sockets, each socket's message filtered to its station
 * (kitchen-tickets.ts kitchenMessageFor). The effects pipeline (effects.ts) decides when.
 */
import type { OrderDoc } from '../data/documents.ts';
import { logger } from '../platform/logger.ts';
import { connectionsOfChannel, type ConnectionRecord } from '../realtime/connections.ts';
import { pushToConnections, type PushMessage } from '../realtime/push.ts';
import { isOpenTicket, kitchenMessageFor, toKitchenTicket } from './kitchen-tickets.ts';

/**
 * Sends the order's current ticket to every kitchen socket of the restaurant, each filtered to its
 * station: `kitchen.ticket` while open, `kitchen.ticket_removed` once bumped, completed, cancelled
 * (or back to pending), `order.created` with `created`. Pass `sockets` when the caller already
 * looked them up (see orderAudience). Never throws.
 */
export async function pushKitchenTicket(
  order: OrderDoc,
  { created = false, sockets }: { created?: boolean; sockets?: readonly ConnectionRecord[] } = {},
): Promise<void> {
  const ticket = toKitchenTicket(order);
  try {
    const byStation = new Map<string, ConnectionRecord[]>();
    for (const socket of sockets ?? (await connectionsOfChannel(order.restaurantId, 'KITCHEN'))) {
      const key = socket.station ?? '';
      byStation.set(key, [...(byStation.get(key) ?? []), socket]);
    }
    await Promise.all(
      [...byStation].map(async ([station, group]) => {
        const message = kitchenMessageFor(order, ticket, station || undefined, created);
        if (message) await pushToConnections(group, message as unknown as PushMessage);
      }),
    );
  } catch (error) {
    logger.error('Kitchen push could not be delivered', { error: error as Error });
  }
}

/** A new (or newly confirmed) order reaches the kitchen as `order.created` with its ticket. Pending orders (awaiting the waiter) are not sent. Never throws. */
export async function announceNewTicket(order: OrderDoc, sockets?: readonly ConnectionRecord[]): Promise<void> {
  if (!isOpenTicket(order)) return;
  await pushKitchenTicket(order, { created: true, sockets });
}
