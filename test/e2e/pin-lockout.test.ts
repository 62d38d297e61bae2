/**
 * Guessing the PIN from a photo of the QR code: each wrong PIN says how many attempts are left, the
 * fifth locks the table with a live countdown that says a waiter can give a new PIN, and while the
 * table is locked even the right PIN (typed after a reload, which forgets the app's own countdown)
 * is refused with the countdown again. The waiter's new PIN lets the guest in at once.
 */
import { describe, expect, it } from 'vitest';
import { shot } from './support/browser.ts';
import { DinerPage } from './support/diner.ts';
import { useE2eWorld } from './support/harness.ts';

const world = useE2eWorld();

/** A 4-digit PIN that is not `pin`. */
const wrongPinFor = (pin: string): string => String((Number(pin) + 1) % 10_000).padStart(4, '0');

describe('PIN entry', () => {
  it('five wrong PINs lock the table with a countdown; the right PIN is refused while locked; a new PIN lets the guest in', async () => {
    const table = await world.t.freshTable('T-6', 'FAMILY');
    const phone = await world.device('phone');
    const diner = new DinerPage(phone.page);
    const { page } = phone;
    await diner.open(table.code);

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

    // Locked: the countdown runs and says a waiter can give a new PIN; the keypad stays usable for it.
    const countdown = page.getByText(/^Too many wrong PINs\. Ask your waiter for a new PIN, or try again in \d+:\d{2}\.$/);
    await countdown.waitFor();
    expect(await keypad.count()).toBe(10);
    for (const key of await keypad.all()) expect(await key.isDisabled()).toBe(false);
    const first = await countdown.textContent();
    await expect.poll(() => countdown.textContent(), { timeout: 5_000 }).not.toBe(first);
    await shot(page, 'diner-pin-locked');

    // A reload forgets the app's countdown, not the server's lockout: the right PIN is refused too.
    await page.reload();
    await diner.pinInput.waitFor();
    await diner.typePin(table.pin);
    await countdown.waitFor();
    const me = await page.evaluate(async () => (await fetch('/api/sessions/me')).status);
    expect(me).toBe(401);

    // The waiter gives a new PIN (one tap on the floor); the guest types it and is in.
    const renewed = await world.t.api.post(`/api/staff/sessions/${table.sessionId}/pin`, {}, { token: (await world.t.loginAs('WAITER')).token });
    expect(renewed.status).toBe(200);
    await diner.typePin(renewed.body.pin);
    await expect.poll(() => page.evaluate(async () => (await fetch('/api/sessions/me')).status), { timeout: 10_000 }).toBe(200);
  });
});
