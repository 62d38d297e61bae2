/**
 * The audit log (`audit_log`): who did what to which table, from where, and how it went.
 * Entries expire 90 days after they are written (TTL index on expiresAt).
 *
 * Never put a PIN, token, password or phone number in an entry: `details` is for ids, counts and
 * reasons only.
 */
import type { ObjectId } from 'mongodb';
import type { StaffRole } from '../core/roles.ts';
import type { AuditDoc } from '../data/documents.ts';
import { collections } from '../data/mongo.ts';
import { config } from '../platform/config.ts';
import { logger } from '../platform/logger.ts';

export const AUDIT_RETENTION_DAYS = 90;

export type AuditAction =
  | 'STAFF_LOGIN'
  | 'STAFF_LOGOUT'
  | 'SESSION_OPENED'
  | 'SESSION_CLOSED'
  | 'PIN_REGENERATED'
  | 'PIN_ATTEMPT'
  | 'CUSTOMER_IDENTIFIED'
  | 'GUEST_LOGOUT'
  // Other areas append their own actions (ORDER_PLACED, ORDER_CANCELLED, PAYMENT_RECORDED …).
  | (string & {});

/** Where a request came from; handlers take it from the API Gateway event. */
/** Who acted: a signed-in staff member (or, for the local seed, a user record). */
export interface StaffActor {
  userId: ObjectId | string;
  username: string;
  role?: StaffRole;
}

export interface RequestOrigin {
  ip?: string;
  userAgent?: string;
}

export interface AuditEntry extends RequestOrigin {
  action: AuditAction;
  outcome: AuditDoc['outcome'];
  actor: AuditDoc['actor'];
  tableId?: ObjectId;
  sessionId?: ObjectId;
  orderId?: ObjectId;
  details?: Record<string, unknown>;
}

const USER_AGENT_MAX = 256;

/** The stored entry, for writers that insert it themselves (e.g. inside a transaction). */
export function auditDocument(entry: AuditEntry, time = new Date()): AuditDoc {
  const doc: AuditDoc = {
    restaurantId: config().restaurantId,
    actor: Object.fromEntries(Object.entries(entry.actor).filter(([, value]) => value !== undefined)) as AuditDoc['actor'],
    action: entry.action,
    outcome: entry.outcome,
    time,
    expiresAt: new Date(time.getTime() + AUDIT_RETENTION_DAYS * 24 * 3600 * 1000),
  };
  if (entry.tableId) doc.tableId = entry.tableId;
  if (entry.sessionId) doc.sessionId = entry.sessionId;
  if (entry.orderId) doc.orderId = entry.orderId;
  if (entry.details) doc.details = entry.details;
  if (entry.ip) doc.ip = entry.ip;
  if (entry.userAgent) doc.userAgent = entry.userAgent.slice(0, USER_AGENT_MAX);
  return doc;
}

/**
 * Appends one entry. The audit trail matters, so a failed write is raised to the caller
 * (a request whose audit entry cannot be written does not silently succeed).
 */
export async function audit(entry: AuditEntry, time = new Date()): Promise<void> {
  const { auditLog } = await collections();
  await auditLog.insertOne(auditDocument(entry, time));
}

/**
 * For entries written once the outcome is decided: a refusal (wrong PIN, refused login) or a change
 * already committed (a table opened, a PIN regenerated). The entry is written, but a failure to
 * write it is logged rather than turning the answer into a 5xx: a waiter who got a 500 after the
 * PIN had changed would be left without the new PIN.
 */
export async function auditQuietly(entry: AuditEntry, time = new Date()): Promise<void> {
  try {
    await audit(entry, time);
  } catch (error) {
    logger.error('Could not write an audit entry', { action: entry.action, outcome: entry.outcome, error: error as Error });
  }
}
