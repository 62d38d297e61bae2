/**
 * The cart slice: what other slices use of the guests' carts.
 * Other slices import it as a namespace (`import * as Cart from '../cart/index.ts'`), never its files.
 */
export { cartFilterFor, cartOwnerOf, cartViewOf, getCartView, getCartViewFor, loadCartView, menuItemsByIds } from './cart-views.ts';
export type { CartView } from './cart-views.ts';
export { refreshCart, refreshCartsContaining } from './cart.ts';
