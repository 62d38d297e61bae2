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
import { billRoutes } from '../../contract/bill.ts';
import { dinerRoute } from '../../http/diner-route.ts';
import { paymentsEnabled } from '../../payments/webhook-verifier.ts';
import { guestBill, guestSplit, requestBill as askForBill, type SplitSpec } from '../bill.ts';
import { withBillUpi, withSplitUpi } from '../upi-offers.ts';

export const getBill = dinerRoute(billRoutes.getBill, async ({ guest }) => ({ ...(await withBillUpi(await guestBill(guest))), payOnline: await paymentsEnabled() }));

export const splitBill = dinerRoute(billRoutes.splitBill, async ({ guest, query }) => {
  const spec: SplitSpec = query.by === 'item' ? { by: 'item', shared: query.shares } : query;
  return withSplitUpi(await guestSplit(guest, spec));
});

export const requestBill = dinerRoute(billRoutes.requestBill, async ({ guest, body, ip, userAgent }) => askForBill(guest, body.method, { ip, userAgent }));
