/**
 * The kitchen app's socket wiring (web/kitchen/store.ts): a new socket asks for its id with a
 * `sync`, and the tablet's changes name it (`X-Plato-Connection-Id`), so their pushes skip this
 * tablet (the server side: test/integration/kitchen/kitchen-own-socket.test.ts). A fake WebSocket and a
 * fake API client stand in for the browser's and the server.
 */
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { createKitchen } from '../../web/kitchen/store.ts';
import type { ApiClient } from '../../web/shared/api.ts';

class FakeSocket {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: { action: string }[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.readyState = 3;
  }
}

const ticket = {
  orderId: '65a000000000000000000001',
  orderNumber: 'A-1',
  status: 'confirmed',
  items: [{ index: 0, itemStatus: 'NEW', station: 'GRILL', menuItemName: 'Seekh Kebab', quantity: 1 }],
} as any;
const calls: { method: string; path: string; options?: { headers?: Record<string, string> } }[] = [];
const api = {
  get: async (path: string) =>
    path.startsWith('/kitchen/all-day')
      ? { ticketTimes: [] }
      : { serverTime: new Date().toISOString(), urgency: {}, stations: [], stationNames: {}, floorNames: {}, orders: [] },
  patch: async (path: string, _body: unknown, options?: { headers?: Record<string, string> }) => {
    calls.push({ method: 'PATCH', path, options });
    return { ticket: { ...ticket, items: [{ ...ticket.items[0], itemStatus: 'COOKING' }] } };
  },
  post: async (path: string, _body: unknown, options?: { headers?: Record<string, string> }) => {
    calls.push({ method: 'POST', path, options });
    return { ticket: { ...ticket, bumpedAt: new Date().toISOString() } };
  },
} as unknown as ApiClient;

let original: typeof WebSocket;
beforeEach(() => {
  original = globalThis.WebSocket;
  globalThis.WebSocket = FakeSocket as unknown as typeof WebSocket;
  FakeSocket.all = [];
  calls.length = 0;
});
afterEach(() => {
  globalThis.WebSocket = original;
  vi.useRealTimers();
});

it('asks a new socket for its id and names it on the tablet’s changes; a replaced socket asks again', async () => {
  const kitchen = createKitchen(api, 'ws://plato.test/ws');
  kitchen.start();
  const socket = FakeSocket.all[0];
  socket.readyState = 1;
  socket.onopen?.();
  expect(socket.sent).toEqual([{ action: 'sync' }]);

  // Before the reply, a change names nothing (its push reaches this tablet too: harmless).
  await kitchen.advance(ticket, ticket.items[0]);
  expect(calls[0].options?.headers?.['x-plato-connection-id']).toBeUndefined();

  socket.onmessage?.({ data: JSON.stringify({ type: 'sync', connectionId: 'tablet-1=', serverTime: new Date().toISOString(), orders: [] }) });
  await kitchen.advance(ticket, ticket.items[0]);
  await kitchen.bump(ticket);
  expect(calls.slice(1).map((c) => [c.method, c.options?.headers?.['x-plato-connection-id']])).toEqual([
    ['PATCH', 'tablet-1='],
    ['POST', 'tablet-1='],
  ]);

  // The socket drops and a new one opens: it asks for its own id again.
  vi.useFakeTimers();
  socket.readyState = 3;
  socket.onclose?.();
  vi.advanceTimersByTime(60_000);
  const next = FakeSocket.all[1];
  next.readyState = 1;
  next.onopen?.();
  expect(next.sent).toEqual([{ action: 'sync' }]);
  kitchen.stop();
});
