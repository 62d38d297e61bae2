/**
 * Customers (the `customers` collection in the POS team's shape): once a guest has proved a phone
 * number is theirs (phone-verification.ts), the record is found or created by (restaurantId,
 * phoneNumber) in ONE atomic upsert; a visit is counted once per table session however often the
 * guest identifies. The customer is then attached to this device's token, so its orders carry it.
 * Nothing here may run for a number that was not verified.
 */
import { guestActor } from '../core/events.ts';
import type { ObjectId } from 'mongodb';
import type { GuestPrincipal } from '../auth/principal.ts';
import { DomainError } from '../core/errors.ts';
import type { CustomerDoc } from '../data/documents.ts';
import { collections } from '../data/mongo.ts';
import type { RequestOrigin } from '../data/audit.ts';
import { afterCommit, record } from '../effects.ts';

/** How many table sessions a customer remembers for the once-per-visit rule (the newest are kept). */
const REMEMBERED_VISITS = 50;


export interface CustomerView {
  customerId: string;
  name: string;
  phoneNumber: string;
  visitCount: number;
  favorites: string[];
  firstVisit: Date;
  lastVisit: Date;
  loginStatus: CustomerDoc['loginStatus'];
}

const view = (doc: CustomerDoc): CustomerView => ({
  customerId: doc._id.toHexString(),
  name: doc.name,
  phoneNumber: doc.phoneNumber,
  visitCount: doc.visitCount,
  favorites: doc.favorites ?? [],
  firstVisit: doc.firstVisit,
  lastVisit: doc.lastVisit,
  loginStatus: doc.loginStatus,
});

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

/** Links the customer of a VERIFIED number to this phone's token (found or created, visit counted). */
export async function linkVerifiedCustomer(guest: GuestPrincipal, input: { name: string; phone: string }, origin: RequestOrigin = {}): Promise<CustomerView> {
  const { customers, tableSessions } = await collections();
  const filter = { restaurantId: guest.restaurantId, phoneNumber: input.phone };
  const upsert = () =>
    customers.findOneAndUpdate(filter, identifyPipeline(input.name, guest.sessionId, new Date()), {
      upsert: true,
      returnDocument: 'after',
    });
  let customer: CustomerDoc | null;
  try {
    customer = await upsert();
  } catch (error) {
    // Two phones created the same new customer at once: the unique index let one win; update it.
    if ((error as { code?: number }).code !== 11000) throw error;
    customer = await upsert();
  }
  if (!customer) throw new DomainError('CONFLICT', 'Could not save the customer; try again');

  const attached = await tableSessions.updateOne(
    { _id: guest.sessionId, restaurantId: guest.restaurantId, status: 'OPEN' },
    { $set: { 'customerTokens.$[mine].customerId': customer._id, 'customerTokens.$[mine].customerName': customer.name, 'customerTokens.$[mine].customerPhone': input.phone } },
    { arrayFilters: [{ 'mine.tokenHash': guest.tokenHash }] },
  );
  if (attached.matchedCount === 0) {
    await record({ ...onTable(guest), type: 'PhoneVerified', outcome: 'failure', details: { reason: 'SESSION_CLOSED' } }, origin);
    throw new DomainError('SESSION_CLOSED', 'This table session has ended');
  }
  // The staff floor view shows the guest's name at the table.
  await afterCommit([{ ...onTable(guest), type: 'PhoneVerified', outcome: 'success', details: { customerId: customer._id.toHexString(), visitCount: customer.visitCount } }], origin);
  return view(customer);
}

/** On guest logout: the customer shows as logged out (the device's token is revoked by the caller). */
export async function markCustomerLoggedOut(restaurantId: string, customerId: ObjectId): Promise<void> {
  const { customers } = await collections();
  await customers.updateOne({ _id: customerId, restaurantId }, { $set: { loginStatus: 'loggedout', updatedAt: new Date() } });
}

/** Who and where, for the events of a guest at their table. */
export const onTable = (guest: GuestPrincipal) => ({ actor: guestActor(guest), restaurantId: guest.restaurantId, tableId: guest.tableId, sessionId: guest.sessionId });
