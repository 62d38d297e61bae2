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
import { attachCustomerToToken, markLoggedOut, upsertCustomerVisit } from '../data/customers-store.ts';
import type { RequestOrigin } from '../data/audit.ts';
import { afterCommit, record } from '../effects.ts';

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

/** Links the customer of a VERIFIED number to this phone's token (found or created, visit counted). */
export async function linkVerifiedCustomer(guest: GuestPrincipal, input: { name: string; phone: string }, origin: RequestOrigin = {}): Promise<CustomerView> {
  const customer = await upsertCustomerVisit(guest.restaurantId, input.phone, input.name, guest.sessionId);
  if (!customer) throw new DomainError('CONFLICT', 'Could not save the customer; try again');

  if (!(await attachCustomerToToken(guest.restaurantId, guest.sessionId, guest.tokenHash, customer, input.phone))) {
    await record({ ...onTable(guest), type: 'PhoneVerified', outcome: 'failure', details: { reason: 'SESSION_CLOSED' } }, origin);
    throw new DomainError('SESSION_CLOSED', 'This table session has ended');
  }
  // The staff floor view shows the guest's name at the table.
  await afterCommit([{ ...onTable(guest), type: 'PhoneVerified', outcome: 'success', details: { customerId: customer._id.toHexString(), visitCount: customer.visitCount } }], origin);
  return view(customer);
}

/** On guest logout: the customer shows as logged out (the device's token is revoked by the caller). */
export async function markCustomerLoggedOut(restaurantId: string, customerId: ObjectId): Promise<void> {
  await markLoggedOut(restaurantId, customerId);
}

/** Who and where, for the events of a guest at their table. */
export const onTable = (guest: GuestPrincipal) => ({ actor: guestActor(guest), restaurantId: guest.restaurantId, tableId: guest.tableId, sessionId: guest.sessionId });
