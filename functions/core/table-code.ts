/**
 * Table codes: what a table's QR code carries instead of its database id. Pure rules, no I/O.
 *
 * Table ids are ObjectIds, consecutive for tables created together, so one printed id gives all of
 * them. A code is 16 bytes (128 bits) from the CSPRNG, base64url: nothing about one table's code
 * says anything about another's, and guessing one is out of reach.
 */
import { randomBytes } from 'node:crypto';
import { OBJECT_ID_PATTERN } from './ids.ts';

export const TABLE_CODE_BYTES = 16;
/** 16 bytes in base64url (no padding) are exactly 22 characters. */
export const TABLE_CODE_PATTERN = /^[A-Za-z0-9_-]{22}$/;
/** The links printed before codes existed carry the table's ObjectId (24 hex). */
export const LEGACY_TABLE_LINK_PATTERN = OBJECT_ID_PATTERN;

export const newTableCode = (): string => randomBytes(TABLE_CODE_BYTES).toString('base64url');

/** What a `?table=` value is: a code, a legacy id link, or neither (answered like an unknown code). */
export function tableRefKind(ref: string): 'code' | 'legacyId' | 'invalid' {
  if (TABLE_CODE_PATTERN.test(ref)) return 'code';
  if (LEGACY_TABLE_LINK_PATTERN.test(ref)) return 'legacyId';
  return 'invalid';
}
