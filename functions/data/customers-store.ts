/**
 * The customers' store (`customers`, and the link from a guest's token to its customer on the table
 * session): the upsert that counts a visit once per table session, and its retry when two phones
 * create the same new customer at once. The rules are sessions/customers.ts's.
 */
import type { ObjectId } from 'mongodb';
import type { CustomerDoc } from './documents.ts';
import { collections } from './mongo.ts';

/** How many table sessions a customer remembers for the once-per-visit rule (the newest are kept). */
const REMEMBERED_VISITS = 50;

/** The upsert as an update pipeline: every expression sees the document as it was before. */
function identifyPipeline(name: string, sessionId: ObjectId, now: Date) {
  const visits = { $ifNull: ['$visitSessionIds', []] };
  const counted = { $in: [sessionId, visits] };
  return [
    {
      $set: {
        name: { $literal: name },
        visitCount: { $cond: [counted, { $ifNull: ['$visitCount', 0] }, { $add: [{ $ifNull: ['$visitCount', 0] }, 1] }] },
        visitSessionIds: { $cond: [counted, visits, { $slice: [{ $concatArrays: [visits, [sessionId]] }, -REMEMBERED_VISITS] }] },
        favorites: { $ifNull: ['$favorites', []] },
        firstVisit: { $ifNull: ['$firstVisit', now] },
        lastVisit: now,
        loginStatus: 'loggedin',
        createdAt: { $ifNull: ['$createdAt', now] },
        updatedAt: now,
      },
    },
  ];
}

/** The customer of a phone number, found or created, this table session counted as one visit. */
export async function upsertCustomerVisit(restaurantId: string, phone: string, name: string, sessionId: ObjectId): Promise<CustomerDoc | null> {
  const { customers } = await collections();
  const upsert = () => customers.findOneAndUpdate({ restaurantId, phoneNumber: phone }, identifyPipeline(name, sessionId, new Date()), { upsert: true, returnDocument: 'after' });
  try {
    return await upsert();
  } catch (error) {
    // Two phones created the same new customer at once: the unique index let one win; update it.
    if ((error as { code?: number }).code !== 11000) throw error;
    return upsert();
  }
}

/** Names the customer on the guest's token of an OPEN session; false when the session is not open. */
export async function attachCustomerToToken(
  restaurantId: string,
  sessionId: ObjectId,
  tokenHash: string,
  customer: Pick<CustomerDoc, '_id' | 'name'>,
  phone: string,
): Promise<boolean> {
  const { tableSessions } = await collections();
  const attached = await tableSessions.updateOne(
    { _id: sessionId, restaurantId, status: 'OPEN' },
    { $set: { 'customerTokens.$[mine].customerId': customer._id, 'customerTokens.$[mine].customerName': customer.name, 'customerTokens.$[mine].customerPhone': phone } },
    { arrayFilters: [{ 'mine.tokenHash': tokenHash }] },
  );
  return attached.matchedCount > 0;
}

export async function markLoggedOut(restaurantId: string, customerId: ObjectId): Promise<void> {
  const { customers } = await collections();
  await customers.updateOne({ _id: customerId, restaurantId }, { $set: { loginStatus: 'loggedout', updatedAt: new Date() } });
}
