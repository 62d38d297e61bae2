/**
 * A guest pays their table's bill from the phone: the Pay button, the local Razorpay sandbox's
 * hosted page (test mode: the tester picks success), back to the diner app, which shows the payment
 * received; the waiter's table panel turns settled live, without a reload.
 */
import { describe, expect, it } from 'vitest';
import { shot } from './support/browser.ts';
import { DinerPage } from './support/diner.ts';
import { useE2eWorld } from './support/harness.ts';
import { StaffPage } from './support/staff.ts';
import { TEST_PASSWORD } from '../support/stack.ts';

const world = useE2eWorld();

describe('paying online', () => {
  it('a phone pays the bill on the payment page and the table turns paid on the staff console', async () => {
    const { t } = world;
    const table = await t.freshTable('T-6', 'FAMILY');
    const waiter = await world.device('desktop');
    const staff = new StaffPage(waiter.page);
    await staff.open('waiter', TEST_PASSWORD);

    const phone = await world.device('phone');
    const guest = new DinerPage(phone.page);
    await guest.open(table.code);
    await guest.join(table.pin);
    await guest.addDish('Masala Chai', { quantity: 2 });
    await guest.tab('Cart');
    await guest.placeButton.click();
    await guest.orderCards.first().waitFor();

    await staff.table('T-6').click();
    await waiter.page.locator('[data-testid="table-panel"][data-table="T-6"]').waitFor();
    await staff.panel.getByTestId('bill-due').filter({ hasText: '₹168' }).waitFor();

    // 2 × Masala Chai (₹80) + 5 % tax = ₹168.
    await guest.tab('Bill');
    const pay = phone.page.getByRole('button', { name: 'Pay ₹168.00 online' });
    await shot(phone.page, 'diner-bill-pay-online', { hideToasts: true });
    await pay.click();
    await phone.page.waitForURL(/\/sandbox\/razorpay\/pay\/plink_/);
    await phone.page.getByTestId('sandbox-amount').filter({ hasText: 'INR 168.00' }).waitFor();
    await shot(phone.page, 'payment-sandbox-page');
    await phone.page.getByRole('button', { name: 'Pay (success)' }).click();

    // Back in the diner app, on the bill, with the payment confirmed by the (signed) webhook.
    await phone.page.waitForURL(/[?&]payment=[a-f0-9]{24}/);
    const status = phone.page.getByTestId('payment-status');
    await status.and(phone.page.locator('[data-status="paid"]')).waitFor();
    await phone.page.getByText('Payment received. Thank you!').waitFor();
    await phone.page.getByText('All paid. Thank you!').waitFor();
    await shot(phone.page, 'diner-bill-paid-online', { hideToasts: true });

    // The waiter's open panel turned settled by itself.
    await staff.panel.getByTestId('bill-settled').waitFor();
    const orders = await t.collection('digital_menu_customer_orders').find({ tableNumber: 'T-6', paymentStatus: 'paid', paymentMethod: 'ONLINE' }).toArray();
    expect(orders.length).toBeGreaterThan(0);
    expect(phone.errors).toEqual([]);
  });

  it('the provider down: the phone says so (nothing charged); once paid, a refund shows as Refunded with the net paid on the phone and the staff panel', async () => {
    const { t } = world;
    const table = await t.freshTable('T-7', 'FAMILY');
    const desk = await world.device('desktop');
    const staff = new StaffPage(desk.page);
    await staff.open('manager', TEST_PASSWORD);
    const phone = await world.device('phone');
    const guest = new DinerPage(phone.page);
    await guest.open(table.code);
    await guest.join(table.pin);
    await guest.addDish('Masala Chai', { quantity: 2 });
    await guest.tab('Cart');
    await guest.placeButton.click();
    await guest.orderCards.first().waitFor();
    await guest.tab('Bill');

    t.stack.payments!.failApi = { status: 503, code: 'SERVER_ERROR', description: 'The server encountered an error' };
    try {
      await phone.page.getByRole('button', { name: 'Pay ₹168.00 online' }).click();
      await phone.page.getByText('The payment service is not answering right now. Nothing was charged or refunded. Please try again in a minute.').waitFor();
      await shot(phone.page, 'diner-pay-provider-down', { hideToasts: true });
    } finally {
      t.stack.payments!.failApi = null;
    }
    await phone.page.getByRole('button', { name: 'Pay ₹168.00 online' }).click();
    await phone.page.waitForURL(/\/sandbox\/razorpay\/pay\/plink_/);
    await phone.page.getByRole('button', { name: 'Pay (success)' }).click();
    await phone.page.getByText('All paid. Thank you!').waitFor();

    await staff.table('T-7').click();
    await staff.panel.getByTestId('bill-settled').waitFor();
    const intent = (await t.collection('plato_payment_intents').findOne({ tableNumber: 'T-7', status: 'paid' }))!;
    const manager = (await t.loginAs('MANAGER')).token;
    expect((await t.api.post(`/api/staff/payments/${intent._id.toHexString()}/refund`, { amount: 4000, reason: 'Cold tea' }, { token: manager })).status).toBe(200);
    // The staff panel reloads on the refund's table.updated; the phone shows it on its next bill.
    await staff.panel.getByTestId('bill-refunded').filter({ hasText: '₹40.00' }).waitFor();
    await staff.panel.getByTestId('bill-net-paid').filter({ hasText: '₹128.00' }).waitFor();
    await shot(desk.page, 'staff-bill-refunded');
    await phone.page.reload();
    await guest.tab('Bill');
    await phone.page.getByTestId('bill-refunded').filter({ hasText: 'Refunded' }).filter({ hasText: '₹40.00' }).waitFor();
    await phone.page.getByTestId('bill-net-paid').filter({ hasText: 'Paid after refunds' }).filter({ hasText: '₹128.00' }).waitFor();
    await shot(phone.page, 'diner-bill-refunded', { hideToasts: true });
  });
});
