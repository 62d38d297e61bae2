import { afterEach, describe, expect, it, vi } from 'vitest';
import '../../web/diner/messages.ts';
import { handlePush } from '../../web/diner/live.ts';
import { cart, guest, notice, orders, say, words, wordsText, type Guest } from '../../web/diner/store.ts';
import type { Cart, Order } from '../../web/shared/types.ts';
import { lang, setLang } from '../../web/shared/i18n.ts';

describe('diner notices', () => {
  afterEach(() => setLang('en'));

  it('a notice on screen is worded in the language of the moment, not the one it was raised in', () => {
    setLang('en');
    say(words('orders.placedByTable', { number: '007' }), 'success');
    const shown = () => wordsText(notice.value!.words);
    const english = shown();
    expect(english).toContain('007');
    setLang('hi');
    expect(lang.value).toBe('hi');
    const hindi = shown();
    expect(hindi).toContain('007');
    expect(hindi).not.toBe(english);
    expect(hindi).toMatch(/[\u0900-\u097F]/);
  });

  it('keeps words the server sent as they are', () => {
    say({ text: 'The tandoor is closed tonight' }, 'error');
    setLang('hi');
    expect(wordsText(notice.value!.words)).toBe('The tandoor is closed tonight');
  });

  it('one order.updated per kitchen change: a dish turning READY is announced by name, other changes are not', () => {
    setLang('en');
    const item = (menuItemName: string, itemStatus: string) => ({ menuItemName, itemStatus, quantity: 1 });
    const order = (statuses: [string, string]) =>
      ({ orderId: 'o-ready', orderNumber: '012', status: 'preparing', items: [item('Paneer Tikka', statuses[0]), item('Sweet Lassi', statuses[1])] }) as unknown as Order;
    orders.value = [order(['COOKING', 'NEW'])];
    say({ text: 'before' });
    handlePush({ type: 'order.updated', order: order(['COOKING', 'COOKING']) } as never);
    expect(wordsText(notice.value!.words)).toBe('before');
    handlePush({ type: 'order.updated', order: order(['READY', 'COOKING']) } as never);
    expect(wordsText(notice.value!.words)).toBe('Paneer Tikka is ready!');
    expect(orders.value[0].items.map((i) => i.itemStatus)).toEqual(['READY', 'COOKING']);
    say({ text: 'after' });
    handlePush({ type: 'order.updated', order: order(['SERVED', 'COOKING']) } as never);
    expect(wordsText(notice.value!.words)).toBe('after');
  });

  describe('a table-mate changes the cart, then places it (FAMILY)', () => {
    const line = (lineId: string) => ({ lineId, menuItemId: lineId, menuItemName: lineId, quantity: 1, modifiers: [], deviceId: 'ravi' });
    const tableCart = (version: number, lineIds: string[]) => ({ version, lines: lineIds.map(line) }) as unknown as Cart;
    const placed = { orderId: 'o-placed', orderNumber: '001', status: 'placed', deviceId: 'ravi', items: [] } as unknown as Order;

    afterEach(() => vi.useRealTimers());

    function atTheTable(): void {
      vi.useFakeTimers();
      setLang('en');
      guest.value = { sessionId: 's', mode: 'FAMILY', deviceId: 'asha', table: { tableId: 't', name: 'T-4' } } as unknown as Guest;
      orders.value = [];
      cart.value = tableCart(1, ['paneer']);
      notice.value = null;
    }

    it('the order placed within a moment of the change is what the phone says, not the earlier change', () => {
      atTheTable();
      // Ravi adds a dish; a moment later (before the cart notice's wait is over) he places the order.
      handlePush({ type: 'cart.updated', cart: tableCart(2, ['paneer', 'chai']) } as never);
      vi.advanceTimersByTime(400);
      handlePush({ type: 'order.updated', order: placed } as never);
      handlePush({ type: 'cart.updated', cart: tableCart(3, []) } as never);
      expect(wordsText(notice.value!.words)).toBe('Your table placed order 001.');
      vi.advanceTimersByTime(2000);
      expect(wordsText(notice.value!.words)).toBe('Your table placed order 001.');
    });

    it('a change by another phone alone is still told, once its wait is over', () => {
      atTheTable();
      handlePush({ type: 'cart.updated', cart: tableCart(2, ['paneer', 'chai']) } as never);
      expect(notice.value).toBeNull();
      vi.advanceTimersByTime(1200);
      expect(wordsText(notice.value!.words)).toBe('The table cart was updated by another guest.');
    });
  });
});
