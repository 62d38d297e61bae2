/**
 * The staff console's Team section: an admin adds a waiter, who signs in on their own tablet; the
 * admin disables them and the waiter's tablet is back at the sign-in screen at once (the server
 * closed its socket and refuses its token); enabled again, the waiter signs in again.
 */
import { describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../support/stack.ts';
import { axeViolations, shot } from './support/browser.ts';
import { useE2eWorld } from './support/harness.ts';
import { KitchenPage, signInStaff } from './support/kitchen.ts';
import { StaffPage } from './support/staff.ts';

const world = useE2eWorld();

describe('team', () => {
  it('an admin adds a waiter, disables them (their tablet signs out at once) and enables them again', async () => {
    const office = await world.device('desktop');
    const floor = await world.device('tablet');
    const admin = new StaffPage(office.page);
    const waiter = new StaffPage(floor.page);

    await admin.open('admin', TEST_PASSWORD);
    await office.page.getByTestId('nav-team').click();
    const row = (username: string) => office.page.locator(`[data-testid="team-user"][data-username="${username}"]`);
    await row('waiter').waitFor();

    // Add a user: the form checks the server's rules before sending.
    await office.page.getByTestId('add-user').click();
    await office.page.getByTestId('new-username').fill('ravi');
    await office.page.getByTestId('new-display-name').fill('Ravi Kumar');
    await office.page.getByTestId('new-role').selectOption('WAITER');
    await office.page.getByTestId('new-password').fill('too-short');
    await office.page.getByTestId('save-user').click();
    await office.page.getByText('Use at least 12 characters.').waitFor();
    await office.page.getByTestId('new-password').fill('ravi-password-2026');
    await office.page.getByTestId('save-user').click();
    await row('ravi').getByText('Ravi Kumar', { exact: true }).waitFor();
    expect(await row('ravi').getByTestId('user-state').textContent()).toBe('Enabled');
    // Own account: no disable and no role change.
    expect(await row('admin').getByTestId('disable-user').count()).toBe(0);
    expect(await row('admin').getByTestId('user-role').isDisabled()).toBe(true);
    await shot(office.page, 'staff-team');
    expect(await axeViolations(office.page)).toEqual([]);
    await row('waiter').getByTestId('reset-password').click();
    await office.page.getByTestId('reset-password-form').waitFor();
    expect(await axeViolations(office.page)).toEqual([]);
    await office.page.getByRole('button', { name: 'Cancel' }).click();

    // Ravi signs in on the floor tablet.
    await waiter.open('ravi', 'ravi-password-2026');

    // Disabled: a confirmation first, then Ravi's tablet is back at sign-in without touching it.
    await row('ravi').getByTestId('disable-user').click();
    await office.page.getByTestId('confirm-dialog').getByText('signed out on every device at once').waitFor();
    await office.page.getByTestId('confirm-action').click();
    await expect.poll(() => row('ravi').getByTestId('user-state').textContent()).toBe('Disabled');
    await floor.page.getByLabel('Username').waitFor({ timeout: 10_000 });
    await signInStaff(floor.page, 'ravi', 'ravi-password-2026');
    await floor.page.getByText('Wrong username or password').waitFor();

    // Enabled again: Ravi signs in.
    await row('ravi').getByTestId('enable-user').click();
    await expect.poll(() => row('ravi').getByTestId('user-state').textContent()).toBe('Enabled');
    await signInStaff(floor.page, 'ravi', 'ravi-password-2026');
    await waiter.table('T-1').waitFor();

    expect(office.errors).toEqual([]);
    // Ravi's tablet saw its refused token: the 401s, and the browser's note of the refused WebSocket handshake.
    expect(floor.errors.filter((e) => !/WebSocket|HTTP 401 POST .*\/api\/staff\/login$/.test(e))).toEqual([]);
  });

  it('sign out everywhere sends a kitchen tablet back to sign-in at once', async () => {
    const admin = (await world.t.loginAs('ADMIN')).token;
    const created = await world.t.api.post('/api/staff/users', { username: 'pass-2', role: 'KITCHEN', password: 'kitchen-password-2026' }, { token: admin });
    expect(created.status).toBe(201);
    const tablet = await world.device('desktop');
    // The board's first load ends with the ticket-time figures (GET /kitchen/all-day): sign out after
    // it, so the test's 401 is the one the sign-out causes and not a load still in flight.
    const figuresLoaded = tablet.page.waitForResponse((response) => new URL(response.url()).pathname === '/api/kitchen/all-day');
    await new KitchenPage(tablet.page).open('pass-2', 'kitchen-password-2026');
    expect((await figuresLoaded).status()).toBe(200);

    const signedOut = await world.t.api.post(`/api/staff/users/${created.body.userId}/sign-out`, undefined, { token: admin });
    expect(signedOut.status).toBe(204);
    await tablet.page.getByLabel('Username').waitFor({ timeout: 10_000 });
    expect(tablet.errors.filter((e) => !/WebSocket/.test(e))).toEqual([]);
  });
});
