/**
 * A manager's tables: adding one (with its QR code from the start), renaming or moving it, and
 * removing it. Numbers are unique per restaurant, trimmed and in any case ("t-1" is "T-1"). A table
 * being served (an open session) cannot be removed; its past orders and sessions keep their own copy
 * of the table's number and floor, so history reads the same once it is gone. Every other console's
 * floor reloads (`table.updated`, sessions/table-pushes.ts).
 */
import { ObjectId } from 'mongodb';
import { DomainError, notFound } from '../core/errors.ts';
import { staffActor } from '../core/events.ts';
import { newTableCode } from '../core/table-code.ts';
import type { TableDoc } from '../data/documents.ts';
import { deleteTable, giveMissingNumberKeys, insertTable, renameOpenSession, restoreTable, tableHasOpenSession, tableNumberTaken, updateTable } from '../data/tables-store.ts';
import type { RequestOrigin, StaffActor } from '../data/audit.ts';
import { config } from '../platform/config.ts';
import { logger } from '../platform/logger.ts';
import { listFloorTables, type FloorTable } from './floor.ts';
import { afterTableCommit } from './table-pushes.ts';

const numberTaken = (number: string) => new DomainError('TABLE_EXISTS', `There is already a table ${number}`);

export interface TableInput {
  number: string;
  floor: string;
}

/** Adds a table, free, at the end of the floor order, with a code for its QR card. */
export async function createTable(input: TableInput, staff: StaffActor, origin: RequestOrigin = {}): Promise<FloorTable> {
  const { restaurantId } = config();
  if (await tableNumberTaken(restaurantId, input.number)) throw numberTaken(input.number);
  const now = new Date();
  const doc: Omit<TableDoc, 'sortOrder'> = {
    _id: new ObjectId(),
    restaurantId,
    number: input.number,
    floor: input.floor,
    // Created with a code, it never had an id link to keep working.
    code: newTableCode(),
    idLinkRetired: true,
    createdAt: now,
    updatedAt: now,
  };
  const table = await insertTable(doc);
  if (!table) throw numberTaken(input.number);
  await afterTableCommit([{ type: 'TableCreated', actor: staffActor(staff), restaurantId, tableId: table._id, number: table.number, floor: table.floor }], origin);
  return { tableId: table._id.toHexString(), number: table.number, floor: table.floor, session: null };
}

/** Renames or moves a table; answers it as the floor shows it (with its open session, if any). */
export async function changeTable(tableIdInput: string, change: Partial<TableInput>, staff: StaffActor, origin: RequestOrigin = {}): Promise<FloorTable> {
  const { restaurantId } = config();
  const tableId = new ObjectId(tableIdInput);
  if (change.number !== undefined && (await tableNumberTaken(restaurantId, change.number, tableId))) throw numberTaken(change.number);
  const outcome = await updateTable(restaurantId, tableId, change, new Date());
  if (outcome.kind === 'notFound') throw notFound('Table');
  if (outcome.kind === 'taken') throw numberTaken(change.number ?? '');
  const { before, after } = outcome;
  // Orders already placed keep the number they were placed under; the table's next ones carry the new.
  await renameOpenSession(restaurantId, tableId, after);
  const details = Object.fromEntries(
    (['number', 'floor'] as const).filter((key) => before[key] !== after[key]).map((key) => [key, { from: before[key], to: after[key] }]),
  );
  await afterTableCommit([{ type: 'TableChanged', actor: staffActor(staff), restaurantId, tableId, details }], origin);
  const shown = (await listFloorTables()).find((table) => table.tableId === tableIdInput);
  return shown ?? { tableId: tableIdInput, number: after.number, floor: after.floor, session: null };
}

/**
 * Run by setup at every deploy: tables from before the console added them get their `numberKey`, so
 * the unique index guards their numbers in any case too. Two older tables whose numbers differ only
 * in case cannot both have it; the second is logged (by count) and still guarded by the store's check.
 */
export async function ensureTableNumberKeys(): Promise<void> {
  const clashing = await giveMissingNumberKeys(config().restaurantId);
  if (clashing > 0) logger.warn('Tables whose numbers differ only in case: rename them in the staff console', { tables: clashing });
}

const inUse = () => new DomainError('TABLE_IN_USE', 'This table is being served: close its session before removing it');

/**
 * Removes a table that is not being served. A table being opened at that moment: each side writes,
 * then looks for the other's write (here the session after the delete, openTableSession the table
 * after its insert), so at least one of them sees the other and undoes its own; never a session
 * left open on a table that is gone.
 */
export async function removeTable(tableIdInput: string, staff: StaffActor, origin: RequestOrigin = {}): Promise<void> {
  const { restaurantId } = config();
  const tableId = new ObjectId(tableIdInput);
  if (await tableHasOpenSession(restaurantId, tableId)) throw inUse();
  const removed = await deleteTable(restaurantId, tableId);
  if (!removed) throw notFound('Table');
  if (await tableHasOpenSession(restaurantId, tableId)) {
    await restoreTable(removed);
    throw inUse();
  }
  await afterTableCommit([{ type: 'TableRemoved', actor: staffActor(staff), restaurantId, tableId, number: removed.number, floor: removed.floor }], origin);
}
