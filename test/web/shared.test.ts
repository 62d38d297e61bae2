import { describe, expect, it } from 'vitest';
import { ApiError, createApiClient, parseRetryAfter } from '../../web/shared/api.ts';
import { formatCountdown, formatDateTime, formatMoney, minorDigits } from '../../web/shared/format.ts';
import { backoffDelay, resolveWsUrl } from '../../web/shared/ws.ts';
import { initialAssets, staticImports } from '../../web/scripts/check-size.ts';

describe('money', () => {
  it('formats integer minor units in the restaurant currency', () => {
    expect(formatMoney(12345, 'INR', 'en-IN')).toBe('₹123.45');
    expect(formatMoney(10000000, 'INR', 'en-IN')).toBe('₹1,00,000.00');
    expect(formatMoney(0, 'INR', 'en-IN')).toBe('₹0.00');
    expect(formatMoney(500, 'JPY', 'en-US')).toBe('¥500');
    expect(minorDigits('KWD')).toBe(3);
  });
});

describe('dates', () => {
  it('shows UTC instants in the restaurant time zone as DD/MM/YYYY HH:mm', () => {
    expect(formatDateTime('2025-01-31T18:30:00Z', 'Asia/Kolkata')).toBe('01/02/2025 00:00');
    expect(formatDateTime('2025-07-04T09:05:00Z', 'Europe/London')).toBe('04/07/2025 10:05');
  });
  it('formats countdowns', () => {
    expect(formatCountdown(65)).toBe('1:05');
    expect(formatCountdown(3725)).toBe('1:02:05');
    expect(formatCountdown(-3)).toBe('0:00');
  });
});

describe('api client', () => {
  const respond = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    (async () => new Response(body === undefined ? null : JSON.stringify(body), { status, headers })) as unknown as typeof fetch;

  it('parses the error envelope with Retry-After', async () => {
    const api = createApiClient('/api', respond(429, { error: { code: 'PIN_BLOCKED', message: 'Too many', details: { a: 1 } } }, { 'retry-after': '900' }));
    const error = await api.post('/sessions/join', { pin: '1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 429, code: 'PIN_BLOCKED', retryAfter: 900, details: { a: 1 } });
  });

  it('sends JSON with content-type and same-origin credentials on state-changing requests', async () => {
    const seen: RequestInit[] = [];
    const fetchImpl = (async (url: string, init: RequestInit) => {
      expect(url).toBe('/api/cart/items/l1');
      seen.push(init);
      return new Response('{"version":2}', { status: 200 });
    }) as unknown as typeof fetch;
    const api = createApiClient('/api', fetchImpl);
    await expect(api.del('/cart/items/l1')).resolves.toEqual({ version: 2 });
    expect(seen[0]).toMatchObject({ method: 'DELETE', credentials: 'same-origin', body: '{}' });
    expect((seen[0].headers as Record<string, string>)['content-type']).toBe('application/json');
  });

  it('reports a request with no answer as status 0 NETWORK, and a 401 token error to listeners', async () => {
    const failing = (async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof fetch;
    const error = (await createApiClient('/api', failing).get('/cart').catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(0);
    expect(error.code).toBe('NETWORK');
    expect(error.isTransient).toBe(true);

    const api = createApiClient('/api', respond(401, { error: { code: 'TOKEN_EXPIRED', message: 'expired' } }));
    const heard: string[] = [];
    api.onAuthError((e) => heard.push(e.code));
    await api.get('/sessions/me').catch(() => undefined);
    expect(heard).toEqual(['TOKEN_EXPIRED']);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('30')).toBe(30);
    expect(parseRetryAfter(new Date(Date.UTC(2030, 0, 1, 0, 1)).toUTCString(), Date.UTC(2030, 0, 1))).toBe(60);
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});

describe('socket helpers', () => {
  it('backs off exponentially with jitter, capped', () => {
    expect(backoffDelay(0, 1000, 30000, () => 1)).toBe(1000);
    expect(backoffDelay(3, 1000, 30000, () => 1)).toBe(8000);
    expect(backoffDelay(20, 1000, 30000, () => 1)).toBe(30000);
    expect(backoffDelay(5, 1000, 30000, () => 0)).toBe(250);
  });
  it('resolves /ws against the page origin', () => {
    expect(resolveWsUrl('/ws', { protocol: 'https:', host: 'x.example' })).toBe('wss://x.example/ws');
    expect(resolveWsUrl('/ws', { protocol: 'http:', host: 'localhost:3000' })).toBe('ws://localhost:3000/ws');
  });
});

describe('size check', () => {
  it('finds the initial assets of a built page and the static imports of a chunk', () => {
    const html = '<script type="module" crossorigin src="/assets/a.js"></script><link rel="modulepreload" crossorigin href="/assets/b.js"><link rel="stylesheet" crossorigin href="/assets/c.css"><link rel="icon" href="/x.png">';
    expect(initialAssets(html)).toEqual(['/assets/a.js', '/assets/b.js', '/assets/c.css']);
    expect(staticImports('import{a as b}from"./b.js";import"./c.js";const x=()=>import("./lazy.js");')).toEqual(['./b.js', './c.js']);
  });
});
