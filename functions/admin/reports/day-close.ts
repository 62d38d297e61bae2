/**
 * Closing the business day: a manager records the day's totals (the summary pipeline's, so they are
 * the orders' by construction) in `day_closes`, audited. A closed day stays closed; only an ADMIN
 * reopens it (audited, with a reason), after which it can be closed again with fresh totals.
 */
import { auditActor, staffActor } from '../../core/events.ts';
import type { StaffPrincipal } from '../../auth/principal.ts';
import { DomainError } from '../../core/errors.ts';
import type { DayCloseDoc } from '../../data/documents.ts';
import { isDuplicateKeyError } from '../../data/duplicate-key.ts';
import { findDayClose as findClose, recordDayClose, recordDayReopen } from '../../data/reports-store.ts';
import { audit, type RequestOrigin } from '../../data/audit.ts';
import { afterAdminCommit as afterCommit } from '../../effects.ts';
import { anonymiseExpiredGuestData } from '../data-rights.ts';
import { dayTotals, reportDay } from './reports.ts';

export interface DayCloseView {
  day: string;
  status: DayCloseDoc['status'];
  totals: DayCloseDoc['totals'];
  closedAt: string;
  closedBy: string;
  reopenedAt?: string;
  reopenedBy?: string;
  reopenReason?: string;
}

const actorOf = (staff: StaffPrincipal) => auditActor(staffActor(staff));

export function dayCloseView(doc: DayCloseDoc): DayCloseView {
  const view: DayCloseView = { day: doc.day, status: doc.status, totals: doc.totals, closedAt: doc.closedAt.toISOString(), closedBy: doc.closedBy.username };
  if (doc.reopenedAt) view.reopenedAt = doc.reopenedAt.toISOString();
  if (doc.reopenedBy) view.reopenedBy = doc.reopenedBy.username;
  if (doc.reopenReason) view.reopenReason = doc.reopenReason;
  return view;
}

export async function findDayClose(restaurantId: string, day: string): Promise<DayCloseView | null> {
  const doc = await findClose(restaurantId, day);
  return doc ? dayCloseView(doc) : null;
}

export async function closeDay(staff: StaffPrincipal, date: string | undefined, origin: RequestOrigin = {}): Promise<DayCloseView> {
  const day = await reportDay(date);
  const totals = await dayTotals(day);
  let closed: DayCloseDoc | null;
  try {
    // A day already closed: 409.
    closed = await recordDayClose(staff.restaurantId, day, totals, { userId: staff.userId, username: staff.username }, new Date());
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    await afterCommit([{ type: 'DayCloseRefused', actor: staffActor(staff), day: day.day, reason: 'ALREADY_CLOSED' }], origin);
    throw new DomainError('STATUS_CONFLICT', `${day.day} is already closed; an admin can reopen it`);
  }
  // Closing the day is also when the retention rule runs (data-rights.ts).
  const anonymised = await anonymiseExpiredGuestData(staff.restaurantId);
  await audit({ action: 'DAY_CLOSED', outcome: 'success', actor: actorOf(staff), details: { day: day.day, orders: totals.orders, gross: totals.gross, tax: totals.tax, anonymisedOrders: anonymised }, ...origin });
  return dayCloseView(closed!);
}

export async function reopenDay(staff: StaffPrincipal, date: string, reason: string, origin: RequestOrigin = {}): Promise<DayCloseView> {
  const day = await reportDay(date);
  const reopened = await recordDayReopen(staff.restaurantId, day.day, { userId: staff.userId, username: staff.username }, reason, new Date());
  if (!reopened) throw new DomainError('STATUS_CONFLICT', `${day.day} is not closed`);
  await audit({ action: 'DAY_REOPENED', outcome: 'success', actor: actorOf(staff), details: { day: day.day, reason }, ...origin });
  return dayCloseView(reopened);
}
