/**
 * What the apps say when the API refuses something, in the app's language, keyed by error.code
 * (functions/http/error-status.ts ERROR_STATUS). In English the server's own sentence is shown: it is
 * written for people and says more ("Only a manager can cancel an item"); in any other language the
 * code's text is, so a Hindi screen never shows an English sentence. No answer at all is the
 * network message; a 5xx is the generic one, except a payment provider's failure (PAYMENT_FAILURES).
 */
import { isApiError } from './api.ts';
import { addMessages, lang, t } from './i18n.ts';

addMessages({
  en: {
    'error.VALIDATION_FAILED': 'Some details are not valid. Check them and try again.',
    'error.INVALID_CREDENTIALS': 'Wrong username or password.',
    'error.UNAUTHENTICATED': 'You are signed out. Please sign in again.',
    'error.FORBIDDEN': 'Your account is not allowed to do this.',
    'error.NOT_FOUND': 'This was not found. It may have been removed.',
    'error.NO_OPEN_SESSION': 'This table is not open. Please ask your waiter.',
    'error.SESSION_ALREADY_OPEN': 'This table is already open.',
    'error.SESSION_CLOSED': 'This table’s visit has ended. Ask the waiter to start a new one.',
    'error.CART_CHANGED': 'The cart changed. Please check it and try again.',
    'error.ITEM_UNAVAILABLE': 'A dish is not available right now.',
    'error.STATUS_CONFLICT': 'This was just changed on another device.',
    'error.CONFLICT': 'This was just changed on another device. Please try again.',
    'error.TABLE_EXISTS': 'There is already a table with this number.',
    'error.TABLE_IN_USE': 'This table is being served. Close it on the floor before removing it.',
    'error.IN_PROGRESS': 'Still working on it. Please wait a moment.',
    'error.PIN_INVALID': 'Wrong PIN.',
    'error.CODE_INVALID': 'That code is wrong or has expired.',
    'error.PIN_BLOCKED': 'Too many wrong PINs. Please wait before trying again.',
    'error.RATE_LIMITED': 'Too many attempts. Please wait a moment and try again.',
    'error.PHOTO_TOO_LARGE': 'That photo is too large: it may be at most 5 MB.',
    'error.PHOTO_TYPE_UNSUPPORTED': 'Choose a JPEG, PNG or WebP photo.',
    'error.PHOTO_UNREADABLE': 'That file could not be read as a photo. Try another one.',
    'error.PHOTO_NOT_UPLOADED': 'The photo did not arrive. Please upload it again.',
    'error.PHOTO_KEY_FORBIDDEN': 'That upload does not belong to this dish. Please upload the photo again.',
    'error.PHOTO_UPLOAD_FAILED': 'The photo could not be uploaded. Please try again.',
    'error.PAYLOAD_TOO_LARGE': 'That is too large to send.',
    'error.UNPROCESSABLE': 'This cannot be done right now.',
    'error.REFUSED': 'The request was refused. Please reload the page and try again.',
    'error.PAYMENT_PROVIDER_UNAVAILABLE': 'The payment service is not answering right now. Nothing was charged or refunded. Please try again in a minute.',
    'error.PAYMENT_PROVIDER_FAILED': 'The payment service refused this. Nothing was charged or refunded.',
    'error.PAYMENTS_UNAVAILABLE': 'Paying online is not available here. Please pay your waiter.',
  },
  hi: {
    'error.VALIDATION_FAILED': 'कुछ जानकारी सही नहीं है। जाँचकर फिर से कोशिश करें।',
    'error.INVALID_CREDENTIALS': 'यूज़रनेम या पासवर्ड गलत है।',
    'error.UNAUTHENTICATED': 'आप साइन आउट हो गए हैं। कृपया फिर से साइन इन करें।',
    'error.FORBIDDEN': 'आपके अकाउंट को यह करने की अनुमति नहीं है।',
    'error.NOT_FOUND': 'यह नहीं मिला। शायद इसे हटा दिया गया है।',
    'error.NO_OPEN_SESSION': 'यह टेबल खुली नहीं है। कृपया अपने वेटर से कहें।',
    'error.SESSION_ALREADY_OPEN': 'यह टेबल पहले से खुली है।',
    'error.SESSION_CLOSED': 'इस टेबल की विज़िट खत्म हो गई है। नई शुरू करने के लिए वेटर से कहें।',
    'error.CART_CHANGED': 'कार्ट बदल गया। कृपया जाँचें और फिर से कोशिश करें।',
    'error.ITEM_UNAVAILABLE': 'एक व्यंजन अभी उपलब्ध नहीं है।',
    'error.STATUS_CONFLICT': 'इसे अभी किसी दूसरे डिवाइस पर बदला गया।',
    'error.CONFLICT': 'इसे अभी किसी दूसरे डिवाइस पर बदला गया। कृपया फिर से कोशिश करें।',
    'error.TABLE_EXISTS': 'इस नंबर की टेबल पहले से है।',
    'error.TABLE_IN_USE': 'इस टेबल पर सर्विस चल रही है। हटाने से पहले फ़्लोर पर इसे बंद करें।',
    'error.IN_PROGRESS': 'अभी काम चल रहा है। कृपया थोड़ा रुकें।',
    'error.PIN_INVALID': 'गलत PIN।',
    'error.CODE_INVALID': 'यह कोड गलत है या उसकी समय-सीमा खत्म हो गई।',
    'error.PIN_BLOCKED': 'बहुत बार गलत PIN। फिर से कोशिश करने से पहले थोड़ा रुकें।',
    'error.RATE_LIMITED': 'बहुत ज़्यादा कोशिशें। थोड़ा रुककर फिर से कोशिश करें।',
    'error.PHOTO_TOO_LARGE': 'फ़ोटो बहुत बड़ी है: ज़्यादा से ज़्यादा 5 MB हो सकती है।',
    'error.PHOTO_TYPE_UNSUPPORTED': 'JPEG, PNG या WebP फ़ोटो चुनें।',
    'error.PHOTO_UNREADABLE': 'यह फ़ाइल फ़ोटो के रूप में पढ़ी नहीं जा सकी। कोई दूसरी आज़माएँ।',
    'error.PHOTO_NOT_UPLOADED': 'फ़ोटो नहीं पहुँची। कृपया फिर से अपलोड करें।',
    'error.PHOTO_KEY_FORBIDDEN': 'यह अपलोड इस डिश का नहीं है। कृपया फ़ोटो फिर से अपलोड करें।',
    'error.PHOTO_UPLOAD_FAILED': 'फ़ोटो अपलोड नहीं हो सकी। कृपया फिर से कोशिश करें।',
    'error.PAYLOAD_TOO_LARGE': 'यह भेजने के लिए बहुत बड़ा है।',
    'error.UNPROCESSABLE': 'यह अभी नहीं हो सकता।',
    'error.REFUSED': 'अनुरोध अस्वीकार हुआ। कृपया पेज फिर से लोड करके कोशिश करें।',
    'error.PAYMENT_PROVIDER_UNAVAILABLE': 'भुगतान सेवा अभी जवाब नहीं दे रही है। कोई पैसा नहीं कटा और न लौटाया गया। कृपया एक मिनट बाद फिर से कोशिश करें।',
    'error.PAYMENT_PROVIDER_FAILED': 'भुगतान सेवा ने इसे मना कर दिया। कोई पैसा नहीं कटा और न लौटाया गया।',
    'error.PAYMENTS_UNAVAILABLE': 'यहाँ ऑनलाइन भुगतान उपलब्ध नहीं है। कृपया अपने वेटर को भुगतान करें।',
  },
});

/** Codes that share one text. */
const SAME_AS: Record<string, string> = {
  INVALID_JSON: 'VALIDATION_FAILED',
  IDEMPOTENCY_KEY_REQUIRED: 'REFUSED',
  IDEMPOTENCY_KEY_REUSED: 'REFUSED',
  UNSUPPORTED_MEDIA_TYPE: 'REFUSED',
  METHOD_NOT_ALLOWED: 'REFUSED',
  ORIGIN_FORBIDDEN: 'REFUSED',
  ORIGIN_UNVERIFIED: 'REFUSED',
  WEBHOOK_SIGNATURE_INVALID: 'REFUSED',
  TOKEN_EXPIRED: 'UNAUTHENTICATED',
  TOKEN_INVALID: 'UNAUTHENTICATED',
  USERNAME_TAKEN: 'CONFLICT',
  SELF_LOCKOUT: 'FORBIDDEN',
  LAST_ADMIN: 'FORBIDDEN',
};

/**
 * Server-side failures people can act on: the payment provider is down or refused, or the restaurant
 * takes no online payments. Always the catalogue's sentence (it says that nothing was charged), in
 * every language, where any other 5xx is the generic message.
 */
const PAYMENT_FAILURES = new Set(['PAYMENT_PROVIDER_UNAVAILABLE', 'PAYMENT_PROVIDER_FAILED', 'PAYMENTS_UNAVAILABLE']);

/** The sentence for a failed request, in the app's language. */
export function errorText(error: unknown): string {
  if (!isApiError(error)) return t('common.error');
  if (error.isNetwork) return t('common.networkError');
  if (PAYMENT_FAILURES.has(error.code)) return t(`error.${error.code}`);
  if (error.status >= 500) return t('common.error');
  if (lang.value === 'en' && error.message && error.message !== `HTTP ${error.status}`) return error.message;
  const key = `error.${SAME_AS[error.code] ?? error.code}`;
  const text = t(key);
  return text === key ? t('common.error') : text;
}
