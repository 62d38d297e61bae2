/**
 * Every MongoDB index Plato relies on. Created by the `setup` task (on every deploy, and at local
 * start); createIndexes is idempotent. Each query of the stores and use cases is served by one of these.
 */
import type { IndexDescription } from 'mongodb';
import type { CollectionKey } from '../platform/config.ts';
import { collections } from './mongo.ts';

const AUDIT_RETENTION_SECONDS = 0; // documents carry their own expiresAt (time + 90 days)

export const INDEXES: Partial<Record<CollectionKey, IndexDescription[]>> = {
  tables: [
    { key: { restaurantId: 1, number: 1 }, name: 'table_number', unique: true },
    // Numbers in any case ("P-1", "p-1"): set by the console's adding and renaming of tables.
    { key: { restaurantId: 1, numberKey: 1 }, name: 'table_number_key', unique: true, partialFilterExpression: { numberKey: { $exists: true } } },
    // Joining finds the table by the code its QR code carries.
    { key: { restaurantId: 1, code: 1 }, name: 'table_code', unique: true, partialFilterExpression: { code: { $exists: true } } },
  ],
  users: [{ key: { restaurantId: 1, username: 1 }, name: 'username', unique: true }],
  tableSessions: [
    // At most one OPEN session per table.
    { key: { restaurantId: 1, tableId: 1 }, name: 'one_open_session_per_table', unique: true, partialFilterExpression: { status: 'OPEN' } },
    { key: { restaurantId: 1, 'customerTokens.tokenHash': 1 }, name: 'guest_token' },
    { key: { restaurantId: 1, status: 1, openedAt: -1 }, name: 'by_status' },
    // Reports: table turns of a business day.
    { key: { restaurantId: 1, openedAt: 1 }, name: 'by_opened' },
  ],
  customers: [{ key: { restaurantId: 1, phoneNumber: 1 }, name: 'phone', unique: true }],
  menuItems: [
    { key: { restaurantId: 1, category: 1, sortOrder: 1 }, name: 'menu_order' },
    // The menu version's stamp (menu-store.ts dishesStamp): a count and a sum over the index's keys, no dish read.
    { key: { restaurantId: 1, updatedAt: 1 }, name: 'menu_stamp' },
  ],
  carts: [{ key: { restaurantId: 1, sessionId: 1, owner: 1 }, name: 'cart_owner', unique: true }],
  orders: [
    // Second guard against duplicates, behind the DynamoDB idempotency records.
    { key: { restaurantId: 1, idempotencyKey: 1 }, name: 'idempotency_key', unique: true },
    { key: { restaurantId: 1, sessionId: 1, orderDate: 1 }, name: 'by_session' },
    { key: { restaurantId: 1, status: 1, orderDate: 1 }, name: 'by_status' },
    // Reports and the day's close: every order of a business day (restaurantId, orderDate range).
    { key: { restaurantId: 1, orderDate: 1 }, name: 'by_date' },
    // Data rights: a guest's orders by phone; retention: identified orders past the retention period.
    { key: { restaurantId: 1, customerPhone: 1 }, name: 'by_customer_phone', partialFilterExpression: { customerPhone: { $exists: true } } },
  ],
  counters: [{ key: { expiresAt: 1 }, name: 'expiry', expireAfterSeconds: 0 }],
  auditLog: [
    { key: { restaurantId: 1, time: -1 }, name: 'by_time' },
    { key: { expiresAt: 1 }, name: 'expiry', expireAfterSeconds: AUDIT_RETENTION_SECONDS },
  ],
  paymentIntents: [
    // One intent per Idempotency-Key: a second tap, a reload or a retry finds the first.
    { key: { restaurantId: 1, idempotencyKey: 1 }, name: 'idempotency_key', unique: true },
    { key: { restaurantId: 1, sessionId: 1, createdAt: 1 }, name: 'by_session' },
    { key: { restaurantId: 1, status: 1, createdAt: 1 }, name: 'by_status' },
    // Reports: the refunds given in a business day (multikey: one entry per refund).
    { key: { restaurantId: 1, 'refunds.at': 1 }, name: 'by_refund_date' },
  ],
  // _id is `<provider>:<event id>`: the unique key that makes each event count once.
  paymentEvents: [{ key: { expiresAt: 1 }, name: 'expiry', expireAfterSeconds: 0 }],
};

export async function ensureIndexes(): Promise<void> {
  const all = await collections();
  await Promise.all(
    (Object.entries(INDEXES) as [CollectionKey, IndexDescription[]][]).map(([key, indexes]) => all[key].createIndexes(indexes)),
  );
}
