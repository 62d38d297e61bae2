/**
 * What a phone opening a table's QR link needs to know before the PIN keypad: is this a table of
 * the restaurant at all (an unknown or retired code gets its own page), and if it is not open, did
 * a visit just end there (the old link of a closed table says so, rather than "not open yet").
 * Public, like the QR code itself: a table's number, floor and whether it is open — no PIN, no
 * session, no guest.
 *
 * The link is looked up exactly as join looks it up (table-codes.ts `tableFilterOfLink`), with one
 * deliberate exception: a link printed before codes carries the table's ObjectId, and ObjectIds of
 * tables created together are consecutive, so one such card gives every other id. Were this route
 * to tell a known id from an unknown one (or say a table's number, floor or state), anyone holding
 * one old card could list the restaurant's tables and watch which are open, free of any counter —
 * the very enumeration table codes exist to end. Join gives away no more than "open" and only by
 * spending a guess the network's counter counts. So every id-shaped value gets one and the same
 * answer, `idLink`, without a database read (nothing to time either): the phone shows the PIN
 * keypad and join answers the rest. Codes are 128 random bits and cannot be listed, so for them
 * the route may say "unknown" (404) apart from "visit ended".
 */
import { notFound } from '../core/errors.ts';
import { tableRefKind } from '../core/table-code.ts';
import { findLatestSession } from '../data/sessions-store.ts';
import { config } from '../platform/config.ts';
import { tableOfLink } from './table-codes.ts';

export type TableStatus =
  | {
      table: { number: string; floor: string };
      /** open: a session is open (the PIN keypad); ended: its last visit closed within a guest token's lifetime; notOpen: otherwise. */
      state: 'open' | 'ended' | 'notOpen';
    }
  /** An id link (printed before codes): told apart from nothing; join says whether the table is open. */
  | { state: 'idLink' };

/** `link`: the QR link's `?table=` value (validated as a code or a 24-hex id by the route's schema). */
export async function tableStatus(link: string): Promise<TableStatus> {
  const kind = tableRefKind(link);
  if (kind === 'legacyId') return { state: 'idLink' };
  if (kind !== 'code') throw notFound('Table');
  const { restaurantId, guestTokenTtlSeconds } = config();
  const table = await tableOfLink(link);
  if (!table) throw notFound('Table');
  const last = await findLatestSession(restaurantId, table._id);
  const recentlyClosed = last?.status === 'CLOSED' && last.closedAt !== undefined && Date.now() - last.closedAt.getTime() < guestTokenTtlSeconds * 1000;
  return { table: { number: table.number, floor: table.floor }, state: last?.status === 'OPEN' ? 'open' : recentlyClosed ? 'ended' : 'notOpen' };
}
