/**
 * Who acted, and the audit log's entry as the pure core decides it (core/events.ts auditOf): the one
 * mapping from who acted to the audit log's actor (auditActor). The store adds the restaurant, time
 * and expiry (data/audit.ts).
 */
import type { EntityId } from './entities.ts';

/** Who acted. */
export type Actor =
  | { kind: 'staff'; userId: EntityId | string; username: string }
  | { kind: 'guest'; deviceId: string; customerId?: EntityId }
  | { kind: 'anonymous'; deviceId?: string };

/** A signed-in staff member (or, for the local seed, a user record). */
export const staffActor = (staff: { userId: EntityId | string; username: string }): Actor => ({ kind: 'staff', userId: staff.userId, username: staff.username });

/** A guest's phone, and the customer it verified as, if any. */
export const guestActor = (guest: { deviceId: string; customerId?: EntityId }): Actor => ({ kind: 'guest', deviceId: guest.deviceId, customerId: guest.customerId });

/** The audit log's actor: ids as hex, nothing else about the person. */
export interface AuditActor {
  kind: 'staff' | 'guest' | 'anonymous' | 'system';
  id?: string;
  username?: string;
  deviceId?: string;
}

const hex = (id: EntityId | string): string => (typeof id === 'string' ? id : id.toHexString());

/** The one mapping from who acted to the audit log's actor. */
export function auditActor(actor: Actor): AuditActor {
  switch (actor.kind) {
    case 'staff':
      return { kind: 'staff', id: hex(actor.userId), username: actor.username };
    case 'guest':
      return { kind: 'guest', deviceId: actor.deviceId, id: actor.customerId?.toHexString() };
    case 'anonymous':
      return { kind: 'anonymous', deviceId: actor.deviceId };
  }
}

/** One audit log entry, before the store adds the restaurant, time and expiry. */
export interface AuditRecord<Id extends EntityId = EntityId> {
  action: string;
  outcome: 'success' | 'failure' | 'blocked';
  actor: AuditActor;
  tableId?: Id;
  sessionId?: Id;
  orderId?: Id;
  details?: Record<string, unknown>;
}

