/**
 * What happens in the staff's own tools (accounts, sign-in, the menu, tables and their codes, the business day,
 * guest data retention), as domain events. The effects pipeline (effects.ts) writes each one's entry
 * (adminAuditOf, reached through core/events.ts auditOf); the few that guests' phones or staff sockets
 * must hear of (a dish changed, the menu's names, an account's sessions ended, a table added or removed) carry what their pushes
 * need, and the admin slice hands those pushes in (admin/admin-pushes.ts).
 */
import type { EntityId } from './entities.ts';
import type { MenuItemChange } from './menu.ts';
import { auditActor, type Actor, type AuditRecord } from './audit-entry.ts';

/** A refusal by the staff-user rules (admin/staff-users.ts). */
export type StaffUserRefusal = 'SELF_LOCKOUT' | 'LAST_ADMIN';

/** What a menu change is audited as. */
export type MenuChange =
  | 'MENU_ITEM_CREATED'
  | 'MENU_ITEM_UPDATED'
  | 'MENU_ITEM_SOLD_OUT'
  | 'MENU_ITEM_AVAILABLE'
  | 'MENU_ITEM_DELETED'
  | 'MENU_ITEM_PHOTO_SET'
  | 'MENU_ITEM_PHOTO_REMOVED';

export type AdminEvent<Id extends EntityId = EntityId> =
  | { type: 'StaffUserCreated'; actor: Actor; userId: string; username: string; role: string }
  /** `details`: what changed (from/to), never a password. */
  /** `sessionsEnded`: the user's tokens stopped working (their sockets close too). */
  | { type: 'StaffUserUpdated'; actor: Actor; restaurantId: string; userId: string; sessionsEnded: boolean; details: Record<string, unknown> }
  | { type: 'StaffUserSignedOut'; actor: Actor; restaurantId: string; userId: string; username: string }
  | { type: 'StaffUserChangeRefused'; actor: Actor; action: 'USER_UPDATED' | 'USER_SIGNED_OUT'; userId: string; refused: StaffUserRefusal }
  /** A sign-in refused: wrong credentials (`failure`) or a failure budget spent (`blocked`); the username as typed. */
  | { type: 'StaffLoginRefused'; username: string; outcome: 'failure' | 'blocked'; details: Record<string, unknown> }
  | { type: 'StaffLoggedOut'; userId: string; username: string }
  /** `item`: the dish as every guest's menu shows it now (pushed as `menu.updated`). */
  | { type: 'MenuItemChanged'; actor: Actor; restaurantId: string; change: MenuChange; menuItemId: string; name: string; item: MenuItemChange; details?: Record<string, unknown> }
  | { type: 'MenuNamesUpdated'; actor: Actor; restaurantId: string; languages: string[]; names: number }
  | { type: 'TableCodeRotated'; actor: Actor; tableId: Id }
  /** A manager added, renamed or moved, or removed a table: the other consoles' floors reload it (`table.updated`). */
  | { type: 'TableCreated'; actor: Actor; restaurantId: string; tableId: Id; number: string; floor: string }
  | { type: 'TableChanged'; actor: Actor; restaurantId: string; tableId: Id; details: Record<string, unknown> }
  | { type: 'TableRemoved'; actor: Actor; restaurantId: string; tableId: Id; number: string; floor: string }
  | { type: 'DayCloseRefused'; actor: Actor; day: string; reason: 'ALREADY_CLOSED' }
  | { type: 'GuestDataAnonymised'; anonymisedOrders: number };

export type AdminEventType = AdminEvent['type'];

// Every type once: a type added to the union and forgotten here is a compile error.
const ADMIN_EVENTS: ReadonlySet<string> = new Set(Object.keys({
  StaffUserCreated: true,
  StaffUserUpdated: true,
  StaffUserSignedOut: true,
  StaffUserChangeRefused: true,
  StaffLoginRefused: true,
  StaffLoggedOut: true,
  MenuItemChanged: true,
  MenuNamesUpdated: true,
  TableCodeRotated: true,
  TableCreated: true,
  TableChanged: true,
  TableRemoved: true,
  DayCloseRefused: true,
  GuestDataAnonymised: true,
} satisfies Record<AdminEventType, true>));

export const isAdminEvent = <Id extends EntityId, E extends { type: string }>(event: E | AdminEvent<Id>): event is AdminEvent<Id> => ADMIN_EVENTS.has(event.type);

/** The audit entry an admin event is recorded as. */
export function adminAuditOf<Id extends EntityId>(event: AdminEvent<Id>): AuditRecord<Id> {
  switch (event.type) {
    case 'StaffUserCreated':
      return { action: 'USER_CREATED', outcome: 'success', actor: auditActor(event.actor), details: { userId: event.userId, username: event.username, role: event.role } };
    case 'StaffUserUpdated':
      return { action: 'USER_UPDATED', outcome: 'success', actor: auditActor(event.actor), details: event.details };
    case 'StaffUserSignedOut':
      return { action: 'USER_SIGNED_OUT', outcome: 'success', actor: auditActor(event.actor), details: { userId: event.userId, username: event.username } };
    case 'StaffUserChangeRefused':
      return { action: event.action, outcome: 'failure', actor: auditActor(event.actor), details: { userId: event.userId, refused: event.refused } };
    case 'StaffLoginRefused':
      return { action: 'STAFF_LOGIN', outcome: event.outcome, actor: { kind: 'anonymous', username: event.username }, details: event.details };
    case 'StaffLoggedOut':
      return { action: 'STAFF_LOGOUT', outcome: 'success', actor: auditActor({ kind: 'staff', userId: event.userId, username: event.username }) };
    case 'MenuItemChanged':
      return { action: event.change, outcome: 'success', actor: auditActor(event.actor), details: { menuItemId: event.menuItemId, name: event.name, ...event.details } };
    case 'MenuNamesUpdated':
      return { action: 'MENU_NAMES_UPDATED', outcome: 'success', actor: auditActor(event.actor), details: { languages: event.languages, names: event.names } };
    case 'TableCodeRotated':
      return { action: 'TABLE_CODE_ROTATED', outcome: 'success', actor: auditActor(event.actor), tableId: event.tableId };
    case 'TableCreated':
      return { action: 'TABLE_CREATED', outcome: 'success', actor: auditActor(event.actor), tableId: event.tableId, details: { number: event.number, floor: event.floor } };
    case 'TableChanged':
      return { action: 'TABLE_UPDATED', outcome: 'success', actor: auditActor(event.actor), tableId: event.tableId, details: event.details };
    case 'TableRemoved':
      return { action: 'TABLE_REMOVED', outcome: 'success', actor: auditActor(event.actor), tableId: event.tableId, details: { number: event.number, floor: event.floor } };
    case 'DayCloseRefused':
      return { action: 'DAY_CLOSED', outcome: 'failure', actor: auditActor(event.actor), details: { day: event.day, reason: event.reason } };
    case 'GuestDataAnonymised':
      return { action: 'GUEST_DATA_ANONYMISED', outcome: 'success', actor: { kind: 'system', id: 'retention' }, details: { anonymisedOrders: event.anonymisedOrders } };
  }
}
