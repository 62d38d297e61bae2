/**
 * `/config.json` gives the apps their URLs and the restaurant's presentation settings, so the
 * same build runs locally and behind CloudFront. Loaded once; `config` is a signal the UI reads.
 */
import { signal } from '@preact/signals';
import type { AppConfig } from './types.ts';

const DEFAULTS: AppConfig = {
  restaurantId: '',
  name: 'Plato',
  currency: 'INR',
  locale: 'en-IN',
  timeZone: 'Asia/Kolkata',
  apiBase: '/api',
  wsUrl: '/ws',
};

export const config = signal<AppConfig>(DEFAULTS);

let loading: Promise<AppConfig> | undefined;

/** Fetches /config.json once (retrying a few times on a weak network), then keeps it. */
export function loadConfig(fetchImpl: typeof fetch = (...args) => fetch(...args)): Promise<AppConfig> {
  loading ??= (async () => {
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await fetchImpl('/config.json', { credentials: 'same-origin', cache: 'no-cache' });
        if (!response.ok) throw new Error('config.json: HTTP ' + response.status);
        const loaded = { ...DEFAULTS, ...((await response.json()) as Partial<AppConfig>) };
        config.value = loaded;
        return loaded;
      } catch (error) {
        if (attempt >= 3) {
          loading = undefined;
          throw error;
        }
        await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** attempt));
      }
    }
  })();
  return loading;
}
