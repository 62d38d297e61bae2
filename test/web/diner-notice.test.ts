import { afterEach, describe, expect, it } from 'vitest';
import '../../web/diner/messages.ts';
import { notice, say, words, wordsText } from '../../web/diner/store.ts';
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
});
