/**
 * Guessing the PIN from a photo of the QR code: each wrong PIN says how many attempts are left, the
 * fifth locks the keypad with a live countdown, and while the table is locked even the right PIN
 * (typed after a reload, which forgets the app's own countdown) is refused with the countdown again.
 */
import { describe, expect, it } from 'vitest';
import { shot } from './support/browser.ts';
import { DinerPage } from './support/diner.ts';
import { useE2eWorld } from './support/harness.ts';

const world = useE2eWorld();

/** A 4-digit PIN that is not `pin`. */
const wrongPinFor = (pin: string): string => String((Number(pin) + 1) % 10_000).padStart(4, '0');

describe('PIN entry', () => {
  it('five wrong PINs lock the keypad with a countdown; the right PIN is refused while locked', async () => {
    const table = await world.t.freshTable('T-6', 'FAMILY');
    const phone = await world.device('phone');
    const diner = new DinerPage(phone.page);
    const { page } = phone;
    await diner.open(table.tableId);

    const wrong = wrongPinFor(table.pin);
    const keypad = page.getByRole('button', { name: /^Digit \d$/ });
    for (const left of [4, 3, 2]) {
      await diner.typePin(wrong);
      await page.getByText(`Wrong PIN. ${left} attempts left.`).waitFor();
      await diner.pinInput.and(page.locator(':enabled')).waitFor();
    }
    await diner.typePin(wrong);
    await page.getByText('Wrong PIN. 1 attempt left.').waitFor();
    await diner.typePin(wrong);

    // Locked: the countdown runs, the input and all ten digit keys are disabled.
    const countdown = page.getByText(/^Too many wrong PINs\. Try again in \d+:\d{2}\.$/);
    await countdown.waitFor();
    await expect.poll(() => diner.pinInput.isDisabled()).toBe(true);
    expect(await keypad.count()).toBe(10);
    for (const key of await keypad.all()) expect(await key.isDisabled()).toBe(true);
    const first = await countdown.textContent();
    await expect.poll(() => countdown.textContent(), { timeout: 5_000 }).not.toBe(first);
    await shot(page, 'diner-pin-locked');

    // A reload forgets the app's countdown, not the server's lockout: the right PIN is refused too.
    await page.reload();
    await diner.pinInput.waitFor();
    await diner.typePin(table.pin);
    await countdown.waitFor();
    expect(await diner.pinInput.isDisabled()).toBe(true);
    const me = await page.evaluate(async () => (await fetch('/api/sessions/me')).status);
    expect(me).toBe(401);
  });
});
