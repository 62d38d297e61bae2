/**
 * A revoked socket hears nothing more even when API Gateway fails to close it: revocation removes
 * the socket's record (every audience a push is sent to is read from the records) before it asks
 * API Gateway to close the socket, so a DeleteConnection that fails, or hangs, leaves an open but
 * silent socket whose next action is refused. The failures are API Gateway's, on the wire
 * (test/support/management-faults.ts); everything else is the local runtime as it runs.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startManagementFaults, type ManagementFaults } from '../../support/management-faults.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import type { TestWs } from '../../support/ws.ts';

let t: TestStack;
let faults: ManagementFaults;

beforeAll(async () => {
  faults = await startManagementFaults();
  // A long push timeout: a DeleteConnection held by the proxy stays in flight until the test releases it.
  t = await startTestStack({ env: { WS_MANAGEMENT_ENDPOINT: faults.url, PUSH_TIMEOUT_MS: '30000' } });
  faults.forwardTo(t.baseUrl);
});
afterAll(async () => {
  await t?.stop();
  await faults?.stop();
});

const isOpen = (socket: TestWs) => socket.ws.readyState === socket.ws.OPEN;

/** The socket's next action is refused, and it answers after anything pushed to it before. */
async function expectRefused(socket: TestWs) {
  const before = socket.messages.length;
  socket.send({ action: 'ping' });
  const answer = await socket.waitFor((m) => (m.type === 'error' || m.type === 'pong') && socket.messages.indexOf(m) >= before);
  expect(answer.type).toBe('error');
  expect(answer.error.code).toBe('TOKEN_EXPIRED');
}

it('a logged-out phone whose close fails gets no further push and its next action is refused', async () => {
  const table = await t.openTable('T-2');
  const leaving = await t.joinTable(table.code, table.pin);
  const staying = await t.joinTable(table.code, table.pin);
  const leavingSocket = await t.connectWs({ token: leaving.sessionToken });
  const stayingSocket = await t.connectWs({ token: staying.sessionToken });

  const close = faults.fail({ method: 'DELETE' });
  try {
    expect((await t.api.post('/api/sessions/logout', undefined, { token: leaving.sessionToken })).status).toBe(204);
    expect(close.hits).toHaveLength(1);
    expect(isOpen(leavingSocket), 'API Gateway failed to close it').toBe(true);

    await t.addToCart(staying, 'Masala Chai');
    await stayingSocket.waitFor((m) => m.type === 'cart.updated');
    await expectRefused(leavingSocket);
    expect(leavingSocket.messages.filter((m) => m.type === 'cart.updated')).toEqual([]);
  } finally {
    close.restore();
  }
});

it('while API Gateway has not answered the close, a closed table’s revoked sockets already hear nothing', async () => {
  const table = await t.openTable('T-3');
  const guest = await t.joinTable(table.code, table.pin);
  const guestSocket = await t.connectWs({ token: guest.sessionToken });
  // A guest at another table hears what every guest hears.
  const other = await t.openTable('T-4');
  const witness = await t.connectWs({ token: (await t.joinTable(other.code, other.pin)).sessionToken });
  const chai = (await t.menuItems()).find((item) => item.name === 'Masala Chai')!;
  const { token: manager } = await t.loginAs('MANAGER');
  const soldOut = (isAvailable: boolean) => t.api.request('PATCH', `/api/staff/menu/items/${chai.id}`, { isAvailable }, { token: manager });

  const close = faults.fail({ method: 'DELETE', hold: true });
  try {
    const closing = t.closeTable(table.sessionId);
    await close.seen; // the close of the guest's socket is in flight, unanswered
    await guestSocket.waitFor((m) => m.type === 'session.closed');
    const before = guestSocket.messages.length;

    expect((await soldOut(false)).status).toBe(200);
    await witness.waitFor((m) => m.type === 'menu.updated');
    expect(isOpen(guestSocket), 'API Gateway has not closed it').toBe(true);
    await expectRefused(guestSocket);
    expect(guestSocket.messages.slice(before).filter((m) => m.type === 'menu.updated')).toEqual([]);

    close.release();
    await closing;
  } finally {
    close.restore();
    await soldOut(true);
  }
});
