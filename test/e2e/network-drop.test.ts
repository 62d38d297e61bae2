/**
 * The connection drops while an order is being placed: the request reaches the server and the order
 * commits, but the answer never reaches the phone. The phone must neither lose the order nor place
 * it twice: it retries with the same Idempotency-Key (kept in localStorage) and the server answers
 * with the first attempt's order. Counted in MongoDB itself, through the driver.
 */
import { ObjectId } from 'mongodb';
import type { Page, Request } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { config } from '../../functions/platform/config.ts';
import { shot } from './support/browser.ts';
import { DinerPage } from './support/diner.ts';
import { useE2eWorld } from './support/harness.ts';

const world = useE2eWorld();

/** Orders stored for a table session, counted in the database (not through any of our views). */
async function ordersInDatabase(sessionId: string): Promise<number> {
  const { collections } = config().mongo;
  return (await world.t.db()).collection(collections.orders).countDocuments({ sessionId: new ObjectId(sessionId) });
}

interface PlacementAttempt {
  key: string | undefined;
  status: number;
  replayed: boolean;
  dropped: boolean;
}

/**
 * Lets every POST /api/orders reach the server, then drops the answer on the way back while
 * `drop()` says so. Records each attempt's Idempotency-Key and the server's status.
 */
async function dropOrderAnswers(page: Page, drop: (attempt: number) => boolean): Promise<PlacementAttempt[]> {
  const attempts: PlacementAttempt[] = [];
  await page.route('**/api/orders', async (route) => {
    const request: Request = route.request();
    if (request.method() !== 'POST') return route.continue();
    const response = await route.fetch();
    const dropped = drop(attempts.length + 1);
    attempts.push({ key: request.headers()['idempotency-key'], status: response.status(), replayed: response.headers()['idempotent-replayed'] === 'true', dropped });
    if (dropped) await route.abort('connectionreset');
    else await route.fulfill({ response });
  });
  return attempts;
}

async function tableWithOneDish(tableNumber: string) {
  const table = await world.t.freshTable(tableNumber, 'FAMILY');
  const phone = await world.device('phone');
  const diner = new DinerPage(phone.page);
  await diner.open(table.code);
  await diner.join(table.pin);
  await diner.addDish('Dal Makhani');
  await diner.tab('Cart');
  await diner.placeButton.waitFor();
  return { table, phone, diner };
}

describe('placing an order on a dropping connection', () => {
  it('the answer to the first attempt is lost: the retry gets the same order, exactly one is stored', async () => {
    const { table, phone, diner } = await tableWithOneDish('T-7');
    // A dish that cannot be added (the network is down) says so in its sheet, not under it.
    await phone.page.route('**/api/cart/items', (route) => route.abort('internetdisconnected'), { times: 1 });
    await diner.tab('Menu');
    await phone.page.getByRole('button', { name: 'Add Masala Chai', exact: true }).click();
    const sheet = phone.page.getByRole('dialog', { name: 'Masala Chai' });
    await sheet.getByRole('button', { name: /^Add to cart/ }).click();
    await sheet.getByRole('alert').filter({ hasText: 'No connection. Check your network and try again.' }).waitFor();
    await sheet.getByRole('button', { name: /^Add to cart/ }).click();
    await sheet.waitFor({ state: 'detached' });
    await diner.tab('Cart');
    const attempts = await dropOrderAnswers(phone.page, (n) => n === 1);

    await diner.placeButton.click();
    // The phone retries on its own and ends on its order.
    await diner.orderCards.first().waitFor();
    expect(await diner.orderCards.count()).toBe(1);
    await diner.orderCards.first().getByText('1 × Dal Makhani').waitFor();

    expect(attempts).toHaveLength(2);
    expect(attempts[0]).toMatchObject({ status: 201, replayed: false, dropped: true });
    expect(attempts[1]).toMatchObject({ status: 201, replayed: true, dropped: false });
    expect(attempts[1].key).toBe(attempts[0].key);
    expect(await ordersInDatabase(table.sessionId)).toBe(1);

    // Nothing is left pending: the cart is empty and the kept key is gone.
    await diner.tab('Cart');
    await phone.page.getByText('Your cart is empty. Add dishes from the menu.').waitFor();
    expect(await phone.page.evaluate(() => localStorage.getItem('plato.pendingOrder'))).toBeNull();
  });

  it('every answer is lost until the guest reloads: the reloaded page finishes the same order, exactly once', async () => {
    const { table, phone, diner } = await tableWithOneDish('T-8');
    let online = false;
    const attempts = await dropOrderAnswers(phone.page, () => !online);

    await diner.placeButton.click();
    // The phone says it is still trying; every attempt has reached the server. The notice shows before
    // the first back-off (1 s), so the second attempt comes a second or more later: wait past poll's 1 s default.
    await phone.page.getByText('Connection is weak — still sending your order…').waitFor();
    await expect.poll(() => attempts.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    await shot(phone.page, 'diner-order-retrying');
    expect(new Set(attempts.map((a) => a.key)).size).toBe(1);
    expect(await ordersInDatabase(table.sessionId)).toBe(1);

    // The connection comes back and the guest reloads: the kept key finishes the placement.
    online = true;
    await phone.page.reload();
    await diner.tab('Orders');
    await diner.orderCards.first().getByText('1 × Dal Makhani').waitFor();
    await expect.poll(() => phone.page.evaluate(() => localStorage.getItem('plato.pendingOrder'))).toBeNull();
    const last = attempts.at(-1)!;
    expect(last).toMatchObject({ status: 201, replayed: true, dropped: false, key: attempts[0].key });
    expect(await diner.orderCards.count()).toBe(1);
    expect(await ordersInDatabase(table.sessionId)).toBe(1);
  });
});
