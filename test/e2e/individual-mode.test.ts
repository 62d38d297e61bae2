/**
 * INDIVIDUAL mode: two phones at one table each have their own cart, orders and bill. Nothing one
 * guest adds, orders or pays shows up on the other's phone.
 */
import { describe, expect, it } from 'vitest';
import { shot } from './support/browser.ts';
import { DinerPage } from './support/diner.ts';
import { useE2eWorld } from './support/harness.ts';

const world = useE2eWorld();

describe('an INDIVIDUAL table', () => {
  it('keeps two phones’ carts, orders and bills apart', async () => {
    const { t } = world;
    const table = await t.freshTable('T-9', 'INDIVIDUAL');
    const meeraPhone = await world.device('phone');
    const kabirPhone = await world.device('phone');
    const meera = new DinerPage(meeraPhone.page);
    const kabir = new DinerPage(kabirPhone.page);
    await Promise.all([meera.open(table.code), kabir.open(table.code)]);
    await meera.join(table.pin, { name: 'Meera', phone: '9123456780' });
    await kabir.join(table.pin);

    // Each adds a dish; then Meera adds a second one, so Kabir's push (if any leaked) would be in by then.
    await meera.addDish('Butter Chicken');
    await kabir.addDish('Mango Lassi');
    await meera.addDish('Tandoori Roti', { quantity: 2 });
    await meera.tab('Cart');
    await kabir.tab('Cart');
    await meeraPhone.page.getByRole('heading', { name: 'Your cart' }).waitFor();
    await meera.cartLine('Tandoori Roti').waitFor();
    await kabir.cartLine('Mango Lassi').waitFor();
    expect(await meera.page.locator('.cart-line').count()).toBe(2);
    expect(await meera.cartLine('Mango Lassi').count()).toBe(0);
    expect(await kabir.page.locator('.cart-line').count()).toBe(1);
    // No "added by" in a cart of one's own.
    expect(await meeraPhone.page.getByText(/^Added by/).count()).toBe(0);
    // Butter Chicken 390 + 2 × Tandoori Roti 40 = 470, tax 23.50; Mango Lassi 150, tax 7.50.
    await meera.placeButton.filter({ hasText: '₹493.50' }).waitFor();
    await kabir.placeButton.filter({ hasText: '₹157.50' }).waitFor();
    await shot(meeraPhone.page, 'diner-cart-individual');

    // Both order; each sees only their own order.
    await meera.placeButton.click();
    await kabir.placeButton.click();
    await meera.orderCards.first().getByText('1 × Butter Chicken').waitFor();
    await kabir.orderCards.first().getByText('1 × Mango Lassi').waitFor();
    expect(await meera.orderCards.count()).toBe(1);
    expect(await kabir.orderCards.count()).toBe(1);
    expect(await meera.orderCards.first().innerText()).not.toContain('Mango Lassi');
    expect(await kabir.orderCards.first().innerText()).not.toContain('Butter Chicken');

    // Each bill is the phone's own.
    await meera.tab('Bill');
    await kabir.tab('Bill');
    await meeraPhone.page.getByRole('link', { name: 'Pay ₹493.50 with UPI' }).waitFor();
    await kabirPhone.page.getByRole('link', { name: 'Pay ₹157.50 with UPI' }).waitFor();
    await meeraPhone.page.getByText('By phone').click();
    const shares = meeraPhone.page.locator('ul.shares > li');
    await shares.first().waitFor();
    expect(await shares.count()).toBe(1);
    expect(await shares.first().innerText()).toMatch(/^You\s+₹493\.50/);

    // The waiter takes Kabir's payment only: Kabir's bill turns paid, Meera's still asks for hers.
    const { token } = await t.loginAs('WAITER');
    const { body } = await t.api.get<{ orders: { orderId: string; items: { menuItemName: string }[] }[] }>(`/api/staff/orders?sessionId=${table.sessionId}`, { token });
    expect(body.orders).toHaveLength(2);
    const kabirsOrder = body.orders.find((order) => order.items.some((item) => item.menuItemName === 'Mango Lassi'))!;
    const paid = await t.api.post(`/api/staff/orders/${kabirsOrder.orderId}/payment`, { method: 'UPI', status: 'paid' }, { token });
    expect(paid.status).toBe(200);
    await kabirPhone.page.getByText('All paid. Thank you!').waitFor();
    await meeraPhone.page.getByRole('button', { name: 'Refresh bill' }).click();
    await meeraPhone.page.getByRole('link', { name: 'Pay ₹493.50 with UPI' }).waitFor();
    expect(await meeraPhone.page.getByText('All paid. Thank you!').count()).toBe(0);

    // Kabir switches his phone to Hindi: his paid bill and the navigation speak Hindi, Meera's phone stays in English.
    await kabirPhone.page.getByRole('button', { name: 'हिन्दी', exact: true }).click();
    await kabirPhone.page.getByText('पूरा भुगतान हो गया। धन्यवाद!').waitFor();
    await kabirPhone.page.getByRole('navigation').getByText('मेन्यू').waitFor();
    expect(await kabirPhone.page.evaluate(() => document.documentElement.lang)).toBe('hi');
    await shot(kabirPhone.page, 'diner-bill-paid-hindi');
    expect(await meeraPhone.page.getByRole('navigation', { name: 'Sections' }).getByText('Menu', { exact: true }).count()).toBe(1);

    for (const device of [meeraPhone, kabirPhone]) expect(device.errors).toEqual([]);
  });
});
