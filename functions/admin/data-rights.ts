/**
 * Guests' data rights (India's DPDP Act 2023; GDPR where a restaurant is in the EU): a manager
 * exports everything Plato holds about a phone number, or erases it; and the retention rule that
 * anonymises guests' names and phones on orders after the restaurant's retention period.
 *
 * Erasure keeps the books: amounts, dishes and dates stay; the customer document loses its name,
 * phone and favourites (its phoneNumber becomes `erased-<id>`, unique and not personal), orders lose
 * customerName and customerPhone, table sessions the name and phone on the guest's tokens. The audit
 * entry carries a keyed hash of the phone (HMAC-SHA-256 under a key derived from JWT_SECRET), never
 * the number: the same number erased twice gives the same hash, and nobody without the key can
 * test a guess against it.
 */
import { auditActor, staffActor } from '../core/events.ts';
import { createHmac, hkdfSync } from 'node:crypto';
import type { ObjectId } from 'mongodb';
import type { StaffPrincipal } from '../auth/principal.ts';
import { DomainError } from '../core/errors.ts';
import { anonymiseOrdersBefore, erasePersonalData, heldAbout, type Erasure } from '../data/data-rights-store.ts';
import { secrets } from '../platform/secrets.ts';
import { audit, type RequestOrigin } from '../data/audit.ts';
import { DEFAULT_GUEST_DATA_RETENTION_DAYS, restaurant } from '../data/restaurant.ts';

let hashKey: { secret: string; key: Buffer } | undefined;

/** HMAC-SHA-256 of the phone number, hex, under a key derived from JWT_SECRET (HKDF, its own label). */
export async function phoneHash(phone: string): Promise<string> {
  const { jwtSecret } = await secrets();
  if (hashKey?.secret !== jwtSecret) {
    hashKey = { secret: jwtSecret, key: Buffer.from(hkdfSync('sha256', jwtSecret, 'plato', 'plato data rights phone hash v1', 32)) };
  }
  return createHmac('sha256', hashKey.key).update(phone).digest('hex');
}

const actorOf = (staff: StaffPrincipal) => auditActor(staffActor(staff));

/** Everything Plato holds about a phone number in this restaurant, as JSON. */
export async function exportPhone(staff: StaffPrincipal, phone: string, origin: RequestOrigin = {}) {
  const { customerIds, customer, orders: placed, sessions } = await heldAbout(staff.restaurantId, phone);
  await audit({ action: 'DATA_EXPORTED', outcome: 'success', actor: actorOf(staff), details: { phoneHash: await phoneHash(phone), orders: placed.length, customer: Boolean(customer) }, ...origin });
  const mine = (token: { customerPhone?: string; customerId?: ObjectId }) => token.customerPhone === phone || customerIds.some((id) => token.customerId?.equals(id));
  return {
    phoneNumber: phone,
    exportedAt: new Date().toISOString(),
    customer,
    orders: placed,
    tableVisits: sessions.map((session) => ({
      tableNumber: session.tableNumber,
      floor: session.floor,
      openedAt: session.openedAt,
      closedAt: session.closedAt,
      names: [...new Set((session.customerTokens ?? []).filter(mine).map((token) => token.customerName).filter((name): name is string => Boolean(name)))],
    })),
  };
}

/** Erases a phone number's personal data, keeping the amounts; audited with the phone's keyed hash. */
export async function erasePhone(staff: StaffPrincipal, phone: string, origin: RequestOrigin = {}): Promise<Erasure> {
  const erasure = await erasePersonalData(staff.restaurantId, phone);
  if (erasure.customers + erasure.orders + erasure.tableSessions === 0) {
    await audit({ action: 'DATA_ERASED', outcome: 'failure', actor: actorOf(staff), details: { phoneHash: await phoneHash(phone), reason: 'NOTHING_HELD' }, ...origin });
    throw new DomainError('NOT_FOUND', 'Plato holds nothing about this phone number');
  }
  await audit({ action: 'DATA_ERASED', outcome: 'success', actor: actorOf(staff), details: { phoneHash: await phoneHash(phone), ...erasure }, ...origin });
  return erasure;
}

/**
 * Retention: guests' names and phones on orders older than the restaurant's retention period
 * (guestDataRetentionDays, default 365) are removed; amounts stay. Idempotent; returns how many
 * orders it anonymised. Runs when a manager closes a day.
 */
export async function anonymiseExpiredGuestData(restaurantId: string, now = new Date()): Promise<number> {
  const settings = await restaurant();
  const days = settings.guestDataRetentionDays ?? DEFAULT_GUEST_DATA_RETENTION_DAYS;
  const cutoff = new Date(now.getTime() - days * 86_400_000);
  return anonymiseOrdersBefore(restaurantId, cutoff);
}
