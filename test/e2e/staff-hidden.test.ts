/**
 * A staff console left in a back tab (or a waiter's phone in a pocket) closes its socket after a
 * minute hidden (HEARTBEATS.staff, web/shared/ws.ts), so it costs nothing while nobody sees it; when
 * it is visible again it reconnects, reloads the floor (catching up on what it did not hear) and
 * is live again. The page's clock is Playwright's, so the minute passes at once.
 */
import { describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../support/stack.ts';
import { useE2eWorld } from './support/harness.ts';
import { StaffPage } from './support/staff.ts';

const world = useE2eWorld();

describe('a staff console hidden for a minute', () => {
  it('closes its socket, then reconnects, catches up and is live again when visible', async () => {
    const { t } = world;
    const device = await world.device('desktop');
    const page = device.page;
    const sockets = { opened: 0, closedByPage: 0 };
    await page.routeWebSocket(/\/ws/, (ws) => {
      sockets.opened++;
      const server = ws.connectToServer();
      ws.onClose(() => {
        sockets.closedByPage++;
        void server.close();
      });
      server.onClose(() => void ws.close());
    });
    const floorLoads: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/staff/tables') floorLoads.push(request.url());
    });
    await page.clock.install();
    const staff = new StaffPage(page);
    await staff.open('waiter', TEST_PASSWORD);
    await expect.poll(() => sockets.opened, { timeout: 10_000 }).toBe(1);
    const setVisibility = (state: 'visible' | 'hidden') =>
      page.evaluate((value) => {
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => value });
        document.dispatchEvent(new Event('visibilitychange'));
      }, state);

    // Hidden a minute: the socket closes, and nothing reopens it while hidden.
    await setVisibility('hidden');
    await page.clock.fastForward(59_000);
    expect(sockets.closedByPage).toBe(0);
    await page.clock.fastForward(2_000);
    await expect.poll(() => sockets.closedByPage, { timeout: 10_000 }).toBe(1);
    await page.clock.fastForward(5 * 60_000);
    expect(sockets.opened).toBe(1);

    // A table opens meanwhile: the closed console hears nothing of it.
    const missed = await t.freshTable('T-9', 'FAMILY');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await page.locator(`[data-testid="table-T-9"][data-session-id="${missed.sessionId}"]`).count()).toBe(0);

    // Visible again: a new socket, the floor reloaded with what it missed.
    const loadsBefore = floorLoads.length;
    await setVisibility('visible');
    await expect.poll(() => sockets.opened, { timeout: 10_000 }).toBe(2);
    await page.locator(`[data-testid="table-T-9"][data-session-id="${missed.sessionId}"]`).waitFor({ timeout: 10_000 });
    expect(floorLoads.length).toBeGreaterThan(loadsBefore);

    // Live again: the next change arrives as a push.
    const live = await t.freshTable('T-8', 'FAMILY');
    await page.locator(`[data-testid="table-T-8"][data-session-id="${live.sessionId}"]`).waitFor({ timeout: 10_000 });
    expect(device.errors).toEqual([]);
  });
});
