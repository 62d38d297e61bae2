/**
 * What a socket receives when it asks to `sync` after a reconnect: the same state its screen
 * would load over HTTP, chosen by the channel its verified token gave it.
 *
 * Each channel has a list of parts; each part loads one piece of state (one small function per
 * piece) and they load in parallel. To add a piece (e.g. the guest's orders), add a part.
 */
import * as Cart from '../cart/index.ts';
import * as Kitchen from '../kitchen/index.ts';
import { menuVersion } from '../data/menu-store.ts';
import * as Orders from '../orders/index.ts';
import type { Channel, ConnectionRecord } from '../realtime/connections.ts';
import type { PushOf } from '../contract/pushes.ts';

type SyncPart = (connection: ConnectionRecord) => Promise<Record<string, unknown>>;

/** The open tickets for this tablet's station, exactly as GET /api/kitchen/orders gives them. */
const kitchenTickets: SyncPart = async (connection) => {
  const { serverTime, orders } = await Kitchen.listTickets(connection.restaurantId, { station: connection.station });
  return { serverTime, orders };
};

/** The guest's cart: the table's (FAMILY) or the device's own (INDIVIDUAL); null if the session is gone. */
const guestCart: SyncPart = async (connection) => ({
  cart: connection.sessionId && connection.deviceId ? await Cart.ofSocket(connection.sessionId, connection.deviceId) : null,
});

/** The guest's orders with live statuses: the table's (FAMILY) or the device's (INDIVIDUAL); empty if the session is gone. */
const guestOrders: SyncPart = async (connection) => ({
  orders: connection.sessionId && connection.deviceId ? ((await Orders.ofSocket(connection.sessionId, connection.deviceId)) ?? []) : [],
});

/** The menu's version: the phone reloads its menu on a resync only when this changed. */
const guestMenuVersion: SyncPart = async (connection) => ({ menuVersion: await menuVersion(connection.restaurantId) });

const PARTS: Record<Channel, readonly SyncPart[]> = {
  GUEST: [guestCart, guestOrders, guestMenuVersion],
  KITCHEN: [kitchenTickets],
  STAFF: [],
};

/** The `sync` push's state (contract/pushes.ts), without the socket's own id. */
export type SyncState = Omit<PushOf<'sync'>, 'type' | 'connectionId'>;

export async function syncStateFor(connection: ConnectionRecord): Promise<SyncState> {
  const parts = await Promise.all(PARTS[connection.channel].map((part) => part(connection)));
  return Object.assign({ serverTime: new Date().toISOString(), channel: connection.channel }, ...parts);
}
