import { describe, expect, it } from 'vitest';
import { terminalQr } from '../../local/terminal-qr.ts';

describe("npm start's QR code", () => {
  it('is drawn on a terminal and left out when the output is piped (a file, a log)', async () => {
    const drawn = await terminalQr('http://127.0.0.1:3000/?table=6b01', true);
    expect(drawn).toMatch(/[▀▄█]/);
    expect(drawn!.split('\n').every((line) => line === '' || line.startsWith('  '))).toBe(true);
    expect(await terminalQr('http://127.0.0.1:3000/?table=6b01', false)).toBeUndefined();
    expect(await terminalQr('http://127.0.0.1:3000/?table=6b01', undefined)).toBeUndefined();
  });
});
