/**
 * Two first-evening items the other browser tests did not show on screen (issue 19):
 * - item 3: the kitchen board shows the average ticket time per station over the last hour, from
 *   the times each dish records (placed → ready);
 * - item 11: a table's PIN lockout is visible to staff: wrong PINs on the floor card, then "locked
 *   until" with a one-tap "New PIN", on the card and in the table's panel; the new PIN lifts it.
 */
import { describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../support/stack.ts';
import { shot } from './support/browser.ts';
import { useE2eWorld } from './support/harness.ts';
import { KitchenPage } from './support/kitchen.ts';
import { placeOrderAt, setItemStatus } from './support/orders.ts';
import { StaffPage } from './support/staff.ts';

const world = useE2eWorld();

const wrongPin = (pin: string, n: number) => String((Number(pin) + n) % 10_000).padStart(4, '0');

describe('kitchen ticket times and the PIN lockout, on screen', () => {
  it('the board shows the average ticket time of a station once a ticket there is ready', async () => {
    const { t } = world;
    const tablet = await world.device('tablet');
    const kitchen = new KitchenPage(tablet.page);
    await kitchen.open('kitchen', TEST_PASSWORD);
    // The tablet's board shows "All day" (with the ticket times) beside the tickets.
    const times = tablet.page.getByTestId('all-day').getByTestId('ticket-times');
    await times.getByText('No ticket was ready in the last hour.').waitFor();

    const orderId = await placeOrderAt(t, 'T-3', [{ name: 'Vegetable Samosa' }]);
    await setItemStatus(t, orderId, 0, 'READY');
    await tablet.page.reload();
    const fryer = tablet.page.getByTestId('ticket-time-FRYER');
    await fryer.waitFor();
    expect(await fryer.innerText()).toMatch(/\d+:\d{2}[\s\S]*FRYER[\s\S]*Average over tickets: 1/);
    await shot(tablet.page, 'kitchen-ticket-times');
    expect(tablet.errors).toEqual([]);
  });

  it('staff see wrong PINs, then the lockout with "New PIN", on the floor card (nothing else on the floor moves) and the panel; New PIN lifts it', async () => {
    const { t } = world;
    const table = await t.freshTable('T-4', 'FAMILY');
    const guess = (n: number) => t.api.post('/api/sessions/join', { table: table.code, pin: wrongPin(table.pin, n) });

    // The floor is already on screen when the wrong PINs come: the warning that appears on the card
    // moves nothing else on the floor (a waiter about to tap a table in the row below would hit
    // another one). Shifts inside the floor only: the header's live dot may blink on the resync.
    const desk = await world.device('desktop');
    await desk.context.addInitScript(() => {
      const shifts: { value: number; sources: string[] }[] = [];
      (window as unknown as { __shifts: typeof shifts }).__shifts = shifts;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries() as (PerformanceEntry & { value: number; sources?: { node?: Node | null }[] })[]) {
          const nodes = (entry.sources ?? []).map((source) => source.node as Element | null).filter((node) => node?.closest?.('.s-floor'));
          if (nodes.length > 0) shifts.push({ value: entry.value, sources: nodes.map((node) => node!.className) });
        }
      }).observe({ type: 'layout-shift', buffered: true });
    });
    const staff = new StaffPage(desk.page);
    await staff.open('waiter', TEST_PASSWORD);
    await desk.page.getByTestId('table-T-4').waitFor();
    const shifts = () => desk.page.evaluate(() => (window as unknown as { __shifts: unknown[] }).__shifts.splice(0));
    await shifts();

    for (let n = 1; n <= 3; n++) expect((await guess(n)).status).toBe(401);
    const { token } = await t.loginAs('WAITER');
    const floor = await t.api.get<{ tables: { number: string; session: { lockout?: unknown } | null }[] }>('/api/staff/tables', { token });
    expect(floor.body.tables.find((each) => each.number === 'T-4')?.session?.lockout).toEqual({ attempts: 3, limit: 5 });

    // No push for a wrong PIN: the floor's next load shows it (here the one a tablet does when it comes back online).
    await desk.page.evaluate(() => window.dispatchEvent(new Event('online')));
    const card = desk.page.getByTestId('lockout-T-4').first();
    await card.getByText('3 of 5 wrong PINs').waitFor();
    await shot(desk.page, 'staff-floor-pin-warning');
    expect(await shifts()).toEqual([]);
    // It lies on its own card, also when the row is taller (T-3 beside it, with the order from the test above).
    const [warningBox, warnedCardBox] = await Promise.all([card.boundingBox(), desk.page.getByTestId('table-T-4').boundingBox()]);
    expect(warningBox!.y + warningBox!.height).toBeLessThanOrEqual(warnedCardBox!.y + warnedCardBox!.height);

    for (let n = 4; n <= 5; n++) await guess(n);
    await desk.page.reload();
    const locked = desk.page.getByTestId('lockout-T-4').first();
    await locked.getByText(/^PIN locked until \d{1,2}:\d{2}.*\(5 wrong PINs\)$/).waitFor();
    // On the card, "New PIN" lies whole inside it, under the table's number.
    const [cardBox, buttonBox, numberBox] = await Promise.all([
      desk.page.getByTestId('table-T-4').boundingBox(),
      locked.getByTestId('lockout-new-pin-T-4').boundingBox(),
      desk.page.getByTestId('table-T-4').locator('.s-table-number').boundingBox(),
    ]);
    expect(buttonBox!.y + buttonBox!.height).toBeLessThanOrEqual(cardBox!.y + cardBox!.height);
    expect(buttonBox!.y).toBeGreaterThanOrEqual(numberBox!.y + numberBox!.height);

    // The table's panel shows it too, with what to do; "New PIN" lifts it and the new PIN lets a guest in.
    await desk.page.getByTestId('table-T-4').click();
    await desk.page.getByText('The PIN is hidden', { exact: false }).waitFor();
    expect(await desk.page.getByTestId('lockout-T-4').count()).toBe(2);
    await desk.page.getByTestId('lockout-T-4').last().getByText('Guests cannot join until then: give them a new PIN.').waitFor();
    await shot(desk.page, 'staff-floor-pin-lockout');
    await locked.getByTestId('lockout-new-pin-T-4').click();
    await desk.page.getByTestId('pin-display').waitFor();
    await desk.page.getByTestId('lockout-T-4').first().waitFor({ state: 'detached' });
    const newPin = (await desk.page.getByTestId('pin-display').innerText()).replace(/\D/g, '');
    expect(newPin).not.toBe(table.pin);
    expect((await t.api.post('/api/sessions/join', { table: table.code, pin: newPin })).status).toBe(200);
    expect(desk.errors).toEqual([]);
  });
});
