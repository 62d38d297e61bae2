/**
 * Table codes (core/table-code.ts): finding the table a QR link names, giving every table a code,
 * and rotating one from the staff console.
 */
import { staffActor } from '../core/events.ts';
import { ObjectId, type Filter } from 'mongodb';
import { notFound } from '../core/errors.ts';
import { newTableCode, tableRefKind } from '../core/table-code.ts';
import type { TableDoc } from '../data/documents.ts';
import { collections } from '../data/mongo.ts';
import { config } from '../platform/config.ts';
import type { RequestOrigin, StaffActor } from '../data/audit.ts';
import { afterCommit } from '../effects.ts';

const toObjectId = (id: ObjectId | string): ObjectId => (typeof id === 'string' ? new ObjectId(id) : id);

/**
 * The filter for the table a `?table=` value names: its current code, or (for links printed before
 * codes) its id while that id link has not been retired by a rotation. Null for anything else: no
 * table, which the caller answers exactly like a table that is not open.
 */
export function tableFilterOfLink(ref: string): Filter<TableDoc> | null {
  const { restaurantId } = config();
  switch (tableRefKind(ref)) {
    case 'code':
      return { restaurantId, code: ref };
    case 'legacyId':
      return { restaurantId, _id: toObjectId(ref), idLinkRetired: { $ne: true } };
    default:
      return null;
  }
}

/** The table a `?table=` value names (see tableFilterOfLink). */
export async function tableOfLink(ref: string): Promise<Pick<TableDoc, '_id' | 'number' | 'floor'> | null> {
  const filter = tableFilterOfLink(ref);
  if (!filter) return null;
  const { tables } = await collections();
  return tables.findOne(filter, { projection: { _id: 1, number: 1, floor: 1 } });
}

/**
 * Gives every table without a code one (tables created before codes, or by hand). Their id links
 * keep working. Run by setup and before the QR sheet is drawn; each write only lands if the table
 * still has no code, so concurrent runs agree.
 */
export async function ensureTableCodes(): Promise<void> {
  const { restaurantId } = config();
  const { tables } = await collections();
  const missing = await tables.find({ restaurantId, code: { $exists: false } }, { projection: { _id: 1 } }).toArray();
  for (const { _id } of missing) {
    await tables.updateOne({ _id, restaurantId, code: { $exists: false } }, { $set: { code: newTableCode(), updatedAt: new Date() } });
  }
}

export interface RotatedCode {
  tableId: string;
  number: string;
  code: string;
}

/**
 * A new code for a table: the old code, and the table's id link if it still worked, stop working
 * at once (reprint its QR card). Phones already at the table keep their tokens.
 */
export async function rotateTableCode(tableIdInput: ObjectId | string, staff: StaffActor, origin: RequestOrigin = {}): Promise<RotatedCode> {
  const { restaurantId } = config();
  const tableId = toObjectId(tableIdInput);
  const { tables } = await collections();
  const code = newTableCode();
  const now = new Date();
  const updated = await tables.findOneAndUpdate(
    { _id: tableId, restaurantId },
    { $set: { code, idLinkRetired: true, codeRotatedAt: now, updatedAt: now } },
    { projection: { _id: 1, number: 1 }, returnDocument: 'after' },
  );
  if (!updated) throw notFound('Table');
  await afterCommit([{ type: 'TableCodeRotated', actor: staffActor(staff), tableId }], origin);
  return { tableId: tableId.toHexString(), number: updated.number, code };
}
