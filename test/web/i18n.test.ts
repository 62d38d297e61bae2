/**
 * Every message of the three apps exists in English and Hindi with the same placeholders: a key
 * missing in Hindi would silently show English to a Hindi reader, a placeholder lost in translation
 * would show "{n}" instead of a number.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { messageKeys, setLang, t } from '../../web/shared/i18n.ts';

beforeAll(async () => {
  await import('../../web/diner/messages.ts');
  await import('../../web/kitchen/messages.ts');
  await import('../../web/staff/messages.ts');
});

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe('the message catalogue', () => {
  it('has a Hindi text for every English key, and no Hindi key without an English one', () => {
    const en = new Set(messageKeys('en'));
    const hi = new Set(messageKeys('hi'));
    expect([...en].filter((key) => !hi.has(key))).toEqual([]);
    expect([...hi].filter((key) => !en.has(key))).toEqual([]);
  });

  it('keeps the same placeholders in both languages', () => {
    const mismatched: string[] = [];
    for (const key of messageKeys('en')) {
      setLang('en');
      const en = t(key);
      setLang('hi');
      const hi = t(key);
      if (JSON.stringify(placeholders(en)) !== JSON.stringify(placeholders(hi))) mismatched.push(`${key}: ${en} / ${hi}`);
    }
    setLang('en');
    expect(mismatched).toEqual([]);
  });
});
