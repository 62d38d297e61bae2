import { afterEach, describe, expect, it } from 'vitest';
import '../../web/diner/messages.ts';
import { handlePush } from '../../web/diner/live.ts';
import { notice, orders, say, words, wordsText } from '../../web/diner/store.ts';
import type { Order } from '../../web/shared/types.ts';
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
});
