/**
 * A returning guest's favourites through the local runtime: starring and unstarring a dish writes the
 * POS's `customers.favorites`; the dishes a customer orders most come back at their next visit;
 * each customer sees only their own; a guest not identified, a dish not on this restaurant's menu and
 * a full list are refused with a 4xx, writing nothing.
 */
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type JoinedGuest, type TestStack } from '../../support/stack.ts';

let t: TestStack;
beforeAll(async () => {
  t = await startTestStack();
});
afterAll(() => t?.stop());

const favorites = (guest: JoinedGuest) => t.api.get('/api/customers/favorites', { token: guest.sessionToken });
const star = (guest: JoinedGuest, id: string) => t.api.request('PUT', `/api/customers/favorites/${id}`, undefined, { token: guest.sessionToken });
const unstar = (guest: JoinedGuest, id: string) => t.api.request('DELETE', `/api/customers/favorites/${id}`, undefined, { token: guest.sessionToken });

async function arrive(tableNumber: string, name?: string, phone?: string): Promise<JoinedGuest> {
  const table = await t.freshTable(tableNumber, 'INDIVIDUAL');
  const guest = await t.joinTable(table.tableId, table.pin);
  if (phone) await t.identifyVerified(guest, name ?? '', phone);
  return guest;
}

const customer = (phone: string) => t.collection('customers').findOne({ restaurantId: 'demo', phoneNumber: phone });

describe('favourites', () => {
  it('a guest who has not identified is told to first (422), and nothing is written', async () => {
    const guest = await arrive('T-6');
    const dish = await t.dish('Masala Chai');
    for (const answer of [await favorites(guest), await star(guest, dish.id), await unstar(guest, dish.id)]) {
      expect(answer.status).toBe(422);
      expect(answer.body.error).toMatchObject({ code: 'UNPROCESSABLE', details: { reason: 'NOT_IDENTIFIED' } });
    }
  });

  it('star and unstar update customers.favorites; starring twice keeps one; the list comes back at the next visit', async () => {
    const chai = await t.dish('Masala Chai');
    const dal = await t.dish('Dal Makhani');
    const first = await arrive('T-6', 'Meera', '9111111111');
    expect((await favorites(first)).body).toEqual({ starred: [], frequent: [] });
    expect((await star(first, chai.id)).body.starred).toEqual([chai.id]);
    expect((await star(first, dal.id)).body.starred).toEqual([chai.id, dal.id]);
    expect((await star(first, chai.id)).body.starred).toEqual([chai.id, dal.id]);
    expect((await customer('9111111111'))!.favorites).toEqual([chai.id, dal.id]);
    const unstarred = await unstar(first, chai.id);
    expect(unstarred.status).toBe(200);
    expect(unstarred.body.starred).toEqual([dal.id]);
    expect((await customer('9111111111'))!.favorites).toEqual([dal.id]);
    // A dish deleted from the menu can still be unstarred.
    const gone = new ObjectId().toHexString();
    await t.collection('customers').updateOne({ phoneNumber: '9111111111' }, { $push: { favorites: gone } } as never);
    expect((await unstar(first, gone)).body.starred).toEqual([dal.id]);

    const later = await arrive('T-7', 'Meera', '9111111111');
    expect((await favorites(later)).body.starred).toEqual([dal.id]);
  });

  it('the dishes ordered most come first in `frequent`, cancelled ones not counted; another customer sees only their own', async () => {
    const guest = await arrive('T-8', 'Kabir', '9222222222');
    const kebab = await t.dish('Seekh Kebab');
    const samosa = await t.dish('Vegetable Samosa');
    const jamun = await t.dish('Gulab Jamun');
    await t.addToCart(guest, 'Seekh Kebab', 2);
    await t.orderCart(guest, (await t.addToCart(guest, 'Vegetable Samosa', 1)).version);
    await t.orderCart(guest, (await t.addToCart(guest, 'Seekh Kebab', 1)).version);
    const cancelled = await t.orderCart(guest, (await t.addToCart(guest, 'Gulab Jamun', 5)).version);
    const manager = (await t.loginAs('MANAGER')).token;
    expect((await t.api.post(`/api/staff/orders/${cancelled.orderId}/cancel`, {}, { token: manager })).status).toBe(200);

    const next = await arrive('T-9', 'Kabir', '9222222222');
    const answer = (await favorites(next)).body;
    expect(answer.frequent).toEqual([
      { menuItemId: kebab.id, quantity: 3 },
      { menuItemId: samosa.id, quantity: 1 },
    ]);
    expect(answer.frequent.map((row: { menuItemId: string }) => row.menuItemId)).not.toContain(jamun.id);

    const stranger = await arrive('T-10', 'Asha', '9333333333');
    expect((await favorites(stranger)).body).toEqual({ starred: [], frequent: [] });
  });

  it('refuses a dish not on this restaurant’s menu (404) and a 51st star (422), writing nothing', async () => {
    const guest = await arrive('T-11', 'Ravi', '9444444444');
    const foreign = new ObjectId();
    await t.collection('menuItems').insertOne({ _id: foreign, restaurantId: 'other', name: 'Elsewhere', isAvailable: true } as never);
    expect((await star(guest, foreign.toHexString())).status).toBe(404);
    expect((await star(guest, new ObjectId().toHexString())).status).toBe(404);
    expect((await star(guest, 'item123')).status).toBe(400);
    expect((await customer('9444444444'))!.favorites).toEqual([]);

    const fifty = Array.from({ length: 50 }, () => new ObjectId().toHexString());
    await t.collection('customers').updateOne({ phoneNumber: '9444444444' }, { $set: { favorites: fifty } });
    const chai = await t.dish('Masala Chai');
    const full = await star(guest, chai.id);
    expect(full.status).toBe(422);
    expect((await customer('9444444444'))!.favorites).toEqual(fifty);
    // Unstarring makes room.
    await unstar(guest, fifty[0]);
    expect((await star(guest, chai.id)).status).toBe(200);
  });
});
