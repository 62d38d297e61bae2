/**
 * The guests' order lists. Apart from placement (orders.ts), so what only lists them (the guest
 * function's `me`, the socket `sync`) loads none of placement's idempotency and pushes at init.
 */
import { ObjectId } from 'mongodb';
import type { GuestPrincipal } from '../auth/principal.ts';
import { isObjectIdHex } from '../core/ids.ts';
import { findSessionMode, findSessionOrders } from '../data/orders-store.ts';
import { config } from '../platform/config.ts';
import { toGuestOrder, type GuestOrderView } from './order-views.ts';

/** The guest's orders with live statuses: the whole table's in FAMILY mode, the device's own in INDIVIDUAL mode. Oldest first. */
export async function listGuestOrders(guest: Pick<GuestPrincipal, 'restaurantId' | 'sessionId' | 'deviceId' | 'mode'>): Promise<GuestOrderView[]> {
  const docs = await findSessionOrders(guest.restaurantId, guest.sessionId, guest.mode === 'FAMILY' ? undefined : guest.deviceId);
  return docs.map((doc) => toGuestOrder(doc));
}

/** For the ws `sync` action (a socket has its session and device, not a principal). Null when the session is unknown. */
export async function listGuestOrdersFor(sessionId: string, deviceId: string): Promise<GuestOrderView[] | null> {
  if (!isObjectIdHex(sessionId)) return null;
  const { restaurantId } = config();
  const session = await findSessionMode(restaurantId, new ObjectId(sessionId));
  if (!session) return null;
  return listGuestOrders({ restaurantId, sessionId: session._id, deviceId, mode: session.mode });
}
