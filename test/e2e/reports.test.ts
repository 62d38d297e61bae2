/**
 * The staff console's Reports section: a manager sees the day's figures, the charts with their
 * tables (the kitchen's times per station among them, with the slowest dishes), the CSV links, and closes the day; no accessibility violations; the section is not offered
 * to a waiter.
 */
import { ObjectId } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../support/stack.ts';
import { axeViolations, shot } from './support/browser.ts';
import { useE2eWorld } from './support/harness.ts';
import { placeOrderAt, setItemStatus } from './support/orders.ts';
import { StaffPage } from './support/staff.ts';

const world = useE2eWorld();

describe('reports', () => {
  it('a manager reads the day in figures and charts, with tables, and closes it', async () => {
    const first = await placeOrderAt(world.t, 'T-4', [{ name: 'Masala Chai', quantity: 3 }, { name: 'Dal Makhani' }]);
    await setItemStatus(world.t, first, 1, 'SERVED'); // the Dal Makhani (GRILL): placed → ready → served
    // As if the dal had been placed 14 minutes before it was ready (the test cannot wait that long).
    const orders = world.t.collection('digital_menu_customer_orders');
    const placed = await orders.findOne({ _id: new ObjectId(first) });
    await orders.updateOne({ _id: new ObjectId(first) }, { $set: { 'items.1.timings.placedAt': new Date(placed!.items[1].timings.readyAt.getTime() - 14 * 60_000) } });
    await placeOrderAt(world.t, 'T-5', [{ name: 'Gulab Jamun', quantity: 2 }]);
    const manager = (await world.t.loginAs('MANAGER')).token;
    expect((await world.t.api.post(`/api/staff/orders/${first}/payment`, { method: 'CASH', status: 'paid' }, { token: manager })).status).toBe(200);
    const office = await world.device('desktop');
    await new StaffPage(office.page).open('manager', TEST_PASSWORD);
    await office.page.getByTestId('nav-reports').click();
    const figures = office.page.getByTestId('report-figures');
    await figures.getByText('Orders', { exact: true }).waitFor();
    expect(await figures.textContent()).toContain('Tables served2');
    // A payment method by its name, as the pay buttons call it, never its code ("Paid by CASH").
    await figures.getByText('Paid by Cash', { exact: true }).waitFor();
    // Money by the hour is a line over the day's 24 hours.
    await office.page.getByTestId('chart-hours').locator('svg polyline').waitFor();
    expect(await office.page.getByTestId('chart-hours').locator('svg circle').count()).toBe(24);
    expect(await office.page.getByTestId('chart-dishes').locator('table th').allTextContents()).toEqual(expect.arrayContaining(['Masala Chai', 'Dal Makhani', 'Gulab Jamun']));
    expect(await office.page.getByTestId('csv-orders').getAttribute('href')).toMatch(/^\/api\/staff\/reports\/orders\?date=\d{4}-\d{2}-\d{2}&format=csv$/);
    const kitchen = office.page.getByTestId('chart-kitchen');
    expect(await kitchen.locator('table th').allTextContents()).toEqual(['GRILL']);
    expect(await kitchen.locator('table td').textContent()).toMatch(/^Placed → ready p50 14 min · p90 14 min · n = 1; Ready → served p50 \d+ s · p90 \d+ s · n = 1$/);
    expect(await office.page.getByTestId('slowest-dishes').locator('tbody th').allTextContents()).toEqual(['Dal Makhani']);
    await office.page.getByTestId('chart-dishes').getByText('Show as table').click();
    await kitchen.getByText('Show as table').click();
    await office.page.getByTestId('kitchen-times').scrollIntoViewIfNeeded();
    await shot(office.page, 'staff-reports-kitchen');
    await shot(office.page, 'staff-reports', { fullPage: true });
    expect(await axeViolations(office.page)).toEqual([]);
    // In Hindi the method and the station are in Hindi too, as the pay buttons and the kitchen name them.
    await office.page.getByRole('button', { name: 'हिन्दी', exact: true }).click();
    await figures.getByText('नकद से भुगतान', { exact: true }).waitFor();
    expect(await kitchen.locator('table th').allTextContents()).toEqual(['ग्रिल']);
    expect(await office.page.getByTestId('slowest-dishes').locator('tbody td').first().textContent()).toBe('ग्रिल');
    // And the dishes by their Hindi names, as the console's menu shows them (the reports carry the default language's).
    expect(await office.page.getByTestId('chart-dishes').locator('table th').allTextContents()).toEqual(expect.arrayContaining(['मसाला चाय', 'दाल मखनी']));
    expect(await office.page.getByTestId('slowest-dishes').locator('tbody th').allTextContents()).toEqual(['दाल मखनी']);
    await office.page.getByRole('button', { name: 'English', exact: true }).click();
    await figures.getByText('Paid by Cash', { exact: true }).waitFor();
    // Closing is asked first: what it records, that only an admin reopens it, and that service is not over.
    await office.page.getByTestId('close-day').click();
    const confirm = office.page.getByRole('dialog', { name: /^Close \d{4}-\d{2}-\d{2}\?$/ });
    await confirm.getByText('Only an admin can reopen the day.', { exact: false }).waitFor();
    expect(await confirm.getByTestId('close-day-warning').innerText()).toMatch(/^Service is not over\. Unpaid orders: 1 \(₹[\d,.]+\)\. Open tables: \d+\.$/);
    await shot(office.page, 'staff-reports-close-day-confirm');
    await confirm.getByTestId('confirm-action').click();
    await office.page.getByTestId('day-closed').waitFor();
    expect(await office.page.getByTestId('reopen-day').count()).toBe(0); // an admin's, not a manager's

    const floor = await world.device('tablet');
    await new StaffPage(floor.page).open('waiter', TEST_PASSWORD);
    expect(await floor.page.getByTestId('nav-reports').count()).toBe(0);

    // The admin reopens the closed day on the page, with the reason the audit keeps (asked first).
    const desk = await world.device('desktop');
    await new StaffPage(desk.page).open('admin', TEST_PASSWORD);
    const openReports = async () => {
      await desk.page.getByTestId('nav-reports').click();
      await desk.page.getByTestId('day-closed').waitFor();
      await desk.page.getByTestId('reopen-day').click();
      return desk.page.getByRole('dialog', { name: /^Reopen \d{4}-\d{2}-\d{2}\?$/ });
    };
    let reopen = await openReports();
    const reason = reopen.getByLabel('Reason for reopening');
    await reopen.getByTestId('confirm-action').click(); // no reason: the form does not send
    expect(await reason.evaluate((field) => (field as HTMLTextAreaElement).validity.valueMissing)).toBe(true);
    expect(await reopen.isVisible()).toBe(true);
    await reason.fill('A cash payment came after the close');
    await shot(desk.page, 'staff-reports-reopen-day');
    await reopen.getByTestId('confirm-action').click();
    await desk.page.getByTestId('close-day').waitFor();
    const day = await desk.page.getByTestId('report-day').inputValue();
    const admin = (await world.t.loginAs('ADMIN')).token;
    const summary = await world.t.api.get<{ close: { status: string; reopenReason?: string } }>(`/api/staff/reports/summary?date=${day}`, { token: admin });
    expect(summary.body.close).toMatchObject({ status: 'reopened', reopenReason: 'A cash payment came after the close' });

    // Closed again, and reopened on another device while this dialog is open: the refusal shows in it.
    expect((await world.t.api.post('/api/staff/reports/day-close', { date: day }, { token: manager })).status).toBe(201);
    await desk.page.reload();
    reopen = await openReports();
    await reopen.getByLabel('Reason for reopening').fill('Wrong day closed');
    expect((await world.t.api.post('/api/staff/reports/day-close/reopen', { date: day, reason: 'From the office' }, { token: admin })).status).toBe(200);
    await reopen.getByTestId('confirm-action').click();
    expect(await reopen.getByTestId('confirm-error').innerText()).toBe(`${day} is not closed any more: it was reopened on another device.`);
    await desk.page.getByTestId('close-day').waitFor();
    expect(desk.errors.map((error) => error.replace(/http:\/\/[^/]+/, ''))).toEqual(['HTTP 409 POST /api/staff/reports/day-close/reopen']);
  });

  it('long dish names on the best-sellers chart are cut with an ellipsis, never overlapping; the whole name is in the label’s title and the table', async () => {
    const orderId = await placeOrderAt(world.t, 'T-6', [{ name: 'Masala Chai', quantity: 5 }, { name: 'Dal Makhani', quantity: 4 }, { name: 'Gulab Jamun', quantity: 3 }]);
    const long = ['Masala Chai with Cardamom, Ginger and Extra Sugar', 'Dal Makhani Slow Cooked Overnight with Cream', 'Gulab Jamun Warm with Vanilla Ice Cream'];
    const orders = world.t.collection('digital_menu_customer_orders');
    // The item mix names each dish by the last order's name for it: these orders carry the long names.
    const placed = (await orders.findOne({ _id: new ObjectId(orderId) }))!;
    const names = new Map(placed.items.map((item: { menuItemId: string }, i: number) => [item.menuItemId, long[i]]));
    for (const order of await orders.find({ 'items.menuItemId': { $in: [...names.keys()] } }).toArray()) {
      const items = order.items.map((item: { menuItemId: string; menuItemName: string }) => ({ ...item, menuItemName: names.get(item.menuItemId) ?? item.menuItemName }));
      await orders.updateOne({ _id: order._id }, { $set: { items } });
    }
    const office = await world.device('desktop');
    await new StaffPage(office.page).open('manager', TEST_PASSWORD);
    await office.page.getByTestId('nav-reports').click();
    const chart = office.page.getByTestId('chart-dishes');
    await chart.locator('svg text').first().waitFor();
    const labels = await chart.locator('svg text.s-chart-label').evaluateAll((nodes) =>
      nodes.map((node) => {
        const box = (node as SVGTextElement).getBoundingClientRect();
        return { left: box.left, right: box.right, full: node.getAttribute('data-full'), title: node.querySelector('title')?.textContent ?? null, shown: [...node.childNodes].filter((c) => c.nodeType === 3).map((c) => c.textContent).join('') };
      }),
    );
    for (const name of long) {
      const label = labels.find((candidate) => candidate.full === name)!;
      expect(label, name).toBeTruthy();
      expect(label.shown.endsWith('…'), name).toBe(true);
      expect(label.title).toBe(name);
    }
    const sorted = [...labels].sort((a, b) => a.left - b.left);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i].left, `${sorted[i - 1].full} | ${sorted[i].full}`).toBeGreaterThanOrEqual(sorted[i - 1].right);
    expect(await chart.locator('table th').allTextContents()).toEqual(expect.arrayContaining(long));
    await chart.scrollIntoViewIfNeeded();
    await shot(office.page, 'staff-reports-long-dish-names');
  });
});
