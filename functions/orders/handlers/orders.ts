/**
 * Guest order routes. POST /api/orders needs an `Idempotency-Key` header (a UUID the phone keeps
 * until it has a definitive answer): the same key always yields the same order, exactly once.
 */
import { orderRoutes } from '../../contract/orders.ts';
import { uuid } from '../../contract/common.ts';
import { DomainError } from '../../core/errors.ts';
import { header } from '../../http/request.ts';
import { reply } from '../../http/route.ts';
import { dinerRoute } from '../../http/diner-route.ts';
import { listGuestOrders } from '../guest-orders.ts';
import { placeOrder as place } from '../orders.ts';

export const placeOrder = dinerRoute(orderRoutes.placeOrder, async ({ guest, body, event, context, ip, userAgent }) => {
  const key = uuid.safeParse(header(event, 'idempotency-key')?.trim());
  if (!key.success) {
    throw new DomainError('IDEMPOTENCY_KEY_REQUIRED', 'Send an Idempotency-Key header (a UUID) and reuse it when you retry this order');
  }
  const { order, replayed } = await place({
    guest,
    idempotencyKey: key.data.toLowerCase(),
    body,
    origin: { ip, userAgent },
    lambdaContext: context,
  });
  return reply(order, { status: 201, headers: replayed ? { 'idempotent-replayed': 'true' } : {} });
});

export const listOrders = dinerRoute(orderRoutes.listOrders, async ({ guest }) => ({ orders: await listGuestOrders(guest) }));
