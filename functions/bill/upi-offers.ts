/**
 * UPI links and their QR codes on a bill and its shares: when the restaurant has a UPI ID (and bills
 * in INR), the bill and every share carry a UPI link and its QR code so a guest can pay from their
 * own phone; a waiter then records the payment.
 *
 * Apart from bill/bill.ts so that code needing only the amounts (an online payment's) bundles no
 * QR encoder: qrcode and pngjs are ~57 KB of a function's bundle.
 */
import { qrSvg } from '../platform/qr-svg.ts';
import { isValidVpa, upiPaymentLink, type UpiOffer } from '../core/upi.ts';
import type { RestaurantDoc } from '../data/documents.ts';
import type { BillView, SplitView } from './bill.ts';
import { restaurant } from '../data/restaurant.ts';

function upiPossible(settings: RestaurantDoc): settings is RestaurantDoc & { upiVpa: string } {
  return Boolean(settings.upiVpa && isValidVpa(settings.upiVpa) && settings.currency === 'INR');
}

async function upiOffer(settings: RestaurantDoc & { upiVpa: string }, amountMinor: number, note: string): Promise<UpiOffer> {
  const link = upiPaymentLink({ vpa: settings.upiVpa, payeeName: settings.name, amountMinor, note });
  return { link, qrSvg: await qrSvg(link) };
}

/** The bill with a UPI offer for what is due (when the restaurant takes UPI and something is due). */
export async function withBillUpi<T extends BillView>(bill: T): Promise<T> {
  const settings = await restaurant();
  if (bill.due > 0 && upiPossible(settings)) bill.upi = await upiOffer(settings, bill.due, bill.reference);
  return bill;
}

/** Every share that has something to pay gets its own UPI offer, its note naming the share. */
export async function withSplitUpi(split: SplitView): Promise<SplitView> {
  const settings = await restaurant();
  if (!upiPossible(settings)) return split;
  await Promise.all(
    split.shares.map(async (share) => {
      if (share.amount > 0) share.upi = await upiOffer(settings, share.amount, `${split.reference} ${share.label}`.slice(0, 50));
    }),
  );
  return split;
}
