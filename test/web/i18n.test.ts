/**
 * Every message of the three apps exists in English and Hindi with the same placeholders: a key
 * missing in Hindi would silently show English to a Hindi reader, a placeholder lost in translation
 * would show "{n}" instead of a number.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ERROR_STATUS } from '../../functions/http/error-status.ts';
import { ApiError } from '../../web/shared/api.ts';
import { errorText } from '../../web/shared/error-text.ts';
import { messageKeys, setLang, t } from '../../web/shared/i18n.ts';

beforeAll(async () => {
  await import('../../web/diner/messages.ts');
  await import('../../web/kitchen/messages.ts');
  await import('../../web/staff/messages.ts');
  await import('../../web/shared/error-text.ts');
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

describe('API errors in the app’s language', () => {
  it('gives every 4xx error code the API can answer a Hindi sentence of its own, never the server’s English', () => {
    setLang('hi');
    const generic = t('common.error');
    const untranslated = Object.entries(ERROR_STATUS)
      .filter(([, status]) => status < 500)
      .filter(([code, status]) => {
        const text = errorText(new ApiError(status, code, 'English sentence from the server'));
        return text === generic || text.includes('English') || !/[\u0900-\u097F]/.test(text);
      })
      .map(([code]) => code);
    expect(untranslated).toEqual([]);
    expect(errorText(new ApiError(401, 'INVALID_CREDENTIALS', 'Invalid username or password'))).toBe('यूज़रनेम या पासवर्ड गलत है।');
    expect(errorText(new ApiError(0, 'NETWORK', 'offline'))).toBe(t('common.networkError'));
    expect(errorText(new ApiError(500, 'INTERNAL', 'boom'))).toBe(generic);
    // A payment provider that is down or refuses: its own sentence (not the generic 5xx one), in Hindi too.
    for (const [code, status] of [['PAYMENT_PROVIDER_UNAVAILABLE', 503], ['PAYMENT_PROVIDER_FAILED', 502], ['PAYMENTS_UNAVAILABLE', 503]] as const) {
      expect(ERROR_STATUS[code]).toBe(status);
      const text = errorText(new ApiError(status, code, 'English sentence from the server'));
      expect(text, code).toBe(t(`error.${code}`));
      expect(text, code).not.toBe(generic);
      expect(text, code).toMatch(/[\u0900-\u097F]/);
    }
    expect(errorText(new ApiError(503, 'PAYMENT_PROVIDER_UNAVAILABLE', 'x'))).toContain('भुगतान सेवा अभी जवाब नहीं दे रही');
    setLang('en');
    expect(errorText(new ApiError(503, 'PAYMENT_PROVIDER_UNAVAILABLE', 'x'))).toBe('The payment service is not answering right now. Nothing was charged or refunded. Please try again in a minute.');
    expect(errorText(new ApiError(502, 'PAYMENT_PROVIDER_FAILED', 'x'))).toBe('The payment service refused this. Nothing was charged or refunded.');
    expect(errorText(new ApiError(503, 'SERVICE_UNAVAILABLE', 'x'))).toBe(t('common.error'));
    // English keeps the server's own, more precise sentence.
    expect(errorText(new ApiError(403, 'FORBIDDEN', 'Only a manager can cancel an item'))).toBe('Only a manager can cancel an item');
  });
});
