/**
 * Guests paying from their phones.
 *
 *   POST /api/payments {scope}   Idempotency-Key: <uuid, kept across retries>
 *        scope: {kind:"bill"} | {kind:"equal", n, index} | {kind:"device"} | {kind:"item", shared:[{orderId,itemIndex,deviceIds}]}
 *        → 201 {payment} (new) or 200 {payment} (the key's intent, resumed); payment.checkoutUrl is the page to open
 *
 * Reading them back is functions/bill/handlers/guest-payments.ts (the bill function, without the provider's SDK).
 */
import { paymentRoutes } from '../../contract/payments.ts';
import { uuid } from '../../contract/common.ts';
import { DomainError } from '../../core/errors.ts';
import { dinerRoute } from '../../http/diner-route.ts';
import { header } from '../../http/request.ts';
import { reply, type HttpEvent } from '../../http/route.ts';
import { config } from '../../platform/config.ts';
import { startPayment } from '../payment-intents.ts';

/** The app's own origin, for the payment page's return link. */
function returnOrigin(event: HttpEvent): string {
  const configured = config().publicOrigin;
  if (configured) return configured;
  return `${header(event, 'x-forwarded-proto') ?? 'http'}://${header(event, 'host') ?? '127.0.0.1'}`;
}

export const startGuestPayment = dinerRoute(paymentRoutes.startPayment, async ({ guest, body, event, ip, userAgent }) => {
  const key = uuid.safeParse(header(event, 'idempotency-key')?.trim());
  if (!key.success) throw new DomainError('IDEMPOTENCY_KEY_REQUIRED', 'Send an Idempotency-Key header (a UUID) and reuse it when you retry this payment');
  const { created, payment } = await startPayment(guest, { scope: body.scope, idempotencyKey: key.data.toLowerCase(), returnOrigin: returnOrigin(event) }, { ip, userAgent });
  return reply({ payment }, { status: created ? 201 : 200 });
});

