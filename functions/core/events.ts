/**
 * What happened, as the use cases tell it: each use case commits its change and then hands its
 * domain events to the one after-commit pipeline (effects.ts), which turns them into the
 * audit log's entries and the pushes to each audience. Pure: which entry an event is audited as is
 * decided here (auditOf), with the one mapping from who acted to the audit log's actor (auditActor).
 */
import type { CartLine, EntityId, Order } from './entities.ts';
import type { ItemStatus, PaymentMethod, SessionMode } from './enums.ts';
import { isPaymentIntentEvent, paymentAuditOf, type PaymentIntentEvent } from './payment-events.ts';
import { auditActor, type Actor, type AuditRecord } from './audit-entry.ts';
import { adminAuditOf, isAdminEvent, type AdminEvent } from './admin-events.ts';

export { auditActor, guestActor, staffActor, type Actor, type AuditActor, type AuditRecord } from './audit-entry.ts';

/** A cart as it stands after a change (the pipeline prices and pushes it to the phones sharing it). */
export interface CartContents {
  owner: string;
  version: number;
  lines: CartLine[];
}

export type PaymentStatusRecorded = 'paid' | 'failed';

/** Everything the pipeline reacts to. `Id` is the store's id type (MongoDB's ObjectId in production). */
/**
 * The tablet that made a kitchen change and named its socket: it has the ticket in the HTTP answer,
 * so its own socket (only if opened with the same sign-in) is left out of the change's kitchen push.
 */
export interface CallerSocket {
  connectionId: string | undefined;
  userId: string;
  sessionId?: string;
}

export type DomainEvent<Id extends EntityId = EntityId> =
  | { type: 'OrderPlaced'; order: Order<Id>; actor: Actor; emptiedCartVersion: number }
  | { type: 'OrderReplayed'; actor: Actor; tableId: Id; sessionId: Id; orderId: Id; orderNumber: string; source: 'orders-index' | 'idempotency-record' }
  | { type: 'OrderConfirmed'; order: Order<Id>; actor: Actor }
  | { type: 'OrderRejected'; order: Order<Id>; actor: Actor; reason: string; restoredCart?: CartContents }
  | { type: 'OrderCancelled'; order: Order<Id>; actor: Actor; reason?: string }
  | { type: 'ItemStatusChanged'; order: Order<Id>; actor: Actor; itemIndex: number; from: ItemStatus; to: ItemStatus; wasOpen: boolean; caller?: CallerSocket }
  | { type: 'TicketMoved'; order: Order<Id>; move: 'bumped' | 'recalled'; caller?: CallerSocket }
  /** `caller`: the phone that made the change, its socket left out (it has the cart in its answer); `view`: the cart as priced for it (cart.ts CartView), when the use case has it. */
  | { type: 'CartChanged'; restaurantId: string; sessionId: Id; cart: CartContents; caller?: { connectionId: string | undefined; deviceId: string }; view?: { version: number } }
  | {
      type: 'PaymentRecorded';
      actor: Actor;
      scope: 'order' | 'session';
      tableId: Id;
      sessionId: Id;
      orders: readonly Order<Id>[];
      method: PaymentMethod;
      status: PaymentStatusRecorded;
      amount: number;
    }
  | { type: 'PaymentSettled'; restaurantId: string; tableId: Id; sessionId: Id; orders: readonly Order<Id>[]; method: string; credit: number; intents: string[] }
  | { type: 'TableOpened'; actor: Actor; restaurantId: string; tableId: Id; sessionId: Id; mode: SessionMode }
  | { type: 'TableOpenRefused'; actor: Actor; tableId: Id; reason: 'SESSION_ALREADY_OPEN' }
  | { type: 'PinRegenerated'; actor: Actor; tableId: Id; sessionId: Id; pinVersion: number }
  | { type: 'TableClosed'; actor: Actor; restaurantId: string; tableId: Id; sessionId: Id; unpaidOrders: number }
  | { type: 'TableCloseRefused'; actor: Actor; tableId: Id; sessionId: Id; unpaidOrders: number }
  | { type: 'PinAttempted'; deviceId?: string; tableId?: Id; sessionId?: Id; outcome: AuditRecord['outcome']; details: Record<string, unknown> }
  /** The PIN guard copied a table's wrong PINs or lockout onto its open session (pin-guard.ts): the staff floor is told (`table.updated`); not audited, the attempt is (PinAttempted). */
  | { type: 'PinGuardChanged'; restaurantId: string; tableId: Id; sessionId: Id }
  /** `askedDeviceId`: the device id the phone asked to keep (the audit's actor); `deviceId`: the one it got. */
  | { type: 'GuestJoined'; restaurantId: string; tableId: Id; sessionId: Id; askedDeviceId?: string; deviceId: string; tokenHash: string }
  | { type: 'GuestLoggedOut'; actor: Actor; restaurantId: string; tableId: Id; sessionId: Id; tokenHash: string }
  /** A guest gave a name and phone (`success`: recorded, a code sent or verification off; `blocked`: a sending limit). */
  | { type: 'GuestIdentified'; actor: Actor; restaurantId: string; tableId: Id; sessionId: Id; outcome: 'success' | 'blocked'; details: Record<string, unknown> }
  | { type: 'PhoneVerified'; actor: Actor; restaurantId: string; tableId: Id; sessionId: Id; outcome: 'success' | 'failure'; details?: Record<string, unknown> }
  /** `onlyDevice`: at an INDIVIDUAL table only the asking phone hears of it. */
  | {
      type: 'BillRequested';
      actor: Actor;
      restaurantId: string;
      tableId: Id;
      tableNumber: string;
      sessionId: Id;
      due: number;
      answer: { requestedAt: string; method?: PaymentMethod; alreadyRequested: boolean };
      customerName?: string;
      onlyDevice?: string;
    }
  | PaymentIntentEvent<Id, Actor>
  | AdminEvent<Id>;

export type DomainEventType = DomainEvent['type'];

const onOrder = <Id extends EntityId>(order: Order<Id>) => ({ tableId: order.tableId, sessionId: order.sessionId, orderId: order._id });

/** The audit entry an event is recorded as, or undefined when it is not audited. */
export function auditOf<Id extends EntityId>(event: DomainEvent<Id>): AuditRecord<Id> | undefined {
  if (isPaymentIntentEvent(event)) return { ...paymentAuditOf<Id>(event), actor: auditActor(event.actor) };
  if (isAdminEvent(event)) return adminAuditOf(event);
  switch (event.type) {
    case 'OrderPlaced': {
      const { order } = event;
      return {
        action: 'ORDER_PLACED',
        outcome: 'success',
        actor: auditActor(event.actor),
        ...onOrder(order),
        details: { orderNumber: order.orderNumber, status: order.status, items: order.items.length, totalMinor: order.amountsMinor.total },
      };
    }
    case 'OrderReplayed':
      return {
        action: 'ORDER_REPLAYED',
        outcome: 'success',
        actor: auditActor(event.actor),
        tableId: event.tableId,
        sessionId: event.sessionId,
        orderId: event.orderId,
        details: { orderNumber: event.orderNumber, source: event.source },
      };
    case 'OrderConfirmed':
      return { action: 'ORDER_CONFIRMED', outcome: 'success', actor: auditActor(event.actor), ...onOrder(event.order), details: { orderNumber: event.order.orderNumber } };
    case 'OrderRejected':
      return {
        action: 'ORDER_REJECTED',
        outcome: 'success',
        actor: auditActor(event.actor),
        ...onOrder(event.order),
        details: { orderNumber: event.order.orderNumber, reason: event.reason, restoredToCart: Boolean(event.restoredCart) },
      };
    case 'OrderCancelled':
      return {
        action: 'ORDER_CANCELLED',
        outcome: 'success',
        actor: auditActor(event.actor),
        ...onOrder(event.order),
        details: { orderNumber: event.order.orderNumber, reason: event.reason, totalMinor: event.order.amountsMinor.total },
      };
    case 'ItemStatusChanged':
      if (event.to !== 'CANCELLED') return undefined;
      return {
        action: 'ITEM_CANCELLED',
        outcome: 'success',
        actor: auditActor(event.actor),
        ...onOrder(event.order),
        details: { itemIndex: event.itemIndex, from: event.from, item: event.order.items[event.itemIndex]?.menuItemName },
      };
    case 'PaymentRecorded': {
      const common = { action: 'PAYMENT_RECORDED', outcome: event.status === 'paid' ? 'success' : 'failure', actor: auditActor(event.actor), tableId: event.tableId, sessionId: event.sessionId } as const;
      const { method, status, amount } = event;
      if (event.scope === 'order') {
        const [order] = event.orders;
        return { ...common, orderId: order._id, details: { orderNumber: order.orderNumber, method, status, amount } };
      }
      return { ...common, details: { scope: 'session', method, status, amount, orders: event.orders.map((order) => order.orderNumber) } };
    }
    case 'PaymentSettled':
      return {
        action: 'PAYMENT_SETTLED',
        outcome: 'success',
        actor: { kind: 'anonymous' },
        tableId: event.tableId,
        sessionId: event.sessionId,
        details: { method: event.method, credit: event.credit, intents: event.intents, orders: event.orders.map((order) => order.orderNumber) },
      };
    case 'TableOpened':
      return { action: 'SESSION_OPENED', outcome: 'success', actor: auditActor(event.actor), tableId: event.tableId, sessionId: event.sessionId, details: { mode: event.mode } };
    case 'TableOpenRefused':
      return { action: 'SESSION_OPENED', outcome: 'failure', actor: auditActor(event.actor), tableId: event.tableId, details: { reason: event.reason } };
    case 'PinRegenerated':
      return { action: 'PIN_REGENERATED', outcome: 'success', actor: auditActor(event.actor), tableId: event.tableId, sessionId: event.sessionId, details: { pinVersion: event.pinVersion } };
    case 'TableClosed':
      return {
        action: 'SESSION_CLOSED',
        outcome: 'success',
        actor: auditActor(event.actor),
        tableId: event.tableId,
        sessionId: event.sessionId,
        details: event.unpaidOrders > 0 ? { unpaidOrders: event.unpaidOrders } : undefined,
      };
    case 'TableCloseRefused':
      return {
        action: 'SESSION_CLOSED',
        outcome: 'failure',
        actor: auditActor(event.actor),
        tableId: event.tableId,
        sessionId: event.sessionId,
        details: { reason: 'UNPAID_ORDERS', unpaidOrders: event.unpaidOrders },
      };
    case 'PinAttempted':
      return pinAttempt(event.outcome, event.deviceId, event.tableId, event.sessionId, event.details);
    case 'GuestJoined':
      return pinAttempt('success', event.askedDeviceId, event.tableId, event.sessionId, { deviceId: event.deviceId });
    case 'GuestLoggedOut':
      return { action: 'GUEST_LOGOUT', outcome: 'success', actor: auditActor(event.actor), sessionId: event.sessionId, tableId: event.tableId };
    case 'GuestIdentified':
      return { action: 'CUSTOMER_IDENTIFIED', outcome: event.outcome, actor: auditActor(event.actor), sessionId: event.sessionId, tableId: event.tableId, details: event.details };
    case 'PhoneVerified':
      return { action: 'PHONE_VERIFIED', outcome: event.outcome, actor: auditActor(event.actor), sessionId: event.sessionId, tableId: event.tableId, details: event.details };
    case 'BillRequested':
      return {
        action: 'BILL_REQUESTED',
        outcome: 'success',
        actor: auditActor(event.actor),
        tableId: event.tableId,
        sessionId: event.sessionId,
        details: { due: event.due, ...(event.answer.method ? { method: event.answer.method } : {}) },
      };
    case 'TicketMoved':
    case 'CartChanged':
    case 'PinGuardChanged':
      return undefined;
  }
}

function pinAttempt<Id extends EntityId>(
  outcome: AuditRecord['outcome'],
  deviceId: string | undefined,
  tableId: Id | undefined,
  sessionId: Id | undefined,
  details: Record<string, unknown>,
): AuditRecord<Id> {
  return { action: 'PIN_ATTEMPT', outcome, actor: auditActor({ kind: 'anonymous', deviceId }), tableId, sessionId, details };
}
