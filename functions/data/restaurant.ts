/**
 * The restaurant this stack serves: its settings document, cached per container for a short while
 * (settings change rarely; a minute of staleness is acceptable and saves a round trip per request).
 */
import type { RestaurantDoc } from '../data/documents.ts';
import { collections } from '../data/mongo.ts';
import { config } from '../platform/config.ts';
import { DomainError } from '../core/errors.ts';
import { DEFAULT_DAY_START } from '../core/business-day.ts';

export const DEFAULT_GUEST_DATA_RETENTION_DAYS = 365;

const CACHE_MS = 60_000;
let cached: { value: RestaurantDoc; at: number } | undefined;

export async function restaurant(): Promise<RestaurantDoc> {
  if (cached && Date.now() - cached.at < CACHE_MS) return cached.value;
  const { restaurants } = await collections();
  const value = await restaurants.findOne({ _id: config().restaurantId, restaurantId: config().restaurantId });
  if (!value) throw new DomainError('SERVICE_UNAVAILABLE', 'This restaurant is not set up yet', { retryAfterSeconds: 30 });
  cached = { value, at: Date.now() };
  return value;
}

/** The settings as stored now (read past the cache, and cached): for answers that must show a manager's change at once. */
export async function freshRestaurant(): Promise<RestaurantDoc> {
  cached = undefined;
  return restaurant();
}

/** Forget the cached settings (after a manager changes them, and in tests). */
export const forgetRestaurant = (): void => {
  cached = undefined;
};

/** Settings that deployment configuration provides (env) when the restaurant document is first created. */
export function defaultRestaurant(now = new Date()): RestaurantDoc {
  const { restaurantId } = config();
  return {
    _id: restaurantId,
    restaurantId,
    slug: restaurantId,
    name: process.env.RESTAURANT_NAME || restaurantId,
    currency: process.env.CURRENCY || 'INR',
    taxRateBps: Number(process.env.TAX_RATE_BPS ?? 500),
    timeZone: process.env.TIME_ZONE || 'Asia/Kolkata',
    dayStart: process.env.DAY_START || DEFAULT_DAY_START,
    guestDataRetentionDays: Number(process.env.GUEST_DATA_RETENTION_DAYS || DEFAULT_GUEST_DATA_RETENTION_DAYS),
    locale: process.env.LOCALE || 'en-IN',
    orderApproval: process.env.ORDER_APPROVAL === 'waiter' ? 'waiter' : 'auto',
    phoneVerification: process.env.PHONE_VERIFICATION === 'off' ? 'off' : 'sms',
    upiVpa: process.env.UPI_VPA || undefined,
    urgency: { urgentMinutes: 10, criticalMinutes: 15 },
    languages: (process.env.MENU_LANGUAGES || 'en,hi').split(',').map((s) => s.trim()).filter(Boolean),
    defaultLanguage: process.env.MENU_DEFAULT_LANGUAGE || 'en',
    stations: (process.env.STATIONS || 'GRILL,FRYER,TANDOOR,BAR,COLD').split(',').map((s) => s.trim()).filter(Boolean),
    createdAt: now,
    updatedAt: now,
  };
}

/** Creates the restaurant document if it does not exist; never overwrites what managers changed. */
export async function ensureRestaurant(): Promise<void> {
  const { restaurants } = await collections();
  const { _id, ...fields } = defaultRestaurant();
  await restaurants.updateOne({ _id }, { $setOnInsert: fields }, { upsert: true });
}
