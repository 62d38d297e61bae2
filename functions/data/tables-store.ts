/**
 * The tables' store for their codes (core/table-code.ts): the filter for the table a QR link names,
 * the tables still without a code, and a code's write. The rules (when a code is given or rotated,
 * who may) are sessions/table-codes.ts's; every query is scoped by restaurantId.
 */
import { ObjectId, type Filter } from 'mongodb';
import { tableRefKind } from '../core/table-code.ts';
import type { TableDoc } from './documents.ts';
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
