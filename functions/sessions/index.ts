/**
 * The sessions slice: what other slices use of tables, their codes and their sessions.
 * Other slices import it as a namespace (`import * as Sessions from '../sessions/index.ts'`), never its files.
 */
export { ensureTableCodes, rotateTableCode } from './table-codes.ts';
export { changeTable, createTable, ensureTableNumberKeys, removeTable } from './table-setup.ts';
export { closeTableSession, listFloorTables, openTableSession, regenerateSessionPin } from './table-sessions.ts';
