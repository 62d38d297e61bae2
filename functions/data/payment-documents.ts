/**
 * Online payments, in Plato's own collections (never the POS's): one intent per attempt to pay
 * (plato_payment_intents) and one record per provider event processed (plato_payment_events, whose
 * unique _id makes each event count once, even when two containers receive it at the same time).
 */
import type { ObjectId } from 'mongodb';
import type { IntentStatus } from '../core/payment-provider.ts';

/** What the guest chose to pay: the whole bill, one of n equal shares, or their phone's share (by device, or by dish). */
export type IntentScope =
  | { kind: 'bill' }
  | { kind: 'equal'; n: number; index: number }
  | { kind: 'device' }
  | { kind: 'item'; shared: { orderId: string; itemIndex: number; deviceIds: string[] }[] };

export interface IntentTransition {
  at: Date;
  from: IntentStatus;
  to: IntentStatus;
  /** webhook (with its event id), reconcile (a manager's check or the schedule), create. */
  source: 'create' | 'webhook' | 'reconcile';
  eventId?: string;
}

export interface IntentFlag {
  at: Date;
  reason: 'amount_mismatch' | 'currency_mismatch' | 'amount_missing';
  eventId?: string;
  providerEvent: string;
  amountMinor?: number;
  currency?: string;
}

export interface IntentRefund {
  /** Plato's refund id (the provider's receipt). */
  refundId: string;
  amount: number;
  reason: string;
  status: 'requested' | 'pending' | 'processed' | 'failed';
  providerRefundId?: string;
  by: { userId: string; username: string };
  at: Date;
  updatedAt: Date;
}

export interface PaymentIntentDoc {
  _id: ObjectId;
  restaurantId: string;
  /** The guest's Idempotency-Key: one intent per key, whatever the number of taps or retries. */
  idempotencyKey: string;
  sessionId: ObjectId;
  tableId: ObjectId;
  tableNumber: string;
  /** The phone that started it. */
  deviceId: string;
  /** INDIVIDUAL mode: the device whose bill this pays; absent in FAMILY mode (the table's bill). */
  billDeviceId?: string;
  scope: IntentScope;
  /** Minor units, computed on the server from the bill at creation. */
  amount: number;
  currency: string;
  provider: string;
  providerRef?: string;
  checkoutUrl?: string;
  /** The provider's payment id once money moved (needed for refunds). */
  paymentId?: string;
  status: IntentStatus;
  /** Paid and counted against the orders (they were marked paid once the table's payments covered them). */
  settled: boolean;
  settledAt?: Date;
  flags: IntentFlag[];
  refunds: IntentRefund[];
  /** Sum of refunds requested, pending or processed (not failed). */
  refunded: number;
  history: IntentTransition[];
  expiresAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

export interface PaymentEventDoc {
  /** `<provider>:<event id>`: the unique key that makes an event count once. */
  _id: string;
  restaurantId: string;
  provider: string;
  providerEvent: string;
  intentId?: ObjectId;
  /** What processing it did: moved, flagged, none (no change), unmatched (no intent). */
  outcome: string;
  receivedAt: Date;
  /** TTL: 30 days (providers retry for about a day). */
  expiresAt: Date;
}
