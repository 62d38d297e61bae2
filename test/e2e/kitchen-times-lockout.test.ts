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

  it('staff see wrong PINs, then the lockout with "New PIN", on the floor card and the panel; New PIN lifts it', async () => {
    const { t } = world;
    const table = await t.freshTable('T-8', 'FAMILY');
    const guess = (n: number) => t.api.post('/api/sessions/join', { table: table.code, pin: wrongPin(table.pin, n) });
    for (let n = 1; n <= 3; n++) expect((await guess(n)).status).toBe(401);
    const { token } = await t.loginAs('WAITER');
    const floor = await t.api.get<{ tables: { number: string; session: { lockout?: unknown } | null }[] }>('/api/staff/tables', { token });
    expect(floor.body.tables.find((each) => each.number === 'T-8')?.session?.lockout).toEqual({ attempts: 3, limit: 5 });

    const desk = await world.device('desktop');
    const staff = new StaffPage(desk.page);
    await staff.open('waiter', TEST_PASSWORD);
    const card = desk.page.getByTestId('lockout-T-8').first();
    await desk.page.getByTestId('table-T-8').waitFor();
    await card.getByText('3 of 5 wrong PINs').waitFor();

    for (let n = 4; n <= 5; n++) await guess(n);
    await desk.page.reload();
    const locked = desk.page.getByTestId('lockout-T-8').first();
    await locked.getByText(/^PIN locked until \d{1,2}:\d{2}.*\(5 wrong PINs\)$/).waitFor();
    await locked.getByText('Guests cannot join until then: give them a new PIN.').waitFor();

    // The table's panel shows it too; "New PIN" lifts it and the new PIN lets a guest in.
    await desk.page.getByTestId('table-T-8').click();
    await desk.page.getByText('The PIN is hidden', { exact: false }).waitFor();
    expect(await desk.page.getByTestId('lockout-T-8').count()).toBe(2);
    await shot(desk.page, 'staff-floor-pin-lockout');
    await locked.getByTestId('lockout-new-pin-T-8').click();
    await desk.page.getByTestId('pin-display').waitFor();
    await desk.page.getByTestId('lockout-T-8').first().waitFor({ state: 'detached' });
    const newPin = (await desk.page.getByTestId('pin-display').innerText()).replace(/\D/g, '');
    expect(newPin).not.toBe(table.pin);
    expect((await t.api.post('/api/sessions/join', { table: table.code, pin: newPin })).status).toBe(200);
    expect(desk.errors).toEqual([]);
  });
});
