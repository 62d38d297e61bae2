/**
 * POST /api/payments/webhook: the payment provider's webhooks. Public (the provider has no Plato
 * credential) but signed: the signature is checked over the raw body before anything is parsed or
 * written (401 WEBHOOK_SIGNATURE_INVALID). Its own function, so its permissions and load are its own.
 */
import { paymentRoutes } from '../../contract/payments.ts';
import { DomainError } from '../../core/errors.ts';
import { publicRoute } from '../../http/route.ts';
import { config } from '../../platform/config.ts';
import { receiveWebhook } from '../payment-webhooks.ts';

export const webhook = publicRoute(paymentRoutes.webhook, async ({ event }) => {
  const raw = event.body === undefined || event.body === null ? Buffer.alloc(0) : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
  if (raw.length > config().limits.maxBodyBytes) throw new DomainError('PAYLOAD_TOO_LARGE', 'The webhook body is too large');
  const headers = Object.fromEntries(Object.entries(event.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
  return receiveWebhook({ rawBody: raw, headers });
});
