/**
 * The tablet that makes a kitchen change gets the ticket in its HTTP answer, so the change's push
 * skips its own socket when the request names it (`X-Plato-Connection-Id`, the id its socket learnt
 * from the `sync` reply): counted on the sockets, over the local runtime. A named id only counts
 * for a socket of the caller's own sign-in: another tablet's id silences nobody.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, TEST_PASSWORD, USERNAME_OF, type TestStack } from '../../support/stack.ts';
import type { TestWs } from '../../support/ws.ts';

let t: TestStack;

beforeAll(async () => {
  t = await startTestStack();
});
afterAll(() => t?.stop());

/** A tablet on the wall: its own sign-in, its kitchen socket and the id its sync reply names. */
async function tablet(): Promise<{ token: string; socket: TestWs; connectionId: string }> {
  const login = await t.api.post<{ token: string }>('/api/staff/login', { username: USERNAME_OF.KITCHEN, password: TEST_PASSWORD });
  expect(login.status).toBe(200);
  const socket = await t.connectWs({ token: login.body.token, channel: 'kitchen' });
  socket.send({ action: 'sync' });
  const { connectionId } = await socket.waitFor((m) => m.type === 'sync');
  return { token: login.body.token, socket, connectionId };
}

async function placedOrder(tableNumber: string): Promise<string> {
  const table = await t.openTable(tableNumber, 'FAMILY');
  const guest = await t.joinTable(table.tableId, table.pin);
  const cart = await t.addToCart(guest, 'Masala Chai', 1);
  return (await t.orderCart(guest, cart.version)).orderId;
}

const about = (orderId: string) => (m: any) => m.ticket?.orderId === orderId && (m.type === 'kitchen.ticket' || m.type === 'kitchen.ticket_removed');
/** Pushes are sent before the answer; a moment more for the last frames on loopback. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

describe("a kitchen change and the changing tablet's own socket", () => {
  it('is skipped for item changes and bumps when named: the other tablet gets every push, the caller none', async () => {
    const [a, b] = [await tablet(), await tablet()];
    const orderId = await placedOrder('T-2');
    const fromA = { token: a.token, headers: { 'x-plato-connection-id': a.connectionId } };

    for (const status of ['COOKING', 'READY']) {
      const answer = await t.api.request('PATCH', `/api/kitchen/orders/${orderId}/items/0`, { status }, fromA);
      expect(answer.status).toBe(200);
      expect(answer.body.ticket.items[0].itemStatus).toBe(status);
    }
    const bumped = await t.api.post(`/api/kitchen/orders/${orderId}/bump`, undefined, fromA);
    expect(bumped.status).toBe(200);
    await b.socket.waitFor((m) => about(orderId)(m) && m.type === 'kitchen.ticket_removed');
    await settle();

    expect(b.socket.messages.filter(about(orderId))).toHaveLength(3);
    expect(a.socket.messages.filter(about(orderId))).toEqual([]);
    await Promise.all([a.socket.close(), b.socket.close()]);
  });

  it('is not skipped without the header, nor for an id another sign-in names', async () => {
    const [a, b] = [await tablet(), await tablet()];
    const orderId = await placedOrder('T-3');

    // No header: both tablets hear A's change.
    expect((await t.api.request('PATCH', `/api/kitchen/orders/${orderId}/items/0`, { status: 'COOKING' }, { token: a.token })).status).toBe(200);
    // B names A's socket: A still hears B's change.
    const borrowed = { token: b.token, headers: { 'x-plato-connection-id': a.connectionId } };
    expect((await t.api.request('PATCH', `/api/kitchen/orders/${orderId}/items/0`, { status: 'READY' }, borrowed)).status).toBe(200);
    await a.socket.waitFor((m) => about(orderId)(m) && m.ticket.items[0].itemStatus === 'READY');
    await b.socket.waitFor((m) => about(orderId)(m) && m.ticket.items[0].itemStatus === 'READY');
    await settle();

    expect(a.socket.messages.filter(about(orderId))).toHaveLength(2);
    expect(b.socket.messages.filter(about(orderId))).toHaveLength(2);
    await Promise.all([a.socket.close(), b.socket.close()]);
  });
});
