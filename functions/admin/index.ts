/**
 * The admin slice: what other slices use of the menu the managers edit.
 * Other slices import it as a namespace (`import * as Admin from '../admin/index.ts'`), never its files.
 */
export { etagMatches, publicMenu } from './menu.ts';
