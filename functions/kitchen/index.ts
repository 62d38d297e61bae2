/**
 * The kitchen slice: what other slices use of the kitchen display.
 * Other slices import it as a namespace (`import * as Kitchen from '../kitchen/index.ts'`), never its files.
 */
export { listTickets } from './kitchen.ts';
