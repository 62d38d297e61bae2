/** Ticket urgency from its age on the SERVER's clock (a tablet's own clock may be minutes off). */
import { formatCountdown } from '../shared/format.ts';
import type { ItemStatus } from '../shared/types.ts';
import type { Urgency } from './types.ts';

export type UrgencyLevel = 'normal' | 'urgent' | 'critical';

export const DEFAULT_URGENCY: Urgency = { urgentMinutes: 10, criticalMinutes: 15 };

export function urgencyOf(ageMs: number, thresholds: Urgency = DEFAULT_URGENCY): UrgencyLevel {
  const minutes = ageMs / 60_000;
  if (minutes >= thresholds.criticalMinutes) return 'critical';
  if (minutes >= thresholds.urgentMinutes) return 'urgent';
  return 'normal';
}

/** "4:07" under an hour, "1:02:09" beyond, in whole seconds elapsed. Negative ages (clock skew) show as 0:00. */
export const formatAge = (ageMs: number): string => formatCountdown(Math.floor(ageMs / 1000));

/**
 * Server clock minus the tablet's, from a response's serverTime and the request's round trip
 * (assume the server answered half-way through).
 */
export function clockOffset(serverTimeIso: string, sentAt: number, receivedAt: number): number {
  const server = Date.parse(serverTimeIso);
  if (Number.isNaN(server)) return 0;
  return server - (sentAt + receivedAt) / 2;
}

const FLOW: readonly ItemStatus[] = ['NEW', 'COOKING', 'READY', 'SERVED'];

/** The status one tap moves an item to, or undefined when there is no next step. */
export function nextStatus(status: ItemStatus): ItemStatus | undefined {
  const i = FLOW.indexOf(status);
  return i >= 0 && i < FLOW.length - 1 ? FLOW[i + 1] : undefined;
}

/** The status one undo moves an item back to, or undefined at the start (or for a cancelled item). */
export function previousStatus(status: ItemStatus): ItemStatus | undefined {
  const i = FLOW.indexOf(status);
  return i > 0 ? FLOW[i - 1] : undefined;
}
