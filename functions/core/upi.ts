/**
 * UPI payment links (NPCI "upi://pay" deep links), which any UPI app opens with the payee, amount
 * and note filled in. The QR code that encodes the same link is drawn in services (qrcode package).
 */

/** A UPI link offered on a bill or a share, with its QR code. */
export interface UpiOffer {
  link: string;
  /** The same link as a QR code, SVG markup. */
  qrSvg: string;
}

export interface UpiPayment {
  /** Payee's virtual payment address, e.g. "restaurant@okbank". */
  vpa: string;
  /** Payee name shown in the app. */
  payeeName: string;
  /** Amount in paise. */
  amountMinor: number;
  /** Transaction note: the bill reference the waiter matches the payment with. */
  note: string;
}

/** A VPA is `handle@provider`: letters, digits, dot, hyphen and underscore, then a provider. */
const VPA_PATTERN = /^[A-Za-z0-9._-]{2,256}@[A-Za-z][A-Za-z0-9.-]{1,63}$/;

export const isValidVpa = (vpa: string): boolean => VPA_PATTERN.test(vpa);

/** Paise as rupees with exactly two decimals: 12345 → "123.45", 5 → "0.05". */
export function formatRupees(amountMinor: number): string {
  if (!Number.isSafeInteger(amountMinor) || amountMinor < 0) throw new RangeError('The amount must be a non-negative integer of paise');
  const rupees = Math.floor(amountMinor / 100);
  const paise = amountMinor % 100;
  return `${rupees}.${String(paise).padStart(2, '0')}`;
}

/** `upi://pay?pa=<vpa>&pn=<name>&am=<amount>&cu=INR&tn=<note>`, every value percent-encoded. */
export function upiPaymentLink({ vpa, payeeName, amountMinor, note }: UpiPayment): string {
  if (!isValidVpa(vpa)) throw new RangeError('Not a valid UPI ID');
  const params: [string, string][] = [
    ['pa', vpa],
    ['pn', payeeName],
    ['am', formatRupees(amountMinor)],
    ['cu', 'INR'],
    ['tn', note],
  ];
  return `upi://pay?${params.map(([key, value]) => `${key}=${encodeQueryValue(value)}`).join('&')}`;
}

/**
 * Percent-encodes a query value. Spaces become %20 (not '+', which some UPI apps show literally);
 * '@' stays as is: it is legal in a query (RFC 3986) and some apps match the VPA verbatim.
 */
const encodeQueryValue = (value: string): string => encodeURIComponent(value).replace(/%40/g, '@');
