/**
 * The staff side of online payments: a manager's table panel lists the table's online payments, a
 * payment whose webhook reported another amount turns up flagged live (with a notice) and is never
 * counted as paid, and the manager refunds part of a paid one with a reason, through the sandbox
 * provider; the refund shows on the bill. The same panel in Hindi.
 */
import { describe, expect, it } from 'vitest';
import { ObjectId } from 'mongodb';
import { shot, type Device } from './support/browser.ts';
import { useE2eWorld } from './support/harness.ts';
import { StaffPage } from './support/staff.ts';
import { deliver, payOnSandbox, paymentEntity, signedWebhook, startPayment } from '../support/payments.ts';
import { TEST_PASSWORD } from '../support/stack.ts';

const world = useE2eWorld();

/** Signed in (in English), then the console reloaded in Hindi. */
async function switchToHindi(device: Device): Promise<void> {
  await device.page.evaluate(() => localStorage.setItem('plato.lang', JSON.stringify('hi')));
  await device.page.reload();
}

describe('online payments on the staff console', () => {
  it('a manager sees a flagged payment arrive live and refunds part of a paid one with a reason', async () => {
    const { t } = world;
    const table = await t.freshTable('T-8', 'FAMILY');
    const [first, second] = [await t.joinTable(table.tableId, table.pin), await t.joinTable(table.tableId, table.pin)];
    await t.orderCart(first, (await t.addToCart(first, 'Masala Chai', 2)).version);
    await t.orderCart(second, (await t.addToCart(second, 'Masala Chai', 1)).version);

    // The first phone pays its own share on the sandbox's page.
    const paid = (await startPayment(t, first, { kind: 'device' })).body.payment;
    expect((await payOnSandbox(paid.checkoutUrl, 'success')).status).toBe(303);

    const desk = await world.device('desktop');
    const staff = new StaffPage(desk.page);
    await staff.open('manager', TEST_PASSWORD);
    await staff.table('T-8').click();
    const online = staff.panel.getByTestId('online-payments');
    await online.getByTestId('online-payment').and(desk.page.locator('[data-status="paid"]')).waitFor();

    // The floor counts the share paid online: ₹168 of ₹252 paid, ₹84 due.
    await staff.table('T-8').getByText('₹84.00').waitFor();

    // The second phone's payment: the provider reports ₹1 less than asked. Flagged, live, never paid.
    const short = (await startPayment(t, second, { kind: 'device' })).body.payment;
    const hook = signedWebhook('payment.captured', paymentEntity(short.intentId, short.amount - 100, 'captured'));
    expect((await deliver(t, hook)).status).toBe(200);
    await desk.page.getByText('Table T-8: an online payment does not match its bill. A manager should check it.').waitFor();
    const flagged = online.locator('[data-testid="online-payment"][data-flagged="true"]');
    await flagged.getByTestId('online-flag').filter({ hasText: `The provider reported ₹${((short.amount - 100) / 100).toFixed(2)}, not ₹${(short.amount / 100).toFixed(2)}` }).waitFor();
    await expect(flagged.getAttribute('data-status')).resolves.toBe('pending');
    await expect(flagged.getByTestId('refund-open').count()).resolves.toBe(0);
    await staff.panel.getByTestId('bill-due').filter({ hasText: `₹${(short.amount / 100).toFixed(2)}` }).waitFor();
    await desk.page.addStyleTag({ content: '.s-toast { visibility: hidden !important; }' });
    await online.scrollIntoViewIfNeeded();
    await shot(desk.page, 'staff-online-payment-flagged');

    // A partial refund of the paid share, with its reason, through the provider.
    const paidRow = online.locator('[data-testid="online-payment"][data-status="paid"]');
    await paidRow.getByTestId('refund-open').click();
    const dialog = desk.page.getByTestId('refund-dialog');
    await expect(dialog.getByTestId('refund-amount').inputValue()).resolves.toBe((paid.amount / 100).toFixed(2));
    await dialog.getByTestId('refund-amount').fill(String(paid.amount / 100 + 1));
    await dialog.getByTestId('refund-reason').fill('Chai was cold');
    await dialog.getByTestId('refund-confirm').click();
    await dialog.getByTestId('refund-error').filter({ hasText: 'at most' }).waitFor();
    await dialog.getByTestId('refund-amount').fill('50');
    await dialog.getByTestId('refund-confirm').click();
    await dialog.waitFor({ state: 'hidden' });
    await paidRow.getByTestId('online-refund').filter({ hasText: '₹50.00 refunded by manager: “Chai was cold”' }).waitFor();
    await paidRow.getByTestId('online-refunded').filter({ hasText: '₹50.00 refunded' }).waitFor();
    await shot(desk.page, 'staff-online-payment-refunded');

    const intent = await t.collection('plato_payment_intents').findOne({ _id: new ObjectId(paid.intentId) });
    expect(intent).toMatchObject({ refunded: 5_000, status: 'paid' });
    expect(intent!.refunds).toHaveLength(1);
    expect(intent!.refunds[0]).toMatchObject({ amount: 5_000, reason: 'Chai was cold' });
    expect(await t.collection('plato_payment_intents').findOne({ _id: new ObjectId(short.intentId) })).toMatchObject({ status: 'pending', settled: false });

    // The same panel in Hindi.
    const hindi = await world.device('desktop');
    const hindiStaff = new StaffPage(hindi.page);
    await hindiStaff.open('manager', TEST_PASSWORD);
    await switchToHindi(hindi);
    await hindiStaff.table('T-8').click();
    const hindiOnline = hindiStaff.panel.getByTestId('online-payments');
    await hindiOnline.getByText('ऑनलाइन भुगतान').waitFor();
    await hindiOnline.getByTestId('online-flag').filter({ hasText: 'इसे भुगतान नहीं माना गया' }).waitFor();
    await hindiOnline.getByTestId('online-refund').filter({ hasText: '“Chai was cold”' }).waitFor();
    await hindiOnline.scrollIntoViewIfNeeded();
    await shot(hindi.page, 'staff-online-payments-hindi', { hideToasts: true });
    expect(desk.errors).toEqual([]);
    expect(hindi.errors).toEqual([]);
  });
});
