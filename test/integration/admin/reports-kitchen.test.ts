/**
 * The kitchen-times report over the local runtime: dishes moved through the kitchen display appear
 * under their station (placed → ready, ready → served); on a day of fixture orders with known
 * timings the p50/p90 per station and the slowest dishes are exact; the CSV has them too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderItem } from '../../../functions/data/documents.ts';
import { ORDERS_COLLECTION, orderDoc, orderLine } from '../../support/order-docs.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';

let t: TestStack;
let manager: string;
let kitchen: string;

beforeAll(async () => {
  t = await startTestStack();
  manager = (await t.loginAs('MANAGER')).token;
  kitchen = (await t.loginAs('KITCHEN')).token;
});
afterAll(() => t?.stop());

const report = (query = '') => t.api.get(`/api/staff/reports/kitchen${query}`, { token: manager });
const move = (orderId: string, index: number, status: string) => t.api.request('PATCH', `/api/kitchen/orders/${orderId}/items/${index}`, { status }, { token: kitchen });

interface StationRow {
  station: string;
  placedToReady: { count: number; p50Seconds: number | null; p90Seconds: number | null };
  readyToServed: { count: number; p50Seconds: number | null; p90Seconds: number | null };
}

describe('kitchen times', () => {
  it('counts the dishes the kitchen made ready and served today, per station', async () => {
    const before: StationRow[] = (await report()).body.stations;
    const countOf = (rows: StationRow[], station: string) => rows.find((row) => row.station === station) ?? { placedToReady: { count: 0 }, readyToServed: { count: 0 } };
    const table = await t.freshTable('T-4', 'FAMILY');
    const guest = await t.joinTable(table.tableId, table.pin);
    await t.addToCart(guest, 'Seekh Kebab', 1);
    await t.addToCart(guest, 'Vegetable Samosa', 1);
    const { orderId } = await t.orderCart(guest, (await t.addToCart(guest, 'Malai Broccoli', 1)).version);
    // Kebab (GRILL) ready and served; samosa (FRYER) ready only; broccoli (TANDOOR) still cooking.
    for (const status of ['COOKING', 'READY', 'SERVED']) expect((await move(orderId, 0, status)).status).toBe(200);
    for (const status of ['COOKING', 'READY']) expect((await move(orderId, 1, status)).status).toBe(200);
    expect((await move(orderId, 2, 'COOKING')).status).toBe(200);

    const answer = await report();
    expect(answer.status).toBe(200);
    const after: StationRow[] = answer.body.stations;
    expect(countOf(after, 'GRILL').placedToReady.count - countOf(before, 'GRILL').placedToReady.count).toBe(1);
    expect(countOf(after, 'GRILL').readyToServed.count - countOf(before, 'GRILL').readyToServed.count).toBe(1);
    expect(countOf(after, 'FRYER').placedToReady.count - countOf(before, 'FRYER').placedToReady.count).toBe(1);
    expect(countOf(after, 'FRYER').readyToServed.count - countOf(before, 'FRYER').readyToServed.count).toBe(0);
    expect(countOf(after, 'TANDOOR').placedToReady.count - countOf(before, 'TANDOOR').placedToReady.count).toBe(0);
    expect(answer.body.slowest.map((dish: { name: string }) => dish.name)).toEqual(expect.arrayContaining(['Seekh Kebab', 'Vegetable Samosa']));
  });

  it('p50 and p90 per station and the slowest dishes of a day are exact; the CSV says the same', async () => {
    // 2025-04-10 04:00 IST is 2025-04-09T22:30Z.
    const placed = new Date('2025-04-10T06:00:00Z');
    const at = (minutes: number) => new Date(placed.getTime() + minutes * 60_000);
    const dish = (name: string, station: string, ready: number, served?: number) =>
      orderLine({
        menuItemId: name.toLowerCase(),
        menuItemName: name,
        price: 1,
        total: 1,
        priceMinor: 100,
        totalMinor: 100,
        station,
        itemStatus: served === undefined ? 'READY' : 'SERVED',
        addedByDeviceId: 'd',
        timings: { placedAt: placed, readyAt: at(ready), ...(served === undefined ? {} : { servedAt: at(served) }) },
      });
    const order = (items: OrderItem[], restaurantId = 'demo') =>
      orderDoc({ restaurantId, deviceId: 'fixture', items, amountsMinor: { subtotal: 100, tax: 0, total: 100 }, taxRateBps: 0, status: 'completed', paymentStatus: 'paid', orderDate: placed });
    // GRILL, placed → ready: 10, 20, 30, 40 minutes (p50 20, p90 40); ready → served 2 and 4 minutes.
    // BAR: 3 and 5 minutes, never served. Another restaurant's 90-minute dish does not count.
    await t.collection(ORDERS_COLLECTION).insertMany([
      order([dish('Dal', 'GRILL', 10, 12), dish('Chai', 'BAR', 3)]),
      order([dish('Dal', 'GRILL', 20, 24), dish('Chai', 'BAR', 5)]),
      order([dish('Kebab', 'GRILL', 30), dish('Kebab', 'GRILL', 40)]),
      order([dish('Dal', 'GRILL', 90, 95)], 'other'),
    ] as never[]);

    const body = (await report('?date=2025-04-10')).body;
    expect(body.stations).toEqual([
      { station: 'BAR', placedToReady: { count: 2, p50Seconds: 180, p90Seconds: 300 }, readyToServed: { count: 0, p50Seconds: null, p90Seconds: null } },
      { station: 'GRILL', placedToReady: { count: 4, p50Seconds: 1200, p90Seconds: 2400 }, readyToServed: { count: 2, p50Seconds: 120, p90Seconds: 240 } },
    ]);
    expect(body.slowest).toEqual([
      { menuItemId: 'kebab', name: 'Kebab', station: 'GRILL', count: 2, p50Seconds: 1800, p90Seconds: 2400 },
      { menuItemId: 'dal', name: 'Dal', station: 'GRILL', count: 2, p50Seconds: 600, p90Seconds: 1200 },
      { menuItemId: 'chai', name: 'Chai', station: 'BAR', count: 2, p50Seconds: 180, p90Seconds: 300 },
    ]);

    const response = await fetch(new URL('/api/staff/reports/kitchen?date=2025-04-10&format=csv', t.baseUrl), { headers: { authorization: `Bearer ${manager}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="plato-kitchen-2025-04-10.csv"');
    const lines = (await response.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('kind,station,menuItemId,menuItemName,dishes,placedToReadyP50Seconds,placedToReadyP90Seconds,served,readyToServedP50Seconds,readyToServedP90Seconds');
    expect(lines).toContain('station,GRILL,,,4,1200,2400,2,120,240');
    expect(lines).toContain('station,BAR,,,2,180,300,0,,');
    expect(lines).toContain('slowDish,GRILL,kebab,Kebab,2,1800,2400,,,');
  });

  it('is for managers: a waiter is refused', async () => {
    expect((await t.api.get('/api/staff/reports/kitchen', { token: (await t.loginAs('WAITER')).token })).status).toBe(403);
  });
});
