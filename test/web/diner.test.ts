import { describe, expect, it } from 'vitest';
import { guestName } from '../../functions/core/guest-name.ts';
import { createApiClient } from '../../web/shared/api.ts';
import { pendingFor, submitOrder, unresolvedPending, type PendingOrder, type PendingStore } from '../../web/diner/placement.ts';
import { billDeviceIds, dueDishes, itemSplitQuery, safeUpiLink, shareRows, tablePhones } from '../../web/diner/split.ts';
import type { BillSplit, Order } from '../../web/shared/types.ts';
import { chooseMenuLang } from '../../web/diner/menu-language.ts';
import { tabOfHash } from '../../web/diner/store.ts';

function memoryStore(): PendingStore & { value: PendingOrder | undefined } {
  const store = {
    value: undefined as PendingOrder | undefined,
    read: () => (store.value ? structuredClone(store.value) : undefined),
    write: (v: PendingOrder | undefined) => {
      store.value = v ? structuredClone(v) : undefined;
    },
  };
  return store;
}

const ORDER = { orderId: 'o1', orderNumber: 'A-001', status: 'confirmed', items: [], subtotal: 100, tax: 5, total: 105, orderDate: '2025-01-01T00:00:00Z' };

describe('idempotency key keeping', () => {
  it('keeps one key per session and cart version, stored before use', () => {
    const store = memoryStore();
    const first = pendingFor('s1', 4, undefined, store);
    expect(first.key).toMatch(/^[0-9a-f-]{36}$/);
    expect(store.value?.key).toBe(first.key);
    expect(pendingFor('s1', 4, undefined, store).key).toBe(first.key);
    expect(pendingFor('s1', 5, undefined, store).key).not.toBe(first.key);
    expect(pendingFor('s2', 5, undefined, store).key).not.toBe(first.key);
  });

  it('drops a pending key of another session on resume', () => {
    const store = memoryStore();
    pendingFor('old', 1, undefined, store);
    expect(unresolvedPending('new', store)).toBeUndefined();
    expect(store.value).toBeUndefined();
  });

  it('retries with the same key and body after network failures and IN_PROGRESS, then forgets it on 201', async () => {
    const store = memoryStore();
    const pending = pendingFor('s1', 7, undefined, store);
    const seen: { key: string | null; body: string }[] = [];
    let call = 0;
    const fetchImpl = (async (_url: string, init: RequestInit) => {
      seen.push({ key: new Headers(init.headers).get('idempotency-key'), body: String(init.body) });
      call++;
      if (call === 1) throw new TypeError('network down');
      if (call === 2) return new Response(JSON.stringify({ error: { code: 'IN_PROGRESS', message: 'busy' } }), { status: 409, headers: { 'retry-after': '1' } });
      if (call === 3) return new Response('bad gateway', { status: 502 });
      return new Response(JSON.stringify(ORDER), { status: 201 });
    }) as unknown as typeof fetch;
    const waits: number[] = [];
    const outcome = await submitOrder(createApiClient('/api', fetchImpl), pending, { store, sleep: async (ms) => void waits.push(ms) });
    expect(outcome.kind).toBe('placed');
    expect(seen).toHaveLength(4);
    expect(new Set(seen.map((s) => s.key))).toEqual(new Set([pending.key]));
    expect(new Set(seen.map((s) => s.body))).toEqual(new Set(['{"cartVersion":7}']));
    expect(waits[1]).toBe(1000); // Retry-After honoured
    expect(store.value).toBeUndefined();
  });

  it('keeps the key when no definitive answer came, and on 401; drops it on CART_CHANGED', async () => {
    const store = memoryStore();
    const pending = pendingFor('s1', 2, undefined, store);
    const down = (async () => {
      throw new TypeError('offline');
    }) as unknown as typeof fetch;
    const unknown = await submitOrder(createApiClient('/api', down), pending, { store, maxAttempts: 3, sleep: async () => {} });
    expect(unknown.kind).toBe('unknown');
    expect(store.value?.key).toBe(pending.key);

    const expired = (async () => new Response(JSON.stringify({ error: { code: 'TOKEN_EXPIRED', message: 'x' } }), { status: 401 })) as unknown as typeof fetch;
    expect((await submitOrder(createApiClient('/api', expired), pending, { store, sleep: async () => {} })).kind).toBe('auth');
    expect(store.value?.key).toBe(pending.key);

    const changed = (async () => new Response(JSON.stringify({ error: { code: 'CART_CHANGED', message: 'x', details: { cart: {} } } }), { status: 409 })) as unknown as typeof fetch;
    const refused = await submitOrder(createApiClient('/api', changed), pending, { store, sleep: async () => {} });
    expect(refused.kind).toBe('refused');
    expect(store.value).toBeUndefined();
  });
});

describe('split display', () => {
  const labels = { share: (n: number) => `Share ${n}`, you: 'you', guest: (deviceId: string) => guestName(undefined, deviceId) };
  it('labels equal shares in order and keeps the server amounts', () => {
    const split: BillSplit = {
      by: 'equal',
      total: 1000,
      currency: 'INR',
      reference: 'T1 bill 001',
      shares: [
        { label: 'Share 1 of 3', amount: 334 },
        { label: 'Share 2 of 3', amount: 333 },
        { label: 'Share 3 of 3', amount: 333 },
      ],
    };
    const rows = shareRows(split, 'd1', labels);
    expect(rows.map((r) => r.label)).toEqual(['Share 1', 'Share 2', 'Share 3']);
    expect(rows.reduce((s, r) => s + r.amount, 0)).toBe(split.total);
  });
  it('puts this phone first when split by phone, names the others, the unnamed by the one guest rule', () => {
    const split: BillSplit = {
      by: 'device',
      total: 1000,
      currency: 'INR',
      reference: 'T1 bill 001',
      shares: [
        { label: 'Asha', deviceId: 'a', name: 'Asha', amount: 500 },
        { label: 'Guest 1', deviceId: 'me', amount: 300, isYou: true },
        { label: 'Guest B_K9', deviceId: 'x-b_k9', amount: 100 },
        { label: 'Guest C7Q2', deviceId: 'c7q2', amount: 100 },
      ],
    };
    expect(shareRows(split, 'me', labels).map((r) => [r.label, r.amount, r.mine])).toEqual([
      ['you', 300, true],
      ['Asha', 500, false],
      ['Guest XBK9', 100, false], // no "-" or "_" from the base64url id
      ['Guest C7Q2', 100, false],
    ]);
  });
  it('trusts the server’s isYou for by-item splits too', () => {
    const split: BillSplit = { by: 'item', total: 300, currency: 'INR', reference: 'T1 bill 001', shares: [{ label: 'Guest 1', deviceId: 'x', amount: 100 }, { label: 'Guest 2', deviceId: 'y', amount: 200, isYou: true }] };
    expect(shareRows(split, undefined, labels).map((r) => [r.label, r.mine])).toEqual([
      ['you', true],
      ['Guest X', false],
    ]);
  });
  it('only accepts upi://pay links', () => {
    expect(safeUpiLink('upi://pay?pa=x@y&am=10.00')).toBe('upi://pay?pa=x@y&am=10.00');
    expect(safeUpiLink('javascript:alert(1)')).toBeUndefined();
  });
});

describe('sharing a dish', () => {
  const labels = { share: (n: number) => `Share ${n}`, you: 'You', guest: (deviceId: string) => guestName(undefined, deviceId) };
  const item = (index: number, addedByDeviceId: string, patch: Partial<Order['items'][number]> = {}): Order['items'][number] => ({
    index,
    menuItemId: 'm',
    menuItemName: 'Masala Chai',
    quantity: 2,
    price: 8000,
    total: 16000,
    modifiers: [],
    station: 'BAR',
    itemStatus: 'NEW',
    addedByDeviceId,
    ...patch,
  });
  const order = (orderId: string, deviceId: string, items: Order['items'], patch: Partial<Order> = {}): Order => ({
    orderId,
    orderNumber: orderId,
    status: 'confirmed',
    paymentStatus: 'pending',
    items,
    subtotal: 0,
    tax: 0,
    total: 0,
    orderDate: '2025-01-01T10:00:00Z',
    updatedAt: '2025-01-01T10:00:00Z',
    tableNumber: 'T-4',
    deviceId,
    ...patch,
  });

  it('lists the phones of the by-phone split as it names them, then the other phones at the table, this phone first', () => {
    const deviceSplit: BillSplit = {
      by: 'device',
      total: 46200,
      currency: 'INR',
      reference: 'T1 bill 001',
      shares: [
        { label: 'Asha', name: 'Asha', amount: 29400, deviceId: 'dev-asha' },
        { label: 'Guest 1', amount: 16800, deviceId: 'dev-ravi-1' },
      ],
    };
    const atTable = [{ deviceId: 'dev-asha', name: 'Asha' }, { deviceId: 'dev-ravi-1' }, { deviceId: 'dev-mina-2' }, { deviceId: 'dev-kabir-3', name: 'Kabir' }];
    // Mina and Kabir ordered nothing: they can still share a dish.
    expect(tablePhones(deviceSplit, atTable, 'dev-ravi-1', labels)).toEqual([
      { deviceId: 'dev-ravi-1', label: 'You', mine: true },
      { deviceId: 'dev-asha', label: 'Asha', mine: false },
      { deviceId: 'dev-mina-2', label: 'Guest INA2', mine: false },
      { deviceId: 'dev-kabir-3', label: 'Kabir', mine: false },
    ]);
  });

  it('offers the unpaid, uncancelled dishes and knows every phone on the bill', () => {
    const orders = [
      order('o1', 'dev-ravi-1', [item(0, 'dev-asha', { menuItemName: 'Paneer Tikka', quantity: 1, total: 28000 }), item(1, 'dev-ravi-1'), item(2, 'dev-ravi-1', { itemStatus: 'CANCELLED' })]),
      order('o2', 'dev-mina-2', [item(0, 'dev-mina-2')], { paymentStatus: 'paid' }),
      order('o3', 'dev-old-3', [item(0, 'dev-old-3')], { status: 'cancelled' }),
    ];
    expect(dueDishes(orders)).toEqual([
      { ref: 'o1:0', menuItemId: 'm', name: 'Paneer Tikka', quantity: 1, amount: 28000 },
      { ref: 'o1:1', menuItemId: 'm', name: 'Masala Chai', quantity: 2, amount: 16000 },
    ]);
    expect(billDeviceIds(orders)).toEqual(['dev-ravi-1', 'dev-asha']);
  });

  it('writes the by=item query the server reads, leaving out dishes nobody shares', () => {
    const query = itemSplitQuery(new Map([['o1:1', ['dev-ravi-1', 'dev-asha']], ['o1:0', []], ['o2:3', ['dev-mina-2']]]));
    expect(new URLSearchParams(query).get('by')).toBe('item');
    expect(new URLSearchParams(query).get('shares')).toBe('o1:1:dev-ravi-1,dev-asha;o2:3:dev-mina-2');
    expect(itemSplitQuery(new Map([['o1:0', []]]))).toBeUndefined();
  });

  it('labels the result’s phones as the picker did', () => {
    const split: BillSplit = { by: 'item', total: 100, currency: 'INR', reference: 'T1 bill 001', shares: [{ label: 'Guest 1', amount: 60, deviceId: 'b' }, { label: 'Guest 2', amount: 40, deviceId: 'a' }] };
    expect(shareRows(split, undefined, labels, new Map([['a', 'Guest 1'], ['b', 'Guest 2']])).map((row) => row.label)).toEqual(['Guest 2', 'Guest 1']);
  });
});

describe('the menu language (menu-language.ts)', () => {
  const offered = { languages: ['en', 'hi', 'ta'], defaultLanguage: 'en' };
  it('is the guest’s pick, else the app’s language, else the default, among the languages the menu offers', () => {
    expect(chooseMenuLang(offered, 'ta', 'hi')).toBe('ta');
    expect(chooseMenuLang(offered, undefined, 'hi')).toBe('hi');
    expect(chooseMenuLang({ languages: ['en', 'ta'], defaultLanguage: 'en' }, undefined, 'hi')).toBe('en');
    // A pick the restaurant no longer offers falls back like no pick.
    expect(chooseMenuLang({ languages: ['en', 'hi'], defaultLanguage: 'en' }, 'ta', 'hi')).toBe('hi');
    expect(chooseMenuLang(undefined, 'ta', 'hi')).toBe('hi');
  });
});

describe('the tab a link opens', () => {
  it('opens the tab the address names, and the menu for anything else', () => {
    expect(tabOfHash('#cart')).toBe('cart');
    expect(tabOfHash('#orders')).toBe('orders');
    expect(tabOfHash('#bill')).toBe('bill');
    expect(tabOfHash('')).toBe('menu');
    expect(tabOfHash('#checkout')).toBe('menu');
    expect(tabOfHash('cart')).toBe('menu');
  });
});
