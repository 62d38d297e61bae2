/**
 * Every bad cart request is a 4xx with a clear code, and the cart does not move (same version,
 * same lines). Items of another restaurant are inserted directly through the driver.
 */
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type JoinedGuest, type TestStack } from '../../support/stack.ts';

let t: TestStack;
let family: JoinedGuest;
let lineId: string;
let before: any;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await startTestStack();
  for (const item of await t.menuItems()) ids[item.name] = item.id;
  const table = await t.openTable('T-8', 'FAMILY');
  family = await t.joinTable(table.tableId, table.pin);
  const first = await add(family, { menuItemId: ids['Schezwan Chilli Chicken'], quantity: 1, spiceLevel: 'regular' });
  expect(first.status).toBe(200);
  lineId = first.body.lines[0].lineId;
  before = first.body;
});
afterAll(() => t?.stop());

const add = (guest: JoinedGuest, body: unknown) => t.api.post('/api/cart/items', body, { token: guest.sessionToken });
const cartOf = async (guest: JoinedGuest) => (await t.api.get('/api/cart', { token: guest.sessionToken })).body;
const menuItems = () => t.collection('menuItems');

async function expectRefused(response: { status: number; body: any }, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.body.error.code).toBe(code);
  expect(typeof response.body.error.message).toBe('string');
  // The cart did not move.
  expect(await cartOf(family)).toEqual(before);
  return response.body.error;
}

describe('adding a line that cannot be added', () => {
  it('unknown item → 404 NOT_FOUND', async () => {
    await expectRefused(await add(family, { menuItemId: new ObjectId().toHexString(), quantity: 1 }), 404, 'NOT_FOUND');
  });

  it('item of another restaurant → 404 NOT_FOUND (nothing about the other tenant leaks)', async () => {
    const source = await menuItems().findOne({ _id: new ObjectId(ids['Masala Chai']) });
    const { _id, ...rest } = source!;
    const foreign = await menuItems().insertOne({ ...rest, restaurantId: 'another-restaurant', name: 'Their Chai' });
    const error = await expectRefused(await add(family, { menuItemId: foreign.insertedId.toHexString(), quantity: 1 }), 404, 'NOT_FOUND');
    expect(JSON.stringify(error)).not.toContain('Their Chai');
  });

  it('sold-out item → 409 ITEM_UNAVAILABLE', async () => {
    const { token } = await t.loginAs('WAITER');
    const soldOut = await t.api.request('PATCH', `/api/staff/menu/items/${ids['Mango Sticky Rice']}`, { isAvailable: false }, { token });
    expect(soldOut.status).toBe(200);
    const error = await expectRefused(await add(family, { menuItemId: ids['Mango Sticky Rice'], quantity: 1 }), 409, 'ITEM_UNAVAILABLE');
    expect(error.details).toMatchObject({ menuItemId: ids['Mango Sticky Rice'], name: 'Mango Sticky Rice' });
  });

  it('deleted item → 404 NOT_FOUND', async () => {
    await menuItems().updateOne({ _id: new ObjectId(ids['Prawn Tempura']) }, { $set: { deletedAt: new Date() } });
    await expectRefused(await add(family, { menuItemId: ids['Prawn Tempura'], quantity: 1 }), 404, 'NOT_FOUND');
  });

  it.each([0, 51, -3, 1.5, '2', null])('quantity %s → 400 VALIDATION_FAILED on body.quantity', async (quantity) => {
    const error = await expectRefused(await add(family, { menuItemId: ids['Masala Chai'], quantity }), 400, 'VALIDATION_FAILED');
    expect(error.details.map((d: any) => d.path)).toContain('body.quantity');
  });

  it('modifier option not offered → 400 VALIDATION_FAILED', async () => {
    const error = await expectRefused(
      await add(family, { menuItemId: ids['Butter Naan'], quantity: 1, modifierOptionIds: ['garlic', 'truffle'] }),
      400,
      'VALIDATION_FAILED',
    );
    expect(error.details).toEqual([expect.objectContaining({ code: 'modifier_not_offered', optionId: 'truffle' })]);
  });

  it('modifier choices outside a group min/max → 400 VALIDATION_FAILED', async () => {
    // Butter Naan: choose exactly one style.
    const none = await expectRefused(await add(family, { menuItemId: ids['Butter Naan'], quantity: 1 }), 400, 'VALIDATION_FAILED');
    expect(none.details).toEqual([expect.objectContaining({ code: 'modifier_choice_count', groupId: 'style', min: 1, max: 1, chosen: 0 })]);
    const two = await expectRefused(
      await add(family, { menuItemId: ids['Butter Naan'], quantity: 1, modifierOptionIds: ['plain', 'cheese'] }),
      400,
      'VALIDATION_FAILED',
    );
    expect(two.details).toEqual([expect.objectContaining({ code: 'modifier_choice_count', groupId: 'style', chosen: 2 })]);
  });

  it('spice level the dish does not offer → 400 VALIDATION_FAILED', async () => {
    const error = await expectRefused(
      await add(family, { menuItemId: ids['Schezwan Chilli Chicken'], quantity: 1, spiceLevel: 'no-spicy' }),
      400,
      'VALIDATION_FAILED',
    );
    expect(error.details).toEqual([expect.objectContaining({ path: 'spiceLevel', allowed: ['regular', 'more-spicy'] })]);
    await expectRefused(await add(family, { menuItemId: ids['Masala Chai'], quantity: 1, spiceLevel: 'extra-hot' }), 400, 'VALIDATION_FAILED');
  });

  it('notes over 200 characters → 400 VALIDATION_FAILED', async () => {
    const error = await expectRefused(await add(family, { menuItemId: ids['Masala Chai'], quantity: 1, notes: 'n'.repeat(201) }), 400, 'VALIDATION_FAILED');
    expect(error.details).toEqual([expect.objectContaining({ path: 'notes', code: 'notes_too_long', max: 200 })]);
  });

  it('malformed ids, unknown fields and operator injection → 400 VALIDATION_FAILED', async () => {
    await expectRefused(await add(family, { menuItemId: 'not-an-id', quantity: 1 }), 400, 'VALIDATION_FAILED');
    await expectRefused(await add(family, { menuItemId: { $ne: '' }, quantity: 1 }), 400, 'VALIDATION_FAILED');
    await expectRefused(await add(family, { menuItemId: ids['Masala Chai'], quantity: 1, unitPrice: 1 }), 400, 'VALIDATION_FAILED');
    await expectRefused(await add(family, { menuItemId: ids['Masala Chai'], quantity: 1, modifierOptionIds: [{ $gt: '' }] }), 400, 'VALIDATION_FAILED');
  });

  it('no token → 401; a staff token → 403', async () => {
    const anonymous = await t.api.post('/api/cart/items', { menuItemId: ids['Masala Chai'], quantity: 1 });
    expect(anonymous.status).toBe(401);
    const { token } = await t.loginAs('MANAGER');
    const staff = await t.api.post('/api/cart/items', { menuItemId: ids['Masala Chai'], quantity: 1 }, { token });
    expect(staff.status).toBe(403);
    expect(await cartOf(family)).toEqual(before);
  });
});

describe('changing or removing a line that cannot be changed', () => {
  const patch = (guest: JoinedGuest, id: string, body: unknown) => t.api.request('PATCH', `/api/cart/items/${id}`, body, { token: guest.sessionToken });

  it('quantity out of range, notes too long, spice not offered, nothing to change → 400', async () => {
    await expectRefused(await patch(family, lineId, { quantity: 0 }), 400, 'VALIDATION_FAILED');
    await expectRefused(await patch(family, lineId, { quantity: 51 }), 400, 'VALIDATION_FAILED');
    await expectRefused(await patch(family, lineId, { notes: 'x'.repeat(201) }), 400, 'VALIDATION_FAILED');
    await expectRefused(await patch(family, lineId, { spiceLevel: 'no-spicy', quantity: 2 }), 400, 'VALIDATION_FAILED'); // comes regular or more-spicy only
    await expectRefused(await patch(family, lineId, {}), 400, 'VALIDATION_FAILED');
    await expectRefused(await patch(family, lineId, { menuItemId: ids['Masala Chai'] }), 400, 'VALIDATION_FAILED');
  });

  it('unknown line → 404 NOT_FOUND; malformed line id → 400', async () => {
    const unknown = crypto.randomUUID();
    await expectRefused(await patch(family, unknown, { quantity: 2 }), 404, 'NOT_FOUND');
    await expectRefused(await t.api.request('DELETE', `/api/cart/items/${unknown}`, undefined, { token: family.sessionToken }), 404, 'NOT_FOUND');
    await expectRefused(await patch(family, 'abc', { quantity: 2 }), 400, 'VALIDATION_FAILED');
  });

  it('a line of another device in INDIVIDUAL mode → 404 NOT_FOUND, both carts unchanged', async () => {
    const table = await t.openTable('T-9', 'INDIVIDUAL');
    const owner = await t.joinTable(table.tableId, table.pin);
    const other = await t.joinTable(table.tableId, table.pin);
    const owned = await add(owner, { menuItemId: ids['Masala Chai'], quantity: 2 });
    const ownedLine = owned.body.lines[0].lineId;
    const ownerBefore = await cartOf(owner);
    const otherBefore = await cartOf(other);
    for (const response of [
      await patch(other, ownedLine, { quantity: 5 }),
      await patch(other, ownedLine, { notes: 'mine now' }),
      await t.api.request('DELETE', `/api/cart/items/${ownedLine}`, undefined, { token: other.sessionToken }),
    ]) {
      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe('NOT_FOUND');
    }
    expect(await cartOf(owner)).toEqual(ownerBefore);
    expect(await cartOf(other)).toEqual(otherBefore);
    expect(ownerBefore.version).toBe(1);
    expect(otherBefore.version).toBe(0);
  });
});
