/**
 * The provider's events (`paymentEvents`) and the intents they change (`paymentIntents`), exactly
 * once: the event's record (`<provider>:<event id>`, a unique _id) is written last in the same
 * transaction as the intent's change, so a retried or concurrently delivered event is recorded once
 * and changes the intent once; a crash between the two writes leaves neither. Every write is
 * guarded by what was read; an intent that moved meanwhile makes the whole transaction run again.
 */
import { ObjectId, type ClientSession } from 'mongodb';
import { isObjectIdHex } from '../core/ids.ts';
import { isDuplicateKeyError } from './duplicate-key.ts';
import type { IntentFlag, IntentRefund, PaymentIntentDoc } from './payment-documents.ts';
import type { IntentStatus } from '../core/payment-provider.ts';
import { collections, mongoClient } from './mongo.ts';

const EVENT_RETENTION_DAYS = 30;
const ATTEMPTS = 5;

/** How an event names its intent: Plato's id (its reference), else the provider's page, else its payment. */
export interface IntentMatch {
  restaurantId: string;
  provider: string;
  reference?: string;
  providerRef?: string;
  paymentId?: string;
}

/** Raised when an intent changed between the read and the write: the transaction runs again. */
class IntentMoved extends Error {}

async function findMatching(match: IntentMatch, session?: ClientSession): Promise<PaymentIntentDoc | null> {
  const { paymentIntents } = await collections();
  const base = { restaurantId: match.restaurantId, provider: match.provider };
  if (match.reference !== undefined && isObjectIdHex(match.reference)) {
    const byReference = await paymentIntents.findOne({ ...base, _id: new ObjectId(match.reference) }, { session });
    if (byReference) return byReference;
  }
  if (match.providerRef) return paymentIntents.findOne({ ...base, providerRef: match.providerRef }, { session });
  if (match.paymentId) return paymentIntents.findOne({ ...base, paymentId: match.paymentId }, { session });
  return null;
}

/** The intent an event names, outside any transaction (after a duplicate delivery). */
export const findIntentOfEvent = (match: IntentMatch): Promise<PaymentIntentDoc | null> => findMatching(match);

/** The writes an event may make, inside its transaction. */
export interface EventTransaction {
  intent(): Promise<PaymentIntentDoc | null>;
  /** The intent to `to`, with its history step, only if still at the status read (else the transaction runs again). */
  move(intent: PaymentIntentDoc, to: IntentStatus, step: { source: 'webhook' | 'reconcile'; eventId: string; paymentId?: string }, at: Date): Promise<PaymentIntentDoc>;
  flag(intent: PaymentIntentDoc, flag: IntentFlag): Promise<PaymentIntentDoc | null>;
  /** A refund settled (`processed`) or failed (its amount no longer counts as refunded), only if still at the status read. */
  settleRefund(intent: PaymentIntentDoc, refund: IntentRefund, failed: boolean, providerRefundId: string | undefined, at: Date): Promise<PaymentIntentDoc | null>;
  notePaymentId(intent: PaymentIntentDoc, paymentId: string): Promise<void>;
}

export interface EventRecord {
  restaurantId: string;
  provider: string;
  eventId: string;
  providerEvent: string;
}

function transaction(match: IntentMatch, session: ClientSession): EventTransaction {
  const key = (intent: PaymentIntentDoc) => ({ _id: intent._id, restaurantId: intent.restaurantId });
  return {
    intent: () => findMatching(match, session),
    async move(intent, to, step, at) {
      const { paymentIntents } = await collections();
      const updated = await paymentIntents.findOneAndUpdate(
        { ...key(intent), status: intent.status },
        {
          $set: { status: to, updatedAt: at, ...(step.paymentId && !intent.paymentId ? { paymentId: step.paymentId } : {}) },
          $push: { history: { at, from: intent.status, to, source: step.source, eventId: step.eventId } },
        },
        { session, returnDocument: 'after' },
      );
      if (!updated) throw new IntentMoved();
      return updated;
    },
    async flag(intent, flag) {
      const { paymentIntents } = await collections();
      return paymentIntents.findOneAndUpdate(key(intent), { $set: { updatedAt: flag.at }, $push: { flags: flag } }, { session, returnDocument: 'after' });
    },
    async settleRefund(intent, refund, failed, providerRefundId, at) {
      const { paymentIntents } = await collections();
      return paymentIntents.findOneAndUpdate(
        { ...key(intent), refunds: { $elemMatch: { refundId: refund.refundId, status: refund.status } } },
        {
          $set: { 'refunds.$.status': failed ? 'failed' : 'processed', 'refunds.$.providerRefundId': providerRefundId, 'refunds.$.updatedAt': at, updatedAt: at },
          ...(failed ? { $inc: { refunded: -refund.amount } } : {}),
        },
        { session, returnDocument: 'after' },
      );
    },
    async notePaymentId(intent, paymentId) {
      const { paymentIntents } = await collections();
      await paymentIntents.updateOne(key(intent), { $set: { paymentId } }, { session });
    },
  };
}

/**
 * Runs `apply` in one transaction, then records the event with the outcome it returns (the
 * intent's id when one matched). `duplicate`: the event was recorded before, and nothing changed.
 */
export async function applyEventOnce<T extends { outcome: string; intent: PaymentIntentDoc | null }>(
  record: EventRecord,
  match: IntentMatch,
  apply: (tx: EventTransaction, now: Date) => Promise<T>,
): Promise<{ applied: T } | { duplicate: true }> {
  const client = await mongoClient();
  for (let attempt = 0; ; attempt++) {
    const session = client.startSession();
    try {
      let applied: T | undefined;
      await session.withTransaction(async () => {
        const now = new Date();
        applied = await apply(transaction(match, session), now);
        const { paymentEvents } = await collections();
        // Recorded last, in the same transaction: a duplicate aborts everything above.
        await paymentEvents.insertOne(
          {
            _id: `${record.provider}:${record.eventId}`,
            restaurantId: record.restaurantId,
            provider: record.provider,
            providerEvent: record.providerEvent,
            ...(applied.intent ? { intentId: applied.intent._id } : {}),
            outcome: applied.outcome,
            receivedAt: now,
            expiresAt: new Date(now.getTime() + EVENT_RETENTION_DAYS * 86_400_000),
          },
          { session },
        );
      });
      return { applied: applied! };
    } catch (error) {
      if (isDuplicateKeyError(error)) return { duplicate: true };
      if (!(error instanceof IntentMoved) || attempt >= ATTEMPTS - 1) throw error;
    } finally {
      await session.endSession();
    }
  }
}
