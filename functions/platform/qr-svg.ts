/**
 * QR codes as SVG markup (table cards, UPI offers). The encoder (qrcode and pngjs, ~57 KB of a
 * bundle) is loaded on the first code drawn, not at module init: most requests of the functions that
 * carry it draw none (#18, cold start).
 */
type QrEncoder = typeof import('qrcode');

let encoder: Promise<QrEncoder> | undefined;

/** Error correction M survives a scuffed, laminated table card; margin 2 keeps the quiet zone. */
export async function qrSvg(text: string): Promise<string> {
  encoder ??= import('qrcode').then((module) => ((module as { default?: QrEncoder }).default ?? module) as QrEncoder);
  return (await encoder).toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}
