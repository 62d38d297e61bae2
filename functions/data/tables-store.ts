/**
 * The tables' store: their codes (core/table-code.ts: the filter for the table a QR link names,
 * the tables still without a code, a code's write) and a manager's adding, changing and removing of
 * tables. The rules are sessions/table-codes.ts's and sessions/table-setup.ts's; every query is
 * scoped by restaurantId.
 */
import { ObjectId, type Filter } from 'mongodb';
import { tableRefKind } from '../core/table-code.ts';
import { tableNumberKey } from '../core/table-names.ts';
import type { TableDoc } from './documents.ts';
import { isDuplicateKeyError } from './duplicate-key.ts';
import { collections } from './mongo.ts';

/**
 * The filter for the table a `?table=` value names: its current code, or (for links printed before
 * codes) its id while that id link has not been retired by a rotation. Null for anything else: no
 * table, which the caller answers exactly like a table that is not open.
 */
export function tableFilterOfLink(restaurantId: string, ref: string): Filter<TableDoc> | null {
  switch (tableRefKind(ref)) {
    case 'code':
      return { restaurantId, code: ref };
    case 'legacyId':
      return { restaurantId, _id: new ObjectId(ref), idLinkRetired: { $ne: true } };
    default:
      return null;
  }
}

/** The table a `?table=` value names (see tableFilterOfLink). */
export async function findTableOfLink(restaurantId: string, ref: string): Promise<Pick<TableDoc, '_id' | 'number' | 'floor'> | null> {
  const filter = tableFilterOfLink(restaurantId, ref);
  if (!filter) return null;
  const { tables } = await collections();
  return tables.findOne(filter, { projection: { _id: 1, number: 1, floor: 1 } });
}

/** Gives each table without a code one from `newCode`; a write lands only if the table still has none, so concurrent runs agree. */
export async function giveMissingCodes(restaurantId: string, newCode: () => string, now: Date): Promise<void> {
  const { tables } = await collections();
  const missing = await tables.find({ restaurantId, code: { $exists: false } }, { projection: { _id: 1 } }).toArray();
  for (const { _id } of missing) {
    await tables.updateOne({ _id, restaurantId, code: { $exists: false } }, { $set: { code: newCode(), updatedAt: now } });
  }
}

/** Sets a table's new code and retires its id link; the table's number, or null when there is no such table. */
export async function replaceTableCode(restaurantId: string, tableId: ObjectId, code: string, now: Date): Promise<Pick<TableDoc, '_id' | 'number'> | null> {
  const { tables } = await collections();
  return tables.findOneAndUpdate(
    { _id: tableId, restaurantId },
    { $set: { code, idLinkRetired: true, codeRotatedAt: now, updatedAt: now } },
    { projection: { _id: 1, number: 1 }, returnDocument: 'after' },
  );
}

/**
 * Whether another table of the restaurant already has this number (trimmed, any case), tables from
 * before `numberKey` included. Against a race, the unique indexes `table_number` (the exact number)
 * and `table_number_key` (any case, the tables added or renamed in the console) have the last word.
 */
export async function tableNumberTaken(restaurantId: string, number: string, except?: ObjectId): Promise<boolean> {
  const { tables } = await collections();
  const key = tableNumberKey(number);
  const all = await tables.find({ restaurantId }, { projection: { _id: 1, number: 1 } }).toArray();
  return all.some((table) => tableNumberKey(table.number) === key && !(except && table._id.equals(except)));
}

/**
 * Gives each table without `numberKey` (added before the console could add tables, or by hand) its
 * key, so the unique index `table_number_key` guards it too. A table whose key another table already
 * holds (two numbers that differ only in case) keeps none: tableNumberTaken still sees both. The
 * number of those left without a key.
 */
export async function giveMissingNumberKeys(restaurantId: string): Promise<number> {
  const { tables } = await collections();
  const missing = await tables.find({ restaurantId, numberKey: { $exists: false } }, { projection: { _id: 1, number: 1 } }).toArray();
  let clashing = 0;
  for (const { _id, number } of missing) {
    try {
      await tables.updateOne({ _id, restaurantId, numberKey: { $exists: false } }, { $set: { numberKey: tableNumberKey(number) } });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      clashing += 1;
    }
  }
  return clashing;
}

/** A new table, last in floor order; null when its number is taken (unique indexes `table_number`, `table_number_key`). */
export async function insertTable(doc: Omit<TableDoc, 'sortOrder'>): Promise<TableDoc | null> {
  const { tables } = await collections();
  const last = await tables.findOne({ restaurantId: doc.restaurantId }, { projection: { sortOrder: 1 }, sort: { sortOrder: -1 } });
  const table: TableDoc = { ...doc, numberKey: tableNumberKey(doc.number), sortOrder: (last?.sortOrder ?? 0) + 1 };
  try {
    await tables.insertOne(table);
    return table;
  } catch (error) {
    if (isDuplicateKeyError(error)) return null;
    throw error;
  }
}

export type TableChangeOutcome = { kind: 'changed'; before: TableDoc; after: TableDoc } | { kind: 'notFound' } | { kind: 'taken' };

/** Renames or moves a table. */
export async function updateTable(restaurantId: string, tableId: ObjectId, change: Partial<Pick<TableDoc, 'number' | 'floor'>>, now: Date): Promise<TableChangeOutcome> {
  const { tables } = await collections();
  try {
    const set = { ...change, ...(change.number !== undefined ? { numberKey: tableNumberKey(change.number) } : {}), updatedAt: now };
    const before = await tables.findOneAndUpdate({ _id: tableId, restaurantId }, { $set: set }, { returnDocument: 'before' });
    if (!before) return { kind: 'notFound' };
    return { kind: 'changed', before, after: { ...before, ...change, updatedAt: now } };
  } catch (error) {
    if (isDuplicateKeyError(error)) return { kind: 'taken' };
    throw error;
  }
}

/** Removes a table; the document removed (to restore it, see restoreTable), or null when there is no such table of the restaurant. */
export async function deleteTable(restaurantId: string, tableId: ObjectId): Promise<TableDoc | null> {
  const { tables } = await collections();
  return tables.findOneAndDelete({ _id: tableId, restaurantId });
}

/** Puts back a table just removed (a session was opened on it meanwhile). */
export async function restoreTable(doc: TableDoc): Promise<void> {
  const { tables } = await collections();
  await tables.insertOne(doc);
}

/** Whether the table has an open session (a table being served cannot be removed). */
export async function tableHasOpenSession(restaurantId: string, tableId: ObjectId): Promise<boolean> {
  const { tableSessions } = await collections();
  return (await tableSessions.countDocuments({ restaurantId, tableId, status: 'OPEN' }, { limit: 1 })) > 0;
}

/** The open session's copy of its table's number and floor, after a rename or move: the table's next orders carry the new ones. */
export async function renameOpenSession(restaurantId: string, tableId: ObjectId, table: Pick<TableDoc, 'number' | 'floor'>): Promise<void> {
  const { tableSessions } = await collections();
  await tableSessions.updateOne({ restaurantId, tableId, status: 'OPEN' }, { $set: { tableNumber: table.number, floor: table.floor } });
}
