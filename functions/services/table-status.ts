/**
 * What a phone opening a table's QR link needs to know before the PIN keypad: is this a table of
 * the restaurant at all (an unknown or retired code gets its own page), and if it is not open, did
 * a visit just end there (the old link of a closed table says so, rather than "not open yet").
 * Public, like the QR code itself: a table's number, floor and whether it is open — no PIN, no
 * session, no guest.
 */
import { ObjectId } from 'mongodb';
import { notFound } from '../core/errors.ts';
import { collections } from '../data/mongo.ts';
import { config } from '../platform/config.ts';

export interface TableStatus {
  table: { number: string; floor: string };
  /** open: a session is open (the PIN keypad); ended: its last visit closed within a guest token's lifetime; notOpen: otherwise. */
  state: 'open' | 'ended' | 'notOpen';
}

export async function tableStatus(tableId: string): Promise<TableStatus> {
  const { restaurantId, guestTokenTtlSeconds } = config();
  const { tables, tableSessions } = await collections();
  const _id = new ObjectId(tableId);
  const [table, last] = await Promise.all([
    tables.findOne({ _id, restaurantId }, { projection: { number: 1, floor: 1 } }),
    tableSessions.findOne({ restaurantId, tableId: _id }, { projection: { status: 1, closedAt: 1 }, sort: { openedAt: -1, _id: -1 } }),
  ]);
  if (!table) throw notFound('Table');
  const recentlyClosed = last?.status === 'CLOSED' && last.closedAt !== undefined && Date.now() - last.closedAt.getTime() < guestTokenTtlSeconds * 1000;
  return { table: { number: table.number, floor: table.floor }, state: last?.status === 'OPEN' ? 'open' : recentlyClosed ? 'ended' : 'notOpen' };
}
