/**
 * What a table's QR link opens onto (issue 19, item 9): after the table's visit has ended, the old
 * link says so and to ask the waiter for a new one (not "not open yet"); an unknown or retired table
 * code gets its own page instead of the PIN keypad. The route behind it answers the same through the API.
 */
import { ObjectId } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { shot } from './support/browser.ts';
import { DinerPage } from './support/diner.ts';
import { useE2eWorld } from './support/harness.ts';

const world = useE2eWorld();

describe('a table’s QR link', () => {
  it('after the visit ended: says so and to ask the waiter, and a new PIN still works', async () => {
    const { t } = world;
    const table = await t.freshTable('T-9', 'FAMILY');
    expect((await t.api.get(`/api/tables/${table.tableId}`)).body).toEqual({ table: { number: 'T-9', floor: expect.any(String) }, state: 'open' });
    await t.closeTable(table.sessionId, 'ADMIN');
    expect((await t.api.get(`/api/tables/${table.tableId}`)).body).toMatchObject({ state: 'ended' });

    const phone = await world.device('phone');
    await phone.page.goto(`/?table=${table.tableId}`);
    const ended = phone.page.getByTestId('visit-ended');
    await ended.waitFor();
    expect(await ended.innerText()).toContain('This table’s visit has ended. Ask the waiter to start a new one.');
    expect(await phone.page.locator('#pin-input').count()).toBe(0);
    await shot(phone.page, 'diner-visit-ended');

    // The waiter starts a new visit: the guest taps on and joins with its PIN.
    const reopened = await t.openTable('T-9', 'FAMILY');
    await phone.page.getByRole('button', { name: 'I have a new PIN' }).click();
    const diner = new DinerPage(phone.page);
    await diner.pinInput.waitFor();
    await diner.join(reopened.pin);
  });

  it('an unknown table code: its own page, no PIN keypad', async () => {
    const { t } = world;
    const unknown = new ObjectId().toHexString();
    expect((await t.api.get(`/api/tables/${unknown}`)).status).toBe(404);
    expect((await t.api.get('/api/tables/not-an-id')).status).toBe(400);
    const phone = await world.device('phone');
    await phone.page.goto(`/?table=${unknown}`);
    await phone.page.getByTestId('unknown-table').waitFor();
    expect(await phone.page.getByRole('heading', { level: 1 }).innerText()).toBe('We don’t know this table');
    expect(await phone.page.locator('#pin-input').count()).toBe(0);
    await shot(phone.page, 'diner-unknown-table');
  });
});
