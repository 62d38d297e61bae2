/**
 * The guest's bill and its split.
 *
 *   GET /api/bill/split?by=equal&n=3             n equal shares (2..20); the first `due mod n` get one more paisa
 *   GET /api/bill/split?by=device                each phone pays for the dishes it added, tax in proportion
 *   GET /api/bill/split?by=item&shares=<orderId>:<itemIndex>:<deviceA>,<deviceB>;...
 *                                                as by=device, but each listed dish is divided equally
 *                                                between the listed devices (e.g. a shared starter)
 *   POST /api/bill/request {method?}             ask for the bill: the staff consoles are told
 */
import * as z from 'zod';
import { PAYMENT_METHODS } from '../data/documents.ts';
import { dinerRoute } from '../http/diner-route.ts';
import { deviceId, objectId, queryInt } from '../http/schemas.ts';
import { paymentsEnabled } from '../payments/webhook-verifier.ts';
import { guestBill, guestSplit, requestBill as askForBill, type SplitSpec } from '../services/bill.ts';
import { withBillUpi, withSplitUpi } from '../services/upi-offers.ts';

const MAX_SHARED_DISHES = 50;
const MAX_SHARERS = 20;

const sharedDish = z
  .string()
  .transform((entry, ctx) => {
    const [orderId, itemIndex, devices, ...rest] = entry.split(':');
    const parsed = z
      .object({ orderId: objectId, itemIndex: z.coerce.number().int().min(0).max(199), deviceIds: z.array(deviceId).min(1).max(MAX_SHARERS) })
      .safeParse({ orderId, itemIndex, deviceIds: devices ? devices.split(',') : [] });
    if (rest.length > 0 || !parsed.success) {
      ctx.addIssue({ code: 'custom', message: 'each shared dish is <orderId>:<itemIndex>:<deviceId>,<deviceId>...' });
      return z.NEVER;
    }
    return parsed.data;
  });

const SplitQuery = z.discriminatedUnion('by', [
  z.strictObject({ by: z.literal('equal'), n: queryInt(2, 20) }),
  z.strictObject({ by: z.literal('device') }),
  z.strictObject({
    by: z.literal('item'),
    shares: z
      .string()
      .max(8_000)
      .transform((value) => value.split(';').filter(Boolean))
      .pipe(z.array(sharedDish).min(1).max(MAX_SHARED_DISHES)),
  }),
]);

export const getBill = dinerRoute({}, async ({ guest }) => ({ ...(await withBillUpi(await guestBill(guest))), payOnline: await paymentsEnabled() }));

export const splitBill = dinerRoute({ query: SplitQuery }, async ({ guest, query }) => {
  const spec: SplitSpec = query.by === 'item' ? { by: 'item', shared: query.shares } : query;
  return withSplitUpi(await guestSplit(guest, spec));
});

const RequestBillBody = z.strictObject({ method: z.enum(PAYMENT_METHODS).optional() });

export const requestBill = dinerRoute({ body: RequestBillBody }, async ({ guest, body, ip, userAgent }) => askForBill(guest, body.method, { ip, userAgent }));
