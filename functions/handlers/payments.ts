/**
 * Guests paying from their phones.
 *
 *   POST /api/payments {scope}   Idempotency-Key: <uuid, kept across retries>
 *        scope: {kind:"bill"} | {kind:"equal", n, index} | {kind:"device"} | {kind:"item", shared:[{orderId,itemIndex,deviceIds}]}
 *        → 201 {payment} (new) or 200 {payment} (the key's intent, resumed); payment.checkoutUrl is the page to open
 *
 * Reading them back is functions/handlers/guest-payments.ts (the bill function, without the provider's SDK).
 */
import * as z from 'zod';
import { DomainError } from '../core/errors.ts';
import { dinerRoute } from '../http/diner-route.ts';
import { header } from '../http/request.ts';
import { reply, type HttpEvent } from '../http/route.ts';
import { deviceId, objectId, uuid } from '../http/schemas.ts';
import { config } from '../platform/config.ts';
import { startPayment } from '../services/payment-intents.ts';

const Scope = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('bill') }),
  z.strictObject({ kind: z.literal('equal'), n: z.number().int().min(2).max(20), index: z.number().int().min(0).max(19) }),
  z.strictObject({ kind: z.literal('device') }),
  z.strictObject({
    kind: z.literal('item'),
    shared: z.array(z.strictObject({ orderId: objectId, itemIndex: z.number().int().min(0).max(199), deviceIds: z.array(deviceId).min(1).max(20) })).min(1).max(50),
  }),
]);
const StartBody = z.strictObject({ scope: Scope });

/** The app's own origin, for the payment page's return link. */
function returnOrigin(event: HttpEvent): string {
  const configured = config().publicOrigin;
  if (configured) return configured;
  return `${header(event, 'x-forwarded-proto') ?? 'http'}://${header(event, 'host') ?? '127.0.0.1'}`;
}

export const startGuestPayment = dinerRoute({ body: StartBody }, async ({ guest, body, event, ip, userAgent }) => {
  const key = uuid.safeParse(header(event, 'idempotency-key')?.trim());
  if (!key.success) throw new DomainError('IDEMPOTENCY_KEY_REQUIRED', 'Send an Idempotency-Key header (a UUID) and reuse it when you retry this payment');
  const { created, payment } = await startPayment(guest, { scope: body.scope, idempotencyKey: key.data.toLowerCase(), returnOrigin: returnOrigin(event) }, { ip, userAgent });
  return reply({ payment }, { status: created ? 201 : 200 });
});

