/**
 * The audit entries the effects pipeline writes for each domain event, and the one actor mapping:
 * the entries the use cases wrote by hand before the pipeline, field by field.
 */
import { describe, expect, it } from 'vitest';
import { auditActor, auditOf, guestActor, staffActor, type DomainEvent } from '../../functions/core/events.ts';
import { testId, testOrder, type TestId } from '../support/orders.ts';

const waiter = staffActor({ userId: testId('a'.repeat(24)), username: 'waiter' });
const order = testOrder({ orderNumber: 'A-012' });
const onOrder = { tableId: order.tableId, sessionId: order.sessionId, orderId: order._id };

describe('the audit actor', () => {
  it('is the staff member by id and username, the guest by device and verified customer, else the device alone', () => {
    expect(auditActor(waiter)).toEqual({ kind: 'staff', id: 'a'.repeat(24), username: 'waiter' });
    expect(auditActor(staffActor({ userId: 'b'.repeat(24), username: 'seed' }))).toEqual({ kind: 'staff', id: 'b'.repeat(24), username: 'seed' });
    expect(auditActor(guestActor({ deviceId: 'phone-1', customerId: testId('c'.repeat(24)) }))).toEqual({ kind: 'guest', deviceId: 'phone-1', id: 'c'.repeat(24) });
    expect(auditActor(guestActor({ deviceId: 'phone-1' }))).toEqual({ kind: 'guest', deviceId: 'phone-1', id: undefined });
    expect(auditActor({ kind: 'anonymous', deviceId: 'phone-2' })).toEqual({ kind: 'anonymous', deviceId: 'phone-2' });
  });
});

describe('the audit entry of each event', () => {
  const actor = auditActor(waiter);

  it('orders: placed, confirmed, rejected, cancelled, an item cancelled', () => {
    expect(auditOf<TestId>({ type: 'OrderPlaced', order, actor: guestActor({ deviceId: 'phone-1' }), emptiedCartVersion: 3 })).toEqual({
      action: 'ORDER_PLACED',
      outcome: 'success',
      actor: { kind: 'guest', deviceId: 'phone-1', id: undefined },
      ...onOrder,
      details: { orderNumber: 'A-012', status: 'confirmed', items: 2, totalMinor: 75600 },
    });
    expect(auditOf<TestId>({ type: 'OrderConfirmed', order, actor: waiter })).toEqual({ action: 'ORDER_CONFIRMED', outcome: 'success', actor, ...onOrder, details: { orderNumber: 'A-012' } });
    expect(auditOf<TestId>({ type: 'OrderRejected', order, actor: waiter, reason: 'out of paneer', restoredCart: { owner: 'TABLE', version: 4, lines: [] } })).toMatchObject({
      action: 'ORDER_REJECTED',
      details: { orderNumber: 'A-012', reason: 'out of paneer', restoredToCart: true },
    });
    expect(auditOf<TestId>({ type: 'OrderCancelled', order, actor: waiter })).toMatchObject({ action: 'ORDER_CANCELLED', details: { orderNumber: 'A-012', totalMinor: 75600 } });
    const item = { type: 'ItemStatusChanged', order, actor: waiter, itemIndex: 1, from: 'COOKING', wasOpen: true } as const;
    expect(auditOf<TestId>({ ...item, to: 'CANCELLED' })).toEqual({ action: 'ITEM_CANCELLED', outcome: 'success', actor, ...onOrder, details: { itemIndex: 1, from: 'COOKING', item: 'Masala Chai' } });
    expect(auditOf<TestId>({ ...item, to: 'READY' })).toBeUndefined();
    expect(auditOf<TestId>({ type: 'TicketMoved', order, move: 'bumped' })).toBeUndefined();
  });

  it('payments: one order, a whole table, a failed one, settled online', () => {
    const recorded = { type: 'PaymentRecorded', actor: waiter, tableId: order.tableId, sessionId: order.sessionId, orders: [order], method: 'CASH', amount: 75600 } as const;
    expect(auditOf<TestId>({ ...recorded, scope: 'order', status: 'paid' })).toEqual({
      action: 'PAYMENT_RECORDED',
      outcome: 'success',
      actor,
      ...onOrder,
      details: { orderNumber: 'A-012', method: 'CASH', status: 'paid', amount: 75600 },
    });
    const table = auditOf<TestId>({ ...recorded, scope: 'session', status: 'failed' });
    expect(table).toEqual({
      action: 'PAYMENT_RECORDED',
      outcome: 'failure',
      actor,
      tableId: order.tableId,
      sessionId: order.sessionId,
      details: { scope: 'session', method: 'CASH', status: 'failed', amount: 75600, orders: ['A-012'] },
    });
    expect(auditOf<TestId>({ type: 'PaymentSettled', restaurantId: 'demo', tableId: order.tableId, sessionId: order.sessionId, orders: [order], method: 'ONLINE', credit: 0, intents: ['i1'] })).toEqual({
      action: 'PAYMENT_SETTLED',
      outcome: 'success',
      actor: { kind: 'anonymous' },
      tableId: order.tableId,
      sessionId: order.sessionId,
      details: { method: 'ONLINE', credit: 0, intents: ['i1'], orders: ['A-012'] },
    });
  });

  it('tables: opened or refused, a new PIN, closed (with unpaid orders) or refused, PIN attempts, joins, logouts, a guest identifying, verifying and asking for the bill', () => {
    const at = { tableId: testId(), sessionId: testId() };
    const events: DomainEvent<TestId>[] = [
      { type: 'TableOpened', actor: waiter, restaurantId: 'demo', ...at, mode: 'FAMILY' },
      { type: 'TableOpenRefused', actor: waiter, tableId: at.tableId, reason: 'SESSION_ALREADY_OPEN' },
      { type: 'PinRegenerated', actor: waiter, ...at, pinVersion: 2 },
      { type: 'TableClosed', actor: waiter, restaurantId: 'demo', ...at, unpaidOrders: 0 },
      { type: 'TableClosed', actor: waiter, restaurantId: 'demo', ...at, unpaidOrders: 2 },
      { type: 'TableCloseRefused', actor: waiter, ...at, unpaidOrders: 2 },
      { type: 'PinAttempted', deviceId: 'phone-9', ...at, outcome: 'blocked', details: { reason: 'IP_LIMIT' } },
      { type: 'GuestJoined', restaurantId: 'demo', ...at, askedDeviceId: 'phone-9', deviceId: 'phone-10', tokenHash: 'h' },
      { type: 'GuestLoggedOut', actor: guestActor({ deviceId: 'phone-10' }), restaurantId: 'demo', ...at, tokenHash: 'h' },
      { type: 'GuestIdentified', actor: guestActor({ deviceId: 'phone-10' }), restaurantId: 'demo', ...at, outcome: 'blocked', details: { reason: 'phone' } },
      { type: 'PhoneVerified', actor: guestActor({ deviceId: 'phone-10' }), restaurantId: 'demo', ...at, outcome: 'failure' },
      { type: 'BillRequested', actor: guestActor({ deviceId: 'phone-10' }), restaurantId: 'demo', ...at, tableNumber: 'T-4', due: 75600, answer: { requestedAt: 'now', method: 'UPI', alreadyRequested: false } },
    ];
    expect(events.map((event) => auditOf(event))).toEqual([
      { action: 'SESSION_OPENED', outcome: 'success', actor, ...at, details: { mode: 'FAMILY' } },
      { action: 'SESSION_OPENED', outcome: 'failure', actor, tableId: at.tableId, details: { reason: 'SESSION_ALREADY_OPEN' } },
      { action: 'PIN_REGENERATED', outcome: 'success', actor, ...at, details: { pinVersion: 2 } },
      { action: 'SESSION_CLOSED', outcome: 'success', actor, ...at, details: undefined },
      { action: 'SESSION_CLOSED', outcome: 'success', actor, ...at, details: { unpaidOrders: 2 } },
      { action: 'SESSION_CLOSED', outcome: 'failure', actor, ...at, details: { reason: 'UNPAID_ORDERS', unpaidOrders: 2 } },
      { action: 'PIN_ATTEMPT', outcome: 'blocked', actor: { kind: 'anonymous', deviceId: 'phone-9' }, ...at, details: { reason: 'IP_LIMIT' } },
      // The actor is the device id the phone asked for; the details name the one it was given.
      { action: 'PIN_ATTEMPT', outcome: 'success', actor: { kind: 'anonymous', deviceId: 'phone-9' }, ...at, details: { deviceId: 'phone-10' } },
      { action: 'GUEST_LOGOUT', outcome: 'success', actor: { kind: 'guest', deviceId: 'phone-10', id: undefined }, ...at },
      { action: 'CUSTOMER_IDENTIFIED', outcome: 'blocked', actor: { kind: 'guest', deviceId: 'phone-10', id: undefined }, ...at, details: { reason: 'phone' } },
      { action: 'PHONE_VERIFIED', outcome: 'failure', actor: { kind: 'guest', deviceId: 'phone-10', id: undefined }, ...at, details: undefined },
      { action: 'BILL_REQUESTED', outcome: 'success', actor: { kind: 'guest', deviceId: 'phone-10', id: undefined }, ...at, details: { due: 75600, method: 'UPI' } },
    ]);
    // The PIN guard's copy onto the session only tells the floor: the attempt itself is the audited PinAttempted.
    expect(auditOf<TestId>({ type: 'PinGuardChanged', restaurantId: 'demo', ...at })).toBeUndefined();
  });

  it('online payments: started, moved, flagged, a refund updated, an event ignored, a manager refunding (answered or failed), payments checked', () => {
    const intent = { _id: testId('d'.repeat(24)), restaurantId: 'demo', tableId: order.tableId, sessionId: order.sessionId, tableNumber: 'T-4', status: 'paid', amount: 75600, currency: 'INR', provider: 'fake', scope: { kind: 'equal' } };
    const at = { tableId: order.tableId, sessionId: order.sessionId };
    const anonymous = { kind: 'anonymous' } as const;
    const received = { provider: 'fake', providerEvent: 'payment.captured', eventId: 'ev1', source: 'webhook', amountMinor: 75600, currency: 'INR' };
    const fromProvider = { intentId: 'd'.repeat(24), ...received };
    const refund = { intentId: 'd'.repeat(24), refundId: 'r1', amount: 100, reason: 'cold', provider: 'fake' };
    const events: DomainEvent<TestId>[] = [
      { type: 'PaymentStarted', actor: guestActor({ deviceId: 'phone-1' }), intent },
      { type: 'PaymentStatusChanged', actor: anonymous, intent, from: 'pending', received },
      { type: 'PaymentFlagged', actor: anonymous, intent, reason: 'amount_mismatch', received },
      { type: 'PaymentRefundUpdated', actor: anonymous, intent, failed: true, refundId: 'rf1', received },
      { type: 'ProviderEventIgnored', actor: anonymous, intent, why: 'superseded', received },
      { type: 'PaymentRefunded', actor: waiter, intent, refund, answer: { status: 'pending' } },
      { type: 'PaymentRefunded', actor: waiter, intent, refund, answer: { status: 'failed' } },
      { type: 'PaymentRefunded', actor: waiter, intent, refund, answer: { error: 'down' } },
      { type: 'PaymentsChecked', actor: waiter, failed: false, olderThanMinutes: 5, checked: 3, changed: 1, errors: 0 },
    ];
    expect(events.map((event) => auditOf(event))).toEqual([
      {
        action: 'PAYMENT_STARTED',
        outcome: 'success',
        actor: { kind: 'guest', deviceId: 'phone-1', id: undefined },
        ...at,
        details: { intentId: 'd'.repeat(24), scope: 'equal', amount: 75600, currency: 'INR', provider: 'fake' },
      },
      { action: 'PAYMENT_STATUS_CHANGED', outcome: 'success', actor: { kind: 'anonymous' }, ...at, details: { ...fromProvider, from: 'pending', to: 'paid' } },
      { action: 'PAYMENT_FLAGGED', outcome: 'failure', actor: { kind: 'anonymous' }, ...at, details: { ...fromProvider, reason: 'amount_mismatch', expectedAmount: 75600, expectedCurrency: 'INR' } },
      { action: 'PAYMENT_REFUND_UPDATED', outcome: 'failure', actor: { kind: 'anonymous' }, ...at, details: { ...fromProvider, refundId: 'rf1' } },
      { action: 'PAYMENT_EVENT_IGNORED', outcome: 'success', actor: { kind: 'anonymous' }, ...at, details: { ...fromProvider, why: 'superseded' } },
      { action: 'PAYMENT_REFUNDED', outcome: 'success', actor, ...at, details: { ...refund, status: 'pending' } },
      { action: 'PAYMENT_REFUNDED', outcome: 'failure', actor, ...at, details: { ...refund, status: 'failed' } },
      { action: 'PAYMENT_REFUNDED', outcome: 'failure', actor, ...at, details: { ...refund, error: 'down' } },
      { action: 'PAYMENTS_CHECKED', outcome: 'success', actor, details: { olderThanMinutes: 5, checked: 3, changed: 1, errors: 0 } },
    ]);
  });
});
