/**
 * Table codes (core/table-code.ts): finding the table a QR link names, giving every table a code,
 * and rotating one from the staff console. The tables' queries are data/tables-store.ts's.
 */
import { staffActor } from '../core/events.ts';
import { ObjectId } from 'mongodb';
import { notFound } from '../core/errors.ts';
import { newTableCode } from '../core/table-code.ts';
import type { TableDoc } from '../data/documents.ts';
import { findTableOfLink, giveMissingCodes, replaceTableCode } from '../data/tables-store.ts';
import { config } from '../platform/config.ts';
import type { RequestOrigin, StaffActor } from '../data/audit.ts';
import { afterCommit } from '../effects.ts';

const toObjectId = (id: ObjectId | string): ObjectId => (typeof id === 'string' ? new ObjectId(id) : id);

/** The table a `?table=` value names: its current code, or its id while that id link is not retired (data/tables-store.ts). */
export const tableOfLink = (ref: string): Promise<Pick<TableDoc, '_id' | 'number' | 'floor'> | null> => findTableOfLink(config().restaurantId, ref);

/**
 * Gives every table without a code one (tables created before codes, or by hand). Their id links
 * keep working. Run by setup and before the QR sheet is drawn; each write only lands if the table
 * still has no code, so concurrent runs agree.
 */
export async function ensureTableCodes(): Promise<void> {
  await giveMissingCodes(config().restaurantId, newTableCode, new Date());
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
  const code = newTableCode();
  const now = new Date();
  const updated = await replaceTableCode(restaurantId, tableId, code, now);
  if (!updated) throw notFound('Table');
  await afterCommit([{ type: 'TableCodeRotated', actor: staffActor(staff), tableId }], origin);
  return { tableId: tableId.toHexString(), number: updated.number, code };
}
