/**
 * The kitchen from real placements (join with the PIN, cart, POST /api/orders): the payload scan over
 * every kitchen HTTP answer and every kitchen WebSocket message of a full service, then over every
 * other route and socket a kitchen token can reach (each GET of the route table, the socket
 * channels and actions), and the resync
 * after a dropped socket (orders placed while disconnected appear via GET and via the ws `sync`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTP_ROUTES, routeKeyOf, WS_ROUTES } from '../../../functions/routes.ts';
import { startTestStack, type JoinedGuest, type TestStack } from '../../support/stack.ts';
import type { ApiResponse } from '../../support/http.ts';
import type { TestWs } from '../../support/ws.ts';

const FORBIDDEN_KEYS = ['price', 'total', 'subtotal', 'tax', 'paymentStatus', 'paymentMethod', 'customerName', 'customerPhone', 'phone', 'customerId'];
const GUEST_NAME = 'Meera Iyer';
const GUEST_PHONE = '9812345670';

let t: TestStack;
let kitchenToken: string;

beforeAll(async () => {
  t = await startTestStack();
  kitchenToken = (await t.loginAs('KITCHEN')).token;
});
afterAll(() => t?.stop());

interface CartLineSpec {
  name: string;
  quantity?: number;
  modifierOptionIds?: string[];
  spiceLevel?: string;
  notes?: string;
}

/** A guest at the table orders through the real API: cart lines, then POST /api/orders with an Idempotency-Key. */
async function placeOrder(guest: JoinedGuest, lines: CartLineSpec[]): Promise<{ orderId: string; orderNumber: string }> {
  let version = 0;
  for (const line of lines) {
    const extra = { modifierOptionIds: line.modifierOptionIds, spiceLevel: line.spiceLevel, notes: line.notes };
    version = (await t.addToCart(guest, line.name, line.quantity ?? 1, extra)).version;
  }
  const placed = await t.orderCart(guest, version);
  return { orderId: placed.orderId, orderNumber: placed.orderNumber };
}

async function seatGuest(tableNumber: string, mode: 'FAMILY' | 'INDIVIDUAL' = 'FAMILY', identify = false): Promise<{ guest: JoinedGuest; socket: TestWs }> {
  const table = await t.openTable(tableNumber, mode);
  const guest = await t.joinTable(table.tableId, table.pin);
  if (identify) expect((await t.api.post('/api/customers/identify', { name: GUEST_NAME, phone: GUEST_PHONE }, { token: guest.sessionToken })).status).toBe(200);
  const socket = await t.connectWs({ token: guest.sessionToken });
  return { guest, socket };
}

const kitchenSocket = (station?: string): Promise<TestWs> => t.connectWs({ token: kitchenToken, channel: 'kitchen', station });

/** Every key (at any depth) of a JSON value. */
function keysDeep(value: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => keysDeep(v, out));
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      out.add(key);
      keysDeep(inner, out);
    }
  }
  return out;
}

describe('payload scan: nothing about money or the guest ever reaches a kitchen screen', () => {
  it('scans every kitchen HTTP answer and every kitchen WebSocket message of a full service', async () => {
    const http: { route: string; response: ApiResponse }[] = [];
    const kitchen = (route: string, response: ApiResponse) => {
      http.push({ route, response });
      return response;
    };
    /** Route keys the kitchen token called: every route the table lets KITCHEN call must be among them. */
    const reached = new Set<string>(['GET /api/kitchen/orders', 'GET /api/kitchen/all-day']);
    const all = await kitchenSocket();
    const grill = await kitchenSocket('GRILL');
    const bar = await kitchenSocket('BAR');
    // A kitchen token without a channel lands on the kitchen channel; the staff channel (floor and
    // orders with guests' names) refuses it.
    const bare = await t.connectWs({ token: kitchenToken });
    await expect(t.connectWs({ token: kitchenToken, channel: 'staff' })).rejects.toMatchObject({ status: 403 });

    const { guest, socket: guestSocket } = await seatGuest('T-5', 'FAMILY', true);
    const paneer = await t.dish('Paneer Tikka');
    const order = await placeOrder(guest, [
      { name: 'Paneer Tikka', quantity: 2, modifierOptionIds: [paneer.modifierGroups[0].options.at(-1)!.id], spiceLevel: 'more-spicy', notes: 'no onion' },
      { name: 'Butter Chicken', modifierOptionIds: ['extra-gravy'] },
      { name: 'Masala Chai', quantity: 3 },
    ]);
    const created = await all.waitFor((m) => m.type === 'order.created' && m.ticket.orderId === order.orderId);
    expect(created.ticket).toMatchObject({
      orderNumber: order.orderNumber,
      table: { number: 'T-5' },
      items: [
        { index: 0, name: 'Paneer Tikka', quantity: 2, spiceLevel: 'more-spicy', notes: 'no onion', station: 'TANDOOR', itemStatus: 'NEW' },
        { index: 1, name: 'Butter Chicken', modifiers: ['Extra gravy'], station: 'GRILL' },
        { index: 2, name: 'Masala Chai', quantity: 3, station: 'BAR' },
      ],
    });
    await grill.waitFor((m) => m.type === 'order.created' && m.ticket.orderId === order.orderId);
    await bar.waitFor((m) => m.type === 'order.created' && m.ticket.orderId === order.orderId);

    const id = order.orderId;
    const patch = (index: number, status: string, token = kitchenToken) => {
      reached.add('PATCH /api/kitchen/orders/{orderId}/items/{itemIndex}');
      return t.api.request('PATCH', `/api/kitchen/orders/${id}/items/${index}`, { status }, { token });
    };
    kitchen('GET orders', await t.api.get('/api/kitchen/orders', { token: kitchenToken }));
    kitchen('GET orders?station', await t.api.get('/api/kitchen/orders?station=GRILL', { token: kitchenToken }));
    kitchen('GET all-day', await t.api.get('/api/kitchen/all-day', { token: kitchenToken }));
    kitchen('GET all-day?station', await t.api.get('/api/kitchen/all-day?station=BAR', { token: kitchenToken }));
    for (const [index, status] of [[0, 'COOKING'], [0, 'READY'], [0, 'COOKING'], [0, 'READY'], [1, 'COOKING'], [2, 'COOKING'], [2, 'READY']] as const) {
      expect(kitchen(`PATCH ${index} ${status}`, await patch(index, status)).status).toBe(200);
    }
    expect(kitchen('PATCH conflict', await patch(2, 'NEW')).status).toBe(409); // READY → NEW skips a step
    expect(kitchen('PATCH forbidden', await patch(1, 'CANCELLED')).status).toBe(403);
    const manager = (await t.loginAs('MANAGER')).token;
    expect(kitchen('PATCH cancel', await patch(1, 'CANCELLED', manager)).status).toBe(200);
    expect(kitchen('bump', await t.api.post(`/api/kitchen/orders/${id}/bump`, {}, { token: kitchenToken })).status).toBe(200);
    kitchen('GET bumped', await t.api.get('/api/kitchen/orders?status=bumped', { token: kitchenToken }));
    expect(kitchen('bump again', await t.api.post(`/api/kitchen/orders/${id}/bump`, {}, { token: kitchenToken })).status).toBe(409);
    expect(kitchen('recall', await t.api.post(`/api/kitchen/orders/${id}/recall`, {}, { token: kitchenToken })).status).toBe(200);
    reached.add('POST /api/kitchen/orders/{orderId}/bump').add('POST /api/kitchen/orders/{orderId}/recall');
    for (const [index, status] of [[0, 'SERVED'], [2, 'SERVED']] as const) expect(kitchen(`PATCH ${index} ${status}`, await patch(index, status)).status).toBe(200);
    for (const socket of [all, grill, bar, bare]) {
      socket.send({ action: 'sync' });
      socket.send({ action: 'ping' });
      socket.send({ action: 'no-such-action' }); // $default
    }
    // The last change (order completed) has reached every socket, and each answered its sync.
    await all.waitFor((m) => m.type === 'kitchen.ticket_removed' && m.orderId === id && m.reason === 'completed');
    // ping and $default run in the edge function's containers, cold here and one invocation at a
    // time (local/gateway/containers.ts): eight answers may queue behind its cold start under load.
    const answered = 20_000;
    for (const socket of [all, grill, bar, bare]) {
      await socket.waitFor((m) => m.type === 'sync', answered);
      await socket.waitFor((m) => m.type === 'pong', answered);
      await socket.waitFor((m) => m.type === 'error', answered);
    }
    // The kitchen's socket reached every WebSocket route.
    expect(WS_ROUTES.map((route) => route.routeKey).sort()).toEqual(['$connect', '$default', '$disconnect', 'ping', 'sync']);

    // Every GET of the route table as a kitchen tablet could call it, with real ids: served or
    // refused, none may carry a guest's name or phone (the staff floor lists them: WAITER only).
    for (const route of HTTP_ROUTES.filter((each) => each.method === 'GET')) {
      const path = route.path.replace('{sessionId}', guest.sessionId);
      reached.add(routeKeyOf(route));
      kitchen(routeKeyOf(route), await t.api.get(path, { token: kitchenToken }));
    }
    const kitchenRoutes = HTTP_ROUTES.filter((route) => route.auth.kind === 'staff' && route.auth.minRole === 'KITCHEN').map(routeKeyOf);
    expect(kitchenRoutes.filter((key) => !reached.has(key))).toEqual([]);
    expect(http.find(({ route }) => route === 'GET /api/staff/tables')?.response.status).toBe(403);
    // The guest saw the kitchen's progress live.
    expect(await guestSocket.waitFor((m) => m.type === 'order.updated' && m.order.orderId === id && m.order.items[2].itemStatus === 'SERVED')).toBeTruthy();

    const wsMessages = [...all.messages, ...grill.messages, ...bar.messages, ...bare.messages];
    expect(wsMessages.filter((m) => m.type === 'kitchen.ticket').length).toBeGreaterThanOrEqual(9);
    expect(http.length).toBe(20 + HTTP_ROUTES.filter((route) => route.method === 'GET').length);
    const payloads: { where: string; body: unknown }[] = [
      ...http.map(({ route, response }) => ({ where: `HTTP ${route}`, body: response.body })),
      ...wsMessages.map((m, i) => ({ where: `WS #${i} ${m.type}`, body: m })),
    ];
    for (const { where, body } of payloads) {
      // The public menu's prices are public; the guest's name and phone never are.
      const keys = where === 'HTTP GET /api/menu' ? FORBIDDEN_KEYS.filter((key) => key !== 'price') : FORBIDDEN_KEYS;
      const found = [...keysDeep(body)].filter((key) => keys.includes(key));
      expect(found, where).toEqual([]);
      const text = JSON.stringify(body);
      expect(text, where).not.toContain(GUEST_PHONE);
      expect(text, where).not.toContain(GUEST_NAME);
    }
  });
});

describe('resync after a dropped socket', () => {
  it('orders placed while a kitchen tablet was disconnected appear after it reconnects (HTTP and ws sync)', async () => {
    const before = await kitchenSocket();
    const { guest } = await seatGuest('T-6');
    const first = await placeOrder(guest, [{ name: 'Dal Makhani' }]);
    await before.waitFor((m) => m.type === 'order.created' && m.ticket.orderId === first.orderId);

    await before.close(); // the tablet drops off the network
    const missed = [await placeOrder(guest, [{ name: 'Seekh Kebab', quantity: 2 }]), await placeOrder(guest, [{ name: 'Masala Chai' }])];

    const after = await kitchenSocket();
    const reloaded = await t.api.get('/api/kitchen/orders', { token: kitchenToken });
    expect(reloaded.status).toBe(200);
    const listed = reloaded.body.orders.map((o: { orderId: string }) => o.orderId);
    for (const order of [first, ...missed]) expect(listed).toContain(order.orderId);

    after.send({ action: 'sync' });
    const sync = await after.waitFor((m) => m.type === 'sync');
    const synced = sync.orders.map((o: { orderId: string }) => o.orderId);
    for (const order of [first, ...missed]) expect(synced).toContain(order.orderId);
    // Oldest first, as on the screen.
    expect(synced.indexOf(first.orderId)).toBeLessThan(synced.indexOf(missed[0].orderId));
    expect(synced.indexOf(missed[0].orderId)).toBeLessThan(synced.indexOf(missed[1].orderId));

    // And the reconnected socket is live again.
    const next = await placeOrder(guest, [{ name: 'Gulab Jamun' }]);
    await after.waitFor((m) => m.type === 'order.created' && m.ticket.orderId === next.orderId);
  });
});
