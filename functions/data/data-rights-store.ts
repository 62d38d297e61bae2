/**
 * What Plato holds about a phone number, for the guest's data rights (admin/data-rights.ts): the
 * customer records with that number, the orders that carry it (or its customers), the table
 * sessions whose tokens named it; its erasure (names and phones removed, amounts kept), and the
 * retention rule's anonymising of old orders. Owns the filters and projections.
 */
import type { ObjectId } from 'mongodb';
import { collections } from './mongo.ts';

async function customerIdsOf(restaurantId: string, phone: string): Promise<ObjectId[]> {
  const { customers } = await collections();
  return (await customers.find({ restaurantId, phoneNumber: phone }, { projection: { _id: 1 } }).toArray()).map((doc) => doc._id);
}

const ordersFilter = (restaurantId: string, phone: string, customerIds: ObjectId[]) => ({
  restaurantId,
  $or: [{ customerPhone: phone }, ...(customerIds.length ? [{ customerId: { $in: customerIds } }] : [])],
});

/** Everything held about the number: its customer ids, the customer (without its visit list), the orders, the table sessions that named it. */
export async function heldAbout(restaurantId: string, phone: string) {
  const { customers, orders, tableSessions } = await collections();
  const customerIds = await customerIdsOf(restaurantId, phone);
  const [customer, placed, sessions] = await Promise.all([
    customers.findOne({ restaurantId, phoneNumber: phone }, { projection: { visitSessionIds: 0 } }),
    orders.find(ordersFilter(restaurantId, phone, customerIds), { sort: { orderDate: 1 }, projection: { idempotencyKey: 0 } }).toArray(),
    tableSessions
      .find(
        { restaurantId, $or: [{ 'customerTokens.customerPhone': phone }, ...(customerIds.length ? [{ 'customerTokens.customerId': { $in: customerIds } }] : [])] },
        { projection: { tableNumber: 1, floor: 1, openedAt: 1, closedAt: 1, 'customerTokens.customerName': 1, 'customerTokens.customerPhone': 1, 'customerTokens.customerId': 1, 'customerTokens.issuedAt': 1 } },
      )
      .toArray(),
  ]);
  return { customerIds, customer, orders: placed, sessions };
}

export interface Erasure {
  customers: number;
  orders: number;
  tableSessions: number;
}

/** Removes the number's names and phones from orders, tokens and customers (amounts stay); what was changed. */
export async function erasePersonalData(restaurantId: string, phone: string, now = new Date()): Promise<Erasure> {
  const { customers, orders, tableSessions } = await collections();
  const customerIds = await customerIdsOf(restaurantId, phone);
  // The guest's tokens, by the phone they carry and (tokens from before phones were kept there) by customer.
  const unsetTokens = (field: string, value: unknown) =>
    tableSessions.updateMany(
      { restaurantId, [`customerTokens.${field}`]: value },
      { $unset: { 'customerTokens.$[mine].customerName': '', 'customerTokens.$[mine].customerPhone': '' } },
      { arrayFilters: [{ [`mine.${field}`]: value }] },
    );
  const [erasedOrders, byPhone, byCustomer] = await Promise.all([
    orders.updateMany(ordersFilter(restaurantId, phone, customerIds), { $unset: { customerName: '', customerPhone: '' }, $set: { updatedAt: now } }),
    unsetTokens('customerPhone', phone),
    customerIds.length ? unsetTokens('customerId', { $in: customerIds }) : { modifiedCount: 0 },
  ]);
  let erasedCustomers = 0;
  for (const _id of customerIds) {
    const result = await customers.updateOne(
      { _id, restaurantId },
      { $set: { name: '', phoneNumber: `erased-${_id.toHexString()}`, favorites: [], loginStatus: 'loggedout', erasedAt: now, updatedAt: now } },
    );
    erasedCustomers += result.modifiedCount;
  }
  return { customers: erasedCustomers, orders: erasedOrders.modifiedCount, tableSessions: byPhone.modifiedCount + byCustomer.modifiedCount };
}

/** Removes guests' names and phones from orders placed before `cutoff`; how many orders changed. */
export async function anonymiseOrdersBefore(restaurantId: string, cutoff: Date): Promise<number> {
  const { orders } = await collections();
  const result = await orders.updateMany(
    { restaurantId, orderDate: { $lt: cutoff }, $or: [{ customerName: { $exists: true } }, { customerPhone: { $exists: true } }] },
    { $unset: { customerName: '', customerPhone: '' } },
  );
  return result.modifiedCount;
}
