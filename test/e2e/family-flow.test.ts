/**
 * The whole service of a FAMILY table in real pages: the waiter opens the table on the staff console
 * and reads out the PIN, two phones join
 * with the PIN and build one cart together (each sees the other's lines live), one places the
 * order, the kitchen tablet shows the ticket without prices and without a reload, the kitchen
 * marks the dishes READY, both phones see it, the bill splits by phone and by a shared dish, a guest
 * asks for the bill (the other phone and the console are told), the
 * waiter records the payment on
 * the console and the bill says paid on the phones;
 * closing the table thanks both phones.
 */
import { describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../support/stack.ts';
import { axeViolations, shot } from './support/browser.ts';
import { DinerPage } from './support/diner.ts';
import { useE2eWorld } from './support/harness.ts';
import { KitchenPage } from './support/kitchen.ts';
import { StaffPage } from './support/staff.ts';

const world = useE2eWorld();

/** Money as the apps show it (₹ and digits) — none of it may appear on a kitchen ticket. */
const PRICE_TEXT = /₹|\bRs\.?\s?\d|\bINR\b|\d+\.\d{2}\b/;

/** In the page, before it loads: every "Offline"/"Disconnected" state the staff console or the kitchen board renders, into `window.downStates`. */
function recordDownStates(): void {
  const seen: string[] = [];
  (window as unknown as { downStates: string[] }).downStates = seen;
  const down = '[data-testid="live-state"].is-down, [data-testid="connection-state"]:not(.is-live):not(.is-connecting), [data-testid="disconnected-banner"], .k-grid[data-stale]';
  new MutationObserver(() => {
    for (const el of document.querySelectorAll(down)) {
      const text = `${el.getAttribute('data-testid') ?? el.className}: ${el.textContent?.trim().slice(0, 40)}`;
      if (!seen.includes(text)) seen.push(text);
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
}

describe('a FAMILY table from the waiter to the paid bill', () => {
  it('two phones share one cart live, the kitchen cooks the order, the bill ends paid', async () => {
    const { t } = world;
    const waiterToken = (await t.loginAs('WAITER')).token;
    const waiterTablet = await world.device('tablet');
    const asha = await world.device('phone');
    const ravi = await world.device('phone');
    const tablet = await world.device('tablet');
    const staff = new StaffPage(waiterTablet.page);
    const a = new DinerPage(asha.page);
    const b = new DinerPage(ravi.page);
    const kitchen = new KitchenPage(tablet.page);
    // Signing in is not a lost connection: from the first frame, record any "Offline" or
    // "Disconnected" the console or the board shows (they must say "Connecting…" until the socket opens).
    for (const device of [waiterTablet, tablet]) await device.context.addInitScript(recordDownStates);

    // The waiter opens T-4 for a family on the staff console and reads out the PIN.
    await staff.open('waiter', TEST_PASSWORD);
    const opened = await staff.openTable('T-4', 'FAMILY');
    const tableId = await t.tableId('T-4');
    const table = { tableId, code: await t.tableCode(tableId), pin: opened.pin, sessionId: opened.sessionId };
    await shot(waiterTablet.page, 'staff-floor-pin');

    // The kitchen tablet is on the board before anything is ordered: the ticket must arrive live.
    await kitchen.open('kitchen', TEST_PASSWORD);

    // Both guests scan the QR code and join with the PIN; Asha gives her name, Ravi skips.
    await Promise.all([a.open(table.code), b.open(table.code)]);
    await a.join(table.pin, { name: 'Asha', phone: '9876543210' });
    await b.join(table.pin);
    await shot(asha.page, 'diner-menu');

    // Each adds a dish; each sees the other's line appear in the table cart without reloading.
    await a.addDish('Paneer Tikka', { choose: ['Full'] });
    await b.addDish('Masala Chai', { quantity: 2 });
    await a.tab('Cart');
    await b.tab('Cart');
    // Ravi gave no name: one name for his phone in all three apps, "Guest" and a code from his phone (no stray hyphen).
    const raviAdded = a.cartLine('Masala Chai').getByText(/^Added by Guest [A-Z0-9]{4}$/);
    await raviAdded.waitFor();
    const raviName = (await raviAdded.innerText()).replace(/^Added by /, '');
    await a.cartLine('Paneer Tikka').getByText('Added by you').waitFor();
    await b.cartLine('Paneer Tikka').getByText('Added by Asha').waitFor();
    await b.cartLine('Masala Chai').getByText('Added by you').waitFor();
    // Paneer Tikka full (170 + 110) + 2 × Masala Chai (80) = ₹440, 5% tax ₹22: ₹462 on both phones.
    await a.placeButton.filter({ hasText: '₹462' }).waitFor();
    await b.placeButton.filter({ hasText: '₹462' }).waitFor();
    await shot(ravi.page, 'diner-cart-family', { hideToasts: true });

    // Ravi places the order with one tap; both phones show it.
    await b.placeButton.click();
    await b.orderCards.first().waitFor();
    const orderNumber = (await b.orderCards.first().getByRole('heading').textContent())!.replace(/^Order\s+/, '');
    await asha.page.getByText(`Your table placed order ${orderNumber}.`).waitFor();
    const { body: staffOrders } = await t.api.get<{ orders: { orderId: string; orderNumber: string; sessionId: string }[] }>(
      `/api/staff/orders?sessionId=${table.sessionId}`,
      { token: waiterToken },
    );
    expect(staffOrders.orders.map((o) => o.orderNumber)).toEqual([orderNumber]);
    const orderId = staffOrders.orders[0].orderId;

    // The kitchen board shows the ticket (no reload) with both dishes and no price anywhere on it.
    const ticket = kitchen.ticket(orderId);
    await ticket.waitFor();
    const ticketText = await ticket.innerText();
    expect(ticketText).toContain('Paneer Tikka');
    expect(ticketText).toContain('Masala Chai');
    expect(ticketText).toContain('Full');
    expect(ticketText).not.toMatch(PRICE_TEXT);
    expect(await tablet.page.locator('body').innerText()).not.toMatch(PRICE_TEXT);
    await shot(tablet.page, 'kitchen-board');

    // The kitchen cooks both dishes to READY; both phones see READY live.
    await a.tab('Orders');
    for (const index of [0, 1]) await kitchen.advanceTo(orderId, index, 'READY');
    for (const guest of [a, b]) {
      const card = guest.orderCard(orderNumber);
      await expect.poll(() => guest.itemStatus(card, 'Paneer Tikka').textContent()).toBe('Ready');
      await expect.poll(() => guest.itemStatus(card, 'Masala Chai').textContent()).toBe('Ready');
    }
    await shot(asha.page, 'diner-order-status');

    // The bill before payment: the total due and a UPI QR code to pay it.
    await a.tab('Bill');
    await asha.page.getByRole('heading', { name: 'Bill' }).waitFor();
    await asha.page.getByRole('link', { name: 'Pay ₹462.00 with UPI' }).waitFor();
    await shot(asha.page, 'diner-bill');
    // Split by phone: Asha's Paneer Tikka (₹280 + 5%) is hers, Ravi's two chais (₹160 + 5%) his, each with a UPI link.
    await asha.page.getByText('By phone').click();
    const shares = asha.page.locator('ul.shares > li');
    await shares.nth(1).waitFor();
    expect(await shares.allInnerTexts()).toEqual([expect.stringMatching(/^You\s+₹294\.00/), expect.stringMatching(new RegExp(`^${raviName}\\s+₹168\\.00`))]);
    await shares.first().getByRole('link', { name: 'Pay ₹294.00 with UPI' }).waitFor();
    await shot(asha.page, 'diner-bill-split');
    // On Ravi's phone the same split names Asha, who identified at the table (though Ravi placed the order).
    await b.tab('Bill');
    await ravi.page.getByText('By phone').click();
    const raviShares = ravi.page.locator('ul.shares > li');
    await raviShares.nth(1).waitFor();
    expect(await raviShares.allInnerTexts()).toEqual([expect.stringMatching(/^You\s+₹168\.00/), expect.stringMatching(/^Asha\s+₹294\.00/)]);
    // By dish: Ravi shares his two chais (₹160) with Asha. Each phone's food is then Asha ₹280 + ₹80,
    // Ravi ₹80, and the ₹462 due follows in proportion: Asha ₹378, Ravi ₹84. Unticking Asha gives the chais back to Ravi.
    await ravi.page.getByText('By dish').click();
    await ravi.page.getByLabel('Dish to share').selectOption({ label: '2× Masala Chai · ₹160.00' });
    const sharedBy = ravi.page.getByRole('group', { name: 'Shared by' });
    for (const who of ['You', 'Asha']) expect(await sharedBy.getByRole('checkbox', { name: who }).isChecked()).toBe(true);
    await raviShares.filter({ hasText: '₹84.00' }).waitFor();
    expect(await raviShares.allInnerTexts()).toEqual([expect.stringMatching(/^You\s+₹84\.00/), expect.stringMatching(/^Asha\s+₹378\.00/)]);
    expect((await axeViolations(ravi.page)).map((v) => `${v.id}: ${v.nodes.join(', ')}`)).toEqual([]);
    await sharedBy.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot(ravi.page, 'diner-bill-split-dish', { hideToasts: true });
    await sharedBy.getByRole('checkbox', { name: 'Asha' }).uncheck();
    await raviShares.filter({ hasText: '₹168.00' }).waitFor();
    expect(await raviShares.allInnerTexts()).toEqual([expect.stringMatching(/^You\s+₹168\.00/), expect.stringMatching(/^Asha\s+₹294\.00/)]);
    await asha.page.getByText('Whole bill').click();

    // Asha asks for the bill, paying by UPI: Ravi's phone says so and the waiter's console is told at once.
    await asha.page.getByRole('group', { name: 'Paying by (optional)' }).getByText('UPI').click();
    await asha.page.getByRole('button', { name: 'Ask for the bill' }).scrollIntoViewIfNeeded();
    await shot(asha.page, 'diner-bill-ask', { hideToasts: true });
    await asha.page.getByRole('button', { name: 'Ask for the bill' }).click();
    await ravi.page.getByTestId('bill-requested').filter({ hasText: '(UPI)' }).waitFor();
    await ravi.page.getByTestId('bill-requested').evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await shot(ravi.page, 'diner-bill-requested');
    await staff.page.getByText('Table T-4 asks for the bill (UPI).').waitFor();
    await staff.page.locator('[data-testid="table-T-4"][data-state="awaitingPayment"] [data-testid="bill-requested"]').waitFor({ state: 'attached' });
    // The open panel of T-4 says it too, with who asked.
    await staff.panel.getByTestId('panel-bill-requested').filter({ hasText: 'UPI · Asha' }).waitFor();
    // The console names Ravi's phone as the cart and the split did.
    expect(await staff.panel.locator(`[data-order-number="${orderNumber}"] .s-order-when`).innerText()).toContain(raviName);
    await shot(waiterTablet.page, 'staff-bill-requested');

    // The waiter records the payment on the console; the bill (already open on Asha's phone) turns paid live.
    await staff.panel.getByTestId('bill-due').filter({ hasText: '₹462.00' }).waitFor();
    await shot(waiterTablet.page, 'staff-table-bill');
    await staff.payWholeBill('CASH');
    await asha.page.getByText('All paid. Thank you!').waitFor();
    await b.tab('Bill');
    await ravi.page.getByText('All paid. Thank you!').waitFor();
    await shot(asha.page, 'diner-bill-paid');
    // The payment answered the request: the floor no longer shows it.
    await staff.page.locator('[data-testid="table-T-4"] [data-testid="bill-requested"]').waitFor({ state: 'detached' });
    await staff.panel.getByTestId('panel-bill-requested').waitFor({ state: 'detached' });

    // The waiter closes the table: both phones say thank you, and T-4 is free again.
    await staff.panel.getByTestId('close-session').click();
    await staff.page.getByTestId('confirm-action').click();
    await staff.page.locator('[data-testid="table-T-4"][data-state="free"]').waitFor();
    for (const page of [asha.page, ravi.page]) await page.getByRole('heading', { name: 'Thank you!' }).waitFor();

    for (const device of [waiterTablet, asha, ravi, tablet]) expect(device.errors).toEqual([]);
    for (const device of [waiterTablet, tablet]) expect(await device.page.evaluate(() => (window as unknown as { downStates: string[] }).downStates)).toEqual([]);
  });
});
