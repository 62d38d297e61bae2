/**
 * The bill slice: what other slices use of the bill and its payments.
 * Other slices import it as a namespace (`import * as Bill from '../bill/index.ts'`), never its files.
 */
export { paidOnlineBySession } from './payment-views.ts';
