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
import { collections } from '../data/mongo.ts';
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

async function customerIdsOf(restaurantId: string, phone: string): Promise<ObjectId[]> {
  const { customers } = await collections();
  return (await customers.find({ restaurantId, phoneNumber: phone }, { projection: { _id: 1 } }).toArray()).map((doc) => doc._id);
}

const ordersFilter = (restaurantId: string, phone: string, customerIds: ObjectId[]) => ({
  restaurantId,
  $or: [{ customerPhone: phone }, ...(customerIds.length ? [{ customerId: { $in: customerIds } }] : [])],
});

/** Everything Plato holds about a phone number in this restaurant, as JSON. */
export async function exportPhone(staff: StaffPrincipal, phone: string, origin: RequestOrigin = {}) {
  const { customers, orders, tableSessions } = await collections();
  const customerIds = await customerIdsOf(staff.restaurantId, phone);
  const [customer, placed, sessions] = await Promise.all([
    customers.findOne({ restaurantId: staff.restaurantId, phoneNumber: phone }, { projection: { visitSessionIds: 0 } }),
    orders.find(ordersFilter(staff.restaurantId, phone, customerIds), { sort: { orderDate: 1 }, projection: { idempotencyKey: 0 } }).toArray(),
    tableSessions
      .find(
        { restaurantId: staff.restaurantId, $or: [{ 'customerTokens.customerPhone': phone }, ...(customerIds.length ? [{ 'customerTokens.customerId': { $in: customerIds } }] : [])] },
        { projection: { tableNumber: 1, floor: 1, openedAt: 1, closedAt: 1, 'customerTokens.customerName': 1, 'customerTokens.customerPhone': 1, 'customerTokens.customerId': 1, 'customerTokens.issuedAt': 1 } },
      )
      .toArray(),
  ]);
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
      names: [...new Set((session.customerTokens ?? []).filter(mine).map((token) => token.customerName).filter(Boolean))],
    })),
  };
}

export interface Erasure {
  customers: number;
  orders: number;
  tableSessions: number;
}

/** Erases a phone number's personal data, keeping the amounts; audited with the phone's keyed hash. */
export async function erasePhone(staff: StaffPrincipal, phone: string, origin: RequestOrigin = {}): Promise<Erasure> {
  const { customers, orders, tableSessions } = await collections();
  const customerIds = await customerIdsOf(staff.restaurantId, phone);
  const now = new Date();
  // The guest's tokens, by the phone they carry and (tokens from before phones were kept there) by customer.
  const unsetTokens = (field: string, value: unknown) =>
    tableSessions.updateMany(
      { restaurantId: staff.restaurantId, [`customerTokens.${field}`]: value },
      { $unset: { 'customerTokens.$[mine].customerName': '', 'customerTokens.$[mine].customerPhone': '' } },
      { arrayFilters: [{ [`mine.${field}`]: value }] },
    );
  const [erasedOrders, byPhone, byCustomer] = await Promise.all([
    orders.updateMany(ordersFilter(staff.restaurantId, phone, customerIds), { $unset: { customerName: '', customerPhone: '' }, $set: { updatedAt: now } }),
    unsetTokens('customerPhone', phone),
    customerIds.length ? unsetTokens('customerId', { $in: customerIds }) : { modifiedCount: 0 },
  ]);
  const erasedSessions = { modifiedCount: byPhone.modifiedCount + byCustomer.modifiedCount };
  let erasedCustomers = 0;
  for (const _id of customerIds) {
    const result = await customers.updateOne(
      { _id, restaurantId: staff.restaurantId },
      { $set: { name: '', phoneNumber: `erased-${_id.toHexString()}`, favorites: [], loginStatus: 'loggedout', erasedAt: now, updatedAt: now } },
    );
    erasedCustomers += result.modifiedCount;
  }
  const erasure = { customers: erasedCustomers, orders: erasedOrders.modifiedCount, tableSessions: erasedSessions.modifiedCount };
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
  const { orders } = await collections();
  const result = await orders.updateMany(
    { restaurantId, orderDate: { $lt: cutoff }, $or: [{ customerName: { $exists: true } }, { customerPhone: { $exists: true } }] },
    { $unset: { customerName: '', customerPhone: '' } },
  );
  return result.modifiedCount;
}
