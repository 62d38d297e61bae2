/**
 * The demo table's QR code for `npm start`'s banner, drawn with block characters: only on a terminal.
 * Piped to a file or a log the characters make no scannable picture (and garble some viewers), so
 * there the link alone is printed.
 */
import QRCode from 'qrcode';

export async function terminalQr(url: string, isTty: boolean | undefined): Promise<string | undefined> {
  if (!isTty) return undefined;
  return (await QRCode.toString(url, { type: 'terminal', small: true })).replace(/^/gm, '  ');
}
