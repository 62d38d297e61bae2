/**
 * The audit entries of the staff's own tools (core/admin-events.ts), through the one auditOf: the
 * entries their use cases wrote by hand before the effects pipeline, field by field.
 */
import { describe, expect, it } from 'vitest';
import { auditOf, staffActor } from '../../functions/core/events.ts';
import { itemChangeOf } from '../../functions/core/menu.ts';
import { testId, type TestId } from '../support/orders.ts';

const admin = staffActor({ userId: 'a'.repeat(24), username: 'admin' });
const actor = { kind: 'staff', id: 'a'.repeat(24), username: 'admin' };
const at = new Date('2026-12-01T10:00:00Z');
const chai = itemChangeOf({
  _id: testId('c'.repeat(24)), restaurantId: 'r1', name: 'Masala Chai', description: '', price: 4000, category: 'Drinks', isVeg: true, image: '',
  isAvailable: false, station: 'bar', modifierGroups: [], spiceLevels: [], sortOrder: 1, createdAt: at, updatedAt: at,
});

describe('the audit entry of each admin event', () => {
  it('staff users: created, updated, signed out, a refusal', () => {
    expect(auditOf({ type: 'StaffUserCreated', actor: admin, userId: 'u1', username: 'asha', role: 'WAITER' })).toEqual({
      action: 'USER_CREATED',
      outcome: 'success',
      actor,
      details: { userId: 'u1', username: 'asha', role: 'WAITER' },
    });
    const details = { userId: 'u1', username: 'asha', role: { from: 'WAITER', to: 'MANAGER' }, sessionsEnded: true };
    expect(auditOf({ type: 'StaffUserUpdated', actor: admin, restaurantId: 'r1', userId: 'u1', sessionsEnded: true, details })).toEqual({ action: 'USER_UPDATED', outcome: 'success', actor, details });
    expect(auditOf({ type: 'StaffUserSignedOut', actor: admin, restaurantId: 'r1', userId: 'u1', username: 'asha' })).toEqual({ action: 'USER_SIGNED_OUT', outcome: 'success', actor, details: { userId: 'u1', username: 'asha' } });
    expect(auditOf({ type: 'StaffUserChangeRefused', actor: admin, action: 'USER_SIGNED_OUT', userId: 'u1', refused: 'SELF_LOCKOUT' })).toEqual({
      action: 'USER_SIGNED_OUT',
      outcome: 'failure',
      actor,
      details: { userId: 'u1', refused: 'SELF_LOCKOUT' },
    });
  });

  it('sign-in refused (the username as typed, no id) and sign-out', () => {
    expect(auditOf({ type: 'StaffLoginRefused', username: 'Admin', outcome: 'blocked', details: { reason: 'RATE_LIMITED', knownDevice: false } })).toEqual({
      action: 'STAFF_LOGIN',
      outcome: 'blocked',
      actor: { kind: 'anonymous', username: 'Admin' },
      details: { reason: 'RATE_LIMITED', knownDevice: false },
    });
    expect(auditOf({ type: 'StaffLoggedOut', userId: 'a'.repeat(24), username: 'admin' })).toEqual({ action: 'STAFF_LOGOUT', outcome: 'success', actor });
  });

  it('the menu, table codes, the business day and retention', () => {
    expect(auditOf({ type: 'MenuItemChanged', actor: admin, restaurantId: 'r1', change: 'MENU_ITEM_SOLD_OUT', menuItemId: 'm1', name: 'Masala Chai', item: chai, details: { fields: ['isAvailable'] } })).toEqual({
      action: 'MENU_ITEM_SOLD_OUT',
      outcome: 'success',
      actor,
      details: { menuItemId: 'm1', name: 'Masala Chai', fields: ['isAvailable'] },
    });
    expect(auditOf({ type: 'MenuItemChanged', actor: admin, restaurantId: 'r1', change: 'MENU_ITEM_DELETED', menuItemId: 'm1', name: 'Masala Chai', item: chai })?.details).toEqual({ menuItemId: 'm1', name: 'Masala Chai' });
    expect(auditOf({ type: 'MenuNamesUpdated', actor: admin, restaurantId: 'r1', languages: ['en', 'hi'], names: 3 })).toEqual({
      action: 'MENU_NAMES_UPDATED',
      outcome: 'success',
      actor,
      details: { languages: ['en', 'hi'], names: 3 },
    });
    const tableId = testId('b'.repeat(24));
    expect(auditOf<TestId>({ type: 'TableCodeRotated', actor: admin, tableId })).toEqual({ action: 'TABLE_CODE_ROTATED', outcome: 'success', actor, tableId });
    expect(auditOf({ type: 'DayCloseRefused', actor: admin, day: '2026-12-06', reason: 'ALREADY_CLOSED' })).toEqual({
      action: 'DAY_CLOSED',
      outcome: 'failure',
      actor,
      details: { day: '2026-12-06', reason: 'ALREADY_CLOSED' },
    });
    expect(auditOf({ type: 'GuestDataAnonymised', anonymisedOrders: 4 })).toEqual({
      action: 'GUEST_DATA_ANONYMISED',
      outcome: 'success',
      actor: { kind: 'system', id: 'retention' },
      details: { anonymisedOrders: 4 },
    });
  });
});
